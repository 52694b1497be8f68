"""Commands: ``safeside audit PATH`` (your own posts) and ``safeside scan PATH`` (third-party content).

Both import a platform export, chat log or screenshots, analyse every post in chunks
with a progress bar, and write ``report.html``, ``report.json`` and ``findings.csv``.
Nothing is sent anywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from safeside.errors import InputError, SafesideError

_err = Console(stderr=True)

PathArg = Annotated[
    Path, typer.Argument(help="An export file, folder or zip, a chat .txt, or screenshots.")
]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Folder for the report files.")]
FormatOpt = Annotated[
    str | None, typer.Option("--format", help="Read as this format instead of detecting it.")
]
TzOpt = Annotated[
    str, typer.Option("--timezone", help="Timezone for dates the export writes without one.")
]
ChunkOpt = Annotated[int, typer.Option("--chunk", min=1, help="Posts analysed per batch.")]
JobsOpt = Annotated[
    int, typer.Option("--jobs", "-j", min=1, max=64, help="Worker processes for the analysis.")
]


def _run(
    path: Path, out: Path, mode: str, format: str | None, timezone: str, chunk: int, jobs: int
) -> None:
    from safeside.footprint import run_audit, write_reports
    from safeside.ingest import ReadOptions, open_import

    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown timezone {timezone!r}; try Europe/London") from None
    options = ReadOptions(timezone=zone, hint=str(path).lower())
    with open_import(path, options=options, format=format) as source:
        formats = ", ".join(sorted(source.formats)) or "none"
        _err.print(f"Reading {path.name} ({formats})")
        with Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} posts"),
            TimeElapsedColumn(),
            console=_err,
            transient=True,
        ) as progress:
            task = progress.add_task("Checking posts", total=None)
            result = run_audit(
                source,
                mode=mode,
                source=path.name,
                chunk_size=chunk,
                jobs=jobs,
                on_progress=lambda n: progress.advance(task, n),
                import_report=source.report,
                timezone=zone,
            )
    paths = write_reports(result, out)
    for line in source.report.summary_lines():
        _err.print(line)
    _err.print(
        f"Checked {result.posts_analysed} posts: {len(result.findings)} need a look."
        if mode == "own"
        else f"Checked {result.posts_analysed} posts: {len(result.findings)} raise a concern."
    )
    typer.echo(str(paths["html"]))


def _guarded(
    path: Path, out: Path, mode: str, format: str | None, timezone: str, chunk: int, jobs: int
) -> None:
    try:
        _run(path, out, mode, format, timezone, chunk, jobs)
    except SafesideError as error:
        _err.print(f"[red]Error:[/red] {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None
    except OSError as error:
        _err.print(
            f"[red]Error:[/red] could not read or write a file ({error})",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(code=1) from None


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""

    @app.command()
    def audit(
        path: PathArg,
        out: OutOpt = Path("safeside-report"),
        format: FormatOpt = None,
        timezone: TzOpt = "Europe/London",
        chunk: ChunkOpt = 256,
        jobs: JobsOpt = 1,
    ) -> None:
        """Audit your own posts (your digital footprint) and write a report."""
        _guarded(path, out, "own", format, timezone, chunk, jobs)

    @app.command()
    def scan(
        path: PathArg,
        out: OutOpt = Path("safeside-scan"),
        format: FormatOpt = None,
        timezone: TzOpt = "Europe/London",
        chunk: ChunkOpt = 256,
        jobs: JobsOpt = 1,
    ) -> None:
        """Review third-party content (messages, posts, screenshots) and write a report."""
        _guarded(path, out, "review", format, timezone, chunk, jobs)
