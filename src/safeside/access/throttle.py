"""Sign-in throttling by account and by source, with exponential back-off.

Failed sign-ins are counted under three keys (rows of ``sign_in_throttles``):

=============  ==========================  ===========================================
key            counts failures             when over the limit
=============  ==========================  ===========================================
account+source one email address from one  that source may not try that account: 1
               source (client IP)          minute after ``after`` failures, doubling
                                           with each further failure up to ``longest``
account        one email address, from     every source waits, but never longer than
               every source                ``account_longest`` (a short delay), so one
                                           source cannot lock the owner out
source         one source, on any email    that source may not try any account (password
               address, known or not       spraying), back-off as above
=============  ==========================  ===========================================

The email address is keyed (HMAC) as typed, whether or not an account has it, so an
unknown address locks exactly like a real one and nothing tells the two apart; the
address itself is never stored. A count is forgotten ``forget`` after its last failure
or the end of its lock, whichever is later. A successful sign-in clears the account's
counts (not the source's); a manager or administrator can unlock an account.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from safeside.access.models import SignInThrottle
from safeside.db.session import lock_for_write
from safeside.settings import Settings

#: The source part of an account-only key, and the account part of a source-only key.
ANY = ""


@dataclass(frozen=True, slots=True)
class LockoutRules:
    """How many failures lock, and for how long (see the module notes)."""

    after: int = 5
    first: timedelta = timedelta(minutes=1)
    longest: timedelta = timedelta(minutes=60)
    account_longest: timedelta = timedelta(minutes=5)
    source_after: int = 10
    forget: timedelta = timedelta(minutes=60)

    @classmethod
    def from_settings(cls, settings: Settings) -> LockoutRules:
        return cls(
            after=settings.lockout_after,
            first=timedelta(minutes=settings.lockout_first_minutes),
            longest=timedelta(minutes=settings.lockout_max_minutes),
            account_longest=timedelta(minutes=settings.account_lockout_max_minutes),
            source_after=settings.source_lockout_after,
            forget=timedelta(minutes=settings.lockout_forget_minutes),
        )

    def lock_for(self, failures: int, threshold: int, longest: timedelta) -> timedelta | None:
        """How long ``failures`` failures lock for: None below ``threshold``, then
        ``first``, doubling with each further failure, at most ``longest``."""
        if failures < threshold:
            return None
        doublings = min(failures - threshold, 30)
        return min(self.first * (1 << doublings), longest)


@dataclass(frozen=True, slots=True)
class Lock:
    """Sign-in is refused until ``until``; ``scope`` is ``account`` or ``source``."""

    until: datetime
    scope: str


def account_key(email: str, secret: str) -> str:
    """The key for an email address as typed (case and outer spaces ignored)."""
    normalised = email.strip().lower().encode("utf-8")
    return hmac.new(secret.encode("utf-8"), normalised, hashlib.sha256).hexdigest()


def _keys(account: str, source: str) -> list[tuple[str, str]]:
    """The three keys of one attempt, always in this order (so row locks never deadlock)."""
    return [(account, ANY), (account, source), (ANY, source)]


def _forgotten(row: SignInThrottle, now: datetime, rules: LockoutRules) -> bool:
    latest = max(row.last_failure_at, row.locked_until or row.last_failure_at)
    return now - latest >= rules.forget


def active_lock(
    session: Session, account: str, source: str, now: datetime, rules: LockoutRules
) -> Lock | None:
    """The lock that stops this account being tried from this source now, if any
    (the one that lasts longest, when several apply)."""
    rows = session.scalars(
        select(SignInThrottle).where(
            tuple_(SignInThrottle.account_key, SignInThrottle.source).in_(_keys(account, source))
        )
    )
    locks = [
        Lock(row.locked_until, "source" if row.account_key == ANY else "account")
        for row in rows
        if row.locked_until is not None and row.locked_until > now
    ]
    return max(locks, key=lambda lock: lock.until, default=None)


def _row_for_update(session: Session, account: str, source: str, now: datetime) -> SignInThrottle:
    lock_for_write(session)  # SQLite ignores FOR UPDATE: count under the write lock
    query = (
        select(SignInThrottle)
        .where(SignInThrottle.account_key == account, SignInThrottle.source == source)
        .with_for_update()
        .execution_options(populate_existing=True)  # the values after waiting for the lock
    )
    row = session.scalars(query).first()
    if row is not None:
        return row
    try:
        with session.begin_nested():  # another request may create the same row meanwhile
            row = SignInThrottle(
                account_key=account, source=source, failures=0, last_failure_at=now
            )
            session.add(row)
        return row
    except IntegrityError:
        return session.scalars(query).one()


def record_failure(
    session: Session, account: str, source: str, now: datetime, rules: LockoutRules
) -> tuple[int, Lock | None]:
    """Count one failed sign-in under all three keys.

    Returns:
        the failures so far of this account from this source, and the lock this failure
        started (None if it started none).
    """
    _forget_old(session, now, rules)
    started: list[Lock] = []
    pair_failures = 0
    for key_account, key_source in _keys(account, source):
        row = _row_for_update(session, key_account, key_source, now)
        if _forgotten(row, now, rules):
            row.failures, row.locked_until = 0, None
        row.failures += 1
        row.last_failure_at = now
        if key_account == ANY:
            duration = rules.lock_for(row.failures, rules.source_after, rules.longest)
        elif key_source == ANY:
            duration = rules.lock_for(row.failures, rules.after, rules.account_longest)
        else:
            pair_failures = row.failures
            duration = rules.lock_for(row.failures, rules.after, rules.longest)
        if duration is not None:
            row.locked_until = now + duration
            started.append(Lock(row.locked_until, "source" if key_account == ANY else "account"))
    session.flush()
    return pair_failures, max(started, key=lambda lock: lock.until, default=None)


def clear_account(session: Session, account: str, source: str | None = None) -> int:
    """Forget an account's failures: from ``source`` and overall (after a successful
    sign-in), or from every source (``source=None``: unlock, password reset)."""
    query = delete(SignInThrottle).where(SignInThrottle.account_key == account)
    if source is not None:
        query = query.where(SignInThrottle.source.in_((ANY, source)))
    result = session.execute(query.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def account_lock(session: Session, account: str, now: datetime) -> datetime | None:
    """Until when the account is locked for at least one source (None if it is not)."""
    until = session.scalars(
        select(SignInThrottle.locked_until)
        .where(SignInThrottle.account_key == account, SignInThrottle.locked_until > now)
        .order_by(SignInThrottle.locked_until.desc())
        .limit(1)
    ).first()
    return until


def _forget_old(session: Session, now: datetime, rules: LockoutRules) -> None:
    """Delete rows that are forgotten anyway (they would count from zero)."""
    cutoff = now - rules.forget
    session.execute(
        delete(SignInThrottle)
        .where(
            SignInThrottle.last_failure_at <= cutoff,
            or_(SignInThrottle.locked_until.is_(None), SignInThrottle.locked_until <= cutoff),
        )
        .execution_options(synchronize_session=False)
    )
