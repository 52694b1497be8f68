"""Drawing findings on a screenshot: its preview with boxes round the lines that hold evidence."""

from __future__ import annotations

from html import escape

from safeside.engine.results import Analysis
from safeside.ingest.post import Post


def flagged_lines(post: Post, analysis: Analysis) -> list[bool]:
    """For each OCR line, whether any evidence or entity span falls on it.

    A screenshot's text is its lines joined with newlines, so line ``i`` covers a known
    range of offsets.
    """
    spans = [(e.start, e.end) for c in analysis.concerns for e in c.evidence]
    spans += [(e.start, e.end) for e in analysis.entities]
    flags = []
    offset = 0
    for line in post.lines:
        end = offset + len(line.text)
        flags.append(any(start < end and stop > offset for start, stop in spans))
        offset = end + 1
    return flags


def overlay_svg(post: Post, analysis: Analysis) -> str:
    """An inline SVG of the screenshot with flagged lines boxed in red ('' if no preview)."""
    if post.preview is None:
        return ""
    width, height = post.preview.width, post.preview.height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="shot" '
        f'role="img" aria-label="The screenshot, with the lines of concern outlined">',
        f'<image href="{escape(post.preview.uri)}" width="{width}" height="{height}"/>',
    ]
    for line, flagged in zip(post.lines, flagged_lines(post, analysis), strict=True):
        if flagged:
            left, top, right, bottom = line.box
            parts.append(
                f'<rect x="{left - 4}" y="{top - 4}" width="{right - left + 8}" '
                f'height="{bottom - top + 8}" class="flag"><title>{escape(line.text)}</title></rect>'
            )
    parts.append("</svg>")
    return "".join(parts)
