"""Batch jobs in this process (``workers=0``): outputs, errors, resume, privacy."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from safeside.batch import run_batch
from safeside.batch.aggregate import MIN_CELL
from safeside.batch.run import Progress
from safeside.errors import InputError

from .conftest import BAD, errors, options, rows, write_jsonl, write_parquet


def test_every_post_gets_one_row_and_bad_records_go_to_the_errors_file(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"

    result = run_batch(options([corpus], out))

    assert result.posts == 497 and result.failed == []
    assert len(result.partitions) == 5 + 3 + 3  # 230, 120 and 150 records in fifties
    table = rows(out)
    assert table.num_rows == 497
    assert len(set(table["post_id"].to_pylist())) == 497
    # The three bad records of a.jsonl, each with its reason and place; their neighbours kept.
    bad = {e["record"]: e["reason"] for e in errors(out)}
    assert bad == BAD
    ids = set(table["post_id"].to_pylist())
    assert {"p0016", "p0018", "p0039", "p0041", "p0054", "p0056"} <= ids
    assert not {"p0040", "p0055"} & ids
    failed = next(e for e in errors(out) if e["reason"] == "analysis-failed")
    assert failed["partition"] == "s00000-r0000000050" and "engine failed" in failed["message"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["errors"]["by_reason"] == {
        "analysis-failed": 1,
        "invalid-record": 1,
        "no-text": 1,
    }
    assert summary["posts"] == 497 and summary["partitions"]["finished"] == 11


def test_rows_hold_labels_offsets_and_hashed_authors_but_no_text(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_batch(options([corpus / "a.jsonl"], out))

    table = rows(out)
    assert "text" not in table.column_names
    first = table.slice(1, 1).to_pylist()[0]  # p0001: "Kayden did so well at contact today #1"
    assert first["source"].endswith("a.jsonl") and first["record"] == 1
    assert first["platform"] == "facebook" and first["month"] == "2024-02"
    assert first["severity"] == "high" and first["severity_rank"] == 3
    (concern,) = first["concerns"]
    assert concern["label"] == "confidentiality" and concern["confidence"] == 0.9
    assert concern["spans"] == [{"start": 0, "end": 6}]
    assert concern["cues"] == ["identifies: person"]  # the cue, not the quoted word
    assert len(first["author_id"]) == 16 and "user" not in first["author_id"]
    handle = table.slice(4, 1).to_pylist()[0]["entities"]
    assert handle == [
        {"label": "HANDLE", "detector": "standin.handle", "score": 0.9, "start": 28, "end": 38}
    ]
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert b"Kayden did so well" not in everything

    kept = tmp_path / "kept"
    run_batch(options([corpus / "a.jsonl"], kept, keep_text=True))
    assert rows(kept)["text"][1].as_py() == "Kayden did so well at contact today #1"


def test_research_outputs_drop_ids_offsets_and_times(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"

    run_batch(options([corpus], out, research=True, salt=None))

    table = pq.read_table(out / "posts")
    assert table.num_rows == 497
    for column in ("source", "entry", "record", "post_id", "author_id", "time", "text"):
        assert column not in table.column_names
    concern = table.schema.field("concerns").type.value_type
    entity = table.schema.field("entities").type.value_type
    assert "spans" not in [concern.field(i).name for i in range(concern.num_fields)]
    assert [entity.field(i).name for i in range(entity.num_fields)] == [
        "label",
        "detector",
        "score",
    ]
    assert set(table["month"].to_pylist()) <= {f"2024-{m:02d}" for m in range(1, 7)}
    assert all("record" not in e and "message" not in e for e in errors(out))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["read"] == [] and summary["research"] is True
    # A random salt, kept in RESULTS/salt (owner-only) and in no output.
    salt = (out / "salt").read_bytes().strip()
    assert len(salt) == 64 and (out / "salt").stat().st_mode & 0o077 == 0
    for path in out.rglob("*"):
        if path.is_file() and path.name != "salt":
            assert salt not in path.read_bytes(), path


def test_small_cells_are_suppressed(tmp_path: Path) -> None:
    records = []
    # threat: 6 posts by 6 authors in one month and platform: shown.
    records += [("kill", f"a{i}", "2024-01") for i in range(6)]
    # harassment: 6 posts by only 2 authors: suppressed.
    records += [("hate", f"b{i % 2}", "2024-01") for i in range(6)]
    # self_exposure: 4 posts by 4 authors: suppressed.
    records += [("estate", f"c{i}", "2024-01") for i in range(4)]
    path = tmp_path / "cells.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for n, (word, author, month) in enumerate(records):
            record = {
                "id": str(n),
                "author_id": author,
                "text": f"{word} {n}",
                "date": f"{month}-05T10:00:00Z",
                "platform": "x",
            }
            stream.write(json.dumps(record) + "\n")
    out = tmp_path / "out"

    run_batch(options([path], out, partition_size=5))

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert MIN_CELL == 5
    assert summary["by_concern"] == {"self_exposure": None, "threat": 6, "harassment": None}
    cells = {c["concern"]: c["posts"] for c in summary["cells"]}
    assert cells == {"harassment": None, "self_exposure": None, "threat": 6}
    assert summary["by_concern_month"]["threat"] == {"2024-01": 6}
    assert summary["by_severity"] == {"medium": None, "high": 6, "critical": None}
    assert summary["posts"] == 16 and summary["flagged"] == 16
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "&lt;5" in html and "<script" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)  # nothing fetched


def test_an_interrupted_job_resumes_without_redoing_finished_partitions(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"

    def stop_after_three(p: Progress) -> None:
        if p.partitions_done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(options([corpus], out), on_progress=stop_after_three)
    finished = {p.name: p.stat().st_mtime_ns for p in (out / "posts").iterdir()}
    assert len(finished) == 3
    (out / "posts" / ".s00001-r0000000000.parquet.1234.tmp").write_bytes(b"half-written")

    again = run_batch(options([corpus], out))

    assert again.done_before == 3 and again.failed == []
    for name, mtime in finished.items():
        assert (out / "posts" / name).stat().st_mtime_ns == mtime  # not redone
    assert not list(out.rglob("*.tmp"))
    fresh = tmp_path / "fresh"
    run_batch(options([corpus], fresh))
    assert rows(out).equals(rows(fresh))
    assert errors(out) == errors(fresh)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (
        summary["by_concern"]
        == json.loads((fresh / "summary.json").read_text(encoding="utf-8"))["by_concern"]
    )


def test_a_different_job_in_the_same_folder_is_refused(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(options([corpus / "a.jsonl"], out))

    with pytest.raises(InputError, match="different job"):
        run_batch(options([corpus / "a.jsonl"], out, mode="review"))


def test_exports_zips_globs_and_per_record_modes(tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(
        "[05/03/2024, 18:01:10] Sam: Kayden did so well at contact today\n"
        "[05/03/2024, 18:02:00] Alex: lovely\n"
        "[14/04/2024, 09:00:00] Sam: I hate this estate\n",
        encoding="utf-8",
    )
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(chat, "WhatsApp Chat with Sam.txt")
    mixed = write_jsonl(tmp_path / "mixed.jsonl", 10, bad=False)
    lines = mixed.read_text(encoding="utf-8").splitlines()
    lines = [line[:-1] + ', "mode": "review"}' if n % 2 else line for n, line in enumerate(lines)]
    mixed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"

    write_parquet(tmp_path / "small-1.parquet", 6)
    write_parquet(tmp_path / "small-2.parquet", 4, start=6)

    result = run_batch(
        options([archive, mixed, tmp_path / "small-*.parquet"], out, partition_size=2)
    )

    assert result.failed == [] and result.posts == 3 + 10 + 6 + 4
    assert len(result.partitions) == 2 + 5 + 3 + 2
    table = rows(out).to_pylist()
    whatsapp = [r for r in table if r["platform"] == "whatsapp"]
    assert [r["record"] for r in whatsapp] == [0, 1, 2]
    assert {r["entry"] for r in whatsapp} == {"WhatsApp Chat with Sam.txt"}
    assert len({r["author_id"] for r in whatsapp}) == 2  # Sam and Alex
    modes = {r["post_id"]: r["mode"] for r in table if r["source"].endswith("mixed.jsonl")}
    assert modes["p0000"] == "own" and modes["p0001"] == "review"
    assert len([r for r in table if r["platform"] == "instagram"]) == 10


def test_parquet_ranges_read_only_their_rows(corpus: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    split = tmp_path / "split"
    run_batch(options([corpus / "c.parquet"], whole, partition_size=1000))
    run_batch(options([corpus / "c.parquet"], split, partition_size=17))

    assert rows(whole).equals(rows(split))
    assert len(list((split / "posts").iterdir())) == 9


def test_unknown_inputs_are_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="matches no files"):
        run_batch(options([tmp_path / "nothing-*.jsonl"], tmp_path / "out"))
    with pytest.raises(InputError, match="does not exist"):
        run_batch(options([tmp_path / "missing.jsonl"], tmp_path / "out"))


def test_a_results_folder_inside_the_input_folder_is_not_read_back(
    corpus: Path, tmp_path: Path
) -> None:
    out = corpus / "results"
    first = run_batch(options([corpus], out))
    again = run_batch(options([corpus], out))

    assert first.posts == again.posts == 497
    assert again.done_before == len(again.partitions) == 11


def test_research_and_keep_text_do_not_mix(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="keeps no text"):
        run_batch(options([corpus], tmp_path / "out", research=True, keep_text=True))
