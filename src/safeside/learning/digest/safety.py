"""Checking a digest before it leaves Safeside: no service-user details in a portfolio.

Every text a digest exports (its title, topic labels, summary sentences and links) is
analysed in own mode, as if the practitioner were posting it; a text is *flagged* for
the reasons :func:`safeside.learning.sharing.reasons` gives (any concern, or a detail
in :data:`~safeside.learning.sharing.IDENTIFYING`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from safeside.engine.results import Analysis
from safeside.learning.sharing import reasons


@dataclass(frozen=True, slots=True)
class Flag:
    """An exported text the check flagged: where it is, the text, and why (with evidence)."""

    where: str
    text: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "text": self.text, "reasons": list(self.reasons)}


def flags(labelled: list[tuple[str, str]], analyses: list[Analysis]) -> list[Flag]:
    """The flagged texts among ``labelled`` (where, text) pairs and their analyses."""
    out = []
    for (where, text), analysis in zip(labelled, analyses, strict=True):
        why = reasons(analysis)
        if why:
            out.append(Flag(where=where, text=text, reasons=tuple(why)))
    return out
