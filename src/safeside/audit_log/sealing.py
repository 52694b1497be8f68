"""Sealing what the record tables cannot seal themselves.

Two kinds of record need help:

- **Records sealed in the audit log only** (:data:`safeside.db.models.EVENT_SEALED_MODELS`:
  CPD records, self-assessments, digests). Their tables have no ``record_hash`` column.
  Every insert or change of one is noticed when the session flushes it, and the next
  :func:`~safeside.audit_log.log.append_event` in the same transaction seals it: the
  event carries its type, id and content hash (more than one: ``detail.also_sealed``).
  An event whose action deletes such a record (:data:`DELETING_ACTIONS`) carries an
  empty hash, so ``verify`` knows the record is meant to be gone.
- **Users sealed by an older Safeside**, which left the password hash and
  ``disabled_at`` out of the seal. :func:`seal_existing` (run by ``safeside db upgrade``
  and at start-up) seals them again with one audit event each, but only where the row
  still matches what the audit log last recorded, so an earlier edit is not laundered.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from safeside.db.base import content_hash

#: ``session.info`` key: event-sealed rows flushed but not yet sealed by an event.
PENDING = "safeside.pending_seals"

#: Actions that delete an event-sealed record: action -> (record type, detail key of its id).
DELETING_ACTIONS = {"deleted_cpd_record": ("cpd_record", "cpd_record")}

Seal = tuple[str, int, str]


def row_hash(row: Any) -> str:
    """The content hash of an event-sealed row: every column, canonical JSON."""
    table = row.__table__
    return content_hash({c.name: getattr(row, c.key) for c in table.columns})


def _event_sealed() -> dict[type[Any], str]:
    from safeside.db.models import EVENT_SEALED_MODELS

    return EVENT_SEALED_MODELS


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    models = _event_sealed()
    pending: dict[tuple[str, int], Any] | None = None
    for row in (*session.new, *session.dirty):
        kind = models.get(type(row))
        if kind is None:
            continue
        if pending is None:
            pending = session.info.setdefault(PENDING, {})
        pending[(kind, row.id)] = row


def _forget(session: Session, *_: object) -> None:
    session.info.pop(PENDING, None)


event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "after_rollback", _forget)
event.listen(Session, "after_commit", _forget)


def take_pending(session: Session, skip: tuple[str, int] | None = None) -> list[Seal]:
    """The seals of every event-sealed row flushed since the last event (and forget them)."""
    pending: dict[tuple[str, int], Any] = session.info.pop(PENDING, {})
    seals = []
    for (kind, record_id), row in sorted(pending.items(), key=lambda item: item[0]):
        if (kind, record_id) == skip or not inspect(row).persistent:
            continue
        seals.append((kind, record_id, row_hash(row)))
    return seals


def mark_pending(session: Session, rows: list[Any]) -> None:
    """Treat ``rows`` as flushed, so the next event seals them (used by :func:`seal_existing`)."""
    models = _event_sealed()
    pending = session.info.setdefault(PENDING, {})
    for row in rows:
        pending[(models[type(row)], row.id)] = row


def event_seals(
    record_type: str, record_id: int | None, record_hash: str, detail: Any
) -> list[Seal]:
    """Every (type, id, hash) an event seals: its record, then ``detail.also_sealed``."""
    seals: list[Seal] = []
    if record_type and record_id is not None:
        seals.append((record_type, record_id, record_hash))
    also = detail.get("also_sealed") if isinstance(detail, dict) else None
    if isinstance(also, list):
        for entry in also:
            if (
                isinstance(entry, list)
                and len(entry) == 3
                and isinstance(entry[0], str)
                and isinstance(entry[1], int)
                and isinstance(entry[2], str)
            ):
                seals.append((entry[0], entry[1], entry[2]))
    return seals


def legacy_user_hash(user: Any) -> str:
    """A user's hash as Safeside sealed it before password hashes were sealed."""
    from safeside.access.models import LEGACY_USER_UNSEALED

    table = user.__table__
    skip = LEGACY_USER_UNSEALED | {"record_hash"}
    return content_hash({c.name: getattr(user, c.key) for c in table.columns if c.name not in skip})


def seal_existing(session: Session) -> tuple[int, int]:
    """Seal users sealed the old way and event-sealed rows no event has sealed yet.

    Returns:
        (users sealed again, other rows sealed).
    """
    from safeside.access.models import User
    from safeside.audit_log.log import append_event
    from safeside.audit_log.models import AuditEvent

    users = 0
    for user in session.scalars(select(User).order_by(User.id)):
        legacy = legacy_user_hash(user)
        if user.record_hash != legacy or user.compute_hash() == legacy:
            continue
        last = session.scalars(
            select(AuditEvent.record_hash)
            .where(AuditEvent.record_type == User.record_type, AuditEvent.record_id == user.id)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).first()
        if last != legacy:  # changed behind Safeside's back: leave it for verify to name
            continue
        append_event(
            session,
            "sealed_records",
            record=user,
            team_id=user.team_id,
            detail={"why": "password hash and account status are now sealed"},
        )
        users += 1
    kinds = list(_event_sealed().values())
    already = session.scalars(
        select(AuditEvent.id).where(AuditEvent.record_type.in_(kinds)).limit(1)
    ).first()
    rows: list[Any] = []
    if already is None:
        for model in _event_sealed():
            rows.extend(session.scalars(select(model).order_by(model.id)))
    if rows:
        mark_pending(session, rows)
        append_event(
            session,
            "sealed_records",
            detail={"why": "CPD records, self-assessments and digests are now sealed"},
        )
    return users, len(rows)
