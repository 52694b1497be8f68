"""``safeside verify``: recompute every hash and name the exact record altered or removed.

Four checks, each reported as a :class:`Problem` naming table and id:

1. the audit chain: each event's hash is recomputed and must follow the one before;
   a gap in ids means events were removed;
2. every sealed record: its stored hash must equal its recomputed hash, and the
   latest audit event about it must carry that same hash (so re-sealing an edited
   row is caught too); an event about a record that no longer exists means the
   record was removed; a record with no event was slipped in. Records sealed in the
   audit log only (CPD records, self-assessments, digests) are checked the same way
   against the hash in their latest event;
3. every evidence item: the SHA-256 of its stored bytes must equal the one recorded;
4. every signed checkpoint given (:mod:`safeside.audit_log.checkpoint`): the event at
   its head must still be there with the same hash (else the chain was cut short or
   rewritten), and every record it counted must still exist (or have been deleted by
   a later audit event). This is what catches deletion from the *end* of the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.models import GENESIS, AuditEvent
from safeside.audit_log.sealing import event_seals, legacy_user_hash, row_hash
from safeside.db.models import CHAINED_MODELS, EVENT_SEALED_MODELS, EvidenceItem

#: How each record kind is named in messages (singular, plural).
KIND_NAMES = {
    "team": ("team", "teams"),
    "user": ("user", "users"),
    "case": ("case", "cases"),
    "case_member": ("case member", "case members"),
    "justification": ("justification", "justifications"),
    "viewing_decision": ("viewing decision", "viewing decisions"),
    "evidence": ("evidence item", "evidence items"),
    "task": ("task", "tasks"),
    "cpd_record": ("CPD record", "CPD records"),
    "self_assessment": ("self-assessment", "self-assessments"),
    "digest": ("digest", "digests"),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One integrity failure, in words a person can act on."""

    table: str
    record_id: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.table} {self.record_id}" if self.record_id is not None else self.table
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A head the chain must still reach, from the checkpoint file, a bundle or a JSON file.

    ``records`` maps a record kind to the ``(first, last)`` runs of ids that existed
    then (None when the source does not say).
    """

    event_id: int
    event_hash: str
    label: str
    records: dict[str, list[tuple[int, int]]] | None = None


@dataclass(slots=True)
class Report:
    """The outcome of a verification and what was counted."""

    events: int = 0
    records: int = 0
    evidence_bytes: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def id_runs(ids: Sequence[int]) -> str:
    """``[20, 21, 22, 25]`` as ``20-22, 25``."""
    runs: list[list[int]] = []
    for number in sorted(ids):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)


def _named(kind: str, ids: Sequence[int]) -> str:
    one, many = KIND_NAMES.get(kind, (kind.replace("_", " "), kind.replace("_", " ") + "s"))
    return f"{one if len(ids) == 1 else many} {id_runs(ids)}"


def verify_database(session: Session, checkpoints: Sequence[Checkpoint] = ()) -> Report:
    """Check the audit chain, every sealed record and original, and every checkpoint."""
    report = Report()
    latest: dict[tuple[str, int], tuple[int, str]] = {}
    wanted = {checkpoint.event_id for checkpoint in checkpoints}
    head_hashes: dict[int, str] = {}
    gaps: list[tuple[int, int]] = []
    previous_hash, previous_id = GENESIS, 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        report.events += 1
        if event.id != previous_id + 1:
            gaps.append((previous_id + 1, event.id - 1))
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
        try:
            detail: Any = json.loads(event.detail_json or "{}")
        except ValueError:
            detail = {}
        for kind, record_id, record_hash in event_seals(
            event.record_type, event.record_id, event.record_hash, detail
        ):
            latest[(kind, record_id)] = (event.id, record_hash)
        if event.id in wanted:
            head_hashes[event.id] = event.event_hash
        previous_hash, previous_id = event.event_hash, event.id

    present: dict[str, set[int]] = {}
    removed: set[tuple[str, int]] = set()
    kinds: list[tuple[Any, str, bool]] = [(m, m.record_type, True) for m in CHAINED_MODELS]
    kinds += [(model, kind, False) for model, kind in EVENT_SEALED_MODELS.items()]
    for model, kind, has_column in kinds:
        table = model.__tablename__
        seen = present.setdefault(kind, set())
        for row in session.scalars(select(model).order_by(model.id)):
            report.records += 1
            seen.add(row.id)
            problem = _check_row(row, table, kind, has_column, latest)
            if problem is not None:
                report.problems.append(problem)
            if isinstance(row, EvidenceItem) and isinstance(row.content, bytes):
                report.evidence_bytes += len(row.content)
                if hashlib.sha256(row.content).hexdigest() != row.sha256:
                    report.problems.append(
                        Problem(table, row.id, "original file was altered (SHA-256 differs)")
                    )
        for (record_type, record_id), (event_id, record_hash) in sorted(latest.items()):
            if record_type == kind and record_id not in seen and record_hash:
                removed.add((record_type, record_id))
                report.problems.append(
                    Problem(table, record_id, f"was removed (recorded by audit event {event_id})")
                )
    _check_checkpoints(
        report, checkpoints, head_hashes, gaps, previous_id, present, latest, removed
    )
    return report


def _check_row(
    row: Any,
    table: str,
    kind: str,
    has_column: bool,
    latest: dict[tuple[str, int], tuple[int, str]],
) -> Problem | None:
    wrong = _wrong_types(row)
    if wrong:
        return Problem(table, row.id, f"was altered: {wrong} holds a value of the wrong type")
    actual = row.compute_hash() if has_column else row_hash(row)
    sealed = latest.get((kind, row.id))
    if sealed is None:
        return Problem(table, row.id, "has no audit event: it was added outside Safeside")
    event_id, sealed_hash = sealed
    if not sealed_hash:
        return Problem(
            table, row.id, f"was deleted (audit event {event_id}) but is in the database again"
        )
    if actual == sealed_hash and (not has_column or actual == row.record_hash):
        return None
    if isinstance(row, User) and row.record_hash == sealed_hash == legacy_user_hash(row):
        return Problem(
            table,
            row.id,
            "was sealed by an older Safeside, without its password hash: run "
            "`safeside db upgrade` to seal it",
        )
    return Problem(
        table, row.id, f"was altered (its content no longer matches audit event {event_id})"
    )


def _check_checkpoints(
    report: Report,
    checkpoints: Sequence[Checkpoint],
    head_hashes: dict[int, str],
    gaps: list[tuple[int, int]],
    last_id: int,
    present: dict[str, set[int]],
    latest: dict[tuple[str, int], tuple[int, str]],
    removed: set[tuple[str, int]],
) -> None:
    """Name what is missing below the newest checkpoint, and a rewritten head."""
    if not checkpoints:
        return
    ordered = sorted(checkpoints, key=lambda c: (c.event_id, c.records is not None))
    matched = 0
    for checkpoint in ordered:
        found = head_hashes.get(checkpoint.event_id)
        if checkpoint.event_id == 0 or found is None:
            continue
        if found == checkpoint.event_hash:
            matched = checkpoint.event_id
            continue
        report.problems.append(
            Problem(
                "audit_events",
                None,
                f"events {matched + 1}-{checkpoint.event_id} were rewritten or reordered: "
                f"event {checkpoint.event_id} no longer has the hash recorded in {checkpoint.label}",
            )
        )
        break

    newest = ordered[-1]
    missing_events = [
        number
        for first, last in [*gaps, (last_id + 1, newest.event_id)]
        for number in range(first, min(last, newest.event_id) + 1)
    ]
    with_records = [c for c in ordered if c.records is not None]
    missing: list[str] = []
    if missing_events:
        missing.append(f"event{'s' if len(missing_events) > 1 else ''} {id_runs(missing_events)}")
    if with_records:
        records = with_records[-1].records or {}
        for kind, runs in records.items():
            gone = [
                record_id
                for first, last in runs
                for record_id in range(first, last + 1)
                if record_id not in present.get(kind, set())
                and (kind, record_id) not in removed
                and latest.get((kind, record_id), (0, "sealed"))[1] != ""
            ]
            if gone:
                missing.append(_named(kind, gone))
    if missing:
        what = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        verb = "are" if len(missing) > 1 or _is_plural(missing[0]) else "is"
        report.problems.append(
            Problem("checkpoint", None, f"{what} {verb} missing below {newest.label}")
        )
    newer = last_id - newest.event_id
    report.notes.append(
        f"Checked against {newest.label} (event {newest.event_id})"
        + (f"; {newer} newer event(s) are not covered by a checkpoint yet." if newer > 0 else ".")
    )


def _is_plural(phrase: str) -> bool:
    return phrase.startswith("events ") or any(
        phrase.startswith(many + " ") for _, many in KIND_NAMES.values()
    )


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
