"""Teams and users (a user belongs to one team and holds one role), and what signing in
keeps: server-side sessions, sign-in throttles and one-time password reset links."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
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


#: What Safeside left out of a user's seal before the password hash and ``disabled_at``
#: were sealed (``safeside.audit_log.sealing.seal_existing`` seals such users again).
LEGACY_USER_UNSEALED = frozenset(
    {"password_hash", "failed_sign_ins", "locked_until", "last_sign_in_at", "disabled_at"}
)


class User(ChainedRecord, Base):
    """Someone who signs in. Sign-in state is not sealed: it changes on every attempt.

    The password hash, role and ``disabled_at`` are sealed: every change to them (a
    password change or reset, a rehash at sign-in, an administrator's change) appends an
    audit event carrying the user's new hash, so ``safeside verify`` names a change made
    directly in the database.

    ``failed_sign_ins`` and ``locked_until`` are no longer used (lockout lives in
    :class:`SignInThrottle` since migration 0005); they stay so that no table is rebuilt.
    """

    __tablename__ = "users"
    record_type: ClassVar[str] = "user"
    unsealed: ClassVar[frozenset[str]] = frozenset(
        {"failed_sign_ins", "locked_until", "last_sign_in_at"}
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
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    team: Mapped[Team] = relationship(lazy="joined")

    @property
    def role_title(self) -> str:
        return ROLE_TITLES.get(self.role, self.role)

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None


class UserSession(Base):
    """One signed-in browser. The cookie holds a random token; only its SHA-256 is kept.

    A session ends (``ended_at``, ``ended_reason``) at sign-out, password change or
    reset, when the account is disabled, or when it is found idle or too old.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    source: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_reason: Mapped[str] = mapped_column(String(30), default="")


class SignInThrottle(Base):
    """Failed sign-ins counted for one key: an account (``account_key``, a keyed hash of
    the email address as typed, known or not), a source (``source``, the client IP), or
    the two together. The unused part of the key is the empty string."""

    __tablename__ = "sign_in_throttles"
    __table_args__ = (UniqueConstraint("account_key", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(100))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PasswordReset(Base):
    """A one-time link to set a new password, made by an administrator for a user.

    Only the SHA-256 of the link's token is kept. It works once, until ``expires_at``;
    making a new link for the same user ends the older ones.
    """

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
