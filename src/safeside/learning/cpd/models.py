"""CPD records and saved digests: a practitioner's own learning, seen only by them."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safeside.db.base import Base, UTCDateTime, utcnow

#: Where a record came from.
SOURCE_KINDS = {
    "manual": "Written by hand",
    "post": "A saved post",
    "digest": "A chat or thread digest",
    "scenario": "A completed training scenario",
}


class CpdRecord(Base):
    """One piece of CPD, with the fields Social Work England asks for.

    ``status`` is ``draft`` until every question is answered in the practitioner's own
    words; ``safety_json`` holds what the own-mode check found at the last save (a
    record that might identify someone cannot leave Safeside in a portfolio).
    """

    __tablename__ = "cpd_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    activity_type: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    activity_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    learning: Mapped[str] = mapped_column(Text, default="")
    impact: Mapped[str] = mapped_column(Text, default="")
    peer_reflection_with: Mapped[str] = mapped_column(String(300), default="")
    peer_reflection: Mapped[str] = mapped_column(Text, default="")
    standards_json: Mapped[str] = mapped_column(Text, default="[]")
    pcf_json: Mapped[str] = mapped_column(Text, default="[]")
    source_kind: Mapped[str] = mapped_column(String(20), default="manual")
    source_ref: Mapped[str] = mapped_column(String(300), default="")
    source_url: Mapped[str] = mapped_column(String(2000), default="")
    safety_json: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def standards(self) -> list[str]:
        return list(json.loads(self.standards_json or "[]"))

    @property
    def pcf_domains(self) -> list[str]:
        return list(json.loads(self.pcf_json or "[]"))

    @property
    def safety(self) -> list[dict[str, Any]]:
        """What the own-mode check flagged: ``[{"field", "text", "reasons"}]``."""
        return list(json.loads(self.safety_json or "[]"))

    @property
    def has_peer_reflection(self) -> bool:
        return bool(self.peer_reflection_with.strip())


class LearningDigest(Base):
    """A chat or thread digest a practitioner built, kept so it can become CPD."""

    __tablename__ = "learning_digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    source_name: Mapped[str] = mapped_column(String(300))
    hashtag: Mapped[str] = mapped_column(String(100), default="")
    posts: Mapped[int] = mapped_column(Integer, default=0)
    safe_to_share: Mapped[bool] = mapped_column(Boolean, default=False)
    digest_json: Mapped[str] = mapped_column(Text)
    cpd_draft_json: Mapped[str] = mapped_column(Text)
    flags_json: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def digest(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.digest_json)
        return value

    @property
    def cpd_draft(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.cpd_draft_json)
        return value

    @property
    def flags(self) -> list[dict[str, Any]]:
        return list(json.loads(self.flags_json or "[]"))
