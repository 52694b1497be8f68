"""Database fixtures: a migrated, demo-seeded database on SQLite and (when set up) PostgreSQL.

PostgreSQL tests use ``SAFESIDE_TEST_POSTGRES_URL`` (scripts/test sets it when the
local server answers) and a fresh schema per test, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from safeside.access.passwords import use_hasher
from safeside.db.session import Database
from safeside.db.setup import prepare_database
from safeside.testing import example_check

POSTGRES_URL = os.environ.get("SAFESIDE_TEST_POSTGRES_URL", "")


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> None:
    """Cheap argon2 parameters: the tests check behaviour, not hashing cost."""
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys and checkpoints written by CLI commands go to a temporary folder, never ./var."""
    monkeypatch.setenv("SAFESIDE_DATA_DIR", str(tmp_path / "data"))


def postgres_or_skip() -> str:
    if not POSTGRES_URL:
        pytest.skip(
            "!!! PostgreSQL tests SKIPPED: SAFESIDE_TEST_POSTGRES_URL is not set "
            "(scripts/test sets it when a local server answers) !!!"
        )
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # any connection failure means: skip loudly
        pytest.skip(f"!!! PostgreSQL tests SKIPPED: cannot connect to {POSTGRES_URL}: {error} !!!")
    return POSTGRES_URL


@pytest.fixture
def postgres_database() -> Iterator[Database]:
    """A migrated, seeded database in a fresh PostgreSQL schema."""
    url = postgres_or_skip()
    schema = f"safeside_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    database = Database(f"{url}{separator}options=-csearch_path%3D{schema}")
    try:
        prepare_database(database, demo=True, check=example_check())
        yield database
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("db") / "safeside.db"
    database = Database(f"sqlite:///{path}")
    prepare_database(database, demo=True, check=example_check())
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> Database:
    """The same tests on SQLite and on PostgreSQL."""
    name = "sqlite_database" if request.param == "sqlite" else "postgres_database"
    db: Database = request.getfixturevalue(name)
    return db
