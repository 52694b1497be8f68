"""Uploads are checked by what is in them (magic bytes), never by their name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from safeside.db.session import Database
from safeside.evidence.filetypes import check_upload, sniff
from safeside.evidence.models import EvidenceItem

from .support import TestClient, visible_text
from .test_record_a_concern import capture, justify, png

PROGRAMS = {
    "windows": (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 80, "a Windows program"),
    "linux": (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 80, "a Linux program (ELF)"),
    "mac": (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 80, "a Mac program"),
    "mac-universal": (b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + b"\x00" * 80, "a Mac program"),
    "script": (b"#!/bin/sh\nrm -rf ~\n", "a script (it starts with #!)"),
    "script-with-space": (b"\xef\xbb\xbf#! /usr/bin/env python3\nprint(1)\n", "a script"),
}


@pytest.mark.parametrize(("content", "what"), PROGRAMS.values(), ids=list(PROGRAMS))
def test_programs_are_recognised_by_their_first_bytes(content: bytes, what: str) -> None:
    found = sniff(content)
    assert found.family == "program" and found.name.startswith(what)
    for kind in ("file", "screenshot"):
        assert "Safeside does not store programs or scripts" in check_upload(content, kind)[1]


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"PK\x03\x04\x14\x00", "application/zip"),
        (b"<!DOCTYPE html><html><body>post</body></html>", "text/html"),
        ("I know where you live – 🙂".encode(), "text/plain"),
        (b"MZ Taylor wrote this note about the home visit, which is plain text.", "text/plain"),
        (b"#!important: this is a hashtag, not a script", "text/plain"),
        (b"\x00\x01\x02\x03binary", "application/octet-stream"),
    ],
)
def test_other_files_are_named_by_their_content(content: bytes, media_type: str) -> None:
    assert sniff(content).media_type == media_type


def test_a_screenshot_must_be_a_picture_whatever_its_name() -> None:
    assert check_upload(png(), "screenshot")[1] == ""
    _, message = check_upload(b"just some words", "screenshot")
    assert message.startswith("The selected file is a text file, not a picture")
    assert "choose ‘Another file’" in message
    assert message.endswith("The screenshot must be a PNG, JPG, WebP or GIF.")
    assert check_upload(b"just some words", "file")[1] == ""


@pytest.mark.parametrize("kind", ["file", "screenshot"])
@pytest.mark.parametrize("name", ["windows", "linux", "mac", "script"])
def test_a_program_is_refused_whatever_it_is_called(
    signed_in: Callable[[str], TestClient], database: Database, name: str, kind: str
) -> None:
    client = signed_in("practitioner")
    _, location, _ = justify(client, subject=f"Uploader {name} {kind}")
    content, what = PROGRAMS[name]
    response = capture(
        client, location, kind=kind, files={"upload": ("holiday.png", content, "image/png")}
    )
    assert response.status_code == 400
    page = visible_text(response.text)
    assert f"The selected file is {what}" in page
    assert "Safeside does not store programs or scripts" in page
    assert page.index("There is a problem") < page.index("The selected file is")
    with database.session() as session:
        assert not session.scalars(
            select(EvidenceItem).where(EvidenceItem.filename == "holiday.png")
        ).all()


def test_a_text_file_named_png_is_not_stored_as_a_screenshot(
    signed_in: Callable[[str], TestClient],
) -> None:
    client = signed_in("practitioner")
    _, location, _ = justify(client, subject="Renamer")
    response = capture(
        client,
        location,
        kind="screenshot",
        files={"upload": ("post.png", b"I know where you live", "image/png")},
    )
    assert response.status_code == 400
    page = visible_text(response.text)
    assert "The selected file is a text file, not a picture, whatever its name says." in page
    assert "The screenshot must be a PNG, JPG, WebP or GIF" in page


def test_a_file_is_stored_with_the_type_its_content_shows(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    client = signed_in("practitioner")
    _, location, _ = justify(client, subject="Saver")
    response = capture(
        client,
        location,
        kind="file",
        author_handle="@saver",
        files={"upload": ("post.png", b"I know where you live", "image/png")},
    )
    assert response.status_code == 303, visible_text(response.text)[-600:]
    page = visible_text(client.get(response.headers["location"]).text)
    assert "Threat of violence or harm" in page  # the text was read and analysed
    _, location, _ = justify(client, subject="Shooter")
    shot = capture(
        client,
        location,
        kind="screenshot",
        text="words typed in",
        author_handle="@shooter",
        files={"upload": ("shot.txt", png(), "text/plain")},
    )
    assert shot.status_code == 303
    with database.session() as session:
        stored = {
            item.filename: item.media_type
            for item in session.scalars(select(EvidenceItem)).all()
            if item.filename
        }
    assert stored == {"post.png": "text/plain", "shot.txt": "image/png"}
