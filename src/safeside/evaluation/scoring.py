"""Scorers: entity spans, concerns, false alarms, severity, evidence spans and worst errors.

:func:`evaluate` runs any ``analyze_batch``-like callable over a :class:`LabelledSet`
and returns a :class:`Report`; the pure functions below it do the counting.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from safeside.engine.results import Analysis, Concern
from safeside.evaluation.data import BatchAnalyzer, Example, LabelledSet, Span
from safeside.taxonomy import Severity

#: How many ranked errors a report keeps.
MAX_ERRORS = 200


@dataclass(slots=True)
class Counts:
    """True positives, false positives and false negatives, with P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def micro(counts: Iterable[Counts]) -> Counts:
    """Sum counts over labels."""
    total = Counts()
    for c in counts:
        total.add(c)
    return total


def macro_f1(counts: dict[str, Counts]) -> float | None:
    """Mean F1 over labels with gold support (``None`` when there are none)."""
    scores = [c.f1 for c in counts.values() if c.support]
    return sum(scores) / len(scores) if scores else None


# ------------------------------------------------------------------ entities


def match_spans(
    gold: Sequence[Span], pred: Sequence[Span], relaxed: bool = False
) -> tuple[list[tuple[Span, Span]], list[Span], list[Span]]:
    """Pair gold and predicted spans one-to-one: (matches, missed gold, spurious predictions).

    Exact: same label, start and end. Relaxed: same label and any overlap.
    """
    unmatched = list(pred)
    matches, missed = [], []
    for g in sorted(gold, key=lambda s: (s.start, s.end)):
        hit = next((p for p in unmatched if _same(g, p, relaxed)), None)
        if hit is None:
            missed.append(g)
        else:
            unmatched.remove(hit)
            matches.append((g, hit))
    return matches, missed, unmatched


def _same(g: Span, p: Span, relaxed: bool) -> bool:
    if g.label != p.label:
        return False
    if relaxed:
        return g.start < p.end and p.start < g.end
    return g.start == p.start and g.end == p.end


def entity_counts(
    gold: Sequence[Span], pred: Sequence[Span], labels: Sequence[str], relaxed: bool = False
) -> dict[str, Counts]:
    """Per-label counts for one text; spans with labels outside ``labels`` are ignored."""
    gold = [s for s in gold if s.label in labels]
    pred = [s for s in pred if s.label in labels]
    matches, missed, spurious = match_spans(gold, pred, relaxed)
    counts = {label: Counts() for label in labels}
    for g, _ in matches:
        counts[g.label].tp += 1
    for g in missed:
        counts[g.label].fn += 1
    for p in spurious:
        counts[p.label].fp += 1
    return counts


# ------------------------------------------------------------------ concerns


def concern_counts(
    gold: Iterable[str], pred: Iterable[str], labels: Sequence[str]
) -> dict[str, Counts]:
    """Document-level counts for one text over ``labels``."""
    gold_set, pred_set = set(gold), set(pred)
    return {
        label: Counts(
            tp=int(label in gold_set and label in pred_set),
            fp=int(label in pred_set and label not in gold_set),
            fn=int(label in gold_set and label not in pred_set),
        )
        for label in labels
    }


def char_f1(gold: Iterable[tuple[int, int]], pred: Iterable[tuple[int, int]]) -> float:
    """Character-offset F1 of two span sets (SemEval-2021 Toxic Spans); 1.0 when both empty."""
    g = {i for start, end in gold for i in range(start, end)}
    p = {i for start, end in pred for i in range(start, end)}
    if not g and not p:
        return 1.0
    if not g or not p:
        return 0.0
    overlap = len(g & p)
    return 2 * overlap / (len(g) + len(p))


# -------------------------------------------------------------------- errors


@dataclass(slots=True)
class ErrorItem:
    """One mistake, with what a reviewer needs to see it."""

    kind: str
    id: str
    text: str
    detail: str
    rank: tuple[int, float] = (0, 0.0)

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "text": self.text, "detail": self.detail}


#: Error kinds, worst first.
ERROR_KINDS = (
    "false_alarm",  # a concern on a text with no gold concern
    "missed_serious",  # a gold concern missed on a high/critical text
    "missed",  # any other missed concern
    "wrong_concern",  # an extra concern on a text that has others
    "span_missed",
    "span_spurious",
)


def _concern_errors(ex: Example, analysis: Analysis, labels: Sequence[str]) -> list[ErrorItem]:
    if ex.concerns is None:
        return []
    errors = []
    predicted = {c.label: c for c in analysis.concerns}
    if not ex.concerns and predicted:
        worst = max(analysis.concerns, key=lambda c: (c.severity, c.confidence))
        detail = "; ".join(_describe(c) for c in analysis.concerns)
        rank = (0, -(int(worst.severity) + worst.confidence))
        return [ErrorItem("false_alarm", ex.id, ex.text, detail, rank)]
    gold_severity = Severity.parse(ex.severity or "none")
    for label in ex.concerns:
        if label in labels and label not in predicted:
            serious = gold_severity >= Severity.HIGH
            kind = "missed_serious" if serious else "missed"
            detail = f"missed {label} (gold severity {gold_severity.label})"
            errors.append(ErrorItem(kind, ex.id, ex.text, detail, (0, -int(gold_severity))))
    for label, concern in predicted.items():
        if label in labels and label not in ex.concerns:
            rank = (0, -concern.confidence)
            errors.append(ErrorItem("wrong_concern", ex.id, ex.text, _describe(concern), rank))
    return errors


def _describe(concern: Concern) -> str:
    cues = ", ".join(f"{e.cue or 'cue'} {e.text!r}" for e in concern.evidence[:3])
    return f"{concern.label} ({concern.severity.label}, {concern.confidence:.2f})" + (
        f": {cues}" if cues else ""
    )


def _span_errors(ex: Example, pred: Sequence[Span], labels: Sequence[str]) -> list[ErrorItem]:
    if ex.entities is None:
        return []
    gold = [s for s in ex.entities if s.label in labels]
    _, missed, spurious = match_spans(gold, [s for s in pred if s.label in labels])
    errors = [
        ErrorItem("span_missed", ex.id, ex.text, f"missed {s.label} {ex.text[s.start : s.end]!r}")
        for s in missed
    ]
    errors += [
        ErrorItem(
            "span_spurious", ex.id, ex.text, f"spurious {s.label} {ex.text[s.start : s.end]!r}"
        )
        for s in spurious
    ]
    return errors


def rank_errors(errors: Iterable[ErrorItem]) -> list[ErrorItem]:
    """Worst first: false alarms, serious misses, other concern errors, then span errors."""
    return sorted(errors, key=lambda e: (ERROR_KINDS.index(e.kind), e.rank))


# -------------------------------------------------------------------- report


@dataclass(slots=True)
class Report:
    """All scores for one labelled set."""

    name: str
    n_texts: int
    entity_labels: tuple[str, ...]
    concern_labels: tuple[str, ...]
    entities_exact: dict[str, Counts] = field(default_factory=dict)
    entities_relaxed: dict[str, Counts] = field(default_factory=dict)
    concerns: dict[str, Counts] = field(default_factory=dict)
    n_benign: int = 0
    n_false_alarms: int = 0
    n_severity: int = 0
    severity_exact: int = 0
    severity_within_one: int = 0
    #: gold severity -> [texts, texts the engine flagged with any concern]
    flagged_by_severity: dict[str, list[int]] = field(default_factory=dict)
    evidence_f1: dict[str, float] = field(default_factory=dict)
    errors: list[ErrorItem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def false_alarm_rate(self) -> float | None:
        """Share of texts with no gold concern where any concern is predicted."""
        return self.n_false_alarms / self.n_benign if self.n_benign else None

    @property
    def concern_macro_f1(self) -> float | None:
        return macro_f1(self.concerns)

    def entity_micro(self, relaxed: bool = False) -> Counts:
        return micro((self.entities_relaxed if relaxed else self.entities_exact).values())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "texts": self.n_texts}
        if self.entity_labels:
            out["entities"] = {
                kind: {
                    "per_label": {k: v.to_dict() for k, v in table.items()},
                    "micro": micro(table.values()).to_dict(),
                }
                for kind, table in (
                    ("exact", self.entities_exact),
                    ("relaxed", self.entities_relaxed),
                )
            }
        if self.concern_labels:
            macro = self.concern_macro_f1
            out["concerns"] = {
                "per_label": {k: v.to_dict() for k, v in self.concerns.items()},
                "macro_f1": None if macro is None else round(macro, 4),
                "micro": micro(self.concerns.values()).to_dict(),
            }
            rate = self.false_alarm_rate
            out["benign"] = {
                "texts": self.n_benign,
                "false_alarms": self.n_false_alarms,
                "false_alarm_rate": None if rate is None else round(rate, 4),
            }
        if self.n_severity:
            out["severity"] = {
                "texts": self.n_severity,
                "exact": round(self.severity_exact / self.n_severity, 4),
                "within_one": round(self.severity_within_one / self.n_severity, 4),
                "flagged_at_all": {
                    level: {"texts": n, "flagged": k, "rate": round(k / n, 4)}
                    for level, (n, k) in sorted(self.flagged_by_severity.items())
                },
            }
        if self.evidence_f1:
            out["evidence_char_f1"] = {k: round(v, 4) for k, v in self.evidence_f1.items()}
        out["seconds"] = round(self.seconds, 3)
        out["errors"] = [e.to_dict() for e in self.errors]
        return out


def run_analyzer(
    examples: Sequence[Example], analyze_batch: BatchAnalyzer, default_mode: str = "own"
) -> list[Analysis]:
    """Analyse every example in its own mode (or ``default_mode``), keeping their order."""
    by_mode: dict[str, list[int]] = {}
    for i, ex in enumerate(examples):
        by_mode.setdefault(ex.mode or default_mode, []).append(i)
    results: list[Analysis | None] = [None] * len(examples)
    for mode, indices in by_mode.items():
        analyses = analyze_batch([examples[i].text for i in indices], mode)
        if len(analyses) != len(indices):
            raise RuntimeError(f"analyzer returned {len(analyses)} results for {len(indices)}")
        for i, analysis in zip(indices, analyses, strict=True):
            results[i] = analysis
    return [r for r in results if r is not None]


def evaluate(
    data: LabelledSet, analyze_batch: BatchAnalyzer, default_mode: str = "own"
) -> tuple[Report, list[Analysis]]:
    """Score ``analyze_batch`` on ``data``; returns the report and the raw analyses."""
    started = time.perf_counter()
    analyses = run_analyzer(data.examples, analyze_batch, default_mode)
    report = score(data, analyses)
    report.seconds = time.perf_counter() - started
    return report, analyses


def score(data: LabelledSet, analyses: Sequence[Analysis]) -> Report:
    """Score precomputed analyses (one per example, in order) against ``data``."""
    ents, cons = data.entity_labels, data.concern_labels
    report = Report(data.name, len(data.examples), ents, cons)
    report.entities_exact = {label: Counts() for label in ents}
    report.entities_relaxed = {label: Counts() for label in ents}
    report.concerns = {label: Counts() for label in cons}
    evidence: dict[str, list[float]] = {}
    errors: list[ErrorItem] = []
    for ex, analysis in zip(data.examples, analyses, strict=True):
        pred_spans = [Span(e.label, e.start, e.end) for e in analysis.entities]
        if ex.entities is not None and ents:
            for relaxed, table in ((False, report.entities_exact), (True, report.entities_relaxed)):
                for label, c in entity_counts(ex.entities, pred_spans, ents, relaxed).items():
                    table[label].add(c)
            errors += _span_errors(ex, pred_spans, ents)
        if ex.concerns is not None and cons:
            predicted = analysis.concern_labels
            for label, c in concern_counts(ex.concerns, predicted, cons).items():
                report.concerns[label].add(c)
            if not ex.concerns:
                report.n_benign += 1
                report.n_false_alarms += bool(predicted)
            errors += _concern_errors(ex, analysis, cons)
        if ex.severity is not None:
            gold, pred = Severity.parse(ex.severity), analysis.severity
            report.n_severity += 1
            report.severity_exact += gold == pred
            report.severity_within_one += abs(int(gold) - int(pred)) <= 1
            if gold >= Severity.HIGH:
                tally = report.flagged_by_severity.setdefault(gold.label, [0, 0])
                tally[0] += 1
                tally[1] += bool(analysis.concerns)
        for label, gold_spans in ex.evidence.items():
            pred_ev = [
                (e.start, e.end) for c in analysis.concerns if c.label == label for e in c.evidence
            ]
            evidence.setdefault(label, []).append(char_f1(gold_spans, pred_ev))
    report.evidence_f1 = {k: sum(v) / len(v) for k, v in evidence.items() if v}
    report.errors = rank_errors(errors)[:MAX_ERRORS]
    return report
