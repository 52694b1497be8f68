"""Commands: ``safeside verify``, ``safeside bundle`` and ``safeside keys``.

None of them ever creates a database: ``verify --bundle`` needs none at all, and the
others say what to do when there is none yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from safeside.cli.errors import database_error
from safeside.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.exc import SQLAlchemyError

    from safeside.audit_log.verify import Problem
    from safeside.db.session import Database

_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)

NO_TABLES = (
    "the database has no Safeside tables yet. Run `safeside serve` or `safeside db upgrade`."
)


def _fail(message: str) -> typer.Exit:
    _err.print(f"[red]Error:[/red] {escape(message)}")
    return typer.Exit(code=1)


def existing_database(settings: Settings, *, strict: bool = False) -> Database | None:
    """The database if it exists and has Safeside's tables; never creates one.

    Args:
        strict: raise the error when the database cannot be reached (else: None).
    """
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url

    from safeside.db.session import Database

    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        path = url.database or ""
        if not path or path == ":memory:" or not Path(path).is_file():
            return None
    database = Database(settings.database_url)
    try:
        if inspect(database.engine).has_table("audit_events"):
            return database
    except database_error():
        database.dispose()
        if strict:
            raise
        return None
    database.dispose()
    return None


def _unreadable(error: SQLAlchemyError) -> typer.Exit:
    return _fail(f"cannot read the database ({type(error).__name__}). Check SAFESIDE_DATABASE_URL.")


@contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    try:
        database = existing_database(settings, strict=True)
    except database_error() as error:
        raise _unreadable(error) from None
    if database is None:
        raise _fail(NO_TABLES)
    try:
        yield database
    except database_error() as error:
        raise _unreadable(error) from None
    finally:
        database.dispose()


def _print_problems(problems: list[Problem], what: str) -> None:
    for problem in problems:
        _out.print(f"[red]ALTERED OR MISSING[/red] {escape(str(problem))}")
    _out.print(f"{len(problems)} problem(s) found after checking {what}.")


def verify(
    bundle: Annotated[
        Path | None,
        typer.Option(
            "--bundle",
            help="Check an exported bundle (its .zip, folder or manifest.json) on its own; "
            "no database is needed.",
        ),
    ] = None,
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option(
            "--checkpoint",
            help="Also check the database against checkpoints kept elsewhere: a checkpoint "
            "file or JSON checkpoint, or a bundle (zip or manifest.json) whose head it printed.",
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option("--key", help="With --bundle: the key id or public key it must be signed by."),
    ] = None,
) -> None:
    """Recompute every hash and name any record, event or file altered or removed."""
    settings = Settings.from_env(make_secret=False)
    if bundle is not None:
        _verify_bundle(settings, bundle, key)
        return
    from safeside.audit_log.checkpoint import read_checkpoints, trusted_keys
    from safeside.audit_log.keys import SigningKeyError
    from safeside.audit_log.verify import Checkpoint, verify_database

    sources = [settings.checkpoint_path] if settings.checkpoint_path.exists() else []
    sources += checkpoint or []
    with _database(settings) as database, database.session() as session:
        try:
            trusted = trusted_keys(settings, session)
        except SigningKeyError as error:
            raise _fail(str(error)) from None
        checkpoints: list[Checkpoint] = []
        file_problems: list[Problem] = []
        for source in sources:
            found, problems = read_checkpoints(source, trusted)
            checkpoints += found
            file_problems += problems
        report = verify_database(session, checkpoints)
    report.problems[:0] = file_problems
    what = (
        f"{report.events} audit events, {report.records} records, "
        f"{report.evidence_bytes:,} bytes of originals"
    )
    if not sources:
        report.notes.append(
            f"No checkpoint found ({settings.checkpoint_path}): deletion of the newest events "
            "cannot be detected. Safeside writes one at start-up and every "
            f"{settings.checkpoint_every} events."
        )
    for note in report.notes:
        _out.print(escape(note))
    if report.ok:
        _out.print(f"[green]OK[/green]: checked {what}; every hash matches.")
        return
    _print_problems(report.problems, what)
    raise typer.Exit(code=1)


def _verify_bundle(settings: Settings, bundle: Path, pin: str | None) -> None:
    from safeside.audit_log.checkpoint import trusted_keys
    from safeside.audit_log.keys import SigningKeyError
    from safeside.evidence.verify_bundle import verify_bundle

    if not bundle.exists():
        raise _fail(f"no bundle at {bundle}")
    database = existing_database(settings)
    try:
        if database is None:
            trusted = trusted_keys(settings)
            report = verify_bundle(bundle, trusted=trusted or None, pin=pin)
        else:
            with database.session() as session:
                trusted = trusted_keys(settings, session)
                report = verify_bundle(bundle, session, trusted=trusted or None, pin=pin)
    except SigningKeyError as error:
        raise _fail(str(error)) from None
    except database_error() as error:
        raise _unreadable(error) from None
    finally:
        if database is not None:
            database.dispose()
    what = f"{report.records} evidence files in the bundle (and its signed manifest)"
    for note in report.notes:
        _out.print(escape(note))
    if report.ok:
        checked = "" if database is None else " and against the database"
        _out.print(f"[green]OK[/green]: checked {what}{checked}; every hash matches.")
        return
    _print_problems(report.problems, what)
    raise typer.Exit(code=1)


def bundle(
    case_ref: Annotated[str, typer.Argument(help="The case reference, e.g. EA-2026-0142.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the bundle (.zip).")],
    items: Annotated[
        str | None,
        typer.Option(help="Comma-separated evidence item ids (default: every item of the case)."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(help="Email of the user to audit the export as (default: the system)."),
    ] = None,
) -> None:
    """Export a case's signed evidence bundle (the same zip as Casebook's Export)."""
    from sqlalchemy import func, select

    from safeside.access.models import User
    from safeside.audit_log.checkpoint import anchor_for
    from safeside.cases.models import Case
    from safeside.cases.service import case_evidence
    from safeside.errors import SafesideError
    from safeside.evidence.bundle import build_bundle

    settings = Settings.from_env()
    wanted = {part.strip() for part in (items or "").split(",") if part.strip()}
    with _database(settings) as database:
        try:
            anchor = anchor_for(settings, database.engine)
        except SafesideError as error:  # the key or a checkpoint sink
            raise _fail(str(error)) from None
        with database.session() as session:
            case = session.scalars(select(Case).where(Case.reference == case_ref)).first()
            if case is None:
                raise _fail(f"there is no case {case_ref}")
            actor = None
            if by:
                actor = session.scalars(
                    select(User).where(func.lower(User.email) == by.strip().lower())
                ).first()
                if actor is None:
                    raise _fail(f"there is no user {by}")
            chosen = [i for i in case_evidence(session, case) if not wanted or str(i.id) in wanted]
            if not chosen:
                raise _fail(
                    f"case {case_ref} has no evidence items to export"
                    + (f" with ids {items}" if wanted else "")
                )
            made = build_bundle(session, actor, case, chosen, anchor)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(made.data)
    head = made.manifest["checkpoint"]["head"]
    _out.print(
        f"[green]Wrote[/green] {escape(str(out))}: {len(chosen)} item(s) of {escape(case_ref)}, "
        f"signed by key {anchor.key.key_id}."
    )
    _out.print(f"Audit log at export: event {head['event_id']}, hash {head['event_hash']}.")
    _out.print("A recipient checks it with: python3 verify_bundle.py (inside the bundle).")


keys_app = typer.Typer(help="The organisation signing key.", no_args_is_help=True)


@keys_app.command("show")
def keys_show() -> None:
    """Show the current signing key and every earlier one (public halves only)."""
    from safeside.audit_log.checkpoint import key_settings
    from safeside.audit_log.keys import SigningKeyError, load_key, read_keyring

    config = key_settings(Settings.from_env(make_secret=False))
    try:
        current = load_key(config)
        ring = read_keyring(config.keyring)
    except SigningKeyError as error:
        raise _fail(str(error)) from None
    if current is None:
        _out.print("No signing key yet: `safeside serve` or `safeside db upgrade` makes one.")
    else:
        _out.print(f"Current key: {current.key_id} ({escape(current.describe())})")
        _out.print(f"  public key (Ed25519, base64): {current.public_key}")
    for entry in ring:
        state = f"retired {entry.retired_at}" if entry.retired_at else "in use"
        _out.print(
            f"  {entry.key_id}  since {entry.created_at or '?'}  {state}  {entry.public_key}"
        )


@keys_app.command("rotate")
def keys_rotate(
    print_key: Annotated[
        bool,
        typer.Option(
            "--print",
            help="When the key comes from SAFESIDE_SIGNING_KEY: print a new key to put there.",
        ),
    ] = False,
) -> None:
    """Replace the signing key; the old public key is kept for checking what it signed."""
    from safeside.audit_log.checkpoint import (
        Anchor,
        attach,
        key_settings,
        make_sinks,
        request_checkpoint,
    )
    from safeside.audit_log.keys import SigningKeyError, new_key_for_environment, rotate_key
    from safeside.errors import SafesideError

    settings = Settings.from_env()
    config = key_settings(settings)
    try:
        if config.key_text.strip() and print_key:
            old, new = new_key_for_environment(config)
        else:
            old, new = rotate_key(config)
    except SigningKeyError as error:
        raise _fail(str(error)) from None
    database = existing_database(settings)
    if database is not None:
        try:
            anchor = Anchor(
                new,
                make_sinks(settings),
                every=settings.checkpoint_every,
                organisation=settings.organisation,
            )
            attach(database.engine, anchor)
            with database.session() as session:
                anchor.register_key(session, replaces=old.key_id if old else None)
                request_checkpoint(session, "key rotation")
        except SafesideError as error:
            raise _fail(f"the new key is stored, but {error}") from None
        except database_error() as error:
            raise _unreadable(error) from None
        finally:
            database.dispose()
    _out.print(
        f"New signing key {new.key_id}"
        + (f" replaces {old.key_id} (kept in the keyring to check what it signed)." if old else ".")
    )
    if database is None:
        _out.print("No database yet: the new key is recorded in the audit log at the next start.")
    if config.key_text.strip() and print_key:
        _out.print(f"Put this in SAFESIDE_SIGNING_KEY and restart Safeside:\n{new.pem().decode()}")
    elif new.path is not None:
        _out.print(f"Stored in {escape(str(new.path))} (owner-only, 0600).")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(verify)
    app.command("bundle")(bundle)
    app.add_typer(keys_app, name="keys")
