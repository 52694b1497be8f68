"""The month-by-month timeline as an inline SVG bar chart (no scripts, no external files)."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT, PAD = 720, 180, 28


def month_range(months: list[str]) -> list[str]:
    """Every ``YYYY-MM`` from the first to the last of ``months``, gaps included."""
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:])
    result = []
    while f"{year:04d}-{month:02d}" <= last:
        result.append(f"{year:04d}-{month:02d}")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return result


def timeline_svg(by_month: dict[str, list[int]]) -> str:
    """Bars of posts per month, with the risky part of each bar drawn in a strong colour."""
    months = month_range(list(by_month))
    if not months:
        return '<p class="muted">No dated posts, so there is no timeline.</p>'
    peak = max(count for count, _ in by_month.values()) or 1
    slot = (WIDTH - 2 * PAD) / len(months)
    bar = max(slot * 0.8, 1.0)
    usable = HEIGHT - 2 * PAD
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="Posts per month, risky posts highlighted" class="timeline">'
    ]
    for i, month in enumerate(months):
        total, risky = by_month.get(month, [0, 0])
        x = PAD + i * slot
        height = usable * total / peak
        risky_height = usable * risky / peak
        label = f"{month}: {total} posts, {risky} risky"
        parts.append(
            f"<g><title>{escape(label)}</title>"
            f'<rect x="{x:.1f}" y="{HEIGHT - PAD - height:.1f}" width="{bar:.1f}" '
            f'height="{height:.1f}" class="all"/>'
            f'<rect x="{x:.1f}" y="{HEIGHT - PAD - risky_height:.1f}" width="{bar:.1f}" '
            f'height="{risky_height:.1f}" class="risky"/></g>'
        )
    step = max(1, len(months) // 8)
    for i in range(0, len(months), step):
        x = PAD + i * slot
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}" class="axis">{months[i]}</text>')
    parts.append(f'<text x="{PAD}" y="{PAD - 10}" class="axis">max {peak} posts a month</text>')
    parts.append("</svg>")
    return "".join(parts)
