"""Teams and users. A user belongs to one team and holds one role."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeside.db.base import Base, ChainedRecord, UTCDateTime, utcnow

#: Roles in order of the page headings that describe them.
ROLES = ("practitioner", "manager", "legal", "admin")
ROLE_TITLES = {
    "practitioner": "Practitioner",
    "manager": "Manager",
    "legal": "Legal adviser",
    "admin": "Administrator",
}


class Team(ChainedRecord, Base):
    """A social-work team; cases and users belong to exactly one team."""

    __tablename__ = "teams"
    record_type: ClassVar[str] = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(ChainedRecord, Base):
    """Someone who signs in. Sign-in counters are not sealed: they change on every attempt."""

    __tablename__ = "users"
    record_type: ClassVar[str] = "user"
    unsealed: ClassVar[frozenset[str]] = frozenset(
        {"password_hash", "failed_sign_ins", "locked_until", "last_sign_in_at"}
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship(lazy="joined")

    @property
    def role_title(self) -> str:
        return ROLE_TITLES.get(self.role, self.role)
