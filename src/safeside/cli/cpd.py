"""Command: ``safeside cpd export`` — a practitioner's CPD portfolio from the database.

    safeside cpd export --email sam.patel@northshire.example --from 2025-12-01 \\
        --to 2026-11-30 --format pdf --out portfolio.pdf

Reads ``SAFESIDE_DATABASE_URL`` like ``safeside serve``. Every record is checked again in
own mode with the real engine; records it flags, and drafts, are left out and named.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from safeside.cli.errors import database_error
from safeside.settings import Settings

_err = Console(stderr=True, highlight=False)

cpd_app = typer.Typer(help="CPD records and portfolios.", no_args_is_help=True)


def _day(value: str | None, option: str, default: date) -> date:
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        _err.print(f"[red]Error:[/red] {option} {value!r} is not a date; write it as YYYY-MM-DD")
        raise typer.Exit(code=2) from None


@cpd_app.command("export")
def export(
    email: Annotated[str, typer.Option("--email", help="Whose portfolio (their sign-in e-mail).")],
    out: Annotated[Path, typer.Option("--out", help="Write the portfolio to this file.")],
    start: Annotated[
        str | None, typer.Option("--from", help="First day (YYYY-MM-DD); default: 1 December.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day (YYYY-MM-DD); default: 30 November.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="pdf, csv or json.")] = "pdf",
    drafts: Annotated[bool, typer.Option("--include-drafts", help="Include drafts.")] = False,
) -> None:
    """Export a CPD portfolio (PDF, CSV or JSON) for a date range."""
    from sqlalchemy import select

    from safeside.access.models import User
    from safeside.check import engine_check
    from safeside.db.session import Database
    from safeside.learning.cpd.portfolio import FORMATS, export_portfolio, select_records
    from safeside.learning.cpd.service import records_for
    from safeside.learning.standards import registration_year

    if fmt not in FORMATS:
        _err.print(f"[red]Error:[/red] --format must be one of {', '.join(FORMATS)}")
        raise typer.Exit(code=2)
    year_start, year_end = registration_year(date.today())
    first, last = _day(start, "--from", year_start), _day(end, "--to", year_end)
    if last < first:
        _err.print("[red]Error:[/red] --to must be the same day as --from or later")
        raise typer.Exit(code=2)
    database = Database(Settings.from_env().database_url)
    try:
        with database.session() as session:
            user = session.scalar(select(User).where(User.email == email.strip().lower()))
            if user is None:
                _err.print(f"[red]Error:[/red] no user with the e-mail {email}")
                raise typer.Exit(code=1)
            records = records_for(session, user, first, last)
            selection = select_records(records, first, last, engine_check, include_drafts=drafts)
            for record, why in selection.left_out:
                _err.print(f"[yellow]Left out[/yellow] “{record.title}”: {why}")
            if not selection.included:
                _err.print("[red]Error:[/red] there are no records to export in these dates")
                raise typer.Exit(code=1)
            portfolio = export_portfolio(session, user, selection, fmt)
            out.write_bytes(portfolio.data)
            session.commit()
    except database_error() as error:
        _err.print(
            f"[red]Error:[/red] cannot read the database ({type(error).__name__}). "
            "Check SAFESIDE_DATABASE_URL, or run `safeside serve` once to create it."
        )
        raise typer.Exit(code=1) from None
    finally:
        database.dispose()
    count = len(selection.included)
    _err.print(f"Wrote {out}: {count} record{'s' if count != 1 else ''}.")


def register(app: typer.Typer) -> None:
    """Add the ``cpd`` command group to ``app``."""
    app.add_typer(cpd_app, name="cpd")
