"""Typed, JSON-serialisable results of an analysis (schema ``safeside.analysis/1``).

The schema is documented in ``docs/analysis-schema.md``; bump
:data:`SCHEMA_VERSION` on any incompatible change.

Offsets are always 0-based code-point indices into the ORIGINAL text, end
exclusive, so ``text[start:end]`` is the evidence a person sees.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from safeside.taxonomy import Severity

SCHEMA_VERSION = "safeside.analysis/1"


@dataclass(slots=True)
class Entity:
    """A span that could identify someone or reveal a sensitive detail."""

    label: str
    start: int
    end: int
    text: str
    score: float
    detector: str
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Evidence:
    """A span of the original text that supports a concern, and the cue it matched."""

    start: int
    end: int
    text: str
    cue: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Concern:
    """A document-level concern with its evidence and a plain-English explanation."""

    label: str
    confidence: float
    severity: Severity
    evidence: list[Evidence]
    explanation: str
    detectors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "confidence": round(self.confidence, 3),
            "severity": self.severity.label,
            "evidence": [e.to_dict() for e in self.evidence],
            "explanation": self.explanation,
            "detectors": list(self.detectors),
        }


@dataclass(slots=True)
class Source:
    """Where a playbook action comes from (a standard, statute or local policy)."""

    title: str
    url: str = ""
    reference: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Action:
    """A step the organisation's guidance prescribes, citing its source."""

    id: str
    concern: str
    text: str
    urgency: str
    sources: list[Source]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "concern": self.concern,
            "text": self.text,
            "urgency": self.urgency,
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(slots=True)
class Change:
    """One edit made by the safer rewrite: what was replaced, with what, and why."""

    start: int
    end: int
    original: str
    replacement: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Rewrite:
    """A safer version of an own-mode post, and the edits that made it."""

    text: str
    changes: list[Change]
    advice: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "changes": [c.to_dict() for c in self.changes],
            "advice": list(self.advice),
        }


@dataclass(slots=True)
class Analysis:
    """Everything Safeside says about one text."""

    text: str
    mode: str
    entities: list[Entity]
    concerns: list[Concern]
    severity: Severity
    actions: list[Action]
    rewrite: Rewrite | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def concern_labels(self) -> list[str]:
        return [c.label for c in self.concerns]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "mode": self.mode,
            "text": self.text,
            "severity": self.severity.label,
            "entities": [e.to_dict() for e in self.entities],
            "concerns": [c.to_dict() for c in self.concerns],
            "actions": [a.to_dict() for a in self.actions],
            "rewrite": self.rewrite.to_dict() if self.rewrite else None,
            "notes": list(self.notes),
        }
