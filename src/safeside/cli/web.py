"""Commands: ``safeside serve`` (the web app), ``safeside verify`` and ``safeside db upgrade``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from safeside.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    _err.print(f"[red]Error:[/red] {message}")
    return typer.Exit(code=1)


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (keep 127.0.0.1 unless behind a proxy).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=0,
            help="Worker processes; 0 means one per CPU core, up to 4 (each loads the engine).",
        ),
    ] = 0,
) -> None:
    """Start Casebook, the web app. The first run creates the database and demo data."""
    import uvicorn

    from safeside.db.session import Database
    from safeside.db.setup import prepare_database
    from safeside.demo.seed import DEMO_PASSWORD, DEMO_USERS
    from safeside.web.app import create_app, default_analyze

    settings = Settings.from_env()
    database = Database(settings.database_url)
    try:
        seeded = prepare_database(database, demo=settings.demo, analyze=default_analyze)
    except SQLAlchemyError as error:
        raise _fail(
            f"cannot prepare the database ({type(error).__name__}). Check SAFESIDE_DATABASE_URL."
        ) from None
    workers = workers or min(os.cpu_count() or 1, 4)
    _out.print(f"Safeside is running at [bold]http://{host}:{port}/[/bold]  (press Ctrl+C to stop)")
    if settings.demo:
        if seeded:
            _out.print("Created demo data (fictional people and cases).")
        _out.print(f"Demo sign-in: any of these emails, password [bold]{DEMO_PASSWORD}[/bold]")
        for user in DEMO_USERS:
            _out.print(f"  {user.email:36} {user.role:13} {user.team}")
    if workers == 1:
        default_analyze("Warm up the engine before the first request.", "own")
        app = create_app(settings, database=database)
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
        return
    database.dispose()  # each worker process opens its own connections
    uvicorn.run(
        "safeside.cli.web:worker_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        proxy_headers=False,
    )


def worker_app() -> FastAPI:
    """One ``safeside serve`` worker process: the app for the already prepared database."""
    from safeside.web.app import create_app, default_analyze

    default_analyze("Warm up the engine before the first request.", "own")
    return create_app(Settings.from_env())


def verify(
    bundle: Annotated[
        Path | None,
        typer.Option("--bundle", help="Check an exported bundle's manifest.json instead."),
    ] = None,
) -> None:
    """Recompute every hash and name any record or file altered or removed."""
    from safeside.audit_log.verify import verify_database
    from safeside.db.session import Database
    from safeside.evidence.verify_bundle import verify_bundle

    settings = Settings.from_env()
    database = Database(settings.database_url)
    try:
        with database.session() as session:
            if bundle is not None:
                if not bundle.is_file():
                    raise _fail(f"no manifest at {bundle}")
                db_session = session if _has_tables(database) else None
                report = verify_bundle(bundle, db_session)
                what = f"{report.records} files in the bundle"
            else:
                if not _has_tables(database):
                    raise _fail(
                        "the database has no Safeside tables yet. Run `safeside serve` or `safeside db upgrade`."
                    )
                report = verify_database(session)
                what = f"{report.events} audit events, {report.records} records, {report.evidence_bytes:,} bytes of originals"
    except SQLAlchemyError as error:
        raise _fail(
            f"cannot read the database ({type(error).__name__}). Check SAFESIDE_DATABASE_URL."
        ) from None
    finally:
        database.dispose()
    if report.ok:
        _out.print(f"[green]OK[/green]: checked {what}; every hash matches.")
        return
    for problem in report.problems:
        _out.print(f"[red]ALTERED OR MISSING[/red] {problem}")
    _out.print(f"{len(report.problems)} problem(s) found after checking {what}.")
    raise typer.Exit(code=1)


def _has_tables(database: object) -> bool:
    from sqlalchemy import inspect

    from safeside.db.session import Database

    assert isinstance(database, Database)
    return bool(inspect(database.engine).has_table("audit_events"))


db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply any pending database migrations (SAFESIDE_DATABASE_URL)."""
    from safeside.db.migrate import upgrade
    from safeside.db.session import Database

    database = Database(Settings.from_env().database_url)
    try:
        upgrade(database.engine)
    except SQLAlchemyError as error:
        raise _fail(
            f"cannot migrate the database ({type(error).__name__}). Check SAFESIDE_DATABASE_URL."
        ) from None
    finally:
        database.dispose()
    _out.print("Database is up to date.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(serve)
    app.command()(verify)
    app.add_typer(db_app, name="db")
