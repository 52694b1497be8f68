"""Running a batch job: plan, run the unfinished partitions, merge, report.

>>> from safeside.batch import BatchOptions, run_batch     # doctest: +SKIP
>>> result = run_batch(BatchOptions(inputs=["corpus/*.jsonl"], out=Path("results")))
>>> result.summary["html"]

Nothing holds a corpus's results: each partition's rows, errors and counts go to their
own files as it finishes, and the summary is merged from the small per-partition count
files at the end.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

from safeside.batch.aggregate import Counts
from safeside.batch.cluster import Task, runner
from safeside.batch.engine import EngineFactory
from safeside.batch.inputs import Source, StreamingReport, expand_inputs
from safeside.batch.outputs import load_salt, remove_leftovers, salt_check
from safeside.batch.partition import Payload, is_done
from safeside.batch.plan import (
    DEFAULT_PARTITION,
    ERRORS_DIR,
    STATE_DIR,
    JobSpec,
    PartitionSpec,
    check_or_write_job,
    job_fingerprint,
    tabular_partitions,
)
from safeside.errors import InputError, SafesideError
from safeside.ingest.post import SourceRef
from safeside.ingest.registry import UK_TIME, ReadOptions
from safeside.ingest.report import ImportReport, Problem
from safeside.taxonomy import MODES


@dataclass
class BatchOptions:
    """A batch job's settings (the ``safeside batch`` options)."""

    inputs: list[str]
    out: Path
    mode: str = "own"
    keep_text: bool = False
    research: bool = False
    scheduler: str | None = None
    #: worker processes for the embedded cluster (None: one per core; 0: no Dask)
    workers: int | None = None
    partition_size: int = DEFAULT_PARTITION
    salt: str | None = None
    timezone: tzinfo = UK_TIME
    format: str | None = None
    engine: EngineFactory = field(default_factory=EngineFactory)
    #: a per-partition hook factory (see :class:`~safeside.batch.partition.PartitionHook`)
    hook: Callable[[], Any] | None = None
    #: sources to use instead of expanding ``inputs``
    sources: list[Source] | None = None
    dashboard_address: str | None = None
    #: write summary.json and summary.html at the end
    summary: bool = True


@dataclass
class Progress:
    """What :func:`run_batch` tells its ``on_progress`` callback after each partition."""

    posts_done: int = 0
    posts_known: int = 0
    partitions_done: int = 0
    partitions_known: int = 0
    skipped_done_before: int = 0
    last: str = ""


@dataclass
class BatchResult:
    out: Path
    partitions: list[str]
    done_before: int
    failed: list[tuple[str, str]]
    posts: int
    flagged: int
    errors: int
    seconds: float
    workers: int
    dashboard: str | None
    summary: dict[str, Path]
    import_reports: list[ImportReport]
    counts: Counts
    states: list[dict[str, Any]] = field(default_factory=list, repr=False)


def _import_tasks(
    number: int,
    source: Source,
    job: JobSpec,
    names: list[str],
    reports: list[ImportReport],
    progress: Progress,
    announce: Callable[[], None],
) -> Iterator[Task]:
    """Stream a platform export, cutting it into partitions of ``job.partition_size`` posts.

    A problem met while reading goes to the partition of the post read just before it
    (the first partition for problems before the first post).
    """
    from safeside.ingest import open_import

    size = job.partition_size
    options = ReadOptions(timezone=job.timezone, hint=source.label.lower())
    try:
        opened = open_import(source.path, options=options, format=job.format)
    except (SafesideError, OSError) as error:  # one unreadable input does not stop the job
        spec = PartitionSpec(number, source, 0, 0)
        names.append(spec.name)
        progress.partitions_known += 1
        if not is_done(job, spec):
            where = SourceRef(file=source.label)
            problem = Problem("error", "unreadable", str(error), where)
            yield spec, Payload([], [problem], {"unreadable": 1})
        return
    with opened:
        report = StreamingReport.taking_over(opened.report)
        opened.report = report
        reports.append(report)
        buffer: list[Any] = []
        problems: list[Any] = []
        skipped_before: Counter[str] = Counter(report.skipped)
        start = 0

        def cut(last: bool) -> Task | None:
            nonlocal buffer, problems, start, skipped_before
            spec = PartitionSpec(number, source, start, start + len(buffer), last=last)
            skipped = Counter(report.skipped)
            skipped.subtract(skipped_before)
            payload = Payload(buffer, problems, {k: v for k, v in skipped.items() if v})
            names.append(spec.name)
            progress.partitions_known += 1
            progress.posts_known += len(buffer)
            start += len(buffer)
            buffer, problems, skipped_before = [], [], Counter(report.skipped)
            if is_done(job, spec):
                progress.partitions_done += 1
                progress.skipped_done_before += 1
                progress.posts_done += len(payload.posts)
                announce()
                return None
            return spec, payload

        for post in opened:
            problems.extend(report.drain())
            if len(buffer) >= size:
                task = cut(last=False)
                if task:
                    yield task
            buffer.append(post)
        problems.extend(report.drain())
        task = cut(last=True)
        if task:
            yield task


def run_batch(
    options: BatchOptions,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    on_start: Callable[[int, str | None], None] | None = None,
) -> BatchResult:
    """Run (or resume) a batch job; see the module docstring and ``docs/batch.md``."""
    if options.mode not in MODES:
        raise InputError(f"mode must be 'own' or 'review', not {options.mode!r}")
    if options.research and options.keep_text:
        raise InputError("--research keeps no text: leave out --keep-text")
    if options.partition_size < 1:
        raise InputError("the partition size must be at least 1")
    began = time.perf_counter()
    out = options.out
    sources = options.sources or expand_inputs(options.inputs, exclude=out)
    out.mkdir(parents=True, exist_ok=True)
    salt = load_salt(out, options.salt)
    job = JobSpec(
        out=str(out.resolve()),
        mode=options.mode,
        keep_text=options.keep_text,
        research=options.research,
        salt=salt,
        timezone=options.timezone,
        engine=options.engine,
        partition_size=options.partition_size,
        format=options.format,
        hook=options.hook,
    )
    check_or_write_job(out, job_fingerprint(job, sources, salt_check(salt)))
    remove_leftovers(out)

    progress = Progress()
    tabular: dict[int, list[PartitionSpec]] = {}
    for number, source in enumerate(sources):
        if source.kind != "import":
            specs = tabular_partitions(number, source, job.partition_size)
            tabular[number] = specs
            progress.partitions_known += len(specs)
            progress.posts_known += sum(s.stop - s.start for s in specs)

    names: list[str] = []
    reports: list[ImportReport] = []
    failed: list[tuple[str, str]] = []

    def announce() -> None:
        if on_progress:
            on_progress(progress)

    def tasks() -> Iterator[Task]:
        for number, source in enumerate(sources):
            if source.kind == "import":
                yield from _import_tasks(number, source, job, names, reports, progress, announce)
                continue
            for spec in tabular[number]:
                names.append(spec.name)
                if is_done(job, spec):
                    progress.partitions_done += 1
                    progress.skipped_done_before += 1
                    progress.posts_done += spec.stop - spec.start
                    announce()
                    continue
                yield spec, None

    def done(
        spec: PartitionSpec,
        payload: Payload | None,
        state: dict[str, Any] | None,
        error: BaseException | None,
    ) -> None:
        progress.partitions_done += 1
        progress.posts_done += len(payload.posts) if payload else spec.stop - spec.start
        progress.last = spec.name
        if error is not None:
            failed.append((spec.name, f"{type(error).__name__}: {error}"))
        announce()

    with runner(
        options.engine,
        scheduler=options.scheduler,
        workers=options.workers,
        dashboard_address=options.dashboard_address,
    ) as run:
        if on_start:
            on_start(run.workers, run.dashboard)
        announce()
        run.run(job, tasks(), done)
        workers, dashboard = run.workers, run.dashboard

    result = merge(job, names, reports)
    result.done_before = progress.skipped_done_before
    result.failed = failed
    result.workers, result.dashboard = workers, dashboard
    result.seconds = round(time.perf_counter() - began, 3)
    if options.summary:
        from safeside.batch.report import write_summary

        result.summary = write_summary(result, job, sources)
    return result


def merge(job: JobSpec, names: list[str], reports: list[ImportReport]) -> BatchResult:
    """Merge the finished partitions' counts and errors (in partition order)."""
    root = job.root
    counts = Counts()
    states: list[dict[str, Any]] = []
    posts = flagged = errors = 0
    with (root / "errors.jsonl").open("w", encoding="utf-8") as merged:
        for name in names:
            path = root / STATE_DIR / f"{name}.json"
            if not path.exists():
                continue
            state = json.loads(path.read_text(encoding="utf-8"))
            counts.merge_json(state.pop("counts"))
            states.append(state)
            posts += state["posts"]
            flagged += state["flagged"]
            errors += state["errors"]
            part_errors = root / ERRORS_DIR / f"{name}.jsonl"
            if part_errors.exists():
                with part_errors.open(encoding="utf-8") as stream:
                    for line in stream:
                        merged.write(line)
    return BatchResult(
        out=root,
        partitions=names,
        done_before=0,
        failed=[],
        posts=posts,
        flagged=flagged,
        errors=errors,
        seconds=0.0,
        workers=0,
        dashboard=None,
        summary={},
        import_reports=reports,
        counts=counts,
        states=states,
    )
