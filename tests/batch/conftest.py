"""Small corpora (hundreds of posts) and helpers for the batch tests.

The engine is the deterministic stand-in (:mod:`safeside.batch.standin`), so these tests
check the batch machinery, not the detectors.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safeside.batch import BatchOptions, EngineFactory

STANDIN = EngineFactory(target="safeside.batch.standin:make")
TEXTS = [
    "Lovely day at the beach",
    "Kayden did so well at contact today",
    "Home from work, the estate is quiet",
    "I hate this traffic",
    "going to kill it at the gym @coach_sam",
    "nothing to report",
    "meet up after school?",
]
#: Records of a.jsonl that cannot be analysed, and why.
BAD = {17: "invalid-record", 40: "no-text", 55: "analysis-failed"}


def post_record(i: int, authors: int = 9) -> dict[str, Any]:
    return {
        "id": f"p{i:04d}",
        "author_id": f"user{i % authors}",
        "text": f"{TEXTS[i % len(TEXTS)]} #{i}",
        "created_at": f"2024-{1 + i % 6:02d}-{1 + i % 27:02d}T12:00:00Z",
        "platform": ("twitter", "facebook")[i % 2],
    }


def write_jsonl(path: Path, n: int, *, bad: bool = True, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        for i in range(start, start + n):
            record = post_record(i)
            if bad and i - start in BAD:
                kind = BAD[i - start]
                if kind == "invalid-record":
                    stream.write("{not json\n")
                    continue
                record["text"] = "" if kind == "no-text" else "ENGINE-FAIL in this one"
            stream.write(json.dumps(record) + "\n")
    return path


def write_csv(path: Path, n: int, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["post_id", "user_id", "text", "date"])
        for i in range(start, start + n):
            r = post_record(i)
            writer.writerow([r["id"], r["author_id"], r["text"], r["created_at"]])
    return path


def write_parquet(path: Path, n: int, start: int = 0, row_group: int = 40) -> Path:
    rows = []
    for i in range(start, start + n):
        r = post_record(i)
        rows.append(
            {
                "post_id": r["id"],
                "author": r["author_id"],
                "text": r["text"],
                "timestamp": datetime(2024, 1 + i % 4, 3, tzinfo=UTC),
                "platform": "instagram",
            }
        )
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group)
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """230 JSONL records (3 bad), 120 CSV rows and 150 Parquet rows: 497 posts."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", 230)
    write_csv(folder / "b.csv", 120, start=1000)
    write_parquet(folder / "c.parquet", 150, start=2000)
    return folder


def options(inputs: list[Path], out: Path, **kw: Any) -> BatchOptions:
    settings: dict[str, Any] = {
        "workers": 0,
        "partition_size": 50,
        "salt": "test-salt",
        "engine": STANDIN,
    }
    settings.update(kw)
    return BatchOptions(inputs=[str(p) for p in inputs], out=out, **settings)


def rows(out: Path) -> pa.Table:
    """Every row of a job, sorted by post id (and record, for posts without an id)."""
    table = pq.read_table(out / "posts")
    keys = [("post_id", "ascending")] if "post_id" in table.column_names else []
    if "record" in table.column_names:
        keys.append(("record", "ascending"))
    return table.sort_by(keys) if keys else table


def errors(out: Path) -> list[dict[str, Any]]:
    lines = (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]
