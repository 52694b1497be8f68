"""The footprint audit of a large archive, on the batch path: partitions on disk, merged report.

The in-memory audit (:func:`~safeside.footprint.run_audit`) keeps every finding, about
8 KB each. For a large archive the audit runs as a batch job instead
(:mod:`safeside.batch`): each partition writes its findings (one JSON line each) and its
counts to ``OUT/partitions/``, and the report files are then written from them —
``report.json`` and ``findings.csv`` streamed finding by finding, most serious first,
``report.html`` with the first :data:`~safeside.footprint.html.MAX_SHOWN`. The files have
the same shape as the in-memory audit's. A stopped audit resumes where it was.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from safeside.engine.results import Analysis
from safeside.footprint.audit import AuditResult, Finding, _count
from safeside.footprint.files import CSV_COLUMNS, report_dict
from safeside.footprint.html import MAX_SHOWN, render_html
from safeside.footprint.steps import STEPS
from safeside.ingest.post import Post, SourceRef, TextLine
from safeside.ingest.report import ImportReport
from safeside.spreadsheet import safe_row

#: Archives bigger than this (bytes of the files read) are audited on the batch path.
LARGE_ARCHIVE = 64 << 20


class AuditCollector:
    """A partition's audit counts, and its findings as JSON lines."""

    def __init__(self, timezone: tzinfo) -> None:
        self.result = AuditResult(
            mode="", source="", timezone=timezone, today=datetime.now(timezone).date()
        )
        self.lines: list[bytes] = []
        self.keys: list[tuple[int, float]] = []

    def add(self, post: Post, analysis: Analysis) -> None:
        _count(self.result, post, analysis)
        if self.result.findings:
            finding = self.result.findings.pop()
            kept = finding.post  # its date is None when the date could not be true
            line = {"step": finding.step, "post": kept.to_dict(), "analysis": analysis.to_dict()}
            self.lines.append(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
            stamp = kept.timestamp.timestamp() if kept.timestamp else 0.0
            self.keys.append((int(analysis.severity), stamp))

    def write(self, path: Path) -> dict[str, Any]:
        from safeside.batch.outputs import write_atomic

        write_atomic(path, b"".join(self.lines))
        offsets, at = [], 0
        for line in self.lines:
            offsets.append(at)
            at += len(line)
        r = self.result
        return {
            "posts_analysed": r.posts_analysed,
            "undated": r.undated,
            "unknown_dates": r.unknown_dates,
            # pairs, not objects: the order counts break ties in (state files sort keys)
            "by_concern": list(r.by_concern.items()),
            "by_severity": list(r.by_severity.items()),
            "by_platform": list(r.by_platform.items()),
            "by_month": list(r.by_month.items()),
            "findings": [[s, t, o] for (s, t), o in zip(self.keys, offsets, strict=True)],
        }


@dataclass(frozen=True)
class AuditHook:
    """Makes a partition's :class:`AuditCollector` (small and picklable: sent to workers)."""

    timezone: tzinfo

    def __call__(self) -> AuditCollector:
        return AuditCollector(self.timezone)


# -- findings back from their JSON lines -----------------------------------------------------


def post_from_dict(d: dict[str, Any]) -> Post:
    stamp = d.get("timestamp")
    return Post(
        platform=d["platform"],
        text=d["text"],
        source=SourceRef(**d["source"]),
        author=d.get("author"),
        timestamp=datetime.fromisoformat(stamp) if stamp else None,
        url=d.get("url"),
        thread=d.get("thread"),
        kind=d.get("kind", "post"),
        id=d.get("id"),
        audience=d.get("audience"),
        attachments=tuple(d.get("attachments", ())),
        lines=tuple(
            TextLine(x["text"], (x["box"][0], x["box"][1], x["box"][2], x["box"][3]), x["score"])
            for x in d.get("lines", ())
        ),
    )


def analysis_from_dict(d: dict[str, Any]) -> Analysis:
    """An analysis back from its JSON line (:meth:`Analysis.from_dict`)."""
    return Analysis.from_dict(d)


def _csv_row(item: dict[str, Any]) -> list[str]:
    post, analysis = item["post"], item["analysis"]
    return safe_row(
        [
            analysis["severity"],
            "; ".join(c["label"] for c in analysis["concerns"]),
            STEPS[item["step"]],
            post["platform"],
            post["kind"],
            post["timestamp"] or "",
            post["author"] or "",
            post["url"] or "",
            post["text"],
            " ".join(c["explanation"] for c in analysis["concerns"]),
            str(SourceRef(**post["source"])),
        ]
    )


# -- running and merging ---------------------------------------------------------------------


@dataclass
class PartitionedAudit:
    """An audit merged from partitions: the counts in :attr:`result` (no findings in memory)."""

    result: AuditResult
    folder: Path
    #: (partition name, byte offset) of every finding, most serious first
    order: list[tuple[str, int]]

    @property
    def findings_count(self) -> int:
        return len(self.order)

    def findings(self) -> Iterator[dict[str, Any]]:
        """Every finding as its JSON object, most serious first, read one at a time."""
        handle: Any = None
        current = ""
        try:
            for name, offset in self.order:
                if name != current:
                    if handle:
                        handle.close()
                    handle = (self.folder / "extra" / f"{name}.jsonl").open("rb")
                    current = name
                handle.seek(offset)
                item: dict[str, Any] = json.loads(handle.readline())
                yield item
        finally:
            if handle:
                handle.close()


def merge_audit(
    mode: str,
    source: str,
    folder: Path,
    states: list[dict[str, Any]],
    import_report: ImportReport | None,
    timezone: tzinfo,
) -> PartitionedAudit:
    """The audit's counts and finding order from its partitions' states (in order)."""
    result = AuditResult(mode=mode, source=source, import_report=import_report, timezone=timezone)
    keys: list[tuple[int, float, int, str, int]] = []
    for number, state in enumerate(states):
        extra = state.get("extra") or {}
        result.posts_analysed += extra.get("posts_analysed", 0)
        result.undated += extra.get("undated", 0)
        result.unknown_dates += extra.get("unknown_dates", 0)
        for name, counter in (
            ("by_concern", result.by_concern),
            ("by_severity", result.by_severity),
            ("by_platform", result.by_platform),
        ):
            for key, n in extra.get(name, []):
                counter[key] += n
        for month, (posts, risky) in extra.get("by_month", []):
            slot = result.by_month.setdefault(month, [0, 0])
            slot[0] += posts
            slot[1] += risky
        for severity, stamp, offset in extra.get("findings", []):
            keys.append((-int(severity), -float(stamp), number, state["name"], offset))
    keys.sort()
    return PartitionedAudit(result, folder, [(name, offset) for *_, name, offset in keys])


def write_partitioned_reports(audit: PartitionedAudit, out_dir: Path) -> dict[str, Path]:
    """``report.html``, ``report.json`` and ``findings.csv``, as the in-memory audit writes them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "html": out_dir / "report.html",
        "json": out_dir / "report.json",
        "csv": out_dir / "findings.csv",
    }
    shown: list[Finding] = []
    marker = "\u0000findings\u0000"
    head = report_dict(audit.result)
    head["findings"] = marker
    before, after = json.dumps(head, ensure_ascii=False, indent=1).split(json.dumps(marker))
    with (
        paths["json"].open("w", encoding="utf-8") as report,
        paths["csv"].open("w", encoding="utf-8-sig", newline="") as table,
    ):
        writer = csv.writer(table)
        writer.writerow(CSV_COLUMNS)
        report.write(before + "[")
        for n, item in enumerate(audit.findings()):
            report.write(("," if n else "") + "\n" + json.dumps(item, ensure_ascii=False))
            writer.writerow(_csv_row(item))
            if len(shown) < MAX_SHOWN:
                analysis = analysis_from_dict(item["analysis"])
                shown.append(Finding(post_from_dict(item["post"]), analysis, item["step"]))
        report.write("\n]" + after)
    paths["html"].write_text(
        render_html(audit.result, shown, audit.findings_count), encoding="utf-8"
    )
    return paths


def run_partitioned_audit(
    path: Path,
    out_dir: Path,
    *,
    mode: str = "own",
    source: str = "",
    timezone: tzinfo,
    format: str | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    partition_size: int = 2000,
    on_progress: Callable[[int], None] | None = None,
    on_start: Callable[[int, str | None], None] | None = None,
) -> PartitionedAudit:
    """Audit ``path`` on the batch path into ``out_dir/partitions`` and merge the result.

    ``jobs`` 1 runs in this process; more starts a local Dask cluster of that many
    workers; ``scheduler`` uses a running Dask cluster.
    """
    from safeside.batch import BatchOptions, EngineFactory, run_batch
    from safeside.batch.inputs import make_source
    from safeside.batch.run import Progress

    folder = out_dir / "partitions"
    seen = {"posts": 0}

    def progressed(p: Progress) -> None:
        if on_progress and p.posts_done > seen["posts"]:
            on_progress(p.posts_done - seen["posts"])
            seen["posts"] = p.posts_done

    result = run_batch(
        BatchOptions(
            inputs=[str(path)],
            sources=[make_source(path, str(path), "import")],
            out=folder,
            mode=mode,
            workers=0 if jobs <= 1 and not scheduler else jobs,
            scheduler=scheduler,
            partition_size=partition_size,
            timezone=timezone,
            format=format,
            engine=EngineFactory(),
            hook=AuditHook(timezone),
            summary=False,
        ),
        on_progress=progressed,
        on_start=on_start,
    )
    if result.failed:
        from safeside.errors import SafesideError

        raise SafesideError(
            f"{len(result.failed)} partitions of the audit failed ({result.failed[0][1]}); "
            "run the same command again to retry them"
        )
    report = result.import_reports[0] if result.import_reports else None
    return merge_audit(mode, source or path.name, folder, result.states, report, timezone)
