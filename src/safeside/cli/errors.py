"""One way for a command to fail on bad input: a red line and exit status 1, no traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from safeside.errors import SafesideError

if TYPE_CHECKING:
    from sqlalchemy.exc import SQLAlchemyError


def database_error() -> type[SQLAlchemyError]:
    """SQLAlchemy's base error, imported when a command fails (``except database_error()``
    is evaluated only then): commands that use no database, such as ``safeside check``,
    start without importing SQLAlchemy."""
    from sqlalchemy.exc import SQLAlchemyError

    return SQLAlchemyError


@contextmanager
def exit_on_error(console: Console) -> Iterator[None]:
    """Report a deliberate error (:class:`SafesideError`) or a file that could not be read
    or written on ``console``, then exit with status 1."""
    try:
        yield
    except SafesideError as error:
        console.print(f"[red]Error:[/red] {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None
    except OSError as error:
        console.print(
            f"[red]Error:[/red] could not read or write a file ({error})",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(code=1) from None
