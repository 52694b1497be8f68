"""Signing in: argon2 check, rehash, lockout after repeated failures, no enumeration."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.access.passwords import hash_password, needs_rehash, verify_password
from safeside.audit_log.log import append_event
from safeside.db.base import utcnow

#: The one message for every failure, so it never tells whether an account exists.
SIGN_IN_FAILED = (
    "Enter a correct email address and password. "
    "After 5 wrong attempts you must wait 15 minutes before trying again."
)


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    lockout_after: int = 5,
    lockout_minutes: int = 15,
) -> User | None:
    """The user if the email and password match and the account is not locked.

    Every failure does the same work (one argon2 verification) and is audited.
    """
    user = session.scalars(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).first()
    now = utcnow()
    matches = verify_password(user.password_hash if user else None, password)
    if user is None:
        append_event(session, "sign_in_failed", detail={"reason": "unknown email"})
        return None
    if user.locked_until is not None and user.locked_until > now:
        append_event(session, "sign_in_failed", actor=user, detail={"reason": "locked"})
        return None
    if not matches:
        user.failed_sign_ins += 1
        detail = {"reason": "wrong password", "attempt": user.failed_sign_ins}
        if user.failed_sign_ins >= lockout_after:
            user.locked_until = now + timedelta(minutes=lockout_minutes)
            user.failed_sign_ins = 0
            detail["locked"] = True
        append_event(session, "sign_in_failed", actor=user, detail=detail)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    append_event(session, "signed_in", actor=user)
    return user
