"""The document every detector reads and writes: the text, its views and the findings so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from safeside.engine.results import Entity
from safeside.taxonomy import Severity
from safeside.text.normalize import TextView, clean_view, cue_view
from safeside.text.prefilter import LiteralIndex, Requirement, key_text, vocabulary


@dataclass(slots=True)
class Signal:
    """One piece of evidence for a concern, found by a detector.

    ``start``/``end`` are offsets into the original text. ``weight`` is how strongly this
    evidence alone suggests the concern (0–1); the aggregator combines signals.
    """

    concern: str
    weight: float
    severity: Severity
    start: int
    end: int
    cue: str
    explanation: str
    detector: str
    kind: str = "cue"


@dataclass(slots=True)
class ModelView:
    """What the contextual model says about one document (``Doc.model``).

    ``vector`` is the sentence vector; ``probs`` a probability per concern (0 where the
    mode does not allow it); ``severity`` a distribution over none..critical; ``words``
    the occlusion attribution, filled only for concerns that are reported.
    """

    vector: Any
    probs: dict[str, float]
    severity: dict[str, float]
    words: dict[str, list[tuple[int, int, float]]] = field(default_factory=dict)
    #: how many windows of word-pieces the model read (1 = the whole text at once)
    windows: int = 1
    #: the sentence that read on its own puts most weight on critical severity, for the
    #: safety floor (texts of two or more sentences): its span in the original text, its
    #: P(critical) and its concern probabilities
    sentence: tuple[int, int, float, dict[str, float]] | None = None
    #: per reported concern, the sentence that read on its own reads most like it (texts
    #: of two or more sentences): its span in the original text and its probability
    strongest: dict[str, tuple[int, int, float]] = field(default_factory=dict)


@dataclass(slots=True)
class Doc:
    """One text being analysed, in one mode, with its normalised views."""

    text: str
    mode: str
    clean: TextView
    cue: TextView
    entities: list[Entity] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    model: ModelView | None = None
    _present: dict[tuple[str, bool], tuple[LiteralIndex, frozenset[str]]] = field(
        default_factory=dict, repr=False
    )

    def literals_present(self, view: str, fold: bool) -> frozenset[str]:
        """The registered pre-check literals that occur in ``view`` ("clean" or "cue"),
        found in one scan and cached (see :mod:`safeside.text.prefilter`)."""
        index = vocabulary(view, fold).index()
        hit = self._present.get((view, fold))
        if hit is not None and hit[0] is index:
            return hit[1]
        text = self.clean.text if view == "clean" else self.cue.text
        found = index.present(key_text(text, fold))
        self._present[(view, fold)] = (index, found)
        return found

    def may_match(self, requirement: Requirement | None) -> bool:
        """False only when a regex with this pre-check provably cannot match."""
        if requirement is None:
            return True
        hit = self._present.get((requirement.view, requirement.fold))
        if hit is not None and hit[0] is requirement.vocabulary.built:
            found = hit[1]  # the common case, kept short: called for every pattern
        else:
            found = self.literals_present(requirement.view, requirement.fold)
        return not requirement.literals.isdisjoint(found)

    @classmethod
    def make(cls, text: str, mode: str) -> Doc:
        clean = clean_view(text)
        return cls(text=text, mode=mode, clean=clean, cue=cue_view(clean))

    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]

    def entities_of(self, *labels: str) -> list[Entity]:
        return [e for e in self.entities if e.label in labels]

    def add_entity(
        self,
        label: str,
        view: TextView,
        start: int,
        end: int,
        score: float,
        detector: str,
        explanation: str,
    ) -> None:
        """Record an entity found at ``start:end`` of ``view``."""
        s, e = view.to_original(start, end)
        if s >= e:
            return
        self.entities.append(Entity(label, s, e, self.text[s:e], score, detector, explanation))
