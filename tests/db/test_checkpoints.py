"""Signed checkpoints outside the database catch deletion from the end of the chain."""

from __future__ import annotations

import json
import socket
import stat
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from safeside.audit_log.checkpoint import (
    Anchor,
    FileSink,
    SyslogSink,
    anchor_for,
    attach,
    head_statement,
    make_sinks,
    read_checkpoints,
    set_up_signing,
    trusted_keys,
)
from safeside.audit_log.keys import PublicKey, SigningKey, SigningKeyError, read_keyring
from safeside.audit_log.log import append_event
from safeside.audit_log.models import AuditEvent
from safeside.cases.models import Task
from safeside.cli import app
from safeside.db.session import Database
from safeside.evidence.bundle_verifier import verify_bundle

from .tamper import findings, raw, settings_for, signed


def _newest_task_and_its_first_event(database: Database) -> tuple[int, int, int]:
    with database.session() as session:
        task = session.scalar(select(func.max(Task.id)))
        first = session.scalar(
            select(func.min(AuditEvent.id)).where(
                AuditEvent.record_type == "task", AuditEvent.record_id == task
            )
        )
        last = session.scalar(select(func.max(AuditEvent.id)))
    assert task and first and last
    return int(task), int(first), int(last)


def _truncate(database: Database, task: int, first_event: int) -> None:
    """Delete the newest task and every audit event from its creation onwards."""
    raw(database, "DELETE FROM audit_events WHERE id >= :id", id=first_event)
    raw(database, "DELETE FROM tasks WHERE id = :id", id=task)


def test_set_up_makes_an_owner_only_key_and_records_it(database: Database, tmp_path: Path) -> None:
    settings = signed(database, tmp_path)
    key_file = tmp_path / "signing.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    ring = read_keyring(tmp_path / "signing-keys.json")
    assert len(ring) == 1
    with database.session() as session:
        registered = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "registered_signing_key")
        ).one()
    assert registered.detail["key_id"] == ring[0].key_id
    assert registered.detail["public_key"] == ring[0].public_key
    lines = settings.checkpoint_path.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["seq"] == 1
    assert findings(database, settings) == []

    # A second start-up with nothing new writes no checkpoint and makes no new key.
    again = set_up_signing(settings, database)
    assert not again.created and not again.behind
    assert len(settings.checkpoint_path.read_text().splitlines()) == 1


def test_deleting_the_newest_task_and_its_events_is_named(
    database: Database, tmp_path: Path
) -> None:
    settings = signed(database, tmp_path)
    task, first, last = _newest_task_and_its_first_event(database)
    _truncate(database, task, first)

    found = findings(database, settings)
    missing = [p for p in found if p.startswith("checkpoint:")]
    assert missing == [
        f"checkpoint: events {first}-{last} and task {task} are missing below checkpoint 1 of "
        + missing[0].split("checkpoint 1 of ", 1)[1]
    ]
    assert missing[0].endswith(" UTC")
    assert set_up_signing(settings, database).behind  # `safeside serve` warns at start-up


def test_cli_verify_fails_on_end_truncation(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = signed(database, tmp_path)
    monkeypatch.setenv("SAFESIDE_DATABASE_URL", database.url)
    monkeypatch.setenv("SAFESIDE_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    result = runner.invoke(app, ["verify"])
    assert result.exit_code == 0, result.output
    assert "Checked against checkpoint 1 of" in result.output

    task, first, last = _newest_task_and_its_first_event(database)
    _truncate(database, task, first)
    result = runner.invoke(app, ["verify"])
    assert result.exit_code == 1
    assert f"events {first}-{last} and task {task} are missing below checkpoint 1 of" in (
        result.output
    )
    assert "Traceback" not in result.output

    # Without the data folder's file, a copy kept elsewhere still catches it.
    elsewhere = tmp_path / "kept-elsewhere.jsonl"
    settings.checkpoint_path.rename(elsewhere)
    result = runner.invoke(app, ["verify"])
    assert "No checkpoint found" in result.output
    result = runner.invoke(app, ["verify", "--checkpoint", str(elsewhere)])
    assert result.exit_code == 1
    assert f"events {first}-{last} and task {task} are missing" in result.output


def test_a_checkpoint_every_n_events_and_none_for_a_rollback(
    database: Database, tmp_path: Path
) -> None:
    settings = signed(database, tmp_path, checkpoint_every=5)
    path = settings.checkpoint_path

    def view(session: object) -> None:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        append_event(session, "viewed_audit", detail={"page": 1})

    for _ in range(12):
        database.run(view)
    assert len(path.read_text().splitlines()) == 1 + 2  # start-up, then after 5 and 10 more

    with pytest.raises(RuntimeError), database.session() as session:
        for _ in range(6):
            append_event(session, "viewed_audit")
        raise RuntimeError("the request failed")
    assert len(path.read_text().splitlines()) == 3
    assert findings(database, settings) == []


def test_a_rewritten_chain_no_longer_matches_its_checkpoint(
    database: Database, tmp_path: Path
) -> None:
    settings = signed(database, tmp_path)
    with database.session() as session:
        previous = None
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            if event.id == 3:
                event.actor_name = "Nobody"
            if previous is not None:
                event.prev_hash = previous
            event.event_hash = event.compute_hash()
            previous = event.event_hash
        last = event.id

    found = findings(database, settings)
    assert found == [
        f"audit_events: events 1-{last} were rewritten or reordered: event {last} no longer "
        "has the hash recorded in " + found[0].split("recorded in ", 1)[1]
    ]


def test_an_edited_or_removed_checkpoint_line_is_named(database: Database, tmp_path: Path) -> None:
    settings = signed(database, tmp_path, checkpoint_every=1)
    database.run(lambda session: append_event(session, "viewed_audit"))
    database.run(lambda session: append_event(session, "viewed_audit"))
    path = settings.checkpoint_path
    lines = path.read_text().splitlines()
    assert len(lines) == 3

    edited = json.loads(lines[1])
    edited["head"]["event_id"] -= 1
    path.write_text("\n".join([lines[0], json.dumps(edited), lines[2]]) + "\n")
    assert any(
        "checkpoints.jsonl line 2: does not match its signature" in p
        for p in findings(database, settings)
    )

    path.write_text("\n".join([lines[0], lines[2]]) + "\n")
    assert any(
        "checkpoints.jsonl line 2: does not follow the line before it" in p
        for p in findings(database, settings)
    )


def test_a_checkpoint_signed_by_another_key_is_refused(database: Database, tmp_path: Path) -> None:
    settings = signed(database, tmp_path)
    forged = tmp_path / "forged.jsonl"
    with database.session() as session:
        FileSink(forged).write(head_statement(session, "x", "forged"), SigningKey.generate())
        trusted = trusted_keys(settings, session)
    _, problems = read_checkpoints(forged, trusted)
    assert len(problems) == 1
    assert "which is not one of the organisation's keys" in str(problems[0])


def test_rotation_keeps_old_checkpoints_verifiable(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = signed(database, tmp_path)
    old = read_keyring(tmp_path / "signing-keys.json")[0]
    monkeypatch.setenv("SAFESIDE_DATABASE_URL", database.url)
    monkeypatch.setenv("SAFESIDE_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert f"replaces {old.key_id}" in result.output

    ring = read_keyring(tmp_path / "signing-keys.json")
    assert ring[0].key_id == old.key_id and ring[0].retired_at
    new = ring[1]
    lines = [json.loads(line) for line in settings.checkpoint_path.read_text().splitlines()]
    assert [line["key_id"] for line in lines] == [old.key_id, new.key_id]
    with database.session() as session:
        registrations = [
            e.detail
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.action == "registered_signing_key")
            )
        ]
    assert registrations[-1]["replaces"] == old.key_id
    assert findings(database, settings) == []
    result = CliRunner().invoke(app, ["keys", "show"])
    assert old.key_id in result.output and "retired" in result.output


def test_the_key_from_the_environment_or_a_file_outside_the_data_folder(
    database: Database, tmp_path: Path
) -> None:
    key = SigningKey.generate()
    from_env = settings_for(database, tmp_path / "a", signing_key=key.pem().decode())
    done = set_up_signing(from_env, database)
    assert not done.created and done.anchor.key.key_id == key.key_id
    assert not (tmp_path / "a" / "signing.key").exists()

    outside = tmp_path / "secrets" / "safeside.pem"
    in_file = settings_for(database, tmp_path / "b", signing_key_file=outside)
    done = set_up_signing(in_file, database)
    assert done.created and outside.exists() and stat.S_IMODE(outside.stat().st_mode) == 0o600
    assert not (tmp_path / "b" / "signing.key").exists()

    outside.chmod(0o644)
    with pytest.raises(SigningKeyError, match="chmod 600"):
        set_up_signing(in_file, database)


def test_syslog_and_plugin_sinks(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    port = receiver.getsockname()[1]
    (tmp_path / "my_sinks.py").write_text(
        "class Memory:\n"
        "    name = 'memory'\n"
        "    kept = []\n"
        "    def write(self, statement, key):\n"
        "        self.kept.append(statement)\n"
        "def make(settings):\n"
        "    return Memory()\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    settings = settings_for(
        database,
        tmp_path,
        checkpoint_syslog=f"udp://127.0.0.1:{port}",
        checkpoint_sinks=("my_sinks:make",),
    )
    sinks = make_sinks(settings)
    assert [type(s) for s in sinks][:2] == [FileSink, SyslogSink]
    with receiver:
        set_up_signing(settings, database)
        message = receiver.recv(65536)
    assert message.startswith(b"<37>safeside-checkpoint: {")
    kept = tmp_path / "from-syslog.log"
    kept.write_bytes(b"Dec  4 14:02:00 host " + message[4:] + b"\n")
    with database.session() as session:
        checkpoints, problems = read_checkpoints(kept, trusted_keys(settings, session))
    assert problems == [] and len(checkpoints) == 1
    import my_sinks  # type: ignore[import-not-found]

    assert my_sinks.Memory.kept and my_sinks.Memory.kept[0]["reason"] == "start-up"


def test_a_failing_sink_never_loses_the_users_work(database: Database, tmp_path: Path) -> None:
    class Broken:
        name = "broken"

        def write(self, statement: object, key: object) -> None:
            raise OSError("disk full")

    key = SigningKey.generate()
    anchor = Anchor(key, [Broken()], every=1)
    attach(database.engine, anchor)
    event_id = database.run(lambda session: append_event(session, "viewed_audit").id)
    with database.session() as session:
        assert session.get(AuditEvent, event_id) is not None
    assert anchor_for(settings_for(database, tmp_path), database.engine) is anchor
    assert PublicKey(key.key_id, key.public_key).verify(key.sign(b"x"), b"x")


def test_a_bundle_made_before_a_deletion_still_verifies_and_exposes_it(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed(database, tmp_path)
    monkeypatch.setenv("SAFESIDE_DATABASE_URL", database.url)
    monkeypatch.setenv("SAFESIDE_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    bundle = tmp_path / "last-month.zip"
    result = runner.invoke(app, ["bundle", "EA-2026-0142", "--out", str(bundle)])
    assert result.exit_code == 0, result.output
    head = json.loads(zipfile.ZipFile(bundle).read("manifest.json"))["checkpoint"]["head"]
    assert f"event {head['event_id']}, hash {head['event_hash']}" in result.output
    assert runner.invoke(app, ["verify", "--checkpoint", str(bundle)]).exit_code == 0

    task, first, last = _newest_task_and_its_first_event(database)
    _truncate(database, task, first)
    (tmp_path / "checkpoints.jsonl").unlink()  # the attacker could reach this file too

    assert verify_bundle(bundle).ok  # the bundle on its own
    result = runner.invoke(app, ["verify", "--bundle", str(bundle)])  # beside the database
    assert result.exit_code == 1
    assert "manifest: has no matching export in the audit log" in result.output
    result = runner.invoke(app, ["verify", "--checkpoint", str(bundle)])
    assert result.exit_code == 1
    # A bundle carries the head only (not the organisation's record counts), so it names
    # the missing events; the data folder's checkpoint file names the records too.
    assert f"events {first}-{last} are missing below the export recorded in bundle " in (
        result.output
    )
