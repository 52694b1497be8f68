"""Zips and tars are read in place, and unsafe entries are refused one by one."""

from __future__ import annotations

import io
import json
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from safeside.errors import ArchiveError
from safeside.ingest import Limits, read_posts

TWEETS = 'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "full_text": "safe post"}}]'


def make_zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return path


def mark_encrypted(path: Path, name: str) -> None:
    """Set the 'encrypted' flag on one entry (zipfile cannot write encrypted zips)."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_at : start + name_at + len(encoded)] == encoded:
                data[start + flags_at] |= 0x1
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))


def test_hostile_zip_entries_are_skipped_and_the_rest_read(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("data/link.js")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = make_zip(
        tmp_path / "twitter.zip",
        [
            ("data/tweets.js", TWEETS.encode()),
            ("../../etc/evil.js", TWEETS.encode()),
            ("/abs/tweets.js", TWEETS.encode()),
            (link, b"/etc/passwd"),
            ("data/deleted-tweets.js", TWEETS.encode()),
            ("data/tweets_media/bomb.txt", b"\0" * (4 << 20)),
        ],
    )
    mark_encrypted(archive, "data/deleted-tweets.js")

    posts, report = read_posts(archive)

    assert [p.text for p in posts] == ["safe post"]
    assert posts[0].source.archive == "twitter.zip" and posts[0].source.file == "data/tweets.js"
    assert report.skipped == {"unsafe-entry": 3, "encrypted-entry": 1, "too-large": 1}
    messages = {p.where.file: p.message for p in report.problems}
    assert messages["../../etc/evil.js"] == "points outside the archive; not read"
    assert "password-protected" in messages["data/deleted-tweets.js"]
    assert "zip bomb" in messages["data/tweets_media/bomb.txt"]


def test_archive_over_the_total_size_limit_is_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "big.zip", [("data/tweets.js", TWEETS.encode())])
    with pytest.raises(ArchiveError, match="would unpack to"):
        read_posts(archive, limits=Limits(max_archive_bytes=10))


def test_damaged_zip_is_refused_with_a_clear_reason(tmp_path: Path) -> None:
    broken = tmp_path / "export.zip"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(ArchiveError, match=r"export\.zip is not a readable zip file"):
        read_posts(broken)


def test_mastodon_tar_gz_is_read_and_links_refused(tmp_path: Path) -> None:
    outbox = {
        "type": "OrderedCollection",
        "orderedItems": [
            {
                "type": "Create",
                "object": {
                    "type": "Note",
                    "content": "<p>hello from the archive</p>",
                    "published": "2024-01-01T00:00:00Z",
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                },
            }
        ],
    }
    path = tmp_path / "archive-20240101000000-abc.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        data = json.dumps(outbox).encode()
        info = tarfile.TarInfo("outbox.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("actor.json")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        archive.addfile(link)

    posts, report = read_posts(path)

    assert [(p.text, p.audience) for p in posts] == [("hello from the archive", "public")]
    assert report.skipped == {"unsafe-entry": 1}


def test_zips_inside_a_folder_are_opened(tmp_path: Path) -> None:
    make_zip(
        tmp_path / "WhatsApp Chat - Team.zip", [("_chat.txt", b"01/02/24, 09:00 - Sam: hi\r\n")]
    )

    posts, _ = read_posts(tmp_path)

    assert [(p.text, p.thread) for p in posts] == [("hi", "Team")]
    assert str(posts[0].source) == "WhatsApp Chat - Team.zip › _chat.txt, line 1"


def test_symlinks_in_folders_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "drafts.txt").write_text("a draft", encoding="utf-8")
    (tmp_path / "secret.txt").symlink_to("/etc/hostname")

    posts, report = read_posts(tmp_path)

    assert [p.text for p in posts] == ["a draft"]
    assert report.skipped == {"unsafe-entry": 1}
