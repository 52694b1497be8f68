import json

import pytest
import typer
from typer.testing import CliRunner

from safeside.cli import evaluate

# The real app, minus the other command groups: ``safeside eval ...``.
app = typer.Typer()
app.callback()(lambda: None)
evaluate.register(app)
runner = CliRunner()

DEV = [
    {
        "id": "t1",
        "mode": "review",
        "text": "I will kill you Ann",
        "entities": [{"start": 16, "end": 19, "label": "PERSON"}],
        "concerns": ["threat"],
        "severity": "high",
    },
    {
        "id": "t2",
        "mode": "own",
        "text": "great team day",
        "entities": [],
        "concerns": [],
        "severity": "none",
    },
]


@pytest.fixture
def dev_file(tmp_path):
    path = tmp_path / "dev.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in DEV), encoding="utf-8")
    return path


def test_eval_prints_per_label_scores_and_headline(fake_engine, dev_file):
    result = runner.invoke(app, ["eval", str(dev_file)], env={"COLUMNS": "150"})
    assert result.exit_code == 0, result.output
    assert "precision, recall, F1" in result.output
    assert "threat" in result.output and "PERSON" in result.output
    assert "benign false-alarm rate: 0.000 (0 of 1 texts" in result.output


def test_eval_json_and_labels(fake_engine, dev_file):
    result = runner.invoke(app, ["eval", str(dev_file), "--json", "--labels", "threat,PERSON"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report["concerns"]["per_label"]) == ["threat"]
    assert report["concerns"]["per_label"]["threat"]["f1"] == 1.0
    assert report["entities"]["exact"]["micro"]["f1"] == 1.0
    assert report["errors"] == []


def test_eval_shows_the_worst_errors(fake_engine, tmp_path):
    path = tmp_path / "fa.csv"
    path.write_text("text,label\nwe kill it on Fridays,\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(path), "--errors", "1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "false_alarm" in result.output and "threat (high, 0.80)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl"], "error: missing.jsonl: no such file"),
        (["DIR"], "is a directory"),
        (["dev.jsonl", "--format", "xml"], "unknown format 'xml'"),
        (["dev.jsonl", "--mode", "public"], "unknown mode 'public'"),
        (["dev.jsonl", "--labels", "VEHICLE"], "label(s) not annotated in dev.jsonl: VEHICLE"),
        (["empty.jsonl"], "no labelled texts found"),
        (["bad.csv"], "no column 'text'"),
        (["dev.jsonl", "--map", "oops"], "--map expects SOURCE=CONCERN"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    fake_engine, dev_file, tmp_path, monkeypatch, args, message
):
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("body\nx\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = [str(tmp_path) if a == "DIR" else a for a in args]
    result = runner.invoke(app, ["eval", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_an_engine_failure_is_reported_not_traced(dev_file, monkeypatch):
    import safeside

    def broken(texts, mode):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(safeside, "analyze_batch", broken)
    result = runner.invoke(app, ["eval", str(dev_file)])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: the engine failed: RuntimeError: model file missing"
