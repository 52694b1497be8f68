"""Render a :class:`Report` as Rich tables (terminal) or Markdown (docs)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from safeside.evaluation.scoring import Counts, Report, micro


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _rows(report: Report) -> list[tuple[str, str, Counts, Counts | None]]:
    """(section, label, counts, relaxed counts) for every scored label plus totals."""
    rows: list[tuple[str, str, Counts, Counts | None]] = []
    for label, c in report.concerns.items():
        rows.append(("concern", label, c, None))
    if report.concerns:
        rows.append(("concern", "micro", micro(report.concerns.values()), None))
    for label, c in report.entities_exact.items():
        rows.append(("entity", label, c, report.entities_relaxed[label]))
    if report.entities_exact:
        rows.append(("entity", "micro", report.entity_micro(), report.entity_micro(True)))
    return rows


def summary_lines(report: Report) -> list[str]:
    """The headline numbers, one per line."""
    lines = [f"{report.name}: {report.n_texts} texts in {report.seconds:.1f} s"]
    if report.concerns:
        lines.append(f"concern macro-F1: {_pct(report.concern_macro_f1)}")
        lines.append(
            f"benign false-alarm rate: {_pct(report.false_alarm_rate)} "
            f"({report.n_false_alarms} of {report.n_benign} texts with no gold concern)"
        )
    if report.entities_exact:
        lines.append(
            f"entity micro-F1: {report.entity_micro().f1:.3f} exact, "
            f"{report.entity_micro(True).f1:.3f} relaxed (overlap, same label)"
        )
    if report.n_severity:
        lines.append(
            f"severity: {report.severity_exact / report.n_severity:.3f} exact, "
            f"{report.severity_within_one / report.n_severity:.3f} within one level"
        )
    for label, value in report.evidence_f1.items():
        lines.append(f"{label} evidence-span character F1: {value:.3f}")
    return lines


def rich_report(report: Report, errors: int = 10) -> RenderableType:
    """Per-label table, headline numbers and the ``errors`` worst errors."""
    table = Table(title=f"{report.name}: precision, recall, F1")
    for column in ("kind", "label", "P", "R", "F1", "support", "relaxed F1"):
        table.add_column(column, justify="left" if column in ("kind", "label") else "right")
    for section, label, c, relaxed in _rows(report):
        style = "bold" if label == "micro" else ""
        table.add_row(
            section,
            label,
            f"{c.precision:.3f}",
            f"{c.recall:.3f}",
            f"{c.f1:.3f}",
            str(c.support),
            "" if relaxed is None else f"{relaxed.f1:.3f}",
            style=style,
        )
    parts: list[RenderableType] = [table, Text("\n".join(summary_lines(report)))]
    if errors and report.errors:
        worst = Table(title=f"worst {min(errors, len(report.errors))} errors", show_lines=True)
        for column in ("kind", "id", "text", "detail"):
            worst.add_column(column, overflow="fold")
        for e in report.errors[:errors]:
            worst.add_row(e.kind, e.id, _clip(e.text), e.detail)
        parts.append(worst)
    return Group(*parts)


def _clip(text: str, width: int = 160) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_report(report: Report, errors: int = 10, console: Console | None = None) -> None:
    (console or Console()).print(rich_report(report, errors))


def markdown_table(report: Report) -> str:
    """A Markdown table of per-label scores and the headline numbers."""
    lines = [
        "| kind | label | P | R | F1 | support | relaxed F1 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for section, label, c, relaxed in _rows(report):
        name = f"**{label}**" if label == "micro" else label
        lines.append(
            f"| {section} | {name} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} "
            f"| {c.support} | {'' if relaxed is None else f'{relaxed.f1:.3f}'} |"
        )
    lines.append("")
    lines += [f"- {line}" for line in summary_lines(report)]
    return "\n".join(lines) + "\n"


def markdown_rows(rows: Sequence[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """A plain Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def headline_row(report: Report) -> tuple[str, ...]:
    """One row of the cross-suite summary table (see :data:`HEADLINE_HEADER`)."""
    has_concerns, has_entities = bool(report.concerns), bool(report.entities_exact)
    return (
        report.name,
        str(report.n_texts),
        _pct(report.concern_macro_f1) if has_concerns else "",
        _pct(report.false_alarm_rate) if has_concerns else "",
        f"{report.entity_micro().f1:.3f}" if has_entities else "",
        f"{report.entity_micro(True).f1:.3f}" if has_entities else "",
        f"{report.severity_within_one / report.n_severity:.3f}" if report.n_severity else "",
    )


HEADLINE_HEADER = (
    "suite",
    "texts",
    "concern macro-F1",
    "false-alarm rate",
    "entity micro-F1",
    "relaxed entity F1",
    "severity within one",
)
