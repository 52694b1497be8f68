"""Commands: ``safeside serve`` (the web app) and ``safeside db upgrade``.

Both set up the organisation signing key on first run (see
:mod:`safeside.audit_log.keys`) and write a signed audit checkpoint at start-up.
``safeside verify``, ``bundle`` and ``keys`` live in :mod:`safeside.cli.integrity`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from safeside.cli.errors import database_error
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

    from safeside.check import engine_check
    from safeside.db.session import Database
    from safeside.db.setup import prepare_database
    from safeside.demo.seed import DEMO_PASSWORD, DEMO_USERS
    from safeside.web.app import create_app

    settings = Settings.from_env()
    database = Database(settings.database_url)
    try:
        seeded = prepare_database(database, demo=settings.demo, check=engine_check)
        _set_up_signing(settings, database)
    except database_error() as error:
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
        engine_check("Warm up the engine before the first request.", "own")
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
    from safeside.audit_log.checkpoint import anchor_for
    from safeside.check import engine_check
    from safeside.db.session import Database
    from safeside.web.app import create_app

    engine_check("Warm up the engine before the first request.", "own")
    settings = Settings.from_env()
    database = Database(settings.database_url)
    anchor_for(settings, database.engine)  # this worker writes checkpoints too
    return create_app(settings, database=database)


def _set_up_signing(settings: Settings, database: object) -> None:
    """Make the signing key on first run, record it, and write a start-up checkpoint."""
    from safeside.audit_log.checkpoint import set_up_signing
    from safeside.db.session import Database
    from safeside.errors import SafesideError

    assert isinstance(database, Database)
    try:
        done = set_up_signing(settings, database)
    except SafesideError as error:  # the key or a checkpoint sink
        raise _fail(str(error)) from None
    if done.created:
        _out.print(
            f"Created the organisation signing key {done.anchor.key.key_id} in "
            f"{done.anchor.key.path} (owner-only). Keep a copy somewhere safe, ideally outside "
            "the data folder (SAFESIDE_SIGNING_KEY_FILE)."
        )
    if done.behind:
        _err.print(
            f"[red]Warning:[/red] the audit log ends at event {done.head}, but a checkpoint "
            f"recorded event {done.checkpointed}: events were removed, or this is a new "
            f"database beside an old {settings.checkpoint_path.name}. Run `safeside verify`."
        )


db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply any pending database migrations (SAFESIDE_DATABASE_URL)."""
    from safeside.audit_log.sealing import seal_existing
    from safeside.db.migrate import upgrade
    from safeside.db.session import Database

    settings = Settings.from_env()
    database = Database(settings.database_url)
    try:
        upgrade(database.engine)
        database.run(seal_existing)
        _set_up_signing(settings, database)
    except database_error() as error:
        raise _fail(
            f"cannot migrate the database ({type(error).__name__}). Check SAFESIDE_DATABASE_URL."
        ) from None
    finally:
        database.dispose()
    _out.print("Database is up to date.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(serve)
    app.add_typer(db_app, name="db")
