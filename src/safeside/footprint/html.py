"""The self-contained HTML footprint report: inline CSS and SVG, no scripts, no external files."""

from __future__ import annotations

from datetime import UTC, datetime

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from safeside.footprint.audit import AuditResult, Finding
from safeside.footprint.overlay import overlay_svg
from safeside.footprint.steps import STEPS
from safeside.footprint.timeline import timeline_svg
from safeside.highlight import pieces
from safeside.taxonomy import CONCERN_TITLES

_TEMPLATE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{{ title }} – Safeside</title>
<style>
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:0;line-height:1.4}
main{max-width:960px;margin:0 auto;padding:24px}
h1{font-size:2rem;margin:0 0 8px}h2{font-size:1.4rem;margin-top:32px}
.muted{color:#505a5f}.summary{display:flex;gap:16px;flex-wrap:wrap}
.card{border:1px solid #b1b4b6;padding:12px 16px;min-width:140px}
.card b{display:block;font-size:1.8rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #b1b4b6;padding:6px;text-align:left}
.finding{border-left:6px solid #b1b4b6;padding:8px 16px;margin:16px 0;background:#f8f8f8}
.sev-critical{border-color:#d4351c}.sev-high{border-color:#f47738}.sev-medium{border-color:#ffdd00}.sev-low{border-color:#1d70b8}
.tag{display:inline-block;padding:2px 8px;font-weight:bold;font-size:.85rem;background:#0b0c0c;color:#fff;margin-right:6px}
.text{white-space:pre-wrap;background:#fff;border:1px solid #dcdcdc;padding:8px;font-size:1.05rem}
mark{background:#ffdd00;padding:0 2px}
.step{font-weight:bold}.timeline{width:100%;height:auto}
.shot{max-width:100%;height:auto;border:1px solid #b1b4b6;margin-top:8px}
.shot .flag{fill:none;stroke:#d4351c;stroke-width:4}
.timeline .all{fill:#b1b4b6}.timeline .risky{fill:#d4351c}.timeline .axis{font-size:10px;fill:#505a5f}
</style>
</head>
<body><main>
<h1>{{ title }}</h1>
<p class="muted">Source: {{ result.source }} · generated {{ generated }} by Safeside, on this computer; nothing was sent anywhere.</p>
<div class="summary">
<div class="card"><b>{{ result.posts_analysed }}</b>posts checked</div>
<div class="card"><b>{{ total }}</b>{{ "need a look" if result.mode == "own" else "raise a concern" }}</div>
{% for sev in ["critical", "high", "medium", "low"] %}{% if result.by_severity[sev] %}
<div class="card"><b>{{ result.by_severity[sev] }}</b>{{ sev }}</div>{% endif %}{% endfor %}
</div>

<h2>Concerns found</h2>
{% if result.by_concern %}
<table><thead><tr><th>Concern</th><th>Posts</th></tr></thead><tbody>
{% for label, n in result.by_concern.most_common() %}<tr><td>{{ titles.get(label, label) }}</td><td>{{ n }}</td></tr>{% endfor %}
</tbody></table>
{% else %}<p>Safeside found nothing of concern in these posts.</p>{% endif %}

<h2>Posts over time</h2>
{{ timeline }}
<p class="muted">Grey: all posts each month. Red: posts that need a look.{% if result.undated %} {{ result.undated }} {{ "post has" if result.undated == 1 else "posts have" }} no date{% if result.unknown_dates %} that can be true{% endif %}, so {{ "it is" if result.undated == 1 else "they are" }} not on the chart.{% endif %}{% if result.unknown_dates %} Of these, {{ result.unknown_dates }} had a date before 2004 or after today (a damaged timestamp reads as 1 January 1970), so {{ "its" if result.unknown_dates == 1 else "their" }} date is shown as unknown.{% endif %}</p>

<h2>Posts to look at, most serious first</h2>
{% for f in findings %}
<section class="finding sev-{{ f.analysis.severity.label }}">
<p><span class="tag">{{ f.analysis.severity.label }}</span>
{{ f.post.platform }} {{ f.post.kind }} · {% if f.post.timestamp %}{{ f.post.timestamp.astimezone(result.timezone).strftime("%d %b %Y %H:%M") }}{% else %}date unknown{% endif %}
{% if f.post.author %} · {{ f.post.author }}{% endif %}
{% if f.post.url %} · <span class="muted">{{ f.post.url }}</span>{% endif %}</p>
<div class="text">{% for p in pieces(f.analysis) %}{% if p.note %}<mark title="{{ p.note }}">{{ p.text }}</mark>{% else %}{{ p.text }}{% endif %}{% endfor %}</div>
{% if f.post.preview %}{{ overlay(f.post, f.analysis) }}{% endif %}
<ul>{% for c in f.analysis.concerns %}<li><b>{{ titles.get(c.label, c.label) }}</b>: {{ c.explanation }}</li>{% endfor %}</ul>
<p class="step">Suggested step: {{ steps[f.step] }}</p>
{% if f.analysis.actions %}<ul>{% for a in f.analysis.actions %}<li>{{ a.text }}</li>{% endfor %}</ul>{% endif %}
<p class="muted">From {{ f.post.source }}</p>
</section>
{% endfor %}
{% if findings|length < total %}<p>Showing the first {{ findings|length }} of {{ total }}; the CSV and JSON files list them all.</p>{% endif %}

{% if report %}
<h2>What was read</h2>
<ul>{% for line in report.summary_lines() %}<li>{{ line }}</li>{% endfor %}</ul>
{% if report.problems %}<details><summary>Problems with the files ({{ report.problems|length }})</summary>
<ul>{% for p in report.problems %}<li>{{ p }}</li>{% endfor %}</ul></details>{% endif %}
{% endif %}
</main></body></html>
"""

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))

#: Findings shown in the HTML (all of them go to CSV and JSON).
MAX_SHOWN = 2000


def render_html(
    result: AuditResult, findings: list[Finding] | None = None, total: int | None = None
) -> str:
    """The report as one HTML document.

    ``findings`` (most serious first) and ``total`` are given when the findings are not
    all in ``result`` (an audit merged from partitions keeps them on disk).
    """
    title = "Your digital footprint" if result.mode == "own" else "Content review"
    return _ENV.from_string(_TEMPLATE).render(
        title=title,
        result=result,
        findings=(result.sorted_findings() if findings is None else findings)[:MAX_SHOWN],
        total=len(result.findings) if total is None else total,
        generated=datetime.now(UTC).strftime("%d %b %Y %H:%M UTC"),
        titles=CONCERN_TITLES,
        steps=STEPS,
        pieces=pieces,
        overlay=lambda post, analysis: Markup(overlay_svg(post, analysis)),
        timeline=Markup(timeline_svg(result.by_month)),
        report=result.import_report,
    )
