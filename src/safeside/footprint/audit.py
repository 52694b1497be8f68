"""Running the audit: posts in, analysed in chunks, risky ones kept with counts and a timeline.

Memory stays bounded: only risky posts are kept, everything else is counted.

A date before :data:`EARLIEST` (2004) or after today is a damaged or placeholder
timestamp (a cut-off number reads as 1 January 1970): the post is kept, its date is
reported as unknown, and the timeline starts at the first date that can be true.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from itertools import islice

import safeside
from safeside.engine.results import Analysis
from safeside.footprint.steps import suggested_step
from safeside.ingest.post import Post
from safeside.ingest.registry import UK_TIME
from safeside.ingest.report import ImportReport
from safeside.taxonomy import Severity

BatchAnalyzer = Callable[[Sequence[str], str], list[Analysis]]

#: The earliest date a post can truly have: before it, a date is a damaged timestamp.
EARLIEST = datetime(2004, 1, 1, tzinfo=UTC)


def date_is_known(stamp: datetime, today: date, timezone: tzinfo = UK_TIME) -> bool:
    """Whether ``stamp`` can be a post's real date: from 2004 up to ``today`` (in
    ``timezone``). 1 January 1970, or a date in the future, cannot."""
    return stamp >= EARLIEST and stamp.astimezone(timezone).date() <= today


def default_batch(texts: Sequence[str], mode: str) -> list[Analysis]:
    """The engine's batch analysis (looked up at call time so it can be swapped in tests)."""
    return safeside.analyze_batch(texts, mode=mode)


@dataclass(frozen=True, slots=True)
class Finding:
    """A risky post, what Safeside found in it, and the suggested step."""

    post: Post
    analysis: Analysis
    step: str


@dataclass
class AuditResult:
    """Everything a footprint report shows."""

    mode: str
    source: str
    findings: list[Finding] = field(default_factory=list)
    posts_analysed: int = 0
    by_concern: Counter[str] = field(default_factory=Counter)
    by_severity: Counter[str] = field(default_factory=Counter)
    by_platform: Counter[str] = field(default_factory=Counter)
    #: ``YYYY-MM`` → (posts, risky posts); undated posts are not in the timeline.
    by_month: dict[str, list[int]] = field(default_factory=dict)
    #: Posts without a known date (none given, or one that cannot be true).
    undated: int = 0
    import_report: ImportReport | None = None
    #: The zone dates are shown in.
    timezone: tzinfo = UK_TIME
    #: Posts whose date was before 2004 or after today, so is reported as unknown.
    unknown_dates: int = 0
    #: The day the audit ran, in :attr:`timezone` (a later date is not a real one).
    today: date | None = None

    def sorted_findings(self) -> list[Finding]:
        """Most severe first, then newest first."""
        return sorted(
            self.findings,
            key=lambda f: (
                -int(f.analysis.severity),
                -(f.post.timestamp.timestamp() if f.post.timestamp else 0),
            ),
        )


def _chunks(posts: Iterable[Post], size: int) -> Iterator[list[Post]]:
    iterator = iter(posts)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _one_model_thread() -> None:
    """Worker processes share the cores: one model thread each (as ``safeside batch``
    workers; an explicit ``SAFESIDE_MODEL_THREADS`` wins)."""
    os.environ.setdefault("SAFESIDE_MODEL_THREADS", "1")


def _analysed(
    posts: Iterable[Post], analyze: BatchAnalyzer, mode: str, chunk_size: int, jobs: int
) -> Iterator[tuple[list[Post], list[Analysis]]]:
    """Chunks of posts with their analyses, in order; ``jobs`` > 1 uses worker processes.

    At most two chunks per worker are in flight, so memory stays bounded.
    """
    if jobs <= 1:
        for chunk in _chunks(posts, chunk_size):
            yield chunk, analyze([post.text for post in chunk], mode)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_one_model_thread
    ) as pool:
        pending: deque[tuple[list[Post], Future[list[Analysis]]]] = deque()
        for chunk in _chunks(posts, chunk_size):
            pending.append((chunk, pool.submit(analyze, [post.text for post in chunk], mode)))
            if len(pending) >= 2 * jobs:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def run_audit(
    posts: Iterable[Post],
    *,
    mode: str = "own",
    source: str = "",
    analyze: BatchAnalyzer = default_batch,
    chunk_size: int = 256,
    jobs: int = 1,
    on_progress: Callable[[int], None] | None = None,
    import_report: ImportReport | None = None,
    timezone: tzinfo = UK_TIME,
) -> AuditResult:
    """Analyse every post in ``mode`` and collect the risky ones (severity above none).

    ``jobs`` > 1 analyses chunks in that many worker processes (``analyze`` must then be
    a module-level function, so that it can be sent to them).
    """
    result = AuditResult(
        mode=mode,
        source=source,
        import_report=import_report,
        timezone=timezone,
        today=datetime.now(timezone).date(),
    )
    for chunk, analyses in _analysed(posts, analyze, mode, chunk_size, jobs):
        for post, analysis in zip(chunk, analyses, strict=True):
            _count(result, post, analysis)
        if on_progress:
            on_progress(len(chunk))
    return result


def _count(result: AuditResult, post: Post, analysis: Analysis) -> None:
    today = result.today or datetime.now(result.timezone).date()
    if post.timestamp and not date_is_known(post.timestamp, today, result.timezone):
        result.unknown_dates += 1
        post = replace(post, timestamp=None)
    result.posts_analysed += 1
    result.by_platform[post.platform] += 1
    risky = analysis.severity > Severity.NONE or bool(analysis.concerns)
    if post.timestamp:
        local = post.timestamp.astimezone(result.timezone)
        month = result.by_month.setdefault(local.strftime("%Y-%m"), [0, 0])
        month[0] += 1
        month[1] += int(risky)
    else:
        result.undated += 1
    if not risky:
        return
    result.by_severity[analysis.severity.label] += 1
    for label in analysis.concern_labels:
        result.by_concern[label] += 1
    result.findings.append(Finding(post, analysis, suggested_step(analysis, post.audience)))
