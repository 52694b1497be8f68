"""Password hashes, roles and learning records are sealed: an edit in the database is named,
every change made through Safeside verifies clean."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from safeside.access.accounts import (
    change_password,
    issue_reset_link,
    redeem_reset,
    set_disabled,
    set_role,
)
from safeside.access.models import User
from safeside.access.passwords import use_hasher
from safeside.access.signin import attempt_sign_in
from safeside.access.throttle import LockoutRules
from safeside.audit_log.models import AuditEvent
from safeside.audit_log.sealing import legacy_user_hash, seal_existing
from safeside.audit_log.verify import verify_database
from safeside.db.models import CapabilityResponse, CpdRecord, LearningDigest
from safeside.db.session import Database
from safeside.demo.seed import DEMO_PASSWORD
from safeside.errors import InputError
from safeside.learning.cpd.service import delete_record, fields_of, update_record
from safeside.testing import example_check

from .tamper import populate_every_kind, raw, rechain

NOW = datetime(2026, 12, 4, 14, 2, tzinfo=UTC)


def problems(database: Database) -> list[str]:
    with database.session() as session:
        return [str(p) for p in verify_database(session).problems]


def user(session: object, name: str) -> User:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    return session.scalars(select(User).where(User.full_name == name)).one()


def last_event(database: Database) -> AuditEvent:
    with database.session() as session:
        return session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()  # type: ignore[return-value]


def test_a_password_hash_changed_in_the_database_is_named(database: Database) -> None:
    raw(database, "UPDATE users SET password_hash = 'forged' WHERE id = 3")
    found = problems(database)
    assert len(found) == 1 and found[0].startswith("users 3: was altered"), found


def test_a_role_changed_in_the_database_is_named(database: Database) -> None:
    raw(database, "UPDATE users SET role = 'admin' WHERE id = 1")
    found = problems(database)
    assert len(found) == 1 and found[0].startswith("users 1: was altered"), found


def test_re_enabling_a_disabled_account_in_the_database_is_named(database: Database) -> None:
    with database.session() as session:
        set_disabled(session, user(session, "Ash Kowalski"), user(session, "Kim Lowe"), True, NOW)
    assert problems(database) == []
    raw(database, "UPDATE users SET disabled_at = NULL WHERE full_name = 'Kim Lowe'")
    found = problems(database)
    assert len(found) == 1 and ": was altered" in found[0], found


def test_every_way_safeside_changes_a_user_seals_the_new_hash(database: Database) -> None:
    with database.session() as session:
        admin, sam = user(session, "Ash Kowalski"), user(session, "Sam Patel")
        change_password(session, sam, "a new long password 1", NOW)
        token = issue_reset_link(session, admin, sam, NOW, lifetime=timedelta(hours=1))
        redeem_reset(session, token, "another long password 2", NOW, "secret")
        set_role(session, admin, sam, "manager")
        set_disabled(session, admin, sam, True, NOW)
        set_disabled(session, admin, sam, False, NOW)
        with pytest.raises(InputError):
            set_role(session, admin, sam, "owner")
    assert problems(database) == []
    with database.session() as session:
        actions = [
            e.action
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.record_type == "user").order_by(AuditEvent.id)
            )
        ][-5:]
    assert actions == [
        "changed_password",
        "reset_password",
        "changed_role",
        "disabled_user",
        "enabled_user",
    ]


@pytest.fixture
def stronger_hashing() -> Iterator[None]:
    use_hasher(PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1))
    yield
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_a_rehash_at_sign_in_is_sealed(database: Database, stronger_hashing: None) -> None:
    with database.session() as session:
        before = user(session, "Sam Patel").password_hash
        result = attempt_sign_in(
            session,
            "sam.patel@northshire.example",
            DEMO_PASSWORD,
            source="127.0.0.1",
            now=NOW,
            rules=LockoutRules(),
            secret="secret",
        )
        assert result.user is not None and result.user.password_hash != before
    event = last_event(database)
    assert (event.action, event.record_type, event.detail["rehashed"]) == (
        "signed_in",
        "user",
        True,
    )
    assert problems(database) == []


def test_learning_records_are_sealed(database: Database) -> None:
    populate_every_kind(database)
    assert problems(database) == []
    with database.session() as session:
        cpd = session.scalars(select(CpdRecord).order_by(CpdRecord.id)).first()
        response = session.scalars(select(CapabilityResponse)).first()
        digest = session.scalars(select(LearningDigest)).first()
        assert cpd and response and digest
        ids = cpd.id, response.id, digest.id
    raw(database, "UPDATE cpd_records SET learning = 'rewritten' WHERE id = :id", id=ids[0])
    raw(database, "UPDATE capability_responses SET answers_json = '{}' WHERE id = :id", id=ids[1])
    raw(database, "UPDATE learning_digests SET posts = 99 WHERE id = :id", id=ids[2])
    found = problems(database)
    for table, record in zip(
        ("cpd_records", "capability_responses", "learning_digests"), ids, strict=True
    ):
        assert any(p.startswith(f"{table} {record}: was altered") for p in found), found


def test_cpd_records_changed_or_deleted_through_safeside_verify(database: Database) -> None:
    check = example_check()
    with database.session() as session:
        sam = user(session, "Sam Patel")
        first, second = session.scalars(select(CpdRecord).order_by(CpdRecord.id)).all()[:2]
        fields = fields_of(first)
        fields.learning = "I learned to check the privacy settings first."
        update_record(session, sam, first, fields, check)
        delete_record(session, sam, second)
        removed = second.id
    assert problems(database) == []
    raw(database, "DELETE FROM cpd_records WHERE id = :id", id=first.id)
    assert any(p.startswith(f"cpd_records {first.id}: was removed") for p in problems(database))
    with database.session() as session:  # a deleted record slipped back in is named too
        session.add(CpdRecord(**{**_columns(first), "id": removed}))
    assert any(
        p.startswith(f"cpd_records {removed}: was deleted (audit event") for p in problems(database)
    )


def _columns(row: CpdRecord) -> dict[str, object]:
    return {c.key: getattr(row, c.key) for c in CpdRecord.__table__.columns}


def _make_legacy(database: Database) -> None:
    """Turn the database into what an older Safeside wrote: users sealed without their
    password hash, learning records not sealed at all."""
    with database.session() as session:
        for row in session.scalars(select(User)):
            row.record_hash = legacy_user_hash(row)
        for event in session.scalars(select(AuditEvent)):
            if event.record_type == "user":
                row = session.get_one(User, event.record_id)
                event.record_hash = legacy_user_hash(row)
            if event.record_type in {"cpd_record", "self_assessment", "digest"}:
                event.record_type, event.record_id, event.record_hash = "", None, ""
            detail = json.loads(event.detail_json)
            if detail.pop("also_sealed", None) is not None:
                event.detail_json = json.dumps(detail, sort_keys=True, ensure_ascii=False)
        rechain(session)


def test_an_upgrade_seals_what_an_older_safeside_left_out(database: Database) -> None:
    _make_legacy(database)
    found = problems(database)
    assert any("was sealed by an older Safeside" in p for p in found)
    assert any(p.startswith("cpd_records 1: has no audit event") for p in found)
    # A user edited before the upgrade is not sealed again: verify still names it.
    raw(database, "UPDATE users SET full_name = 'Someone Else' WHERE id = 2")

    users, others = database.run(seal_existing)
    assert users == 6 and others > 0
    found = problems(database)
    assert found and all(p.startswith("users 2: ") for p in found), found
    assert database.run(seal_existing) == (0, 0)
