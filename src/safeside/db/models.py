"""Every table, imported in one place for Alembic and ``safeside verify``."""

from __future__ import annotations

from safeside.access.models import Team, User
from safeside.audit_log.models import AuditEvent
from safeside.cases.models import (
    Case,
    CaseMember,
    Justification,
    Task,
    TaskEvidence,
    ViewingDecision,
)
from safeside.db.base import Base, ChainedRecord
from safeside.evidence.models import EvidenceItem
from safeside.learning.capability.models import CapabilityResponse
from safeside.learning.cpd.models import CpdRecord, LearningDigest
from safeside.learning.scenarios.models import ScenarioCompletion

#: Sealed record types, in the order verify reports them.
CHAINED_MODELS: tuple[type[ChainedRecord], ...] = (
    Team,
    User,
    Case,
    CaseMember,
    Justification,
    ViewingDecision,
    EvidenceItem,
    Task,
    TaskEvidence,
)

#: Records sealed in the audit log only: their tables have no ``record_hash`` column, so
#: each change is hashed when it is flushed and the hash goes into the next audit event
#: (see :mod:`safeside.audit_log.sealing`). Values are the names used in events.
EVENT_SEALED_MODELS: dict[type[Base], str] = {
    CpdRecord: "cpd_record",
    CapabilityResponse: "self_assessment",
    LearningDigest: "digest",
}

__all__ = [
    "CHAINED_MODELS",
    "EVENT_SEALED_MODELS",
    "AuditEvent",
    "Base",
    "CapabilityResponse",
    "Case",
    "CaseMember",
    "CpdRecord",
    "EvidenceItem",
    "Justification",
    "LearningDigest",
    "ScenarioCompletion",
    "Task",
    "TaskEvidence",
    "Team",
    "User",
    "ViewingDecision",
]
