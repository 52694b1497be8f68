"""Answers to the digital-capability self-assessment and practitioner survey."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safeside.db.base import Base, UTCDateTime, utcnow


class CapabilityResponse(Base):
    """One person's answers on one day. Reports use each person's latest response and
    show a team or organisation only when enough people have answered."""

    __tablename__ = "capability_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    questionnaire_id: Mapped[str] = mapped_column(String(80))
    questionnaire_version: Mapped[int] = mapped_column(Integer, default=1)
    answers_json: Mapped[str] = mapped_column(Text, default="{}")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def answers(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.answers_json or "{}")
        return value
