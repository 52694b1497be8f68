"""Every table, imported in one place for Alembic and ``safeside verify``."""

from __future__ import annotations

from safeside.access.models import Team, User
from safeside.audit_log.models import AuditEvent
from safeside.cases.models import Case, CaseMember, Justification, Task, ViewingDecision
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
)

__all__ = [
    "CHAINED_MODELS",
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
    "Team",
    "User",
    "ViewingDecision",
]
