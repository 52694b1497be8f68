"""``safeside audit`` and ``safeside scan`` from the command line, with a fake analyzer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import safeside
from safeside.cli import audit

from .conftest import fake_analyze_batch

# The real app, minus the other command groups.
app = typer.Typer()
app.callback()(lambda: None)
audit.register(app)
runner = CliRunner()

CHAT = (
    "[05/03/2024, 18:01:10] Sam: Kayden did so well at contact today\n"
    "[05/03/2024, 18:02:00] Alex: lovely\n"
    "[14/04/2024, 09:00:00] Sam: I hate this estate\n"
)


@pytest.fixture(autouse=True)
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safeside, "analyze_batch", fake_analyze_batch)


@pytest.fixture
def chat(tmp_path: Path) -> Path:
    path = tmp_path / "WhatsApp Chat with Sam.txt"
    path.write_text(CHAT, encoding="utf-8")
    return path


def test_audit_writes_three_report_files(chat: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"

    result = runner.invoke(app, ["audit", str(chat), "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out / "report.html")
    assert sorted(p.name for p in out.iterdir()) == ["findings.csv", "report.html", "report.json"]
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["mode"] == "own" and data["posts_analysed"] == 3
    assert [f["post"]["author"] for f in data["findings"]] == ["Sam", "Sam"]
    assert "Checked 3 posts: 2 need a look." in result.stderr
    assert "Read 3 posts from 1 file: whatsapp (1 file)" in result.stderr


def test_scan_uses_review_mode(chat: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(chat), "--out", str(tmp_path / "scan")])

    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "scan/report.json").read_text(encoding="utf-8"))
    assert data["mode"] == "review"
    assert {f["step"] for f in data["findings"]} == {"refer", "urgent"}


def test_timezone_option_changes_undated_zones(chat: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["audit", str(chat), "-o", str(tmp_path), "--timezone", "Asia/Tokyo"]
    )

    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["findings"][0]["post"]["timestamp"].endswith("+09:00")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "/no/such/export.zip"], "Error: /no/such/export.zip does not exist"),
        (
            ["audit", "{chat}", "--timezone", "Mars/Olympus"],
            "Error: unknown timezone 'Mars/Olympus'",
        ),
        (["scan", "{chat}", "--format", "myspace"], "Error: unknown format 'myspace'"),
    ],
)
def test_bad_input_is_one_clear_line_and_a_non_zero_exit(
    chat: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a.replace("{chat}", str(chat)) for a in args] + ["--out", str(tmp_path / "o")]

    result = runner.invoke(app, args)

    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
