"""Tamper tests: change the database behind Safeside's back and ``verify`` names the record."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from safeside.audit_log.models import AuditEvent
from safeside.audit_log.verify import verify_database
from safeside.cli import app
from safeside.db.models import EvidenceItem, Task
from safeside.db.session import Database


def problems(database: Database) -> list[str]:
    with database.session() as session:
        return [str(p) for p in verify_database(session).problems]


def raw(database: Database, sql: str, **params: object) -> None:
    with database.engine.begin() as connection:
        connection.execute(text(sql), params)


def first_id(database: Database, model: type) -> int:
    with database.session() as session:
        return int(session.scalars(select(model.id).order_by(model.id)).first())


def test_a_fresh_database_verifies_clean(database: Database) -> None:
    with database.session() as session:
        report = verify_database(session)
    assert report.ok, report.problems
    assert report.events > 10
    assert report.records > 10


def test_editing_evidence_text_is_named(database: Database) -> None:
    item = first_id(database, EvidenceItem)
    raw(database, "UPDATE evidence_items SET text = 'nothing to see' WHERE id = :id", id=item)

    found = problems(database)
    assert len(found) == 1
    assert found[0].startswith(f"evidence_items {item}: was altered (its content no longer")


def test_resealing_an_edited_row_is_still_caught(database: Database) -> None:
    item = first_id(database, EvidenceItem)
    with database.session() as session:
        row = session.get_one(EvidenceItem, item)
        row.author_handle = "@someone_else"
        row.seal()  # the attacker recomputes the row's own hash

    assert any(p.startswith(f"evidence_items {item}: was altered") for p in problems(database))


def test_replacing_the_original_bytes_is_caught(database: Database) -> None:
    item = first_id(database, EvidenceItem)
    raw(database, "UPDATE evidence_items SET content = :c WHERE id = :id", c=b"forged", id=item)

    assert f"evidence_items {item}: original file was altered (SHA-256 differs)" in problems(
        database
    )


def test_text_where_bytes_belong_is_named_not_a_crash(database: Database) -> None:
    item = first_id(database, EvidenceItem)
    if database.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite lets a text value into a bytes column")
    raw(database, "UPDATE evidence_items SET content = 'forged' WHERE id = :id", id=item)

    assert f"evidence_items {item}: was altered: content holds a value of the wrong type" in (
        problems(database)
    )


def test_deleting_a_task_is_named(database: Database) -> None:
    task = first_id(database, Task)
    raw(database, "DELETE FROM tasks WHERE id = :id", id=task)

    found = problems(database)
    assert len(found) == 1
    assert found[0].startswith(f"tasks {task}: was removed (recorded by audit event")


def test_editing_an_audit_event_is_named(database: Database) -> None:
    raw(database, "UPDATE audit_events SET actor_name = 'Nobody' WHERE id = 3")

    assert "audit_events 3: was altered after it was written" in problems(database)


def test_deleting_an_audit_event_is_named(database: Database) -> None:
    raw(database, "DELETE FROM audit_events WHERE id = 4")

    assert "audit_events 5: event(s) 4 before it were removed" in problems(database)


def test_a_row_added_outside_safeside_is_named(database: Database) -> None:
    with database.session() as session:
        template = session.scalars(select(Task)).first()
        assert template is not None
        session.add(
            Task(
                case_id=template.case_id,
                action_id="x",
                concern="threat",
                text="Slipped in",
                urgency="today",
                severity="high",
                owner_id=template.owner_id,
                status="open",
            )
        )
        session.flush()
        new_id = session.scalars(select(Task.id).order_by(Task.id.desc())).first()

    assert any(p.startswith(f"tasks {new_id}: has no audit event") for p in problems(database))


@pytest.fixture
def cli_env(sqlite_database: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("SAFESIDE_DATABASE_URL", sqlite_database.url)
    return sqlite_database


def test_cli_verify_reports_ok_then_names_the_altered_record(cli_env: Database) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["verify"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output

    item = first_id(cli_env, EvidenceItem)
    raw(cli_env, "UPDATE evidence_items SET url = 'https://example.org/x' WHERE id = :id", id=item)
    result = runner.invoke(app, ["verify"])

    assert result.exit_code == 1
    assert f"evidence_items {item}: was altered" in result.output
    assert "Traceback" not in result.output


def test_cli_verify_on_an_empty_database_says_what_to_do(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFESIDE_DATABASE_URL", f"sqlite:///{tmp_path}/empty.db")
    result = CliRunner().invoke(app, ["verify"])
    assert result.exit_code == 1
    assert "no Safeside tables" in result.output


def test_audit_events_are_chained_in_order(database: Database) -> None:
    with database.session() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [e.id for e in events] == list(range(1, len(events) + 1))
    assert all(b.prev_hash == a.event_hash for a, b in itertools.pairwise(events))
