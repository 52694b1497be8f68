"""One partition, on a worker: read (or receive) its posts, analyse them, write its files.

Files are written to temporary names and renamed into place; the state file goes last
and marks the partition finished, so a partition killed half-way leaves nothing a rerun
would trust. A record that cannot be read, or that the engine fails on, goes to the
partition's errors file with its reason; the rest of the partition is kept.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from safeside.batch.aggregate import Counts
from safeside.batch.engine import Engine, load_engine
from safeside.batch.inputs import (
    Item,
    StreamingReport,
    keep_problems,
    read_csv,
    read_jsonl,
    read_parquet,
)
from safeside.batch.outputs import (
    author_hash,
    month_of,
    row,
    table,
    write_json_atomic,
    write_lines_atomic,
    write_parquet_atomic,
)
from safeside.batch.plan import JobSpec, PartitionSpec
from safeside.engine.results import Analysis
from safeside.ingest.post import Post
from safeside.ingest.registry import ReadOptions
from safeside.ingest.report import Problem
from safeside.taxonomy import MODES

#: Texts per engine call (the engine batches its model inside each call).
ENGINE_CHUNK = 256


class PartitionHook(Protocol):
    """Extra per-partition output (the footprint audit keeps its findings this way)."""

    def add(self, post: Post, analysis: Analysis) -> None: ...

    def write(self, path: Path) -> dict[str, Any]:
        """Write the hook's file to ``path`` (atomically); return JSON-able state."""
        ...


@dataclass
class Payload:
    """Posts read on the client (platform exports), with the problems met reading them."""

    posts: list[Post]
    problems: list[Problem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


def is_done(job: JobSpec, spec: PartitionSpec) -> bool:
    return spec.paths(job.root)["state"].exists()


def read_state(job: JobSpec, spec: PartitionSpec) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(spec.paths(job.root)["state"].read_text(encoding="utf-8"))
    return state


def _items(job: JobSpec, spec: PartitionSpec, report: StreamingReport) -> Iterator[Item]:
    options = ReadOptions(timezone=job.timezone, hint=spec.source.label.lower())
    if spec.source.kind == "jsonl":
        return read_jsonl(spec.source, spec.start, spec.stop, spec.offset, report, options)
    if spec.source.kind == "csv":
        return read_csv(spec.source, spec.start, spec.stop, report, options)
    if spec.source.kind == "parquet":
        return read_parquet(spec.source, spec.start, spec.stop, report, options)
    raise ValueError(f"{spec.source.kind} sources are read on the client")


def _analyse(
    engine: Engine, texts: Sequence[str], mode: str, failed: Callable[[int, str], None]
) -> list[Analysis | None]:
    """Analyses in order; a text the engine fails on is None (and reported), the rest kept."""
    out: list[Analysis | None] = []
    for start in range(0, len(texts), ENGINE_CHUNK):
        part = list(texts[start : start + ENGINE_CHUNK])
        try:
            results: list[Analysis | None] = list(engine.analyze_batch(part, mode))
            if len(results) != len(part):
                raise RuntimeError(f"engine returned {len(results)} results for {len(part)}")
        except Exception:
            results = []
            for k, text in enumerate(part):
                try:
                    (one,) = engine.analyze_batch([text], mode)
                    results.append(one)
                except Exception as error:
                    failed(start + k, f"{type(error).__name__}: {error}"[:300])
                    results.append(None)
        out.extend(results)
    return out


def _problem_row(problem: Problem, partition: str, research: bool) -> dict[str, Any]:
    if research:
        return {"partition": partition, "level": problem.level, "reason": problem.reason}
    return {
        "partition": partition,
        "level": problem.level,
        "reason": problem.reason,
        "message": problem.message,
        "where": str(problem.where),
        "record": problem.where.record,
        "line": problem.where.line,
        "file": problem.where.file,
    }


def run_partition(
    job: JobSpec, spec: PartitionSpec, payload: Payload | None = None
) -> dict[str, Any]:
    """Analyse one partition and write its files; returns its state (as written)."""
    if is_done(job, spec):  # a retried task whose first try finished after all
        return read_state(job, spec)
    started = time.perf_counter()
    paths = spec.paths(job.root)
    report = StreamingReport(source=spec.source.label)
    if payload is None:
        items = list(_items(job, spec, report))
        problems = keep_problems(report.drain(), spec.start, spec.stop, spec.last)
        skipped = dict(Counter(p.reason for p in problems if p.level != "warning"))
    else:
        items = [(spec.start + k, post, None) for k, post in enumerate(payload.posts)]
        problems = list(payload.problems)
        skipped = dict(payload.skipped)

    engine = load_engine(job.engine)
    errors = [_problem_row(p, spec.name, job.research) for p in problems]
    analyses: list[Analysis | None] = [None] * len(items)
    for mode in MODES:
        chosen = [k for k, (_, _, own) in enumerate(items) if (own or job.mode) == mode]
        if not chosen:
            continue

        def failed(k: int, why: str, chosen: list[int] = chosen) -> None:
            _index, post, _ = items[chosen[k]]
            where = post.source
            errors.append(
                _problem_row(
                    Problem("error", "analysis-failed", f"the engine failed on it ({why})", where),
                    spec.name,
                    job.research,
                )
            )
            skipped["analysis-failed"] = skipped.get("analysis-failed", 0) + 1

        texts = [items[k][1].text for k in chosen]
        for k, analysis in zip(chosen, _analyse(engine, texts, mode, failed), strict=True):
            analyses[k] = analysis

    counts = Counts()
    hook = job.hook() if job.hook else None
    rows = []
    flagged = 0
    for (index, post, _), analysis in zip(items, analyses, strict=True):
        if analysis is None:
            continue
        author_id = author_hash(job.salt, post.author) if post.author else None
        author_key = author_id or author_hash(job.salt, "input:" + spec.source.path)
        rows.append(
            row(
                post,
                analysis,
                source=spec.source.label,
                record=index,
                author_id=author_id,
                zone=job.timezone,
                keep_text=job.keep_text,
                research=job.research,
            )
        )
        counts.count(analysis, post.platform, month_of(post, job.timezone), author_key)
        flagged += bool(analysis.concerns)
        if hook is not None:
            hook.add(post, analysis)

    write_parquet_atomic(
        paths["posts"], table(rows, keep_text=job.keep_text, research=job.research)
    )
    write_lines_atomic(paths["errors"], errors)
    extra = hook.write(paths["extra"]) if hook is not None else None
    state = {
        "name": spec.name,
        "source": spec.source.label,
        "start": spec.start,
        "stop": spec.stop,
        "posts": len(rows),
        "flagged": flagged,
        "errors": len(errors),
        "skipped": skipped,
        "counts": counts.to_json(),
        "extra": extra,
        "seconds": round(time.perf_counter() - started, 3),
    }
    write_json_atomic(paths["state"], state)
    return state
