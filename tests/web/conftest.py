"""Web fixtures: the app on a fresh demo database with a fake engine, and signed-in clients."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from safeside.access.passwords import use_hasher
from safeside.check import engine_check
from safeside.db.session import Database
from safeside.db.setup import prepare_database
from safeside.settings import Settings
from safeside.testing import example_check
from safeside.web import create_app

from .browser import ARGS, CHROMIUM, serving
from .support import Clock, SignedInClients, TestClient, new_client


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> None:
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated demo database, built once and copied for each test."""
    path = tmp_path_factory.mktemp("seed") / "safeside.db"
    database = Database(f"sqlite:///{path}")
    prepare_database(database, demo=True, check=example_check())
    autocommit = database.engine.execution_options(isolation_level="AUTOCOMMIT")
    with autocommit.connect() as connection:
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
    return create_app(settings, database=database, check=example_check())


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    """The app's clock, for tests that move time on (sessions, sign-in locks, links)."""
    clock = Clock()
    app.state.clock = clock
    return clock


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with new_client(app) as client:
        yield client


@pytest.fixture
def signed_in(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """``signed_in("manager")`` gives a client signed in as that demo user."""
    clients = SignedInClients(app)
    yield clients.make
    clients.close()


@pytest.fixture
def live_url(settings: Settings, database: Database) -> Iterator[str]:
    """The app on a real port with the real engine, for browser tests."""
    if not CHROMIUM.exists():
        pytest.skip(
            "!!! Browser tests SKIPPED: /usr/bin/chromium is missing; run scripts/setup-browser !!!"
        )
    engine_check("Warm up the engine.", "own")
    app = create_app(settings, database=database, check=engine_check)  # the real engine
    with serving(app) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[object]:
    """Debian's chromium, headless, through Playwright."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()
