"""The damage corpus: each kind of damaged or hostile file, built in tmp_path, and what
the import must do with it (posts kept, what the report says)."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import random
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from safeside.errors import ArchiveError, NotText
from safeside.ingest import Limits, archives, read_posts

from .damage import (
    flip_bit_in_entry,
    json_array,
    tar_gz_bomb,
    tar_with,
    tweet,
    tweets_js,
    zip_with,
)


def tweets(count: int, start: int = 0) -> bytes:
    return tweets_js([tweet(n) for n in range(start, start + count)]).encode()


def texts(count: int, start: int = 0) -> list[str]:
    return [f"tweet number {n}" for n in range(start, start + count)]


def messages(report_problems: list[object]) -> str:
    return "\n".join(str(problem) for problem in report_problems)


# -- archives -----------------------------------------------------------------------


def test_a_bit_flip_in_one_zip_entry_loses_none_of_the_others(tmp_path: Path) -> None:
    account = json.dumps([{"account": {"username": "me", "bio": "word " * 800}}])
    archive = zip_with(
        tmp_path / "twitter.zip",
        {
            "data/account.js": f"window.YTD.account.part0 = {account}".encode(),
            "data/tweets.js": tweets(50),
        },
    )
    flip_bit_in_entry(archive, "data/account.js")

    posts, report = read_posts(archive)

    assert [p.text for p in posts] == texts(50)
    damaged = [p for p in report.problems if p.reason == "damaged-entry"]
    assert [p.where.file for p in damaged] == ["data/account.js"]


def test_a_bit_flip_inside_the_tweets_keeps_the_records_before_it(tmp_path: Path) -> None:
    archive = zip_with(tmp_path / "twitter.zip", {"data/tweets.js": tweets(50)})
    flip_bit_in_entry(archive, "data/tweets.js", at=0.7)

    posts, report = read_posts(archive)

    kept = [p.text for p in posts]
    assert len(kept) >= 20 and kept == texts(len(kept))  # deflate cannot resync after a flip
    assert "damaged-entry" in report.skipped or "damaged-entry" in report.warnings


def test_a_zip_entry_with_a_broken_header_is_skipped(tmp_path: Path) -> None:
    archive = zip_with(
        tmp_path / "twitter.zip",
        {"data/tweets.js": tweets(3), "data/tweets-part1.js": tweets(3, 3)},
    )
    with zipfile.ZipFile(archive) as opened:
        offset = opened.getinfo("data/tweets-part1.js").header_offset
    data = bytearray(archive.read_bytes())
    data[offset : offset + 4] = b"XXXX"
    archive.write_bytes(bytes(data))

    posts, report = read_posts(archive)

    assert [p.text for p in posts] == texts(3)
    assert report.skipped["damaged-entry"] == 1
    assert "tweets-part1.js: cannot be unpacked" in messages(report.problems)


COMPRESS = {"w": lambda b: b, "w:gz": gzip.compress, "w:bz2": bz2.compress, "w:xz": lzma.compress}


@pytest.mark.parametrize("mode", COMPRESS)
def test_a_tar_entry_with_a_broken_header_is_skipped_and_the_rest_read(
    tmp_path: Path, mode: str
) -> None:
    entries = {
        "data/tweets.js": tweets(3),
        "data/tweets-part1.js": tweets(3, 3),
        "data/tweets-part2.js": tweets(3, 6),
    }
    plain = bytearray(tar_with(tmp_path / "plain.tar", entries, "w").read_bytes())
    header = plain.find(b"data/tweets-part1.js")
    plain[header + 148 : header + 156] = b"0000000\x00"  # a wrong header checksum
    archive = tmp_path / "archive.tar"
    archive.write_bytes(COMPRESS[mode](bytes(plain)))

    posts, report = read_posts(archive)

    assert [p.text for p in posts] == texts(3) + texts(3, 6)
    assert report.skipped["damaged-entry"] == 1


def test_a_cut_tar_gz_keeps_the_files_before_the_cut(tmp_path: Path) -> None:
    photo = random.Random(7).randbytes(200_000)  # does not compress: the cut lands in it
    archive = tar_with(
        tmp_path / "archive.tar.gz",
        {
            "data/tweets.js": tweets(10),
            "data/photo.jpg": photo,
            "data/tweets-part1.js": tweets(5, 10),
        },
    )
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])

    posts, report = read_posts(archive)

    assert [p.text for p in posts] == texts(10)
    assert "is damaged after its first 2 files" in messages(report.problems)


def test_a_tar_gz_bomb_is_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    bomb = tar_gz_bomb(tmp_path / "archive.tar.gz", size=1 << 30)  # 1 GB of NULs in ~1 MB
    assert bomb.stat().st_size < 2 << 20

    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ArchiveError, match="compression bomb"):
            read_posts(bomb)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert elapsed < 30 and peak < 64 << 20


def test_tar_limits_apply_per_entry_and_in_total(tmp_path: Path) -> None:
    archive = tar_with(
        tmp_path / "archive.tar.gz", {"data/tweets.js": tweets(3), "data/big.js": b" " * 5000}
    )

    posts, report = read_posts(archive, limits=Limits(max_file_bytes=4000))
    assert len(posts) == 3 and report.skipped == {"too-large": 1}

    with pytest.raises(ArchiveError, match="would unpack to"):
        read_posts(archive, limits=Limits(max_archive_bytes=2000))


def test_a_zip_that_unpacks_far_larger_than_it_is_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archives, "_RATIO_FLOOR", 1 << 20)
    archive = zip_with(tmp_path / "x.zip", {f"part{n}.txt": bytes(1 << 20) for n in range(4)})

    with pytest.raises(ArchiveError, match="zip bomb"):
        read_posts(archive)


# -- JSON -----------------------------------------------------------------------------


def generic_records(count: int) -> list[dict[str, object]]:
    return [
        {
            "id": n,
            "text": f"post number {n}",
            "author": f"user{n}",
            "timestamp": "2024-01-01T10:00:00Z",
        }
        for n in range(count)
    ]


def damaged_export(tmp_path: Path, name: str, text: str, before: str, after: str) -> Path:
    path = tmp_path / name
    path.write_text(text.replace(before, after, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["posts.json", "tweets.js"])
def test_garbage_before_a_record_loses_nothing_after_it(tmp_path: Path, name: str) -> None:
    if name == "tweets.js":
        text, marker, wanted = tweets(100).decode(), '{\n    "tweet"', texts(100)
    else:
        text, marker = json_array(generic_records(100)), '{\n    "id"'
        wanted = [f"post number {n}" for n in range(100)]
    at = [i for i in range(len(text)) if text.startswith(marker, i)][50]
    path = tmp_path / name
    path.write_text(text[:at] + "@@@" + text[at:], encoding="utf-8")

    posts, report = read_posts(path)

    assert [p.text for p in posts] == wanted
    assert report.skipped == {"invalid-record": 1}
    assert "record 51: has damaged data before it" in messages(report.problems)


def test_a_record_that_lost_its_brace_invents_no_post_from_a_key(tmp_path: Path) -> None:
    text = json.dumps(generic_records(100))
    path = damaged_export(tmp_path, "posts.json", text, '{"id": 50,', '"id": 50,')

    posts, report = read_posts(path)

    kept = [p.text for p in posts]
    assert all(t.startswith("post number") for t in kept)
    assert [t for t in kept if t != "post number 50"] == [
        f"post number {n}" for n in range(100) if n != 50
    ]
    assert report.skipped["invalid-record"] >= 1


def test_an_unescaped_quote_is_a_damaged_record_not_a_truncated_file(tmp_path: Path) -> None:
    text = json.dumps(generic_records(100), indent=1)
    path = damaged_export(tmp_path, "posts.json", text, "post number 50", 'post "number" 50')

    posts, report = read_posts(path)

    assert len(posts) == 99 and "post number 51" in [p.text for p in posts]
    assert report.skipped == {"invalid-record": 1}
    assert "record 51: is not valid JSON" in messages(report.problems)


def test_a_record_that_lost_its_closing_brackets_gives_back_the_records_it_swallowed(
    tmp_path: Path,
) -> None:
    records = [{"text": f"message {n}", "reactions": [{"actor": "Jo"}]} for n in range(6)]
    text = '{"messages": ' + json.dumps(records) + ', "sender_name": "x", "timestamp_ms": 1}'
    text = text.replace(
        '"message 3", "reactions": [{"actor": "Jo"}]}',
        '"message 3", "reactions": [{"actor": "Jo"}',
        1,
    )
    path = tmp_path / "message_1.json"
    path.write_text(
        text.replace('"text"', '"content"').replace(
            '{"content"', '{"sender_name": "Sam", "content"'
        ),
        encoding="utf-8",
    )

    posts, report = read_posts(path)

    assert [p.text for p in posts] == [f"message {n}" for n in range(6)]
    assert report.warnings["invalid-record"] == 1


# -- text, CSV, dates, duplicates ------------------------------------------------------


def test_random_bytes_are_refused_as_not_text(tmp_path: Path) -> None:
    noise = tmp_path / "notes.txt"
    noise.write_bytes(random.Random(1).randbytes(20_000))

    with pytest.raises(NotText, match=r"notes\.txt is not a text file"):
        read_posts(noise)

    (tmp_path / "drafts.txt").write_text("a real draft", encoding="utf-8")
    posts, report = read_posts(tmp_path)
    assert [p.text for p in posts] == ["a real draft"]
    assert "notes.txt: notes.txt is not a text file" in messages(report.problems)


def test_a_giant_paragraph_is_skipped_not_read_as_one_post(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("first\n\n" + "word " * 300_000 + "\n\nlast\n", encoding="utf-8")

    posts, report = read_posts(path)

    assert [p.text for p in posts] == ["first", "last"]
    assert report.skipped == {"too-large": 1}


def test_latin1_files_are_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("Réunion à l'école\n\nCafé ©".encode("latin-1"))

    posts, report = read_posts(path)

    assert [p.text for p in posts] == ["Réunion à l'école", "Café ©"]
    assert report.warnings == {"not-utf8": 1}
    assert "read as Windows-1252/Latin-1" in messages(report.problems)


def test_latin1_after_a_long_ascii_start_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(("plain ascii line\n" * 5000 + "\nCafé crème\n").encode("latin-1"))

    posts, report = read_posts(path)

    assert posts[-1].text == "Café crème"
    assert "2 characters were read as Windows-1252/Latin-1" in messages(report.problems)
    assert "invalid-utf8" not in report.warnings


def test_an_unterminated_csv_quote_does_not_swallow_the_rows_after_it(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        'id,text,author\n1,"never closed,amy\n2,second row,bob\n3,"third, quoted",cat\n4,fourth,dan\n',
        encoding="utf-8",
    )

    posts, report = read_posts(path)

    assert [p.text for p in posts] == ["second row", "third, quoted", "fourth"]
    assert report.skipped == {"invalid-record": 1}
    assert "posts.csv, line 2: has a quote that is never closed" in messages(report.problems)


def test_a_quoted_field_over_several_lines_is_still_one_row(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text('id,text,author\n1,"two\nlines",amy\n2,next,bob\n', encoding="utf-8")

    posts, report = read_posts(path)

    assert [p.text for p in posts] == ["two\nlines", "next"]
    assert not report.problems


def test_unreadable_dates_are_kept_as_unknown_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "posts.json"
    path.write_text(
        json.dumps([{"text": "a", "date": "yesterday-ish"}, {"text": "b", "date": "2024-01-01"}]),
        encoding="utf-8",
    )
    facebook = tmp_path / "fb" / "your_posts_1.json"
    facebook.parent.mkdir()
    facebook.write_text(json.dumps([{"timestamp": "soon", "data": [{"post": "c"}]}]))

    posts, report = read_posts(path)
    fb_posts, fb_report = read_posts(facebook)

    assert [(p.text, p.timestamp is None) for p in posts] == [("a", True), ("b", False)]
    assert report.warnings == {"no-date": 1}
    assert "has a date Safeside cannot read ('yesterday-ish')" in messages(report.problems)
    assert fb_posts[0].timestamp is None and fb_report.warnings == {"no-date": 1}


def test_duplicates_are_counted_once_and_reported(tmp_path: Path) -> None:
    (tmp_path / "tweets.js").write_text(tweets_js([tweet(1), tweet(1), tweet(2)]), encoding="utf-8")
    (tmp_path / "tweets-part1.js").write_text(tweets_js([tweet(1)]), encoding="utf-8")

    posts, report = read_posts(tmp_path)

    assert [p.text for p in posts] == ["tweet number 1", "tweet number 2"]
    assert report.skipped == {"duplicate": 2}
    assert "repeats post id 1001; counted once" in messages(report.problems)


def test_duplicates_without_ids_across_files_are_counted_once(tmp_path: Path) -> None:
    record = {"timestamp": 1700000000, "data": [{"post": "same words"}]}
    for name in ("your_posts_1.json", "your_posts_2.json"):
        (tmp_path / name).write_text(json.dumps([record]), encoding="utf-8")
    same_file = tmp_path / "other" / "chat.json"
    same_file.parent.mkdir()
    same_file.write_text(json.dumps([{"text": "ok", "date": "2024-01-01T10:00"}] * 2))

    posts, report = read_posts(tmp_path)
    twice, _ = read_posts(same_file)

    assert [p.text for p in posts] == ["same words"]
    assert report.skipped == {"duplicate": 1}
    assert [p.text for p in twice] == ["ok", "ok"]  # one file, one minute: both real
