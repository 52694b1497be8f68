"""Command: ``safeside batch INPUT... --out RESULTS``: analyse corpora and exports at scale.

Runs on an embedded Dask cluster (one worker process per core) or, with ``--scheduler``,
on an existing one; writes Parquet partitions, an errors file and a summary report.
Run the same command again to resume a job that was stopped. See ``docs/batch.md``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from safeside.cli.errors import exit_on_error
from safeside.errors import InputError

_err = Console(stderr=True)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown timezone {name!r}; try Europe/London") from None


def register(app: typer.Typer) -> None:
    """Add ``safeside batch`` to ``app``."""

    @app.command()
    def batch(
        inputs: Annotated[
            list[str],
            typer.Argument(
                help="JSONL, CSV or Parquet files, platform exports (zipped or not), "
                "folders or globs (quote globs: 'corpus/*.jsonl')."
            ),
        ],
        out: Annotated[Path, typer.Option("--out", "-o", help="Results folder.")],
        mode: Annotated[
            str,
            typer.Option(
                "--mode", "-m", help="own (staff's own posts) or review (third-party content)."
            ),
        ] = "own",
        keep_text: Annotated[
            bool, typer.Option("--keep-text", help="Keep each post's text in the Parquet rows.")
        ] = False,
        research: Annotated[
            bool,
            typer.Option(
                "--research", help="Shareable rows: no ids, author ids, times or offsets."
            ),
        ] = False,
        scheduler: Annotated[
            str | None,
            typer.Option("--scheduler", help="Run on an existing Dask cluster (tcp://HOST:PORT)."),
        ] = None,
        workers: Annotated[
            int | None,
            typer.Option(
                "--workers",
                min=0,
                max=512,
                help="Worker processes of the embedded cluster (default: one per core; "
                "0: no Dask, in this process).",
            ),
        ] = None,
        partition_size: Annotated[
            int, typer.Option("--partition-size", min=1, help="Records per partition.")
        ] = 1000,
        salt: Annotated[
            str | None,
            typer.Option(
                "--salt", help="Salt for author ids (default: a random one kept in RESULTS/salt)."
            ),
        ] = None,
        timezone: Annotated[
            str,
            typer.Option("--timezone", help="Timezone for months and for dates without one."),
        ] = "Europe/London",
        format: Annotated[
            str | None,
            typer.Option("--format", help="Read exports as this format instead of detecting it."),
        ] = None,
        config: Annotated[
            Path | None, typer.Option("--config", help="Your organisation's configuration YAML.")
        ] = None,
        engine_target: Annotated[
            str | None, typer.Option("--engine", hidden=True, help="module:factory (tests).")
        ] = None,
        explain: Annotated[
            bool,
            typer.Option(
                "--explain",
                help="Also find the words behind each concern the model raises on its own "
                "(their evidence spans; several times slower on flagged posts).",
            ),
        ] = False,
    ) -> None:
        """Analyse many posts at once (corpora, organisation-wide exports) on Dask."""
        with exit_on_error(_err):
            code = _run(
                inputs,
                out,
                mode,
                keep_text,
                research,
                scheduler,
                workers,
                partition_size,
                salt,
                timezone,
                format,
                config,
                engine_target,
                explain,
            )
        if code:
            raise typer.Exit(code=code)


def _run(
    inputs: list[str],
    out: Path,
    mode: str,
    keep_text: bool,
    research: bool,
    scheduler: str | None,
    workers: int | None,
    partition_size: int,
    salt: str | None,
    timezone: str,
    format: str | None,
    config: Path | None,
    engine_target: str | None,
    explain: bool = False,
) -> int:
    from safeside.batch import BatchOptions, EngineFactory, run_batch
    from safeside.batch import Progress as JobProgress

    if mode not in ("own", "review"):
        raise InputError(f"mode must be 'own' or 'review', not {mode!r}")
    if scheduler and not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise InputError(
            f"--scheduler takes an address like tcp://127.0.0.1:8786, not {scheduler!r}"
        )
    if config is not None and not config.is_file():
        raise InputError(f"{config} does not exist")
    options = BatchOptions(
        inputs=inputs,
        out=out,
        mode=mode,
        keep_text=keep_text,
        research=research,
        scheduler=scheduler,
        workers=workers,
        partition_size=partition_size,
        salt=salt,
        timezone=_zone(timezone),
        format=format,
        engine=EngineFactory(
            config=str(config.resolve()) if config else None,
            target=engine_target,
            explain=explain,
        ),
    )
    columns = (
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("posts · {task.fields[rate]} posts/s · ETA"),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=_err, transient=True) as bar:
        task = bar.add_task("Starting workers", total=None, rate="–")
        clock: dict[str, float] = {}

        def started(count: int, dashboard: str | None) -> None:
            where = f"Dask cluster at {scheduler}" if scheduler else None
            if workers == 0 and not scheduler:
                where = "this process (no Dask)"
            where = where or f"a local Dask cluster of {count} worker process(es)"
            _err.print(f"Running on {where}.")
            if dashboard:
                _err.print(f"Dask dashboard: {dashboard}", soft_wrap=True)
            bar.update(task, description="Analysing")

        def progressed(p: JobProgress) -> None:
            now = time.perf_counter()
            if "start" not in clock:
                clock["start"], clock["base"] = now, p.posts_done
            fresh = p.posts_done - clock["base"]
            elapsed = now - clock["start"]
            rate = f"{fresh / elapsed:,.0f}" if elapsed > 0.5 and fresh else "–"
            bar.update(task, completed=p.posts_done, total=p.posts_known or None, rate=rate)

        result = run_batch(options, on_progress=progressed, on_start=started)
    if result.done_before:
        _err.print(f"Resumed: {result.done_before} partitions were already finished.")
    _err.print(
        f"Analysed {result.posts:,} posts in {len(result.partitions)} partitions "
        f"({result.seconds:,.0f} s): {result.flagged:,} raise a concern; "
        f"{result.errors:,} records in errors.jsonl.",
        soft_wrap=True,
    )
    for report in result.import_reports:
        for line in report.summary_lines():
            _err.print(f"{report.source}: {line}", highlight=False, soft_wrap=True)
    if result.failed:
        _err.print(
            f"[red]{len(result.failed)} partitions failed[/red] (first: {result.failed[0][1]}); "
            "run the same command again to retry them.",
            highlight=False,
            soft_wrap=True,
        )
    typer.echo(str(result.summary.get("html", result.out)))
    return 2 if result.failed else 0
