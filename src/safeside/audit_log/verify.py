"""``safeside verify``: recompute every hash and name the exact record altered or removed.

Three checks, each reported as a :class:`Problem` naming table and id:

1. the audit chain: each event's hash is recomputed and must follow the one before;
   a gap in ids means events were removed;
2. every sealed record: its stored hash must equal its recomputed hash, and the
   latest audit event about it must carry that same hash (so re-sealing an edited
   row is caught too); an event about a record that no longer exists means the
   record was removed; a record with no event was slipped in;
3. every evidence item: the SHA-256 of its stored bytes must equal the one recorded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.audit_log.models import GENESIS, AuditEvent
from safeside.db.models import CHAINED_MODELS, EvidenceItem


@dataclass(frozen=True, slots=True)
class Problem:
    """One integrity failure, in words a person can act on."""

    table: str
    record_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.table} {self.record_id}" if self.record_id is not None else self.table
        return f"{where}: {self.message}"


@dataclass(slots=True)
class Report:
    """The outcome of a verification and what was counted."""

    events: int = 0
    records: int = 0
    evidence_bytes: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_database(session: Session) -> Report:
    """Check the audit chain, every sealed record and every stored original."""
    report = Report()
    latest_hash: dict[tuple[str, int], tuple[int, str]] = {}
    previous_hash, previous_id = GENESIS, 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        report.events += 1
        if event.id != previous_id + 1:
            missing = (
                f"{previous_id + 1}"
                if event.id == previous_id + 2
                else f"{previous_id + 1}–{event.id - 1}"
            )
            report.problems.append(
                Problem("audit_events", event.id, f"event(s) {missing} before it were removed")
            )
        elif event.prev_hash != previous_hash:
            report.problems.append(
                Problem(
                    "audit_events", event.id, "does not follow the event before it (chain broken)"
                )
            )
        if event.compute_hash() != event.event_hash:
            report.problems.append(
                Problem("audit_events", event.id, "was altered after it was written")
            )
        if event.record_type and event.record_id is not None:
            latest_hash[(event.record_type, event.record_id)] = (event.id, event.record_hash)
        previous_hash, previous_id = event.event_hash, event.id

    for model in CHAINED_MODELS:
        table = model.__tablename__
        seen: set[int] = set()
        for row in session.scalars(select(model).order_by(model.id)):  # type: ignore[arg-type]
            report.records += 1
            seen.add(row.id)
            wrong = _wrong_types(row)
            if wrong:
                report.problems.append(
                    Problem(table, row.id, f"was altered: {wrong} holds a value of the wrong type")
                )
                continue
            actual = row.compute_hash()
            sealed = latest_hash.get((model.record_type, row.id))
            if sealed is None:
                report.problems.append(
                    Problem(table, row.id, "has no audit event: it was added outside Safeside")
                )
            elif actual != row.record_hash or actual != sealed[1]:
                report.problems.append(
                    Problem(
                        table,
                        row.id,
                        f"was altered (its content no longer matches audit event {sealed[0]})",
                    )
                )
            if isinstance(row, EvidenceItem):
                report.evidence_bytes += len(row.content)
                if hashlib.sha256(row.content).hexdigest() != row.sha256:
                    report.problems.append(
                        Problem(table, row.id, "original file was altered (SHA-256 differs)")
                    )
        for (record_type, record_id), (event_id, _) in sorted(latest_hash.items()):
            if record_type == model.record_type and record_id not in seen:
                report.problems.append(
                    Problem(table, record_id, f"was removed (recorded by audit event {event_id})")
                )
    return report


def _wrong_types(row: object) -> str:
    """The first column whose stored value is not of the column's Python type ('' if none).

    SQLite stores whatever it is given (``UPDATE evidence_items SET content = 'forged'``
    puts text where bytes belong); such a row is named, not allowed to crash verify.
    """
    for column in row.__table__.columns:  # type: ignore[attr-defined]
        value = getattr(row, column.key)
        if value is None:
            continue
        try:
            expected = column.type.python_type
        except NotImplementedError:
            continue
        if expected is float and isinstance(value, int):
            continue
        if not isinstance(value, expected):
            return str(column.name)
    return ""
