"""Server-side sessions: a random token in the signed cookie, its hash in ``user_sessions``.

A session ends for good (it cannot be revived by replaying the cookie) when:

- the user signs out, changes their password, has it reset, or is disabled: every
  session of that user ends at once (:func:`end_user_sessions`);
- it has seen no request for ``idle`` (30 minutes by default), or was started more than
  ``max_age`` ago (8 hours), whatever the activity (:func:`resume_session`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from safeside.access.models import User, UserSession

#: ``last_seen_at`` is written at most this often, so a busy page does not write each time.
TOUCH_EVERY = timedelta(seconds=60)
#: Ended or expired session rows are deleted this long after they started.
KEEP_ROWS = timedelta(days=30)

#: Why a session ended, as stored in ``ended_reason``.
ENDED_REASONS = (
    "signed_out",
    "idle",
    "expired",
    "password_changed",
    "password_reset",
    "disabled",
    "unknown",
)


@dataclass(frozen=True, slots=True)
class SessionRules:
    """How long a session lasts: ``idle`` without a request, ``max_age`` in all."""

    idle: timedelta = timedelta(minutes=30)
    max_age: timedelta = timedelta(hours=8)


@dataclass(frozen=True, slots=True)
class Resumed:
    """The outcome of :func:`resume_session`: a live session and its user, or why not."""

    row: UserSession | None
    user: User | None
    ended_reason: str = ""
    #: True when this call ended the session (it was live until now).
    just_ended: bool = False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(session: Session, user: User, now: datetime, source: str = "") -> str:
    """A new session for ``user``; returns the token to put in the cookie."""
    session.execute(delete(UserSession).where(UserSession.created_at < now - KEEP_ROWS))
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=token_hash(token),
            user_id=user.id,
            source=source[:100],
            created_at=now,
            last_seen_at=now,
            ended_reason="",
        )
    )
    session.flush()
    return token


def resume_session(session: Session, token: str, now: datetime, rules: SessionRules) -> Resumed:
    """The live session for ``token`` and its user; ends it if it has just run out.

    ``ended_reason`` says why there is none: ``unknown`` (no such token), the reason it
    was ended earlier, ``idle``, ``expired`` or ``disabled``.
    """
    row = session.scalars(
        select(UserSession).where(UserSession.token_hash == token_hash(token))
    ).first()
    if row is None:
        return Resumed(None, None, "unknown")
    if row.ended_at is not None:
        return Resumed(row, None, row.ended_reason or "signed_out")
    user = session.get(User, row.user_id)
    reason = ""
    if user is None or user.disabled:
        reason = "disabled"
    elif now - row.created_at >= rules.max_age:
        reason = "expired"
    elif now - row.last_seen_at >= rules.idle:
        reason = "idle"
    if reason:
        # Only one request ends it (and audits that), however many arrive at once.
        ended = session.execute(
            update(UserSession)
            .where(UserSession.id == row.id, UserSession.ended_at.is_(None))
            .values(ended_at=now, ended_reason=reason)
            .execution_options(synchronize_session="fetch")
        )
        return Resumed(row, user, reason, just_ended=getattr(ended, "rowcount", 0) == 1)
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return Resumed(row, user)


def end_session(session: Session, token: str, reason: str, now: datetime) -> None:
    """End the one session behind ``token`` (a browser signing in as someone else)."""
    session.execute(
        update(UserSession)
        .where(UserSession.token_hash == token_hash(token), UserSession.ended_at.is_(None))
        .values(ended_at=now, ended_reason=reason)
        .execution_options(synchronize_session="fetch")
    )


def end_user_sessions(session: Session, user_id: int, reason: str, now: datetime) -> int:
    """End every live session of one user at once; returns how many were ended."""
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=now, ended_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def live_sessions(session: Session, user_id: int, now: datetime, rules: SessionRules) -> int:
    """How many sessions of the user are still usable (for the user's account page)."""
    rows = session.scalars(
        select(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
    )
    return sum(
        1
        for row in rows
        if now - row.created_at < rules.max_age and now - row.last_seen_at < rules.idle
    )
