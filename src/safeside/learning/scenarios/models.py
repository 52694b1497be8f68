"""A practitioner's completed run through a training scenario."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safeside.db.base import Base, UTCDateTime, utcnow


class ScenarioCompletion(Base):
    """Answers given at each decision point, the score, and the CPD record made from it."""

    __tablename__ = "scenario_completions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scenario_id: Mapped[str] = mapped_column(String(80), index=True)
    scenario_version: Mapped[int] = mapped_column(Integer, default=1)
    answers_json: Mapped[str] = mapped_column(Text, default="{}")
    score: Mapped[int] = mapped_column(Integer, default=0)
    max_score: Mapped[int] = mapped_column(Integer, default=0)
    reflection: Mapped[str] = mapped_column(Text, default="")
    cpd_record_id: Mapped[int | None] = mapped_column(ForeignKey("cpd_records.id"), nullable=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def owner_id(self) -> int:
        """The practitioner who took the scenario (for the owner-only policy)."""
        return self.user_id

    @property
    def answers(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.answers_json or "{}")
        return value
