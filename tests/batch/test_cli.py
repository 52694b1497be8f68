"""``safeside batch`` from the command line, and ``safeside audit`` on the partitioned path."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import safeside
from safeside.batch.standin import StandIn
from safeside.cli import audit, batch
from safeside.footprint import run_audit, write_reports
from safeside.footprint.partitioned import run_partitioned_audit, write_partitioned_reports
from safeside.ingest import open_import
from safeside.ingest.registry import UK_TIME

app = typer.Typer()
app.callback()(lambda: None)
batch.register(app)
audit.register(app)
runner = CliRunner()
STANDIN = ["--engine", "safeside.batch.standin:make", "--workers", "0"]


def test_batch_writes_partitions_and_a_summary_then_resumes(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    args = ["batch", str(corpus), "--out", str(out), "--partition-size", "50", *STANDIN]

    first = runner.invoke(app, args)

    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == str(out / "summary.html")
    assert "Running on this process (no Dask)." in first.stderr
    assert "Analysed 497 posts in 11 partitions" in first.stderr
    assert "3 records in errors.jsonl" in first.stderr
    assert {p.name for p in out.iterdir()} >= {
        "posts",
        "errors.jsonl",
        "summary.json",
        "summary.html",
        "job.json",
        "salt",
    }

    again = runner.invoke(app, args)

    assert again.exit_code == 0, again.output
    assert "Resumed: 11 partitions were already finished." in again.stderr


def test_explain_adds_the_model_word_evidence_and_is_part_of_the_job(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    corpus = tmp_path / "posts.jsonl"
    texts = [
        "sorted out who gets the cat, posted the keys back, won't need them after tomorrow",
        "Lovely team day at the family centre",
    ]
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    rows = {}
    for flag in ([], ["--explain"]):
        out = tmp_path / ("explained" if flag else "plain")
        result = runner.invoke(
            app,
            ["batch", str(corpus), "--out", str(out), "--mode", "review", "--workers", "0", *flag],
        )
        assert result.exit_code == 0, result.output
        assert json.loads((out / "job.json").read_text("utf-8"))["engine"]["explain"] == bool(flag)
        rows[bool(flag)] = pq.read_table(out / "posts").to_pylist()

    def model_alone(row: dict[str, object]) -> list[dict[str, object]]:
        concerns = row["concerns"]
        assert isinstance(concerns, list)
        return [c for c in concerns if c["detectors"] == ["concerns.encoder"]]

    plain, explained = model_alone(rows[False][0]), model_alone(rows[True][0])
    assert [c["label"] for c in plain] == [c["label"] for c in explained] != []
    assert all(not c["spans"] for c in plain)
    assert all(c["spans"] for c in explained)
    assert rows[False][1]["concerns"] == rows[True][1]["concerns"] == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--scheduler", "localhost:8786"], "Error: --scheduler takes an address like tcp://"),
        (["--mode", "both"], "Error: mode must be 'own' or 'review'"),
        (["--timezone", "Mars/Olympus"], "Error: unknown timezone 'Mars/Olympus'"),
    ],
)
def test_bad_options_are_one_clear_line(
    corpus: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    result = runner.invoke(app, ["batch", str(corpus), "--out", str(tmp_path / "o"), *extra])

    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.output


def _chat(path: Path, messages: int) -> Path:
    words = ["Kayden did so well at contact", "lovely", "I hate this estate", "see you at 6"]
    lines = [
        f"[{1 + n % 27:02d}/{1 + n % 12:02d}/2024, 18:{n % 60:02d}:00] "
        f"{'Sam' if n % 3 else 'Alex'}: {words[n % len(words)]} {n}"
        for n in range(messages)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def standin_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safeside, "analyze_batch", StandIn().analyze_batch)


@pytest.mark.usefixtures("standin_engine")
def test_partitioned_audit_report_matches_the_in_memory_one(tmp_path: Path) -> None:
    chat = _chat(tmp_path / "WhatsApp Chat with Sam.txt", 90)
    with open_import(chat) as source:
        memory = run_audit(source, source=chat.name, import_report=source.report)
    write_reports(memory, tmp_path / "memory")

    merged = run_partitioned_audit(
        chat, tmp_path / "parts", source=chat.name, timezone=UK_TIME, partition_size=7
    )
    write_partitioned_reports(merged, tmp_path / "parts")

    assert len(list((tmp_path / "parts/partitions/posts").iterdir())) == 13
    assert merged.findings_count == len(memory.findings) == 45
    mine = json.loads((tmp_path / "parts/report.json").read_text(encoding="utf-8"))
    theirs = json.loads((tmp_path / "memory/report.json").read_text(encoding="utf-8"))
    assert mine == theirs
    with (
        (tmp_path / "parts/findings.csv").open(encoding="utf-8-sig", newline="") as a,
        (tmp_path / "memory/findings.csv").open(encoding="utf-8-sig", newline="") as b,
    ):
        assert list(csv.reader(a)) == list(csv.reader(b))
    html = (tmp_path / "parts/report.html").read_text(encoding="utf-8")
    same = (tmp_path / "memory/report.html").read_text(encoding="utf-8")
    assert html.split("<h2>")[1:] == same.split("<h2>")[1:]


@pytest.mark.usefixtures("standin_engine")
def test_audit_command_takes_the_partitioned_path_on_request(tmp_path: Path) -> None:
    chat = _chat(tmp_path / "WhatsApp Chat with Sam.txt", 30)

    result = runner.invoke(app, ["audit", str(chat), "-o", str(tmp_path / "r"), "--partitioned"])

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(tmp_path / "r" / "report.html")
    assert "Checked 30 posts: 15 need a look." in result.stderr
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        "findings.csv",
        "partitions",
        "report.html",
        "report.json",
    ]
    data = json.loads((tmp_path / "r/report.json").read_text(encoding="utf-8"))
    assert data["posts_analysed"] == 30 and len(data["findings"]) == 15
