"""Commands: ``safeside audit PATH`` (your own posts) and ``safeside scan PATH`` (third-party content).

Both import a platform export, chat log or screenshots, analyse every post in chunks
with a progress bar, and write ``report.html``, ``report.json`` and ``findings.csv``.
Nothing is sent anywhere. Large archives (or ``--partitioned``) run on the batch path
(:mod:`safeside.footprint.partitioned`): partitions on disk, resumable, merged report.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from safeside.cli.errors import exit_on_error
from safeside.errors import InputError

if TYPE_CHECKING:
    from safeside.footprint import AuditResult

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


PartitionedOpt = Annotated[
    bool | None,
    typer.Option(
        "--partitioned/--in-memory",
        help="Audit on the batch path (partitions on disk, merged report); "
        "default: only archives over 64 MB.",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Run on an existing Dask cluster (tcp://HOST:PORT)."),
]


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} posts"),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
    )


def _run(
    path: Path,
    out: Path,
    mode: str,
    format: str | None,
    timezone: str,
    chunk: int,
    jobs: int,
    partitioned: bool | None = None,
    scheduler: str | None = None,
) -> None:
    from safeside.footprint import run_audit, write_reports
    from safeside.footprint.partitioned import LARGE_ARCHIVE
    from safeside.ingest import ReadOptions, open_import

    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown timezone {timezone!r}; try Europe/London") from None
    options = ReadOptions(timezone=zone, hint=str(path).lower())
    with open_import(path, options=options, format=format) as source:
        formats = ", ".join(sorted(source.formats)) or "none"
        _err.print(f"Reading {path.name} ({formats})")
        if partitioned is None:
            size = sum(entry.size for entry, reader in source.plan if reader)
            partitioned = scheduler is not None or size > LARGE_ARCHIVE
        if not partitioned:
            with _progress() as progress:
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
            found = len(result.findings)
    if partitioned:
        paths, result, found = _partitioned(path, out, mode, format, zone, jobs, scheduler)
    if result.import_report:
        for line in result.import_report.summary_lines():
            _err.print(line)
    if result.unknown_dates:
        n = result.unknown_dates
        _err.print(
            f"{n} {'post' if n == 1 else 'posts'} had a date before 2004 or after today; "
            f"{'its' if n == 1 else 'their'} date is reported as unknown."
        )
    _err.print(
        f"Checked {result.posts_analysed} posts: {found} need a look."
        if mode == "own"
        else f"Checked {result.posts_analysed} posts: {found} raise a concern."
    )
    typer.echo(str(paths["html"]))


def _partitioned(
    path: Path,
    out: Path,
    mode: str,
    format: str | None,
    zone: ZoneInfo,
    jobs: int,
    scheduler: str | None,
) -> tuple[dict[str, Path], AuditResult, int]:
    """The audit on the batch path: partitions in OUT/partitions, then the merged report."""
    from safeside.footprint.partitioned import run_partitioned_audit, write_partitioned_reports

    with _progress() as progress:
        task = progress.add_task("Checking posts", total=None)

        def started(workers: int, dashboard: str | None) -> None:
            if dashboard:
                _err.print(f"Dask dashboard: {dashboard}", soft_wrap=True)

        audit = run_partitioned_audit(
            path,
            out,
            mode=mode,
            source=path.name,
            timezone=zone,
            format=format,
            jobs=jobs,
            scheduler=scheduler,
            on_progress=lambda n: progress.advance(task, n),
            on_start=started,
        )
    paths = write_partitioned_reports(audit, out)
    _err.print(f"Partitions (resumable): {out / 'partitions'}", soft_wrap=True, highlight=False)
    return paths, audit.result, audit.findings_count


def _guarded(
    path: Path,
    out: Path,
    mode: str,
    format: str | None,
    timezone: str,
    chunk: int,
    jobs: int,
    partitioned: bool | None = None,
    scheduler: str | None = None,
) -> None:
    with exit_on_error(_err):
        _run(path, out, mode, format, timezone, chunk, jobs, partitioned, scheduler)


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
        partitioned: PartitionedOpt = None,
        scheduler: SchedulerOpt = None,
    ) -> None:
        """Audit your own posts (your digital footprint) and write a report."""
        _guarded(path, out, "own", format, timezone, chunk, jobs, partitioned, scheduler)

    @app.command()
    def scan(
        path: PathArg,
        out: OutOpt = Path("safeside-scan"),
        format: FormatOpt = None,
        timezone: TzOpt = "Europe/London",
        chunk: ChunkOpt = 256,
        jobs: JobsOpt = 1,
        partitioned: PartitionedOpt = None,
        scheduler: SchedulerOpt = None,
    ) -> None:
        """Review third-party content (messages, posts, screenshots) and write a report."""
        _guarded(path, out, "review", format, timezone, chunk, jobs, partitioned, scheduler)
