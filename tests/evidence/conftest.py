"""Bundle fixtures: a seeded SQLite database, its own data folder, and a bundle made by
``safeside bundle``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

from safeside.access.passwords import use_hasher
from safeside.cli import app
from safeside.db.session import Database
from safeside.db.setup import prepare_database
from safeside.testing import example_check

CASE = "EA-2026-0142"


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> None:
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The organisation's data folder (key, keyring, checkpoints, SQLite database)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SAFESIDE_DATA_DIR", str(folder))
    monkeypatch.delenv("SAFESIDE_DATABASE_URL", raising=False)
    monkeypatch.delenv("SAFESIDE_SIGNING_KEY", raising=False)
    monkeypatch.delenv("SAFESIDE_SIGNING_KEY_FILE", raising=False)
    return folder


@pytest.fixture
def database(data_dir: Path) -> Iterator[Database]:
    """The demo database in the data folder, set up as ``safeside db upgrade`` does."""
    database = Database(f"sqlite:///{data_dir / 'safeside.db'}")
    prepare_database(database, demo=True, check=example_check())
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    yield database
    database.dispose()


@pytest.fixture
def bundle_zip(database: Database, tmp_path: Path) -> Path:
    out = tmp_path / "exports" / f"{CASE}.zip"
    result = CliRunner().invoke(app, ["bundle", CASE, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out
