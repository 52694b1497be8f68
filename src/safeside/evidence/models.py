"""Evidence items: what was captured, from where, by whom, and what Safeside found in it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeside.access.models import User
from safeside.db.base import Base, ChainedRecord, UTCDateTime, utcnow
from safeside.engine.results import Analysis

KIND_TITLES = {"text": "Pasted text", "screenshot": "Screenshot", "file": "File"}


class EvidenceItem(ChainedRecord, Base):
    """One capture. ``content`` holds the original bytes exactly as received.

    Items are never changed: a correction is a new item whose ``corrects_id``
    points at the item it replaces.
    """

    __tablename__ = "evidence_items"
    record_type: ClassVar[str] = "evidence"
    #: The bytes are sealed through ``sha256``, which verify recomputes from them.
    unsealed: ClassVar[frozenset[str]] = frozenset({"content"})

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    justification_id: Mapped[int] = mapped_column(ForeignKey("justifications.id"))
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="text/plain")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    text_source: Mapped[str] = mapped_column(String(20), default="pasted")
    platform: Mapped[str] = mapped_column(String(60), default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    author_handle: Mapped[str] = mapped_column(String(200), default="")
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    captured_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    analysis_json: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str] = mapped_column(String(20), default="none")
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id"), nullable=True)
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    captured_by: Mapped[User] = relationship(lazy="joined")

    @property
    def analysis(self) -> Analysis | None:
        """The stored analysis (``analysis_json``), or None when nothing was analysed."""
        return Analysis.from_dict(json.loads(self.analysis_json)) if self.analysis_json else None
