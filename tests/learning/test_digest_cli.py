"""``safeside digest`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from safeside.cli import digest

FIXTURES = Path(__file__).parents[1] / "fixtures" / "learning"

app = typer.Typer()
app.callback()(lambda: None)
digest.register(app)
runner = CliRunner()


def test_prints_a_readable_digest() -> None:
    result = runner.invoke(
        app, ["digest", str(FIXTURES / "swchat-transcript.csv"), "--hashtag", "#SWChat"]
    )
    assert result.exit_code == 0, result.output
    assert "#SWChat digest, 5 March 2024" in result.stdout
    assert "23 posts from 5 participants" in result.stdout
    assert "https://example.org/research/reflective-supervision (3)" in result.stdout


def test_writes_json_markdown_and_cpd_draft(tmp_path: Path) -> None:
    out = {name: tmp_path / name for name in ("d.json", "d.md", "cpd.json")}
    result = runner.invoke(
        app,
        [
            "digest",
            str(FIXTURES / "swchat-transcript.csv"),
            "--hashtag",
            "swchat",
            "--from",
            "2024-03-05",
            "--to",
            "2024-03-05",
            "--json",
            str(out["d.json"]),
            "--markdown",
            str(out["d.md"]),
            "--cpd-draft",
            str(out["cpd.json"]),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out["d.json"].read_text("utf-8"))["post_count"] == 23
    assert out["d.md"].read_text("utf-8").startswith("# #SWChat digest, 5 March 2024\n")
    draft = json.loads(out["cpd.json"].read_text("utf-8"))
    assert draft["source_kind"] == "digest" and draft["activity_date"] == "2024-03-05"


def test_refuses_to_export_flagged_text_unless_allowed(tmp_path: Path) -> None:
    draft = tmp_path / "cpd.json"
    args = ["digest", str(FIXTURES / "flagged-chat.csv"), "--cpd-draft", str(draft)]

    refused = runner.invoke(app, args)
    assert refused.exit_code == digest.EXIT_FLAGGED
    assert "Not written" in refused.stderr
    assert "Kayden" in refused.stderr and "Hillside Primary" in refused.stderr
    assert not draft.exists()

    allowed = runner.invoke(app, [*args, "--allow-flagged"])
    assert allowed.exit_code == 0
    assert "Written although the safety check flagged these" in allowed.stderr
    assert draft.exists()


def test_bad_dates_and_empty_periods_are_explained() -> None:
    path = str(FIXTURES / "swchat-transcript.csv")
    bad = runner.invoke(app, ["digest", path, "--from", "5/3/2024"])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.stderr
    empty = runner.invoke(app, ["digest", path, "--from", "2030-01-01"])
    assert empty.exit_code == 1 and "no posts to digest" in empty.stderr
