"""Signing in: argon2 check, rehash, throttling by account and source, no enumeration.

Every attempt is audited. A wrong password and an unknown email address get the same
message and the same lock (see :mod:`safeside.access.throttle`), so nothing tells
whether an account exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.access.passwords import hash_password, needs_rehash, verify_password
from safeside.access.throttle import (
    Lock,
    LockoutRules,
    account_key,
    active_lock,
    clear_account,
    record_failure,
)
from safeside.audit_log.log import append_event
from safeside.db.session import end_read_transaction

#: The one message for a wrong email address or password.
SIGN_IN_FAILED = (
    "Enter a correct email address and password. "
    "After 5 wrong attempts you will have to wait before you can try again."
)


@dataclass(frozen=True, slots=True)
class SignInResult:
    """The signed-in user, or why not: ``locked`` (until when), ``disabled``, or neither
    (a wrong email address or password)."""

    user: User | None = None
    locked: Lock | None = None
    disabled: bool = False


def find_user(session: Session, email: str) -> User | None:
    return session.scalars(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).first()


def attempt_sign_in(
    session: Session,
    email: str,
    password: str,
    *,
    source: str,
    now: datetime,
    rules: LockoutRules,
    secret: str,
) -> SignInResult:
    """Check one sign-in attempt from ``source`` (the client IP).

    A locked attempt is refused without checking the password and without counting.
    Every other failure does the same work (one argon2 verification) and is counted.
    """
    key = account_key(email, secret)
    user = find_user(session, email)
    lock = active_lock(session, key, source, now, rules)
    if lock is not None:
        append_event(
            session,
            "sign_in_failed",
            actor=user,
            detail={"reason": "locked", "source": source, "until": lock.until.isoformat()},
        )
        return SignInResult(locked=lock)
    end_read_transaction(session)  # argon2 takes ~0.1 s or more: hold no transaction
    stored = user.password_hash if user else None
    matches = verify_password(stored, password)
    new_hash = hash_password(password) if matches and stored and needs_rehash(stored) else None
    if user is None or not matches:
        attempt, started = record_failure(session, key, source, now, rules)
        reason = "unknown email" if user is None else "wrong password"
        append_event(
            session,
            "sign_in_failed",
            actor=user,
            detail={"reason": reason, "source": source, "attempt": attempt},
        )
        if started is not None:
            append_event(
                session,
                "sign_in_locked",
                actor=user,
                detail={
                    "scope": started.scope,
                    "source": source,
                    "until": started.until.isoformat(),
                },
            )
        return SignInResult(locked=started)
    if user.disabled:
        append_event(
            session, "sign_in_failed", actor=user, detail={"reason": "disabled", "source": source}
        )
        return SignInResult(disabled=True)
    rehashed = new_hash is not None
    if new_hash is not None:
        user.password_hash = new_hash
    clear_account(session, key, source)
    user.last_sign_in_at = now
    # A rehash changes the sealed password hash, so the event seals the user again.
    append_event(
        session,
        "signed_in",
        actor=user,
        record=user if rehashed else None,
        detail={"source": source, "rehashed": True} if rehashed else {"source": source},
    )
    return SignInResult(user=user)
