"""Engine and session factory for one database URL.

Concurrency rules (docs/architecture.md, "Transactions"):

- Every unit of work is one transaction, committed before the caller answers anyone.
- SQLite: transactions begin ``IMMEDIATE`` (the write lock is taken at the start, so two
  writers can never both read the audit chain's head and append the same id); WAL lets
  readers go on meanwhile; a writer waits up to :data:`SQLITE_BUSY_SECONDS`.
- PostgreSQL: the server itself ends a transaction left idle, a statement that runs too
  long and a lock wait that never ends (:data:`POSTGRES_TIMEOUTS_MS`); the pool gives up
  after :data:`POOL_TIMEOUT_SECONDS` instead of queueing for ever.
- :meth:`Database.session` retries a unit of work that lost a race (SQLite busy,
  PostgreSQL serialisation failure or deadlock) a few times before giving up.
"""

from __future__ import annotations

import random
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
        event.listen(engine, "begin", _sqlite_begin_immediate)
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


def _sqlite_begin_immediate(connection: Any) -> None:
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_retryable(error: BaseException) -> bool:
    """A lost race that the same unit of work may simply try again."""
    if isinstance(error, OperationalError) and "database is locked" in str(error):
        return True
    if isinstance(error, DBAPIError):
        code = getattr(error.orig, "sqlstate", None)
        return code in {"40001", "40P01"}  # serialization_failure, deadlock_detected
    return False


class Database:
    """One database: its engine and a factory for sessions that commit or roll back."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

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
