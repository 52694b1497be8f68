"""Splitting a post's text into plain and highlighted pieces from evidence and entity spans."""

from __future__ import annotations

from dataclasses import dataclass

from safeside.engine.results import Analysis


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text; ``note`` is set (the cue or label) when it is highlighted."""

    text: str
    note: str = ""


def pieces(analysis: Analysis) -> list[Piece]:
    """The text as pieces, with concern evidence (and entities) highlighted; overlaps merge."""
    text = analysis.text
    spans: list[tuple[int, int, str]] = []
    for concern in analysis.concerns:
        for evidence in concern.evidence:
            spans.append((evidence.start, evidence.end, f"{concern.label}: {evidence.cue}"))
    for entity in analysis.entities:
        spans.append((entity.start, entity.end, entity.label))
    merged: list[tuple[int, int, str]] = []
    for start, end, note in sorted(s for s in spans if 0 <= s[0] < s[1] <= len(text)):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_note = merged[-1]
            merged[-1] = (last_start, max(last_end, end), f"{last_note}; {note}")
        else:
            merged.append((start, end, note))
    result: list[Piece] = []
    cursor = 0
    for start, end, note in merged:
        if start > cursor:
            result.append(Piece(text[cursor:start]))
        result.append(Piece(text[start:end], note))
        cursor = end
    if cursor < len(text):
        result.append(Piece(text[cursor:]))
    return result
