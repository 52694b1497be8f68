"""The footprint audit reads each file once and never puts an impossible date on the chart."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from safeside.footprint import run_audit, write_reports
from safeside.footprint.audit import date_is_known
from safeside.footprint.partitioned import AuditCollector, merge_audit
from safeside.ingest import Post, SourceRef, read_posts
from safeside.ingest.registry import UK_TIME

from .conftest import batch, fake_analyze_batch

SAMPLE = Path(__file__).parents[2].parent / "shared" / "data" / "exports" / "instagram"
INSTAGRAM = SAMPLE / "what-if-data-donation"


@pytest.fixture
def instagram() -> Path:
    if not INSTAGRAM.is_dir():
        pytest.skip(f"REAL-FORMAT SAMPLE NOT FOUND at {INSTAGRAM}: the copy tests did not run")
    return INSTAGRAM


def dated(text: str, stamp: datetime | None, n: int) -> Post:
    return Post(
        platform="twitter",
        text=text,
        source=SourceRef("data/tweets.js", archive="twitter.zip", record=n),
        timestamp=stamp,
    )


def future() -> datetime:
    return datetime.now(UTC) + timedelta(days=40)


def test_only_dates_from_2004_to_today_are_known() -> None:
    today = date(2026, 6, 1)
    assert date_is_known(datetime(2004, 1, 1, tzinfo=UTC), today)
    assert date_is_known(datetime(2026, 6, 1, 22, 59, tzinfo=UTC), today)  # 23:59 BST
    assert not date_is_known(datetime(2026, 6, 1, 23, 0, tzinfo=UTC), today)  # 2 June in the UK
    assert not date_is_known(datetime(1970, 1, 1, tzinfo=UTC), today)
    assert not date_is_known(datetime(2003, 12, 31, 23, 59, tzinfo=UTC), today)


def test_impossible_dates_are_reported_as_unknown_and_left_off_the_timeline(
    tmp_path: Path,
) -> None:
    posts = [
        dated("Kayden at the beach", datetime(1970, 1, 1, tzinfo=UTC), 0),
        dated("Before any platform", datetime(2003, 6, 1, tzinfo=UTC), 1),
        dated("Kayden from the future", future(), 2),
        dated("A real day", datetime(2024, 3, 10, 12, tzinfo=UTC), 3),
        dated("Kayden again", datetime(2024, 5, 2, 12, tzinfo=UTC), 4),
        dated("No date at all", None, 5),
    ]
    result = run_audit(posts, mode="own", source="twitter.zip", analyze=batch)

    assert result.unknown_dates == 3
    assert result.undated == 4
    assert sorted(result.by_month) == ["2024-03", "2024-05"]  # starts at the first known date
    impossible = [f for f in result.findings if f.post.text != "Kayden again"]
    assert len(impossible) == 2 and all(f.post.timestamp is None for f in impossible)

    paths = write_reports(result, tmp_path)
    html = paths["html"].read_text(encoding="utf-8")
    assert "Jan 1970" not in html and "date unknown" in html
    assert "3 had a date before 2004 or after today" in html
    assert ">2024-03<" in html and "1970-01" not in html
    report = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert report["unknown_dates"] == 3 and "1970-01" not in report["by_month"]
    with paths["csv"].open(encoding="utf-8-sig") as stream:
        stamps = {row["text"]: row["timestamp"] for row in csv.DictReader(stream)}
    assert stamps["Kayden at the beach"] == "" and stamps["Kayden again"].startswith("2024-05")


def test_the_batch_path_counts_them_the_same_way(tmp_path: Path) -> None:
    collector = AuditCollector(UK_TIME)
    for post in (
        dated("Kayden", datetime(1970, 1, 1, tzinfo=UTC), 0),
        dated("Kayden", datetime(2024, 1, 5, tzinfo=UTC), 1),
    ):
        (analysis,) = fake_analyze_batch([post.text])
        collector.add(post, analysis)
    state = collector.write(tmp_path / "p.jsonl")
    assert state["unknown_dates"] == 1
    first = json.loads((tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["post"]["timestamp"] is None
    merged = merge_audit("own", "x", tmp_path, [{"name": "p", "extra": state}], None, UK_TIME)
    assert merged.result.unknown_dates == 1
    assert list(merged.result.by_month) == ["2024-01"]


def test_a_zip_and_its_extracted_folder_are_read_once(instagram: Path) -> None:
    zipped, zip_report = read_posts(instagram / "IG_public_test_file.zip")
    both, report = read_posts(instagram)  # the zip, and extracted/ beside it

    assert [p.text for p in both] == [p.text for p in zipped]
    assert report.skipped["duplicate-file"] == 5  # every readable extracted file
    assert report.skipped["duplicate"] == 0  # so no post is met twice
    assert report.files_read == zip_report.files_read
    lines = report.summary_lines()
    assert any(line.startswith("Skipped 5: file with the same content") for line in lines)
    skipped = [p for p in report.problems if p.reason == "duplicate-file"]
    assert all("IG_public_test_file.zip › your_instagram_activity/" in p.message for p in skipped)


def test_two_copies_of_an_export_are_read_once(instagram: Path, tmp_path: Path) -> None:
    shutil.copy(instagram / "IG_public_test_file.zip", tmp_path / "export.zip")
    shutil.copy(instagram / "IG_public_test_file.zip", tmp_path / "export (1).zip")
    once, _ = read_posts(instagram / "IG_public_test_file.zip")
    posts, report = read_posts(tmp_path)
    assert len(posts) == len(once)
    assert report.skipped["duplicate-file"] == report.files_read + report.skipped.get(
        "damaged-entry", 0
    )


def test_the_instagram_audit_timeline_starts_at_its_first_real_date(instagram: Path) -> None:
    posts, _ = read_posts(instagram)
    result = run_audit(posts, mode="own", source=instagram.name, analyze=batch)
    # A comment's cut-off timestamp (1970): the reader or the audit leaves its date unknown.
    assert result.undated == 1
    assert min(result.by_month) == "2024-09"
    assert "1970-01" not in result.by_month
    assert result.posts_analysed == len(posts) == 5
