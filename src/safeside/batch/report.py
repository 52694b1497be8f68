"""The job summary: ``summary.json`` and a self-contained ``summary.html`` (inline SVG, no
scripts, nothing fetched), both with every cell under 5 posts or 5 authors suppressed."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from safeside.batch.aggregate import MIN_CELL, UNDATED, Cell, Counts, shown
from safeside.batch.inputs import Source
from safeside.batch.outputs import write_atomic
from safeside.batch.plan import JobSpec
from safeside.footprint.timeline import timeline_svg
from safeside.taxonomy import CONCERN_TITLES, CONCERNS

if TYPE_CHECKING:
    from safeside.batch.run import BatchResult

SUMMARY_SCHEMA = "safeside.batch-summary/1"
SEVERITIES = ("none", "low", "medium", "high", "critical")
TOP = 15


def _ordered(labels: set[str]) -> list[str]:
    known = [c for c in CONCERNS if c in labels]
    return known + sorted(labels - set(known))


def summary_dict(result: BatchResult, job: JobSpec, sources: list[Source]) -> dict[str, Any]:
    """Every number in the summary; suppressed cells are ``None``."""
    counts: Counts = result.counts
    total = Cell()
    for cell in counts.rollup("posts", ()).values():
        total.merge(cell.posts, cell.authors)
    flagged_total = counts.rollup("flagged", ()).get((), Cell())
    concerns = _ordered({key[0] for key in counts.rollup("concern", (0,))})
    by_concern = counts.rollup("concern", (0,))
    by_concern_month = counts.rollup("concern", (0, 1))
    by_concern_platform = counts.rollup("concern", (0, 2))
    posts_month = counts.rollup("posts", (0,))
    flagged_month = counts.rollup("flagged", (0,))
    posts_platform = counts.rollup("posts", (1,))
    flagged_platform = counts.rollup("flagged", (1,))
    months = sorted(m for (m,) in posts_month)
    platforms = sorted(p for (p,) in posts_platform)
    severity = counts.rollup("severity", (0,))

    def top(kind: str) -> list[dict[str, Any]]:
        cells = counts.rollup(kind, (0, 1))
        ranked = sorted(
            ((key, cell) for key, cell in cells.items() if cell.shown),
            key=lambda kc: (-kc[1].posts, kc[0]),
        )
        name = "detector" if kind == "detector" else "cue"
        return [{"concern": k[0], name: k[1], "posts": c.posts} for k, c in ranked[:TOP]]

    errors: Counter[str] = Counter()
    for state in result.states:
        errors.update(state.get("skipped", {}))
    return {
        "schema": SUMMARY_SCHEMA,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": job.mode,
        "research": job.research,
        "min_cell": MIN_CELL,
        "suppression": f"cells with fewer than {MIN_CELL} posts or {MIN_CELL} distinct authors are null",
        "inputs": len(sources),
        "posts": shown(total),
        "flagged": shown(flagged_total),
        "partitions": {
            "total": len(result.partitions),
            "finished": len(result.states),
            "done_before": result.done_before,
            "failed": [{"partition": n, "error": e} for n, e in result.failed],
        },
        "errors": {"records": result.errors, "by_reason": dict(sorted(errors.items()))},
        "run": {
            "workers": result.workers,
            "seconds": result.seconds,
            "posts_per_second": round(result.posts / result.seconds, 1) if result.seconds else None,
        },
        "by_concern": {c: shown(by_concern.get((c,))) for c in concerns},
        "by_severity": {s: shown(severity.get((s,))) for s in SEVERITIES if (s,) in severity},
        "by_month": {
            m: {"posts": shown(posts_month.get((m,))), "flagged": shown(flagged_month.get((m,)))}
            for m in months
        },
        "by_platform": {
            p: {
                "posts": shown(posts_platform.get((p,))),
                "flagged": shown(flagged_platform.get((p,))),
            }
            for p in platforms
        },
        "by_concern_month": {
            c: {m: shown(by_concern_month[(c, m)]) for m in months if (c, m) in by_concern_month}
            for c in concerns
        },
        "by_concern_platform": {
            c: {
                p: shown(by_concern_platform[(c, p)])
                for p in platforms
                if (c, p) in by_concern_platform
            }
            for c in concerns
        },
        "cells": [
            {"concern": key[1], "month": key[2], "platform": key[3], "posts": shown(cell)}
            for key, cell in sorted(counts.cells.items())
            if key[0] == "concern"
        ],
        "top_detectors": top("detector"),
        "top_cues": top("cue"),
        # per-input counts are not suppressed, so research outputs leave them out
        "read": []
        if job.research
        else [{"source": r.source, "summary": r.summary_lines()} for r in result.import_reports],
    }


# -- charts ----------------------------------------------------------------------------------


def hbar_svg(items: list[tuple[str, int | None]], label: str) -> str:
    """Horizontal bars with their labels and counts; suppressed items show "<5"."""
    if not items:
        return '<p class="muted">Nothing to show.</p>'
    width, row, left = 720, 22, 300
    peak = max((n or 0 for _, n in items), default=0) or 1
    height = row * len(items) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" class="bars">'
    ]
    for i, (name, n) in enumerate(items):
        y = 4 + i * row
        bar = (width - left - 70) * (n or 0) / peak
        shown_n = f"<{MIN_CELL}" if n is None else f"{n:,}"
        parts.append(
            f"<g><title>{escape(name)}: {shown_n}</title>"
            f'<text x="{left - 6}" y="{y + 15}" class="name">{escape(name[:48])}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{bar:.1f}" height="{row - 6}" class="bar"/>'
            f'<text x="{left + bar + 6:.1f}" y="{y + 15}" class="n">{escape(shown_n)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


_TEMPLATE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Batch summary – Safeside</title>
<style>
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:0;line-height:1.4}
main{max-width:1000px;margin:0 auto;padding:24px}
h1{font-size:2rem;margin:0 0 8px}h2{font-size:1.4rem;margin-top:32px}
.muted{color:#505a5f}.summary{display:flex;gap:16px;flex-wrap:wrap}
.card{border:1px solid #b1b4b6;padding:12px 16px;min-width:140px}.card b{display:block;font-size:1.8rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #b1b4b6;padding:4px 6px;text-align:right}
td:first-child,th:first-child{text-align:left}.sup{color:#505a5f}
.timeline,.bars{width:100%;height:auto}.timeline .all{fill:#b1b4b6}.timeline .risky{fill:#d4351c}
.timeline .axis{font-size:10px;fill:#505a5f}.bars .bar{fill:#1d70b8}.bars .name{font-size:12px;text-anchor:end}
.bars .n{font-size:12px}.scroll{overflow-x:auto}
</style>
</head>
<body><main>
<h1>Batch summary</h1>
<p class="muted">{{ s.inputs }} input{{ "" if s.inputs == 1 else "s" }}, {{ s.mode }} mode{% if s.research %}, research outputs{% endif %} · generated {{ generated }} by Safeside · {{ s.suppression }} (shown as &lt;{{ s.min_cell }}).</p>
<div class="summary">
<div class="card"><b>{{ num(s.posts) }}</b>posts analysed</div>
<div class="card"><b>{{ num(s.flagged) }}</b>raise a concern</div>
<div class="card"><b>{{ "{:,}".format(s.errors.records) }}</b>records in the errors file</div>
<div class="card"><b>{{ s.partitions.finished }}/{{ s.partitions.total }}</b>partitions</div>
<div class="card"><b>{{ s.run.posts_per_second or "–" }}</b>posts/s on {{ s.run.workers }} worker{{ "" if s.run.workers == 1 else "s" }}</div>
</div>
{% if s.partitions.failed %}<p><b>{{ s.partitions.failed|length }} partitions failed</b>; run the same command again to retry them.</p>{% endif %}

<h2>Posts over time</h2>
{{ timeline }}
<p class="muted">Grey: posts each month. Red: posts that raise a concern. Suppressed months are drawn as empty.{% if undated %} Undated posts are not on the chart.{% endif %}</p>

<h2>Concerns</h2>
{{ concern_bars }}

<h2>Concern by platform</h2>
<div class="scroll"><table><thead><tr><th>Concern</th>{% for p in platforms %}<th>{{ p }}</th>{% endfor %}</tr></thead><tbody>
{% for c, row in s.by_concern_platform.items() %}<tr><td>{{ titles.get(c, c) }}</td>{% for p in platforms %}<td>{{ cell(row.get(p, 0)) }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table></div>

<h2>Concern by month</h2>
<div class="scroll"><table><thead><tr><th>Concern</th>{% for m in months %}<th>{{ m }}</th>{% endfor %}</tr></thead><tbody>
{% for c, row in s.by_concern_month.items() %}<tr><td>{{ titles.get(c, c) }}</td>{% for m in months %}<td>{{ cell(row.get(m, 0)) }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table></div>

<h2>Severity</h2>
{{ severity_bars }}

<h2>Top detectors</h2>
{{ detector_bars }}

<h2>Top cue families</h2>
{{ cue_bars }}

{% if s.errors.by_reason %}<h2>Records not analysed or noted</h2>
<table><tbody>{% for reason, n in s.errors.by_reason.items() %}<tr><td>{{ reason }}</td><td>{{ "{:,}".format(n) }}</td></tr>{% endfor %}</tbody></table>
<p class="muted">Each one is listed, with its reason, in errors.jsonl.</p>{% endif %}
</main></body></html>
"""

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


def render_summary(s: dict[str, Any]) -> str:
    def num(n: int | None) -> str:
        return f"<{MIN_CELL}" if n is None else f"{n:,}"

    def cell(n: int | None) -> str:
        return "" if n == 0 else num(n)

    months = [m for m in s["by_month"] if m != UNDATED]
    by_month = {
        m: [v["posts"] or 0, v["flagged"] or 0] for m, v in s["by_month"].items() if m != UNDATED
    }
    return _ENV.from_string(_TEMPLATE).render(
        s=s,
        generated=datetime.now(UTC).strftime("%d %b %Y %H:%M UTC"),
        num=num,
        cell=cell,
        titles=CONCERN_TITLES,
        months=months + ([UNDATED] if UNDATED in s["by_month"] else []),
        platforms=list(s["by_platform"]),
        undated=UNDATED in s["by_month"],
        timeline=Markup(timeline_svg(by_month)),
        concern_bars=Markup(
            hbar_svg(
                [(CONCERN_TITLES.get(c, c), n) for c, n in s["by_concern"].items()],
                "Posts per concern",
            )
        ),
        severity_bars=Markup(hbar_svg(list(s["by_severity"].items()), "Posts per severity")),
        detector_bars=Markup(
            hbar_svg(
                [(f"{d['concern']}: {d['detector']}", d["posts"]) for d in s["top_detectors"]],
                "Top detectors",
            )
        ),
        cue_bars=Markup(
            hbar_svg(
                [(f"{d['concern']}: {d['cue']}", d["posts"]) for d in s["top_cues"]],
                "Top cue families",
            )
        ),
    )


def write_summary(result: BatchResult, job: JobSpec, sources: list[Source]) -> dict[str, Path]:
    """Write ``summary.json`` and ``summary.html`` into the results folder."""
    data = summary_dict(result, job, sources)
    paths = {"json": job.root / "summary.json", "html": job.root / "summary.html"}
    write_atomic(paths["json"], json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    write_atomic(paths["html"], render_summary(data).encode("utf-8"))
    return paths
