"""``safeside cpd export``: a portfolio from the database, on the command line."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeside.cli import app
from safeside.db.session import Database
from safeside.db.setup import prepare_database
from safeside.learning.standards import registration_year
from safeside.testing import example_check

runner = CliRunner()
SAM = "sam.patel@northshire.example"


@pytest.fixture
def demo_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'safeside.db'}"
    database = Database(url)
    prepare_database(database, demo=True, check=example_check())
    database.dispose()
    monkeypatch.setenv("SAFESIDE_DATABASE_URL", url)
    return url


def last_year() -> tuple[str, str]:
    start, _ = registration_year(date.today())
    first, last = registration_year(start - timedelta(days=1))
    return first.isoformat(), last.isoformat()


def test_exports_last_years_demo_portfolio_as_json(demo_database: str, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.json"
    first, last = last_year()
    args = ["cpd", "export", "--email", SAM, "--from", first, "--to", last]
    result = runner.invoke(app, [*args, "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 records" in " ".join(result.output.split())
    portfolio = json.loads(out.read_text("utf-8"))
    assert portfolio["schema"] == "safeside.cpd-portfolio/1"
    assert portfolio["practitioner"] == "Sam Patel"
    assert [r["peer_reflection_with"] != "" for r in portfolio["records"]] == [True, False]


def test_writes_a_pdf(demo_database: str, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.pdf"
    first, last = last_year()
    args = ["cpd", "export", "--email", SAM, "--from", first, "--to", last, "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "nobody@example.org"], "no user with the e-mail nobody@example.org"),
        (["--email", SAM, "--from", "1/12/2025"], "is not a date; write it as YYYY-MM-DD"),
        (["--email", SAM, "--format", "docx"], "--format must be one of pdf, csv, json"),
        (["--email", SAM], "there are no records to export in these dates"),
    ],
)
def test_mistakes_are_explained(
    demo_database: str, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["cpd", "export", *args, "--out", str(tmp_path / "p.pdf")])
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "p.pdf").exists()
