"""Engine and session factory for one database URL.

Concurrency rules (docs/architecture.md, "Transactions"):

- Every unit of work is one transaction, committed before the caller answers anyone.
- SQLite: transactions begin deferred, so a request that only reads waits for nobody;
  the first write (or :func:`lock_for_write`, called before reading the audit chain's
  head) moves it to ``BEGIN IMMEDIATE``, so two writers can never both read the head and
  append the same id; WAL lets readers go on meanwhile; a writer waits up to
  :data:`SQLITE_BUSY_SECONDS`.
- PostgreSQL: the server itself ends a transaction left idle, a statement that runs too
  long and a lock wait that never ends (:data:`POSTGRES_TIMEOUTS_MS`); the pool gives up
  after :data:`POOL_TIMEOUT_SECONDS` instead of queueing for ever.
- :meth:`Database.session` retries a unit of work that lost a race (SQLite busy,
  PostgreSQL serialisation failure or deadlock) a few times before giving up.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")

SQLITE_BUSY_SECONDS = 30.0
POOL_TIMEOUT_SECONDS = 10
#: Server-side limits on every PostgreSQL connection (milliseconds).
POSTGRES_TIMEOUTS_MS = {
    "idle_in_transaction_session_timeout": 15_000,
    "statement_timeout": 30_000,
    "lock_timeout": 15_000,
}
RETRIES = 4


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the concurrency settings above."""
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS}
    else:
        kwargs["pool_pre_ping"] = True
        kwargs["pool_timeout"] = POOL_TIMEOUT_SECONDS
        kwargs["connect_args"] = {"options": _postgres_options(url)}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "before_cursor_execute", _sqlite_before_execute)
    return engine


def _postgres_options(url: str) -> str:
    """Our server-side timeouts, added to any ``options`` the URL already carries."""
    given = make_url(url).query.get("options", "")
    parts = [given] if isinstance(given, str) else list(given)
    parts += [f"-c {name}={value}" for name, value in POSTGRES_TIMEOUTS_MS.items()]
    return " ".join(p for p in parts if p)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from the sqlite3 module, so that "begin" below decides.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
    cursor.close()


#: Statements that write: the first one in a transaction takes SQLite's write lock.
_WRITES = re.compile(
    r"\s*(?:INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|SAVEPOINT)\b", re.IGNORECASE
)
_WRITING = "safeside_sqlite_writing"


def _sqlite_begin(connection: Any) -> None:
    """Begin deferred: a request that only reads takes no lock and waits for no writer."""
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        connection.exec_driver_sql("BEGIN")
        connection.info[_WRITING] = False


def _sqlite_before_execute(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
    if connection.info.get(_WRITING, True) or not _WRITES.match(statement):
        return
    _take_write_lock(connection)


def _take_write_lock(connection: Any) -> None:
    """Move a transaction from reading to writing with SQLite's write lock held.

    What the transaction read so far was one snapshot; the write begins a new one under
    ``BEGIN IMMEDIATE``, so writers queue (busy timeout) instead of failing on a stale
    snapshot. This is PostgreSQL's READ COMMITTED in effect: a write that depends on a
    read (the audit chain head, a counter) calls :func:`lock_for_write` before reading.
    """
    raw = connection.connection.driver_connection
    raw.execute("COMMIT")
    raw.execute("BEGIN IMMEDIATE")
    connection.info[_WRITING] = True


def lock_for_write(session: Session) -> None:
    """Take the write lock now, before reading what a write will depend on.

    SQLite: the transaction becomes ``BEGIN IMMEDIATE`` (one writer at a time). On
    PostgreSQL nothing is needed here: callers use row locks or an advisory lock.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.info.get(_WRITING, True):
        _take_write_lock(connection)


def is_retryable(error: BaseException) -> bool:
    """A lost race that the same unit of work may simply try again."""
    if isinstance(error, OperationalError) and "database is locked" in str(error):
        return True
    if isinstance(error, DBAPIError):
        code = getattr(error.orig, "sqlstate", None)
        return code in {"40001", "40P01"}  # serialization_failure, deadlock_detected
    return False


def end_read_transaction(session: Session) -> None:
    """End the session's transaction before slow CPU work (argon2, the engine).

    Committing releases the snapshot and, on SQLite, the write lock ``BEGIN IMMEDIATE``
    took, so no other request waits while the work runs. Loaded objects stay usable
    (``expire_on_commit=False``); the next statement opens a new transaction. Call it
    only where what the request wrote so far may stand alone (reads, or housekeeping
    such as a session's last-seen time), never half-way through one change.
    """
    session.commit()


def _note_write(session: Session, _context: object) -> None:
    session.info["wrote"] = True


def _forget_writes(session: Session, *_: object) -> None:
    session.info.pop("wrote", None)


def has_written(session: Session) -> bool:
    """Whether the session's current transaction holds writes (flushed or pending)."""
    pending = session.new or session.dirty or session.deleted
    return bool(pending) or bool(session.info.get("wrote"))


def outside_transaction(session: Session, work: Callable[[], T]) -> T:
    """Run slow CPU work (the engine) with no transaction open where that is safe.

    If the request has written nothing yet, its read transaction ends first (see
    :func:`end_read_transaction`); if it has, the work runs inside the transaction, so
    one change is never committed half-way.
    """
    if not has_written(session):
        end_read_transaction(session)
    return work()


class Database:
    """One database: its engine and a factory for sessions that commit or roll back."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.sessions, "after_flush", _note_write)
        for name in ("after_commit", "after_rollback", "after_soft_rollback"):
            event.listen(self.sessions, name, _forget_writes)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def run(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction, retrying it when it lost a race."""
        for attempt in range(RETRIES + 1):
            try:
                with self.session() as session:
                    return work(session)
            except DBAPIError as error:
                if attempt == RETRIES or not is_retryable(error):
                    raise
                time.sleep(0.05 * (2**attempt) * (1 + random.random()))
        raise AssertionError("unreachable")  # pragma: no cover

    def dispose(self) -> None:
        self.engine.dispose()
