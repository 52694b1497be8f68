"""The engine never runs while the request holds a database transaction it need not hold.

On SQLite every transaction takes the write lock (``BEGIN IMMEDIATE``), so a check that
ran inside one would make every other request wait for the engine. The fake engine here
tries to take that lock from another connection, with no waiting, each time it is called.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import select

from safeside.access.models import User
from safeside.check import Check
from safeside.db.session import Database, outside_transaction
from safeside.engine.results import Analysis
from safeside.taxonomy import Mode
from safeside.testing import example_check

from .support import TestClient, csrf
from .test_cpd import COMPLETE


class LockProbe:
    """A check that records, per call, whether another writer could start at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.free: list[bool] = []
        self.inner: Check = example_check()

    def __call__(self, text: str, mode: Mode) -> Analysis:
        other = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            self.free.append(True)
        except sqlite3.OperationalError:  # database is locked
            self.free.append(False)
        finally:
            other.close()
        return self.inner(text, mode)


def probe(app: FastAPI, database: Database) -> LockProbe:
    path = Path(database.url.removeprefix("sqlite:///"))
    app.state.check = LockProbe(path)
    return app.state.check


def test_checking_a_post_holds_no_lock(
    app: FastAPI, database: Database, signed_in: Callable[[str], TestClient]
) -> None:
    sam = signed_in("practitioner")
    engine = probe(app, database)
    data = {"text": "Lovely visit with Jayden (7) today", "mode": "own"}
    response = sam.post("/", data={**data, "csrf_token": csrf(sam, "/")})
    assert response.status_code == 200
    assert engine.free == [True]


def test_writing_a_cpd_record_checks_it_with_no_lock_held(
    app: FastAPI, database: Database, signed_in: Callable[[str], TestClient]
) -> None:
    sam = signed_in("practitioner")
    engine = probe(app, database)
    data = {**COMPLETE, "csrf_token": csrf(sam, "/learning/cpd/new")}
    response = sam.post("/learning/cpd/new", data=data)
    assert response.status_code == 303
    assert engine.free and all(engine.free), engine.free


def test_work_after_a_write_stays_inside_the_one_transaction(database: Database) -> None:
    """Once a request has written, slow work must not commit that write half-way."""
    with database.session() as session:
        user = session.scalars(select(User)).first()
        assert user is not None
        user_id = user.id
        user.full_name = user.full_name + " (changed)"
        session.flush()
        outside_transaction(session, lambda: None)
        session.rollback()
    with database.session() as session:
        again = session.get_one(User, user_id)
        assert not again.full_name.endswith("(changed)")
