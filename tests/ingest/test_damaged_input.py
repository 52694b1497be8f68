"""Bad input loses nothing and says why: each problem names the file and record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safeside.errors import InputError, UnsupportedFormat
from safeside.ingest import read_posts

CHAT = "01/02/24, 09:00 - Sam: Morning all\n13/02/24, 09:05 - Alex: Running late\n"


def tweets_js(*records: str) -> str:
    return "window.YTD.tweets.part0 = [\n" + ",\n".join(records) + "\n]"


def tweet(n: int, text: str = "hello") -> str:
    body = {
        "id_str": str(n),
        "full_text": f"{text} {n}",
        "created_at": "Wed Jun 05 13:45:22 +0000 2024",
    }
    return json.dumps({"tweet": body})


def test_truncated_archive_keeps_records_before_the_cut(tmp_path: Path) -> None:
    whole = tweets_js(tweet(1), tweet(2), tweet(3))
    path = tmp_path / "tweets.js"
    path.write_text(whole[: whole.index("hello 3") - 5], encoding="utf-8")

    posts, report = read_posts(path)

    assert [p.text for p in posts] == ["hello 1", "hello 2"]
    assert report.skipped["truncated"] == 1
    assert str(report.problems[0]).startswith(
        "tweets.js, record 3: file ends in the middle of a record"
    )


def test_one_broken_record_is_skipped_and_named(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_text(
        tweets_js(tweet(1), '{"tweet": {"full_text": "oops" "id_str": "2"}}', tweet(3)),
        encoding="utf-8",
    )

    posts, report = read_posts(path)

    assert [p.text for p in posts] == ["hello 1", "hello 3"]
    assert (
        str(report.problems[0])
        == "tweets.js, record 2: is not valid JSON (Expecting ',' delimiter); skipped"
    )


def test_trailing_commas_inside_and_after_records_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    inner = '{"tweet": {"id_str": "2", "full_text": "two", "entities": {"urls": [],},}}'
    path.write_text(f"window.YTD.tweets.part0 = [\n{tweet(1)},\n{inner},\n]", encoding="utf-8")

    posts, report = read_posts(path)

    assert [p.text for p in posts] == ["hello 1", "two"]
    assert report.warnings["trailing-comma"] == 2


def test_bom_crlf_and_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with Sam.txt"
    data = "\ufeff" + CHAT.replace("\n", "\r\n")
    path.write_bytes(data.encode("utf-8").replace(b"Running", b"Runn\xffing"))

    posts, report = read_posts(path)

    assert [p.text for p in posts] == ["Morning all", "Runn\ufffding late"]
    assert posts[0].thread == "Sam"
    assert report.warnings["invalid-utf8"] == 1
    assert "1 invalid UTF-8 byte sequences" in str(report.problems[0])


def test_utf16_and_windows_1252_files_are_decoded(tmp_path: Path) -> None:
    utf16 = tmp_path / "chat.txt"
    utf16.write_bytes(CHAT.encode("utf-16"))
    assert [p.author for p in read_posts(utf16)[0]] == ["Sam", "Alex"]

    cp1252 = tmp_path / "drafts.txt"
    cp1252.write_bytes("Caf\u00e9 meeting at 10 \u2013 bring notes".encode("cp1252"))
    posts, report = read_posts(cp1252)
    assert posts[0].text == "Café meeting at 10 – bring notes"
    assert "read as Windows-1252" in str(report.problems[0])


def test_missing_and_unknown_inputs_raise_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_posts(tmp_path / "nope.zip")
    odd = tmp_path / "notes.pdf"
    odd.write_bytes(b"%PDF-1.7")
    with pytest.raises(UnsupportedFormat, match=r"notes\.pdf: Safeside does not recognise"):
        read_posts(odd)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UnsupportedFormat, match="no readable files"):
        read_posts(empty)


def test_a_forced_format_reads_a_file_detection_would_not(tmp_path: Path) -> None:
    path = tmp_path / "export.dat.txt"
    path.write_text("first\n\nsecond", encoding="utf-8")
    posts, _ = read_posts(path, format="text")
    assert [p.text for p in posts] == ["first", "second"]
    with pytest.raises(UnsupportedFormat, match="unknown format 'myspace'"):
        read_posts(path, format="myspace")
