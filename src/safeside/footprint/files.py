"""Writing the footprint report: ``report.html``, ``report.json`` and ``findings.csv``."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from safeside.footprint.audit import AuditResult
from safeside.footprint.html import render_html
from safeside.footprint.steps import STEPS
from safeside.spreadsheet import safe_row

REPORT_SCHEMA = "safeside.footprint/1"
CSV_COLUMNS = [
    "severity", "concerns", "step", "platform", "kind", "timestamp", "author", "url",
    "text", "explanation", "source",
]  # fmt: skip


def report_dict(result: AuditResult) -> dict[str, Any]:
    """The JSON form of the report."""
    return {
        "schema": REPORT_SCHEMA,
        "mode": result.mode,
        "source": result.source,
        "posts_analysed": result.posts_analysed,
        "undated": result.undated,
        "unknown_dates": result.unknown_dates,
        "by_concern": dict(result.by_concern),
        "by_severity": dict(result.by_severity),
        "by_platform": dict(result.by_platform),
        "by_month": {m: {"posts": p, "risky": r} for m, (p, r) in sorted(result.by_month.items())},
        "findings": [
            {"step": f.step, "post": f.post.to_dict(), "analysis": f.analysis.to_dict()}
            for f in result.sorted_findings()
        ],
        "import": result.import_report.to_dict() if result.import_report else None,
    }


def write_reports(result: AuditResult, out_dir: Path) -> dict[str, Path]:
    """Write the three report files into ``out_dir`` (created if needed); returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "html": out_dir / "report.html",
        "json": out_dir / "report.json",
        "csv": out_dir / "findings.csv",
    }
    paths["html"].write_text(render_html(result), encoding="utf-8")
    with paths["json"].open("w", encoding="utf-8") as stream:
        json.dump(report_dict(result), stream, ensure_ascii=False, indent=1)
    with paths["csv"].open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        for f in result.sorted_findings():
            writer.writerow(  # every cell: author, address and file names come from the archive
                safe_row(
                    [
                        f.analysis.severity.label,
                        "; ".join(f.analysis.concern_labels),
                        STEPS[f.step],
                        f.post.platform,
                        f.post.kind,
                        f.post.timestamp.isoformat() if f.post.timestamp else "",
                        f.post.author or "",
                        f.post.url or "",
                        f.post.text,
                        " ".join(c.explanation for c in f.analysis.concerns),
                        str(f.post.source),
                    ]
                )
            )
    return paths
