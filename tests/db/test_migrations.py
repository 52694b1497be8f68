"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from safeside.db.models import Base
from safeside.db.session import Database


def test_migrations_match_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_cli_db_upgrade_is_idempotent(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from safeside.cli import app

    monkeypatch.setenv("SAFESIDE_DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0
    assert "up to date" in result.output
