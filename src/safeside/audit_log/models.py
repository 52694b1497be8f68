"""Audit events: one row per view, create, change, export or sign-in, chained by hash."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safeside.db.base import Base, UTCDateTime, content_hash, utcnow

GENESIS = "0" * 64


class AuditEvent(Base):
    """An event in the chain: ``event_hash = sha256(prev_hash + fields)``.

    ``record_type``/``record_id``/``record_hash`` say which record the event
    created or changed and the hash it had then; ``verify`` checks rows against it.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    team_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(60))
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    record_type: Mapped[str] = mapped_column(String(40), default="")
    record_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    record_hash: Mapped[str] = mapped_column(String(64), default="")
    detail_json: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    event_hash: Mapped[str] = mapped_column(String(64))

    @property
    def detail(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.detail_json or "{}")
        return loaded

    def compute_hash(self) -> str:
        """The hash this event should carry, given its fields and ``prev_hash``."""
        return content_hash(
            {
                "id": self.id,
                "at": self.at,
                "actor_id": self.actor_id,
                "actor_name": self.actor_name,
                "team_id": self.team_id,
                "action": self.action,
                "case_id": self.case_id,
                "record_type": self.record_type,
                "record_id": self.record_id,
                "record_hash": self.record_hash,
                "detail_json": self.detail_json,
                "prev_hash": self.prev_hash,
            }
        )
