"""Span-level exact-match precision, recall and F1."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Span = tuple[str, int, int]


def bio_spans(tags: Sequence[str]) -> set[Span]:
    """``(label, start, end)`` token spans of a BIO sequence (a stray I- starts a span)."""
    spans: set[Span] = set()
    start, label = -1, ""
    for k, tag in enumerate([*tags, "O"]):
        if start >= 0 and not (tag.startswith("I-") and tag[2:] == label):
            spans.add((label, start, k))
            start = -1
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, label = k, tag[2:]
    return spans


class Scores:
    """Counts true positives, false positives and false negatives, per label."""

    def __init__(self, labels: Iterable[str]) -> None:
        self.labels = tuple(labels)
        self.tp = dict.fromkeys(self.labels, 0)
        self.fp = dict.fromkeys(self.labels, 0)
        self.fn = dict.fromkeys(self.labels, 0)

    def add(self, gold: set[Span], pred: set[Span]) -> None:
        gold = {s for s in gold if s[0] in self.labels}
        pred = {s for s in pred if s[0] in self.labels}
        for s in pred:
            (self.tp if s in gold else self.fp)[s[0]] += 1
        for s in gold - pred:
            self.fn[s[0]] += 1

    def prf(self, label: str | None = None) -> tuple[float, float, float]:
        labels = self.labels if label is None else (label,)
        tp = sum(self.tp[x] for x in labels)
        fp = sum(self.fp[x] for x in labels)
        fn = sum(self.fn[x] for x in labels)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def support(self, label: str) -> int:
        return self.tp[label] + self.fn[label]
