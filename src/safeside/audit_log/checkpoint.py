"""Signed checkpoints of the audit chain's head, written outside the database.

A checkpoint states, signed with the organisation key (Ed25519): the newest audit event
(its id and hash) and which records of each kind existed (a count and the ranges of
ids). It is written after the transaction that reached it commits:

- at least every ``checkpoint_every`` events (default 50),
- at every evidence-bundle export (and printed in the bundle),
- when ``safeside serve`` or ``safeside db upgrade`` starts, if the chain has grown.

Each checkpoint goes to every configured sink (:class:`CheckpointSink`): the
append-only file ``<data dir>/checkpoints.jsonl`` (JSON lines, each signed and chained
to the line before by ``seq`` and ``prev``), syslog (``SAFESIDE_CHECKPOINT_SYSLOG``),
and any ``module:function`` factories in ``SAFESIDE_CHECKPOINT_SINKS``.

``safeside verify`` reads them back (:func:`read_checkpoints`) and checks the database
against them (:func:`safeside.audit_log.verify.verify_database`): events or records
below a checkpointed head that are gone, or a head whose hash changed, are named.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib
import io
import json
import logging
import os
import socket
import threading
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from safeside.audit_log.keys import (
    KeySettings,
    PublicKey,
    SigningKey,
    SigningKeyError,
    ensure_key,
    load_key,
    read_keyring,
)
from safeside.audit_log.log import HEAD, append_event
from safeside.audit_log.models import GENESIS, AuditEvent
from safeside.audit_log.verify import Checkpoint, Problem
from safeside.db.base import utcnow
from safeside.errors import SafesideError
from safeside.evidence.bundle_verifier import SCHEMA as BUNDLE_SCHEMA
from safeside.evidence.bundle_verifier import manifest_problem, statement_problem

if TYPE_CHECKING:
    from safeside.db.session import Database
    from safeside.settings import Settings

CHECKPOINT_SCHEMA = "safeside.checkpoint/1"
#: ``session.info`` keys: a checkpoint asked for (its reason), and one ready to publish.
REQUEST = "safeside.checkpoint_request"
READY = "safeside.checkpoint_ready"

log = logging.getLogger("safeside.checkpoints")


def canonical(value: Any) -> bytes:
    """The bytes that are signed: JSON, sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


# -- What a checkpoint says ----------------------------------------------------------------


def sealed_kinds() -> list[tuple[str, Any]]:
    """(record type, model) of every sealed record kind, in verify's order."""
    from safeside.db.models import CHAINED_MODELS, EVENT_SEALED_MODELS

    kinds: list[tuple[str, Any]] = [(model.record_type, model) for model in CHAINED_MODELS]
    kinds += [(kind, model) for model, kind in EVENT_SEALED_MODELS.items()]
    return kinds


def id_ranges(session: Session, model: Any) -> list[list[int]]:
    """The ids in ``model``'s table as ``[first, last]`` runs (gaps and islands, in SQL)."""
    island = (model.id - func.row_number().over(order_by=model.id)).label("island")
    runs = select(model.id.label("id"), island).subquery()
    query = (
        select(func.min(runs.c.id), func.max(runs.c.id))
        .group_by(runs.c.island)
        .order_by(func.min(runs.c.id))
    )
    return [[int(first), int(last)] for first, last in session.execute(query)]


def head_statement(
    session: Session, organisation: str, reason: str, *, records: bool = True
) -> dict[str, Any]:
    """The unsigned checkpoint of the chain's head and (``records``) every record kind, now.

    Bundles leave the records out: a recipient outside the organisation has no need to
    learn how many cases or users it holds.
    """
    last = session.execute(
        select(AuditEvent.id, AuditEvent.event_hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    statement: dict[str, Any] = {
        "schema": CHECKPOINT_SCHEMA,
        "organisation": organisation,
        "at": utcnow().isoformat(timespec="seconds"),
        "reason": reason,
        "head": {
            "event_id": int(last[0]) if last else 0,
            "event_hash": str(last[1]) if last else GENESIS,
        },
    }
    if records:
        kinds = {}
        for kind, model in sealed_kinds():
            ranges = id_ranges(session, model)
            kinds[kind] = {"count": sum(b - a + 1 for a, b in ranges), "ids": ranges}
        statement["records"] = kinds
    return statement


def sign(statement: dict[str, Any], key: SigningKey) -> dict[str, Any]:
    """``statement`` with the key's id, public key and signature over everything else."""
    signed = {k: v for k, v in statement.items() if k != "signature"}
    signed["key_id"] = key.key_id
    signed["public_key"] = key.public_key
    signed["signature"] = key.sign(canonical(signed))
    return signed


def public_keys(trusted: Mapping[str, PublicKey] | None) -> dict[str, str] | None:
    """``trusted`` as the standalone verifier wants it: key id -> base64 public key."""
    return None if trusted is None else {k: v.public_key for k, v in trusted.items()}


def signature_problem(
    statement: Mapping[str, Any], trusted: Mapping[str, PublicKey] | None
) -> str | None:
    """Why ``statement``'s signature cannot be trusted, or None when it can.

    Args:
        trusted: the organisation's public keys by id; None trusts the key the statement
            carries (anyone can sign with a key of their own: say so to the reader).
    """
    return statement_problem(statement, public_keys(trusted))


# -- Sinks ---------------------------------------------------------------------------------


class CheckpointSink(Protocol):
    """Somewhere checkpoints are kept. ``write`` signs and stores one; it may raise."""

    name: str

    def write(self, statement: dict[str, Any], key: SigningKey) -> None: ...


def _last_line(handle: BinaryIO) -> bytes:
    handle.seek(0, os.SEEK_END)
    position = handle.tell()
    data = b""
    while position > 0:
        step = min(8192, position)
        position -= step
        handle.seek(position)
        data = handle.read(step) + data
        body = data.rstrip(b"\n")
        if b"\n" in body:
            return body.rsplit(b"\n", 1)[1]
    return data.rstrip(b"\n")


class FileSink:
    """The append-only JSON-lines file: each line signed, numbered and chained to the last.

    Make it append-only for the operating system too where you can (``chattr +a``).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"file {path}"

    def last(self) -> dict[str, Any] | None:
        """The newest line, or None (no file, empty or unreadable)."""
        if not self.path.exists():
            return None
        with self.path.open("rb") as handle:
            line = _last_line(handle)
        try:
            data = json.loads(line)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def write(self, statement: dict[str, Any], key: SigningKey) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o640)
        with os.fdopen(descriptor, "r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            last = _last_line(handle)
            handle.seek(0, os.SEEK_END)
            ends_cleanly = handle.tell() == 0 or _ends_with_newline(handle)
            seq, prev = 1, GENESIS
            if last:
                prev = hashlib.sha256(last).hexdigest()
                try:
                    seq = int(json.loads(last)["seq"]) + 1
                except (ValueError, KeyError, TypeError):
                    handle.seek(0)
                    seq = sum(1 for line in handle if line.strip()) + 1
            line = canonical(sign({**statement, "seq": seq, "prev": prev}, key))
            handle.write((b"" if ends_cleanly else b"\n") + line + b"\n")
            handle.flush()
            os.fsync(handle.fileno())


def _ends_with_newline(handle: BinaryIO) -> bool:
    handle.seek(-1, os.SEEK_END)
    return handle.read(1) == b"\n"


class SyslogSink:
    """Send each signed checkpoint to syslog, ideally a log server on another machine.

    ``address``: a Unix socket path (``/dev/log``), ``udp://host:514`` or ``tcp://host:601``.
    A checkpoint is one message of 1-4 KB (use TCP if your relay truncates UDP messages).
    """

    PRIORITY = 4 * 8 + 5  # facility auth, severity notice

    def __init__(self, address: str) -> None:
        self.address = address
        self.name = f"syslog {address}"

    def write(self, statement: dict[str, Any], key: SigningKey) -> None:
        message = f"<{self.PRIORITY}>safeside-checkpoint: ".encode() + canonical(
            sign(statement, key)
        )
        parts = urlsplit(self.address)
        host, port = parts.hostname or "localhost", parts.port or 514
        if parts.scheme == "tcp":
            with socket.create_connection((host, port), timeout=5) as stream:
                stream.sendall(message + b"\n")
        elif parts.scheme == "udp":
            family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
            with socket.socket(family, socket.SOCK_DGRAM) as datagram:
                datagram.sendto(message, address)
        else:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as local:
                local.settimeout(5)
                local.connect(self.address)
                local.send(message)


class CheckpointError(SafesideError):
    """A checkpoint sink named in the settings cannot be made."""


def plugin_sink(spec: str, settings: Settings) -> CheckpointSink:
    """The sink made by ``module:function`` (called with the settings).

    Raises:
        CheckpointError: the module or function cannot be loaded, or it fails.
    """
    module_name, _, attribute = spec.partition(":")
    try:
        factory: Callable[[Settings], CheckpointSink] = getattr(
            importlib.import_module(module_name), attribute
        )
        return factory(settings)
    except Exception as error:
        raise CheckpointError(
            f"SAFESIDE_CHECKPOINT_SINKS: cannot make the sink {spec!r} "
            f"({type(error).__name__}: {error})"
        ) from None


# -- The anchor: key, sinks and when to write ------------------------------------------------


class Anchor:
    """Signs checkpoints with the organisation key and writes them to every sink."""

    def __init__(
        self,
        key: SigningKey,
        sinks: list[CheckpointSink],
        *,
        every: int = 50,
        organisation: str = "",
    ) -> None:
        self.key = key
        self.sinks = sinks
        self.every = every
        self.organisation = organisation
        self._lock = threading.Lock()
        self.last_event_id = 0
        for sink in sinks:
            if isinstance(sink, FileSink):
                last = sink.last() or {}
                head = last.get("head")
                if isinstance(head, dict) and isinstance(head.get("event_id"), int):
                    self.last_event_id = max(self.last_event_id, head["event_id"])

    def statement(self, session: Session, reason: str, *, records: bool = True) -> dict[str, Any]:
        """The unsigned checkpoint of ``session``'s view of the chain, now."""
        return head_statement(session, self.organisation, reason, records=records)

    def signed(self, session: Session, reason: str, *, records: bool = True) -> dict[str, Any]:
        return sign(self.statement(session, reason, records=records), self.key)

    def publish(self, statement: dict[str, Any]) -> list[str]:
        """Write ``statement`` to every sink; returns what failed (also logged)."""
        failures = []
        with self._lock:
            for sink in self.sinks:
                try:
                    sink.write(statement, self.key)
                except Exception as error:  # a sink must never lose the user's work
                    failures.append(f"{sink.name}: {error}")
                    log.error("could not write a checkpoint to %s: %s", sink.name, error)
            head = statement.get("head", {}).get("event_id", 0)
            self.last_event_id = max(self.last_event_id, int(head))
        return failures

    def register_key(self, session: Session, replaces: str | None = None) -> bool:
        """Record this key's public half in the audit log once; True if recorded now."""
        for detail_json in session.scalars(
            select(AuditEvent.detail_json).where(AuditEvent.action == "registered_signing_key")
        ):
            if json.loads(detail_json or "{}").get("key_id") == self.key.key_id:
                return False
        append_event(
            session,
            "registered_signing_key",
            detail={
                "algorithm": "ed25519",
                "key_id": self.key.key_id,
                "public_key": self.key.public_key,
                "replaces": replaces,
            },
        )
        return True


_ANCHORS: WeakKeyDictionary[Engine, Anchor] = WeakKeyDictionary()


def attach(engine: Engine, anchor: Anchor) -> None:
    """Write checkpoints for every session on ``engine`` from now on."""
    _ANCHORS[engine] = anchor


def attached(engine: Engine) -> Anchor | None:
    return _ANCHORS.get(engine)


def _engine_of(session: Session) -> Engine | None:
    try:
        bind = session.get_bind()
    except Exception:
        return None
    return bind if isinstance(bind, Engine) else bind.engine


def request_checkpoint(session: Session, reason: str) -> None:
    """Write a checkpoint when ``session``'s transaction commits (if an anchor is attached)."""
    session.info[REQUEST] = reason


def _before_commit(session: Session) -> None:
    head = session.info.pop(HEAD, None)
    reason = session.info.pop(REQUEST, None)
    if head is None and reason is None:
        return
    engine = _engine_of(session)
    anchor = attached(engine) if engine is not None else None
    if anchor is None:
        return
    if reason is None:
        if int(head) < anchor.last_event_id + anchor.every:
            return
        reason = f"every {anchor.every} events"
    session.info[READY] = (anchor, anchor.statement(session, reason))


def _after_commit(session: Session) -> None:
    ready = session.info.pop(READY, None)
    if ready is not None:
        anchor, statement = ready
        anchor.publish(statement)


def _after_rollback(session: Session) -> None:
    for key in (HEAD, REQUEST, READY):
        session.info.pop(key, None)


event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_rollback", _after_rollback)


# -- Setting up from the settings ------------------------------------------------------------


def key_settings(settings: Settings) -> KeySettings:
    return KeySettings(
        data_dir=settings.data_dir,
        key_text=settings.signing_key,
        key_file=settings.signing_key_file,
    )


def make_sinks(settings: Settings) -> list[CheckpointSink]:
    sinks: list[CheckpointSink] = [FileSink(settings.checkpoint_path)]
    if settings.checkpoint_syslog:
        sinks.append(SyslogSink(settings.checkpoint_syslog))
    sinks += [plugin_sink(spec, settings) for spec in settings.checkpoint_sinks]
    return sinks


def anchor_for(settings: Settings, engine: Engine) -> Anchor:
    """The anchor attached to ``engine``, or a new one (making the key if need be)."""
    anchor = attached(engine)
    if anchor is None:
        key, _ = ensure_key(key_settings(settings))
        anchor = Anchor(
            key,
            make_sinks(settings),
            every=settings.checkpoint_every,
            organisation=settings.organisation,
        )
        attach(engine, anchor)
    return anchor


@dataclass(frozen=True, slots=True)
class SetUp:
    """What :func:`set_up_signing` did and found."""

    anchor: Anchor
    created: bool
    #: The newest event now, and the newest one a checkpoint had recorded before.
    head: int
    checkpointed: int

    @property
    def behind(self) -> bool:
        """The database ends before its last checkpoint: events were removed (or it is a
        new database beside an old checkpoint file)."""
        return self.head < self.checkpointed


def set_up_signing(settings: Settings, database: Database) -> SetUp:
    """At start-up: make the key if there is none (0600), attach the anchor, record the
    key in the audit log, and write a checkpoint if the chain grew since the last one."""
    key, created = ensure_key(key_settings(settings))
    anchor = Anchor(
        key,
        make_sinks(settings),
        every=settings.checkpoint_every,
        organisation=settings.organisation,
    )
    attach(database.engine, anchor)
    checkpointed = anchor.last_event_id

    def work(session: Session) -> int:
        anchor.register_key(session)
        head = int(session.scalar(select(func.max(AuditEvent.id))) or 0)
        if head > checkpointed or not settings.checkpoint_path.exists():
            request_checkpoint(session, "start-up")
        return head

    head = database.run(work)
    return SetUp(anchor, created, head, checkpointed)


def trusted_keys(settings: Settings, session: Session | None = None) -> dict[str, PublicKey]:
    """Every public key of the organisation: the keyring, the current key, and (with a
    session) the keys recorded in the audit log."""
    config = key_settings(settings)
    keys = {key.key_id: key for key in read_keyring(config.keyring)}
    with contextlib.suppress(SigningKeyError):
        current = load_key(config)
        if current is not None:
            keys.setdefault(current.key_id, current.public())
    if session is not None:
        for detail_json in session.scalars(
            select(AuditEvent.detail_json).where(AuditEvent.action == "registered_signing_key")
        ):
            try:
                public = str(json.loads(detail_json)["public_key"])
                key = PublicKey.from_base64(public)
            except (ValueError, KeyError, TypeError, SigningKeyError):
                continue
            keys.setdefault(key.key_id, key)
    return keys


# -- Reading checkpoints back ------------------------------------------------------------------


def _when(text: Any) -> str:
    try:
        return f"{datetime.fromisoformat(str(text)):%Y-%m-%d %H:%M} UTC"
    except ValueError:
        return "an unknown time"


def _records(value: Any) -> dict[str, list[tuple[int, int]]] | None:
    if not isinstance(value, dict):
        return None
    records: dict[str, list[tuple[int, int]]] = {}
    for kind, entry in value.items():
        ids = entry.get("ids") if isinstance(entry, dict) else None
        if not isinstance(ids, list):
            return None
        runs = []
        for run in ids:
            if not (
                isinstance(run, list)
                and len(run) == 2
                and all(isinstance(n, int) for n in run)
                and run[0] <= run[1]
            ):
                return None
            runs.append((run[0], run[1]))
        records[str(kind)] = runs
    return records


def _checkpoint(statement: Mapping[str, Any], label: str) -> Checkpoint | None:
    head = statement.get("head")
    if statement.get("schema") != CHECKPOINT_SCHEMA or not isinstance(head, dict):
        return None
    event_id, event_hash = head.get("event_id"), head.get("event_hash")
    if not isinstance(event_id, int) or not isinstance(event_hash, str):
        return None
    return Checkpoint(event_id, event_hash, label, _records(statement.get("records")))


def read_checkpoints(
    path: Path, trusted: Mapping[str, PublicKey] | None
) -> tuple[list[Checkpoint], list[Problem]]:
    """The checkpoints in ``path`` and what is wrong with it.

    ``path`` may be the checkpoint file (JSON lines; syslog lines holding one are fine
    too), one checkpoint as a JSON file, a bundle's ``manifest.json`` (its signature
    ``manifest.sig`` beside it) or a bundle zip.
    """
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        return [], [Problem(name, None, f"cannot be read ({error.strerror or error})")]
    if data[:4] == b"PK\x03\x04":
        return _from_bundle_zip(path, data, trusted)
    try:
        whole = json.loads(data)
    except ValueError:
        whole = None
    if isinstance(whole, dict) and whole.get("schema") == BUNDLE_SCHEMA:
        signature = path.with_name("manifest.sig")
        sig = signature.read_bytes() if signature.exists() else None
        return _from_manifest(name, data, sig, trusted)
    if isinstance(whole, dict):
        return _from_lines(name, [data], trusted)
    return _from_lines(name, data.splitlines(), trusted)


def _from_lines(
    name: str, lines: list[bytes], trusted: Mapping[str, PublicKey] | None
) -> tuple[list[Checkpoint], list[Problem]]:
    checkpoints: list[Checkpoint] = []
    problems: list[Problem] = []
    previous: tuple[int, bytes] | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        where = f"{name} line {number}" if len(lines) > 1 else name
        start = line.find(b"{")
        try:
            statement = json.loads(line[start:]) if start >= 0 else None
        except ValueError:
            statement = None
        if not isinstance(statement, dict):
            problems.append(Problem(where, None, "is not a checkpoint (cannot be read)"))
            previous = None
            continue
        seq = statement.get("seq")
        if isinstance(seq, int):
            expected_seq = previous[0] + 1 if previous else 1
            expected_prev = hashlib.sha256(previous[1]).hexdigest() if previous else GENESIS
            if seq != expected_seq or statement.get("prev") != expected_prev:
                problems.append(
                    Problem(
                        where,
                        None,
                        f"does not follow the line before it (checkpoint {expected_seq} expected: "
                        "lines were removed, reordered or edited)",
                    )
                )
            previous = (seq, line)
        error = signature_problem(statement, trusted)
        if error:
            problems.append(Problem(where, None, error))
            continue
        label = (
            f"checkpoint {seq} of {_when(statement.get('at'))}"
            if isinstance(seq, int)
            else f"the checkpoint of {_when(statement.get('at'))} in {name}"
        )
        checkpoint = _checkpoint(statement, label)
        if checkpoint is None:
            problems.append(Problem(where, None, "is not a Safeside checkpoint"))
        else:
            checkpoints.append(checkpoint)
    return checkpoints, problems


def _from_manifest(
    name: str, manifest: bytes, signature: bytes | None, trusted: Mapping[str, PublicKey] | None
) -> tuple[list[Checkpoint], list[Problem]]:
    error = manifest_problem(manifest, signature, public_keys(trusted))
    if error:
        return [], [Problem(name, None, error)]
    data = json.loads(manifest)
    bundle = str(data.get("bundle_id", ""))[:8] or "?"
    checkpoints: list[Checkpoint] = []
    problems: list[Problem] = []
    statement = data.get("checkpoint")
    if isinstance(statement, dict):
        at = _when(statement.get("at"))
        error = signature_problem(statement, trusted)
        checkpoint = _checkpoint(statement, f"the checkpoint in bundle {bundle} of {at}")
        if error or checkpoint is None:
            problems.append(Problem(name, None, f"checkpoint {error or 'cannot be read'}"))
        else:
            checkpoints.append(checkpoint)
    export = data.get("audit_event")
    if (
        isinstance(export, dict)
        and isinstance(export.get("id"), int)
        and isinstance(export.get("event_hash"), str)
    ):
        label = f"the export recorded in bundle {bundle} of {_when(data.get('exported_at'))}"
        checkpoints.append(Checkpoint(export["id"], export["event_hash"], label, None))
    if not checkpoints and not problems:
        problems.append(Problem(name, None, "holds no checkpoint"))
    return checkpoints, problems


def _from_bundle_zip(
    path: Path, data: bytes, trusted: Mapping[str, PublicKey] | None
) -> tuple[list[Checkpoint], list[Problem]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest = archive.read("manifest.json")
            names = set(archive.namelist())
            signature = archive.read("manifest.sig") if "manifest.sig" in names else None
    except (zipfile.BadZipFile, KeyError) as error:
        return [], [Problem(path.name, None, f"is not a Safeside bundle ({error})")]
    return _from_manifest(path.name, manifest, signature, trusted)
