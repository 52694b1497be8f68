"""What a DBA with write access could do to the database, and how tests check for it.

Every helper works in the caller's session (one transaction), so a property test can
tamper, verify, and roll back.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Date, select, text
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.checkpoint import (
    FileSink,
    head_statement,
    read_checkpoints,
    set_up_signing,
    trusted_keys,
)
from safeside.audit_log.keys import SigningKey
from safeside.audit_log.log import append_event
from safeside.audit_log.models import GENESIS, AuditEvent
from safeside.audit_log.verify import Checkpoint, verify_database
from safeside.cases.models import Case
from safeside.cases.service import (
    Capture,
    JustificationForm,
    capture_evidence,
    decide_viewing,
    record_justification,
)
from safeside.db.base import UTCDateTime
from safeside.db.models import CHAINED_MODELS, EVENT_SEALED_MODELS, LearningDigest
from safeside.db.session import Database
from safeside.settings import Settings
from safeside.testing import example_check

#: Every sealed record kind: (kind, model).
KINDS: list[tuple[str, Any]] = [(m.record_type, m) for m in CHAINED_MODELS] + [
    (kind, model) for model, kind in EVENT_SEALED_MODELS.items()
]
MODELS = dict(KINDS)


def settings_for(database: Database, data_dir: Path, **changes: Any) -> Settings:
    settings = Settings(database_url=database.url, data_dir=data_dir, secret_key="t" * 40)
    return replace(settings, **changes)


def signed(database: Database, data_dir: Path, **changes: Any) -> Settings:
    """Settings for ``data_dir``, the key made there and a start-up checkpoint written."""
    settings = settings_for(database, data_dir, **changes)
    set_up_signing(settings, database)
    return settings


def findings(database: Database, settings: Settings, *extra: Path) -> list[str]:
    """What ``safeside verify`` would report: the database against every checkpoint."""
    with database.session() as session:
        trusted = trusted_keys(settings, session)
        checkpoints: list[Checkpoint] = []
        problems = []
        for path in [settings.checkpoint_path, *extra]:
            if path.exists():
                found, wrong = read_checkpoints(path, trusted)
                checkpoints += found
                problems += wrong
        report = verify_database(session, checkpoints)
    return [str(p) for p in problems + report.problems]


def raw(database: Database, sql: str, **params: object) -> None:
    with database.engine.begin() as connection:
        connection.execute(text(sql), params)


def populate_every_kind(database: Database) -> None:
    """Add what the demo lacks: a manager's viewing decision, a second capture that raises
    the demo's task again (a task-evidence link) and a saved digest."""
    with database.session() as session:
        sam = session.scalars(select(User).where(User.full_name == "Sam Patel")).one()
        jo = session.scalars(select(User).where(User.full_name == "Jo Reid")).one()
        case = session.scalars(select(Case).where(Case.reference == "EA-2026-0142")).one()
        justification = record_justification(
            session,
            sam,
            case,
            JustificationForm(
                purpose="A second post about me was shown to me.",
                necessity="To decide with my manager whether the threat continues.",
                legal_basis="staff_safety",
                subject="Parent A (fictional)",
                how_seen="shown_to_me",
                viewed_before=True,
            ),
        )
        decide_viewing(session, jo, justification, True, "Proportionate: same person, same risk.")
        again = "I still know where you live."
        capture_evidence(
            session,
            sam,
            case,
            justification,
            Capture("text", again.encode(), again, "pasted"),
            example_check(),
        )
        digest = LearningDigest(
            owner_id=sam.id,
            title="Practice chat digest",
            source_name="chat.txt",
            posts=3,
            safe_to_share=True,
            digest_json="{}",
            cpd_draft_json="{}",
        )
        session.add(digest)
        session.flush()
        append_event(session, "created_digest", actor=sam, detail={"digest": digest.id, "posts": 3})


def write_checkpoint(session: Session, key: SigningKey, path: Path) -> None:
    """Write a signed checkpoint of ``session``'s view of the chain to ``path``."""
    FileSink(path).write(head_statement(session, "Test council", "test"), key)


# -- Tampering, in one session ----------------------------------------------------------------


def without_foreign_keys(session: Session) -> None:
    """Let the rest of this transaction break foreign keys, as a DBA could."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
    else:
        session.execute(text("SET LOCAL session_replication_role = replica"))


def rechain(session: Session) -> None:
    """Recompute every event's ``prev_hash`` and ``event_hash``: the chain looks whole again."""
    session.flush()
    session.expunge_all()
    previous = GENESIS
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        event.prev_hash = previous
        event.event_hash = event.compute_hash()
        previous = event.event_hash
    session.flush()


def renumber(session: Session) -> None:
    """Close every gap in the event ids (after events were deleted)."""
    session.flush()
    session.expunge_all()
    ids = list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))
    session.execute(text("UPDATE audit_events SET id = -id"))
    for new, old in enumerate(ids, start=1):
        session.execute(
            text("UPDATE audit_events SET id = :new WHERE id = :old"), {"new": new, "old": -old}
        )


def rows(session: Session, kind: str) -> list[Any]:
    model = MODELS[kind]
    return list(session.scalars(select(model).order_by(model.id)))


def mutable_columns(row: Any) -> list[str]:
    """The sealed columns a DBA could change (not the id, hash or unsealed state)."""
    skip = {"id", "record_hash", "content", *getattr(row, "unsealed", ())}
    return sorted(c.key for c in row.__table__.columns if c.name not in skip)


def change(row: Any, column: str) -> None:
    """Give ``row.column`` a different value of the same type."""
    value = getattr(row, column)
    column_type = row.__table__.columns[column].type
    if value is None:
        if isinstance(column_type, UTCDateTime):
            setattr(row, column, datetime(2026, 1, 1, tzinfo=UTC))
        elif isinstance(column_type, Date):
            setattr(row, column, date(2026, 1, 1))
        else:
            setattr(row, column, {int: 1, str: "x"}[column_type.python_type])
    elif isinstance(value, bool):
        setattr(row, column, not value)
    elif isinstance(value, str):
        setattr(row, column, value + "x")
    elif isinstance(value, int):
        setattr(row, column, value + 1)
    elif isinstance(value, datetime):
        setattr(row, column, value + timedelta(seconds=1))
    else:
        setattr(row, column, value + timedelta(days=1))


def events_sealing(session: Session, kind: str, record_id: int) -> list[AuditEvent]:
    found = []
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        also = json.loads(event.detail_json).get("also_sealed", [])
        if (event.record_type, event.record_id) == (kind, record_id) or any(
            entry[:2] == [kind, record_id] for entry in also
        ):
            found.append(event)
    return found


def reseal_in_log(session: Session, kind: str, record_id: int, new_hash: str) -> None:
    """Rewrite the latest event about the record to carry ``new_hash``, then rechain."""
    event = events_sealing(session, kind, record_id)[-1]
    if (event.record_type, event.record_id) == (kind, record_id):
        event.record_hash = new_hash
    else:
        detail = json.loads(event.detail_json)
        for entry in detail["also_sealed"]:
            if entry[:2] == [kind, record_id]:
                entry[2] = new_hash
        event.detail_json = json.dumps(detail, sort_keys=True, ensure_ascii=False)
    rechain(session)
