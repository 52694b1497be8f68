"""Score the engine against labelled data: readers, scorers, reports and suites.

Typical use::

    from safeside.evaluation import read_labelled, evaluate
    report, _ = evaluate(read_labelled(path), safeside.analyze_batch)
"""

from __future__ import annotations

from safeside.evaluation.data import BatchAnalyzer, Example, LabelledSet, Span
from safeside.evaluation.readers import ReadError, read_labelled
from safeside.evaluation.scoring import Counts, Report, evaluate, score

__all__ = [
    "BatchAnalyzer",
    "Counts",
    "Example",
    "LabelledSet",
    "ReadError",
    "Report",
    "Span",
    "evaluate",
    "read_labelled",
    "score",
]
