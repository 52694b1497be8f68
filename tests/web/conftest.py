"""Web fixtures: the app on a fresh demo database with a fake engine, and signed-in clients."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from safeside.access.passwords import use_hasher
from safeside.db.session import Database
from safeside.db.setup import prepare_database
from safeside.demo.fakes import fake_analyze
from safeside.settings import Settings
from safeside.web import create_app

from .support import TestClient, new_client, sign_in


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> None:
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated demo database, built once and copied for each test."""
    path = tmp_path_factory.mktemp("seed") / "safeside.db"
    database = Database(f"sqlite:///{path}")
    prepare_database(database, demo=True, analyze=fake_analyze)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


@pytest.fixture
def database(tmp_path: Path, seeded_file: Path) -> Iterator[Database]:
    shutil.copyfile(seeded_file, tmp_path / "safeside.db")
    database = Database(f"sqlite:///{tmp_path / 'safeside.db'}")
    yield database
    database.dispose()


@pytest.fixture
def settings(tmp_path: Path, database: Database) -> Settings:
    return Settings(
        database_url=database.url, data_dir=tmp_path, secret_key="test-secret-" + "x" * 32
    )


@pytest.fixture
def app(settings: Settings, database: Database) -> FastAPI:
    return create_app(settings, database=database, analyze=fake_analyze)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with new_client(app) as client:
        yield client


@pytest.fixture
def signed_in(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """``signed_in("manager")`` gives a client signed in as that demo user."""
    clients: list[TestClient] = []

    def make(who: str) -> TestClient:
        client = new_client(app)
        client.__enter__()
        clients.append(client)
        return sign_in(client, who)

    yield make
    for client in clients:
        client.__exit__(None, None, None)
