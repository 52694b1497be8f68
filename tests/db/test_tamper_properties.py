"""Property: whatever a DBA edits, deletes, reorders or truncates, ``verify`` fails.

The database is populated once (the demo, plus a viewing decision and a digest, so
every record kind exists) and checkpointed. Each example then applies one random
tampering in a transaction, verifies, and rolls back; an untouched example must verify
clean. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from safeside.access.models import ROLES, User
from safeside.audit_log.checkpoint import read_checkpoints
from safeside.audit_log.keys import PublicKey, SigningKey
from safeside.audit_log.models import AuditEvent
from safeside.audit_log.sealing import row_hash
from safeside.audit_log.verify import Checkpoint, Report, verify_database
from safeside.db.session import Database

from .tamper import (
    KINDS,
    change,
    events_sealing,
    mutable_columns,
    populate_every_kind,
    rechain,
    renumber,
    reseal_in_log,
    rows,
    without_foreign_keys,
    write_checkpoint,
)

#: Examples per database (CI: 25; set SAFESIDE_TAMPER_EXAMPLES to search harder).
EXAMPLES = int(os.environ.get("SAFESIDE_TAMPER_EXAMPLES", "25"))

kind_names = st.sampled_from([kind for kind, _ in KINDS])
index = st.integers(min_value=0, max_value=10_000)

#: One tampering: a name and its arguments (indexes are taken modulo what exists).
tamperings = st.one_of(
    st.tuples(st.just("edit record"), kind_names, index, index),
    st.tuples(st.just("edit record, reseal it and rewrite the chain"), kind_names, index, index),
    st.tuples(st.just("delete record"), kind_names, index),
    st.tuples(st.just("delete record and its events, renumber, rechain"), kind_names, index),
    st.tuples(st.just("edit event"), index, st.sampled_from(["actor_name", "detail_json"])),
    st.tuples(st.just("edit event and rewrite the chain"), index),
    st.tuples(st.just("delete event"), index),
    st.tuples(st.just("delete event, renumber, rechain"), index),
    st.tuples(st.just("swap two events and rewrite the chain"), index, index),
    st.tuples(st.just("truncate the newest events"), st.integers(min_value=1, max_value=40)),
    st.tuples(st.just("delete the newest record and every event from its creation"), kind_names),
    st.tuples(st.just("change a password hash"), index),
    st.tuples(st.just("change a role"), index),
)


def _pick(items: list[Any], number: int) -> Any:
    return items[number % len(items)]


def _events(session: Session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def apply(session: Session, tampering: tuple[Any, ...]) -> None:
    """Do ``tampering`` in ``session``'s transaction, as a DBA with write access could."""
    name, *args = tampering
    without_foreign_keys(session)
    if name.startswith("edit record"):
        kind, row_number, column_number = args
        row = _pick(rows(session, kind), row_number)
        change(row, _pick(mutable_columns(row), column_number))
        session.flush()
        if "reseal" in name:
            new_hash = row.seal() if hasattr(row, "seal") else row_hash(row)
            session.flush()
            reseal_in_log(session, kind, row.id, new_hash)
    elif name == "delete record":
        kind, row_number = args
        _delete(session, _pick(rows(session, kind), row_number))
    elif name.startswith("delete record and its events"):
        kind, row_number = args
        row = _pick(rows(session, kind), row_number)
        for event in events_sealing(session, kind, row.id):
            _delete(session, event)
        _delete(session, row)
        renumber(session)
        rechain(session)
    elif name == "edit event":
        event = _pick(_events(session), args[0])
        if args[1] == "actor_name":
            event.actor_name += "x"
        else:
            event.detail_json = json.dumps({**event.detail, "edited": True}, sort_keys=True)
    elif name == "edit event and rewrite the chain":
        _pick(_events(session), args[0]).actor_name += "x"
        rechain(session)
    elif name == "delete event":
        _delete(session, _pick(_events(session), args[0]))
    elif name == "delete event, renumber, rechain":
        _delete(session, _pick(_events(session), args[0]))
        renumber(session)
        rechain(session)
    elif name == "swap two events and rewrite the chain":
        events = _events(session)
        first = _pick(events, args[0])
        second = _pick(events, args[1])
        if second is first:
            second = _pick(events, args[1] + 1)
        fields = ["at", "actor_id", "actor_name", "team_id", "action", "case_id"]
        fields += ["record_type", "record_id", "record_hash", "detail_json"]
        for column in fields:
            a, b = getattr(first, column), getattr(second, column)
            setattr(first, column, b)
            setattr(second, column, a)
        rechain(session)
    elif name == "truncate the newest events":
        last = _events(session)[-1].id
        session.execute(text("DELETE FROM audit_events WHERE id > :n"), {"n": last - args[0]})
    elif name.startswith("delete the newest record"):
        row = rows(session, args[0])[-1]
        first = events_sealing(session, args[0], row.id)[0]
        _delete(session, row)
        session.execute(text("DELETE FROM audit_events WHERE id >= :n"), {"n": first.id})
    elif name == "change a password hash":
        user = _pick(rows(session, "user"), args[0])
        user.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$forged$forged"
    elif name == "change a role":
        user = _pick(rows(session, "user"), args[0])
        user.role = next(role for role in ROLES if role != user.role)
    else:  # pragma: no cover
        raise AssertionError(name)
    session.flush()


def _delete(session: Session, row: Any) -> None:
    """``DELETE`` the row in SQL (the ORM would also touch rows that refer to it)."""
    model = type(row)
    session.execute(delete(model).where(model.id == row.id))


def check(database: Database, checkpoints: list[Checkpoint], tampering: Any) -> Report:
    """Tamper (or not), verify, and roll everything back."""
    with database.engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            if tampering is not None:
                apply(session, tampering)
            session.expunge_all()
            return verify_database(session, checkpoints)
        finally:
            session.close()
            transaction.rollback()


def test_every_tampering_fails_verify_and_untouched_passes(
    database: Database, tmp_path: Path
) -> None:
    populate_every_kind(database)
    key = SigningKey.generate()
    path = tmp_path / "checkpoints.jsonl"
    with database.session() as session:
        for kind, _ in KINDS:
            assert rows(session, kind), f"the population has no {kind}"
        assert session.scalars(select(User)).first() is not None
        write_checkpoint(session, key, path)
    trusted = {key.key_id: PublicKey(key.key_id, key.public_key)}
    checkpoints, problems = read_checkpoints(path, trusted)
    assert problems == [] and len(checkpoints) == 1

    @settings(max_examples=EXAMPLES, deadline=None)
    @given(tampering=st.none() | tamperings)
    def run(tampering: Any) -> None:
        untouched = check(database, checkpoints, None)
        assert untouched.ok, untouched.problems
        report = check(database, checkpoints, tampering)
        if tampering is None:
            assert report.ok, report.problems
        else:
            assert not report.ok, f"{tampering} was not detected"

    run()
