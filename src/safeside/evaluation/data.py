"""Labelled examples: what a reader produces and a scorer consumes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from safeside.engine.results import Analysis
from safeside.taxonomy import CONCERNS, ENTITY_LABELS

#: Anything shaped like :func:`safeside.analyze_batch`: ``(texts, mode) -> analyses``.
BatchAnalyzer = Callable[[list[str], str], Sequence[Analysis]]


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled character span, end exclusive."""

    label: str
    start: int
    end: int


@dataclass(slots=True)
class Example:
    """One labelled text. ``None`` means "not annotated" (not "nothing there")."""

    id: str
    text: str
    mode: str | None = None
    entities: list[Span] | None = None
    concerns: list[str] | None = None
    severity: str | None = None
    #: Gold evidence spans per concern, where a data set has them (Toxic Spans).
    evidence: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    #: Free-form tags a suite groups by (e.g. a HateCheck functionality).
    group: str = ""


@dataclass(slots=True)
class LabelledSet:
    """Examples plus the labels the set annotates; only those are scored."""

    name: str
    examples: list[Example]
    entity_labels: tuple[str, ...] = ENTITY_LABELS
    concern_labels: tuple[str, ...] = CONCERNS

    def restrict(self, labels: Sequence[str]) -> LabelledSet:
        """The same set, scoring only ``labels`` (entity or concern names)."""
        wanted = set(labels)
        unknown = wanted - set(self.entity_labels) - set(self.concern_labels)
        if unknown:
            raise ValueError(f"label(s) not annotated in {self.name}: {', '.join(sorted(unknown))}")
        return LabelledSet(
            self.name,
            self.examples,
            tuple(x for x in self.entity_labels if x in wanted),
            tuple(x for x in self.concern_labels if x in wanted),
        )
