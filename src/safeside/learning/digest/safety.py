"""Checking a digest before it leaves Safeside: no service-user details in a portfolio.

Every text a digest exports (its title, topic labels, summary sentences and links) is
analysed in own mode, as if the practitioner were posting it. A text is *flagged* when
the engine raises any concern, or finds a detail that could identify a person someone
supports (:data:`IDENTIFYING`): a child, an age, a school, an address, contact details,
a case or official reference. Names and handles alone are not flagged (chat
participants are named in every digest); a name in a case context raises the
confidentiality concern instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from safeside.engine.results import Analysis
from safeside.taxonomy import CONCERN_TITLES, ENTITY_TITLES

IDENTIFYING = frozenset(
    {"CHILD_REF", "AGE", "SCHOOL", "ADDRESS", "PHONE", "EMAIL", "CASE_REF", "GOV_ID"}
)


@dataclass(frozen=True, slots=True)
class Flag:
    """An exported text the check flagged: where it is, the text, and why (with evidence)."""

    where: str
    text: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "text": self.text, "reasons": list(self.reasons)}


def reasons(analysis: Analysis) -> list[str]:
    """Why an analysis stops a digest being shared, one line per concern or detail."""
    out = []
    for concern in analysis.concerns:
        evidence = ", ".join(dict.fromkeys(f"“{e.text}”" for e in concern.evidence if e.text))
        title = CONCERN_TITLES.get(concern.label, concern.label)
        out.append(f"{title}: {evidence}" if evidence else title)
    for entity in analysis.entities:
        if entity.label in IDENTIFYING:
            out.append(f"identifying detail ({ENTITY_TITLES[entity.label]}): “{entity.text}”")
    return list(dict.fromkeys(out))


def flags(labelled: list[tuple[str, str]], analyses: list[Analysis]) -> list[Flag]:
    """The flagged texts among ``labelled`` (where, text) pairs and their analyses."""
    out = []
    for (where, text), analysis in zip(labelled, analyses, strict=True):
        why = reasons(analysis)
        if why:
            out.append(Flag(where=where, text=text, reasons=tuple(why)))
    return out
