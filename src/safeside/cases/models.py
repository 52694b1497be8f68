"""Cases, who works on them, why content was viewed, and the tasks that follow."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeside.access.models import User
from safeside.db.base import Base, ChainedRecord, UTCDateTime, utcnow


class Case(ChainedRecord, Base):
    """A case file owned by one team; members and the team's managers and legal see it."""

    __tablename__ = "cases"
    record_type: ClassVar[str] = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[CaseMember]] = relationship(lazy="selectin")

    @property
    def member_ids(self) -> set[int]:
        return {m.user_id for m in self.members}


class CaseMember(ChainedRecord, Base):
    """A practitioner allocated to a case."""

    __tablename__ = "case_members"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)
    record_type: ClassVar[str] = "case_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Justification(ChainedRecord, Base):
    """The recorded reason for viewing someone's social-media content (RIPA, Article 8).

    Never edited: a manager's decision on a repeat viewing is a separate
    :class:`ViewingDecision` record. ``purpose_kind`` (one of
    ``safeside.cases.viewing.PURPOSES``) is empty on justifications recorded before
    migration 0006, which were sealed without it (see :meth:`integrity_fields`).
    """

    __tablename__ = "justifications"
    record_type: ClassVar[str] = "justification"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    purpose: Mapped[str] = mapped_column(Text)
    necessity: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    how_seen: Mapped[str] = mapped_column(String(40))
    viewed_before: Mapped[bool] = mapped_column(Boolean)
    needs_authorisation: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    purpose_kind: Mapped[str] = mapped_column(String(40), default="", server_default="")

    created_by: Mapped[User] = relationship(lazy="joined")
    decisions: Mapped[list[ViewingDecision]] = relationship(
        lazy="selectin", order_by="ViewingDecision.id"
    )

    def integrity_fields(self) -> dict[str, Any]:
        """The sealed columns; an empty ``purpose_kind`` (recorded before it existed) is
        left out, so justifications sealed then still verify. Filling it in later changes
        the hash, so it is still caught."""
        fields = super().integrity_fields()
        if not fields.get("purpose_kind"):
            fields.pop("purpose_kind", None)
        return fields

    @property
    def status(self) -> str:
        """``ready`` to capture, ``awaiting`` a manager, or ``refused`` (whether it has been
        used or has expired is :func:`safeside.cases.viewing.usability`)."""
        if not self.needs_authorisation:
            return "ready"
        if not self.decisions:
            return "awaiting"
        return "ready" if self.decisions[-1].authorised else "refused"


class ViewingDecision(ChainedRecord, Base):
    """A manager's authorisation (or refusal) of a repeat viewing.

    ``same_person`` is the manager's answer to "Same person?" (``yes``, ``no``,
    ``not_sure``) when the subject only resembled an earlier one; empty otherwise, and on
    decisions made before migration 0006 (left out of the seal when empty).
    """

    __tablename__ = "viewing_decisions"
    record_type: ClassVar[str] = "viewing_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    justification_id: Mapped[int] = mapped_column(ForeignKey("justifications.id"), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    authorised: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    same_person: Mapped[str] = mapped_column(String(20), default="", server_default="")

    decided_by: Mapped[User] = relationship(lazy="joined")

    def integrity_fields(self) -> dict[str, Any]:
        """The sealed columns; an empty ``same_person`` is left out (see the class)."""
        fields = super().integrity_fields()
        if not fields.get("same_person"):
            fields.pop("same_person", None)
        return fields


class Task(ChainedRecord, Base):
    """A playbook action turned into tracked work. Each change is audited with a new hash.

    A case has one task per action: ``evidence_id`` is the item that first raised it, and
    a :class:`TaskEvidence` link records every later item that raised it again.
    """

    __tablename__ = "tasks"
    record_type: ClassVar[str] = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id"), nullable=True)
    action_id: Mapped[str] = mapped_column(String(100))
    concern: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship(lazy="joined")
    links: Mapped[list[TaskEvidence]] = relationship(
        lazy="selectin", order_by="TaskEvidence.id", viewonly=True
    )

    @property
    def evidence_ids(self) -> list[int]:
        """Every evidence item that raised this task, first one first."""
        first = [self.evidence_id] if self.evidence_id is not None else []
        return list(dict.fromkeys(first + [link.evidence_id for link in self.links]))


class TaskEvidence(ChainedRecord, Base):
    """A later evidence item that raised a case's existing task again."""

    __tablename__ = "task_evidence"
    __table_args__ = (UniqueConstraint("task_id", "evidence_id"),)
    record_type: ClassVar[str] = "task_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id"))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


TASK_STATUSES = ("open", "in_progress", "done", "not_needed")
TASK_STATUS_TITLES = {
    "open": "Open",
    "in_progress": "In progress",
    "done": "Done",
    "not_needed": "Not needed",
}
