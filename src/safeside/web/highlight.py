"""Turn an analysis into highlighted pieces of text for the templates."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from safeside.taxonomy import CONCERN_TITLES, ENTITY_TITLES


@dataclass(slots=True)
class Piece:
    """A run of text and the labels (entities, concerns) that cover it."""

    text: str
    labels: list[str] = field(default_factory=list)
    concern: bool = False

    @property
    def description(self) -> str:
        """What a screen reader announces after the highlighted words."""
        return ", ".join(self.labels)


def highlight(text: str, analysis: dict[str, Any] | None) -> list[Piece]:
    """Split ``text`` at every span boundary; overlapping spans share a piece."""
    if not analysis:
        return [Piece(text)] if text else []
    spans: list[tuple[int, int, str, bool]] = []
    for entity in analysis.get("entities", []):
        spans.append(
            (
                entity["start"],
                entity["end"],
                ENTITY_TITLES.get(entity["label"], entity["label"]),
                False,
            )
        )
    for concern in analysis.get("concerns", []):
        title = CONCERN_TITLES.get(concern["label"], concern["label"])
        for evidence in concern.get("evidence", []):
            spans.append((evidence["start"], evidence["end"], title, True))
    spans = [(max(0, s), min(len(text), e), label, c) for s, e, label, c in spans if s < e]
    cuts = sorted({0, len(text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans})
    pieces: list[Piece] = []
    for start, end in itertools.pairwise(cuts):
        covering = [span for span in spans if span[0] <= start and end <= span[1]]
        labels = list(dict.fromkeys(label for _, _, label, _ in covering))
        concern = any(c for _, _, _, c in covering)
        if pieces and pieces[-1].labels == labels and pieces[-1].concern == concern:
            pieces[-1].text += text[start:end]
        else:
            pieces.append(Piece(text[start:end], labels, concern))
    return pieces
