"""Typed, JSON-serialisable results of an analysis (schema ``safeside.analysis/2``).

The schema is documented in ``docs/analysis-schema.md``; bump
:data:`SCHEMA_VERSION` on any incompatible change.

Offsets are always 0-based code-point indices into the ORIGINAL text, end
exclusive, so ``text[start:end]`` is the evidence a person sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from safeside.taxonomy import Severity

SCHEMA_VERSION = "safeside.analysis/2"


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Entity:
        """The inverse of :meth:`to_dict` (stored JSON back to a typed entity)."""
        return cls(
            label=str(data["label"]),
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            score=float(data["score"]),
            detector=str(data.get("detector", "")),
            explanation=str(data.get("explanation", "")),
        )


@dataclass(slots=True)
class Evidence:
    """A span of the original text that supports a concern, and the cue it matched."""

    start: int
    end: int
    text: str
    cue: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            cue=str(data.get("cue", "")),
        )


@dataclass(slots=True)
class Concern:
    """A document-level concern with its evidence and a plain-English explanation."""

    label: str
    confidence: float
    severity: Severity
    evidence: list[Evidence]
    explanation: str
    detectors: list[str] = field(default_factory=list)
    #: "likely", or "possible" for the lower band of a safety concern ("please read")
    certainty: str = "likely"
    #: the labelled training texts closest in meaning ("reads like: ...")
    similar: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "confidence": round(self.confidence, 3),
            "severity": self.severity.label,
            "certainty": self.certainty,
            "evidence": [e.to_dict() for e in self.evidence],
            "explanation": self.explanation,
            "similar": list(self.similar),
            "detectors": list(self.detectors),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Concern:
        """The inverse of :meth:`to_dict`; a ``safeside.analysis/1`` concern (no
        ``certainty`` or ``similar``) reads as "likely" with no similar texts."""
        return cls(
            label=str(data["label"]),
            confidence=float(data["confidence"]),
            severity=Severity.parse(data["severity"]),
            evidence=[Evidence.from_dict(e) for e in data.get("evidence", [])],
            explanation=str(data.get("explanation", "")),
            detectors=[str(d) for d in data.get("detectors", [])],
            certainty=str(data.get("certainty", "likely")),
            similar=[str(s) for s in data.get("similar", [])],
        )


@dataclass(slots=True)
class Source:
    """Where a playbook action comes from (a standard, statute or local policy)."""

    title: str
    url: str = ""
    reference: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Source:
        return cls(
            title=str(data["title"]),
            url=str(data.get("url", "")),
            reference=str(data.get("reference", "")),
        )


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Action:
        return cls(
            id=str(data["id"]),
            concern=str(data["concern"]),
            text=str(data["text"]),
            urgency=str(data.get("urgency", "")),
            sources=[Source.from_dict(s) for s in data.get("sources", [])],
        )


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            original=str(data["original"]),
            replacement=str(data["replacement"]),
            reason=str(data.get("reason", "")),
        )


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rewrite:
        return cls(
            text=str(data["text"]),
            changes=[Change.from_dict(c) for c in data.get("changes", [])],
            advice=[str(a) for a in data.get("advice", [])],
        )


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Analysis:
        """An analysis back from its stored JSON (:meth:`to_dict`, schema
        ``safeside.analysis/1`` or ``/2``): ``Analysis.from_dict(a.to_dict()) == a``
        up to the rounding of confidences."""
        rewrite = data.get("rewrite")
        return cls(
            text=str(data["text"]),
            mode=str(data["mode"]),
            entities=[Entity.from_dict(e) for e in data.get("entities", [])],
            concerns=[Concern.from_dict(c) for c in data.get("concerns", [])],
            severity=Severity.parse(data.get("severity", "none")),
            actions=[Action.from_dict(a) for a in data.get("actions", [])],
            rewrite=Rewrite.from_dict(rewrite) if rewrite else None,
            notes=[str(n) for n in data.get("notes", [])],
        )
