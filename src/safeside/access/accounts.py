"""Looking after accounts: change a password, one-time reset links, unlock, disable, role.

Each of these ends every session of the user concerned where it should (a password
change or reset, disabling), and is an audit event on the user's team. Whatever changes
a sealed field (password hash, role, ``disabled_at``) passes ``record=user``, so the
event carries the user's new hash and ``safeside verify`` can tell it from an edit made
directly in the database.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from safeside.access.errors import NotReady
from safeside.access.models import ROLES, PasswordReset, User
from safeside.access.passwords import hash_password
from safeside.access.sessions import end_user_sessions, token_hash
from safeside.access.throttle import account_key, clear_account
from safeside.audit_log.log import append_event
from safeside.db.session import end_read_transaction
from safeside.errors import InputError

LINK_EXPIRED = (
    "The link to set a new password has expired or has already been used. "
    "Ask your administrator for a new link."
)


def change_password(session: Session, user: User, new_password: str, now: datetime) -> int:
    """Set the user's own new password and end all their sessions; returns how many."""
    new_hash = hash_password(new_password)  # before any write: see end_read_transaction
    user.password_hash = new_hash
    ended = end_user_sessions(session, user.id, "password_changed", now)
    append_event(
        session, "changed_password", actor=user, record=user, detail={"sessions_ended": ended}
    )
    return ended


def issue_reset_link(
    session: Session, by: User, user: User, now: datetime, lifetime: timedelta
) -> str:
    """A new one-time reset token for ``user`` (older unused links stop working)."""
    session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.user_id == user.id,
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    token = secrets.token_urlsafe(32)
    expires = now + lifetime
    session.add(
        PasswordReset(
            token_hash=token_hash(token),
            user_id=user.id,
            created_by_id=by.id,
            created_at=now,
            expires_at=expires,
        )
    )
    append_event(
        session,
        "issued_password_reset",
        actor=by,
        team_id=user.team_id,
        detail={"user": user.id, "expires": expires.isoformat()},
    )
    return token


def usable_reset(session: Session, token: str, now: datetime) -> PasswordReset | None:
    """The reset link for ``token`` if it has not been used and has not expired."""
    reset = session.scalars(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    ).first()
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        return None
    return reset


def redeem_reset(
    session: Session, token: str, new_password: str, now: datetime, secret: str
) -> User:
    """Use a reset link: set the password, end the user's sessions, unlock the account.

    Raises:
        NotReady: the link is unknown, used or expired (or was used a moment ago).
    """
    reset = usable_reset(session, token, now)
    if reset is None:
        raise NotReady(LINK_EXPIRED)
    end_read_transaction(session)
    new_hash = hash_password(new_password)  # argon2 runs with no transaction open
    claimed = session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:  # used by another request a moment ago
        raise NotReady(LINK_EXPIRED)
    user = session.get_one(User, reset.user_id)
    user.password_hash = new_hash
    ended = end_user_sessions(session, user.id, "password_reset", now)
    clear_account(session, account_key(user.email, secret))
    append_event(
        session,
        "reset_password",
        actor=user,
        record=user,
        detail={"reset": reset.id, "issued_by": reset.created_by_id, "sessions_ended": ended},
    )
    return user


def unlock_account(session: Session, by: User, user: User, secret: str) -> bool:
    """Clear the user's sign-in locks and failures; True if there was anything to clear."""
    cleared = clear_account(session, account_key(user.email, secret))
    append_event(
        session, "unlocked_account", actor=by, team_id=user.team_id, detail={"user": user.id}
    )
    return cleared > 0


def set_disabled(session: Session, by: User, user: User, disabled: bool, now: datetime) -> int:
    """Disable (ending every session) or re-enable ``user``; returns sessions ended."""
    if user.id == by.id:
        raise NotReady("You cannot disable or enable your own account.")
    ended = 0
    if disabled:
        user.disabled_at = user.disabled_at or now
        ended = end_user_sessions(session, user.id, "disabled", now)
    else:
        user.disabled_at = None
    append_event(
        session,
        "disabled_user" if disabled else "enabled_user",
        actor=by,
        record=user,
        team_id=user.team_id,
        detail={"user": user.id, "sessions_ended": ended},
    )
    return ended


def set_role(session: Session, by: User, user: User, role: str) -> None:
    """An administrator changes ``user``'s role (audited, and sealed into the chain)."""
    if role not in ROLES:
        raise InputError(f"{role!r} is not a role. Choose one of: {', '.join(ROLES)}.")
    if user.id == by.id:
        raise NotReady("You cannot change your own role.")
    if user.role == role:
        return
    before = user.role
    user.role = role
    append_event(
        session,
        "changed_role",
        actor=by,
        record=user,
        team_id=user.team_id,
        detail={"user": user.id, "from": before, "to": role},
    )
