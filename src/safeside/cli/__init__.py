"""The ``safeside`` command line: one module per command group.

Each module exposes ``register(app)`` and adds its commands to the Typer app.
"""

from __future__ import annotations

import typer

from safeside.cli import audit, batch, check, cpd, digest, evaluate, integrity, web

app = typer.Typer(
    name="safeside",
    help="Safe, explainable social-media checks for social-work practice.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (check, evaluate, audit, batch, web, integrity, digest, cpd):
    _module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
