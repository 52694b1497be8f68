"""An analysed text as plain and highlighted pieces, for the web app and the footprint report.

The text is cut at every span boundary (concern evidence and entities), so overlapping
spans share a piece and each piece knows everything that covers it: the plain-English
``labels`` a screen reader announces, whether a ``concern`` covers it, and the technical
``notes`` (``"threat: where you live"``, ``"PERSON"``) a report shows on hover.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from safeside.engine.results import Analysis
from safeside.taxonomy import CONCERN_TITLES, ENTITY_TITLES


@dataclass(slots=True)
class Piece:
    """A run of text and what covers it (nothing, for a plain piece)."""

    text: str
    labels: list[str] = field(default_factory=list)
    concern: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def highlighted(self) -> bool:
        return bool(self.labels)

    @property
    def description(self) -> str:
        """What a screen reader announces after the highlighted words."""
        return ", ".join(self.labels)

    @property
    def note(self) -> str:
        """The cues and labels behind the highlight, for a tooltip."""
        return "; ".join(self.notes)


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    label: str
    note: str
    concern: bool


def pieces(analysis: Analysis | None, text: str | None = None) -> list[Piece]:
    """``text`` (default: the analysed text) as pieces, highlighted by ``analysis``."""
    if text is None:
        text = analysis.text if analysis else ""
    if analysis is None:
        return [Piece(text)] if text else []
    spans: list[_Span] = []
    for raised in analysis.concerns:
        title = CONCERN_TITLES.get(raised.label, raised.label)
        for evidence in raised.evidence:
            note = f"{raised.label}: {evidence.cue}"
            spans.append(_Span(evidence.start, evidence.end, title, note, True))
    for entity in analysis.entities:
        title = ENTITY_TITLES.get(entity.label, entity.label)
        spans.append(_Span(entity.start, entity.end, title, entity.label, False))
    spans = [
        _Span(max(0, s.start), min(len(text), s.end), s.label, s.note, s.concern)
        for s in spans
        if max(0, s.start) < min(len(text), s.end)
    ]
    cuts = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    out: list[Piece] = []
    for start, end in itertools.pairwise(cuts):
        covering = [s for s in spans if s.start <= start and end <= s.end]
        labels = list(dict.fromkeys(s.label for s in covering))
        notes = list(dict.fromkeys(s.note for s in covering))
        concern = any(s.concern for s in covering)
        if out and (out[-1].labels, out[-1].notes, out[-1].concern) == (labels, notes, concern):
            out[-1].text += text[start:end]
        else:
            out.append(Piece(text[start:end], labels, concern, notes))
    return out


__all__ = ["Piece", "pieces"]
