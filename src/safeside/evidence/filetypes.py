"""What an uploaded file really is, from its first bytes (magic numbers), never its name.

A browser's content type and a file's extension are whatever the sender says: a text
file renamed ``post.png`` arrives as ``image/png``. :func:`sniff` reads the content
instead, and :func:`check_upload` turns the answer into the GOV.UK error message a
practitioner sees, saying what the file is and what to upload instead.

Programs are never stored: Windows (``MZ``), Linux (ELF) and macOS (Mach-O) executables,
and scripts that start with ``#!``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Family = Literal["image", "program", "pdf", "archive", "html", "text", "other"]


@dataclass(frozen=True, slots=True)
class FileType:
    """What a file is: its family, media type and a name a person understands."""

    family: Family
    media_type: str
    name: str


#: Pictures Safeside can show and read the words in (PNG, JPEG, WebP, GIF).
SCREENSHOT_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})

_MACH_O = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # a universal (fat) binary; also a Java class file: a program too
)

_SIGNATURES: tuple[tuple[bytes, FileType], ...] = (
    (b"\x89PNG\r\n\x1a\n", FileType("image", "image/png", "a PNG picture")),
    (b"\xff\xd8\xff", FileType("image", "image/jpeg", "a JPEG picture")),
    (b"GIF87a", FileType("image", "image/gif", "a GIF picture")),
    (b"GIF89a", FileType("image", "image/gif", "a GIF picture")),
    (b"\x7fELF", FileType("program", "application/x-executable", "a Linux program (ELF)")),
    *(
        (magic, FileType("program", "application/x-mach-binary", "a Mac program"))
        for magic in _MACH_O
    ),
    (b"%PDF-", FileType("pdf", "application/pdf", "a PDF document")),
    (b"PK\x03\x04", FileType("archive", "application/zip", "a zip file")),
    (b"PK\x05\x06", FileType("archive", "application/zip", "a zip file")),
    (b"\x1f\x8b", FileType("archive", "application/gzip", "a gzip file")),
    (b"7z\xbc\xaf\x27\x1c", FileType("archive", "application/x-7z-compressed", "a 7-Zip file")),
    (b"Rar!\x1a\x07", FileType("archive", "application/vnd.rar", "a RAR file")),
)

_UTF_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

WINDOWS_PROGRAM = FileType(
    "program", "application/x-msdownload", "a Windows program (.exe or .dll)"
)
SCRIPT = FileType("program", "text/x-script", "a script (it starts with #!)")
#: ``#!/bin/sh``, ``#! /usr/bin/env python``: the line that makes a text file a program.
_SHEBANG = re.compile(r"#!\s*/")


def sniff(content: bytes) -> FileType:
    """What ``content`` is, from its first bytes."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return FileType("image", "image/webp", "a WebP picture")
    if content[4:8] == b"ftyp":
        brand = content[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
            return FileType("other", "image/heic", "a HEIC or AVIF photo")
        return FileType("other", "video/mp4", "a video or audio file")
    for magic, kind in _SIGNATURES:
        if content.startswith(magic):
            return kind
    text = _as_text(content[:65536])
    # "MZ" starts every Windows program, and the odd text file ("MZ Taylor wrote...")
    if content.startswith(b"MZ") and (text is None or len(content) < 64):
        return WINDOWS_PROGRAM
    if text is None:
        return FileType("other", "application/octet-stream", "a file Safeside does not recognise")
    start = text.lstrip()[:100].lower()
    if start.startswith(("<!doctype html", "<html")):
        return FileType("html", "text/html", "a saved web page (HTML)")
    if _SHEBANG.match(text.lstrip()):  # after a byte-order mark or blank lines too
        return SCRIPT
    return FileType("text", "text/plain", "a text file")


def _as_text(head: bytes) -> str | None:
    """``head`` as text if it reads as UTF-8 (or UTF-16 with a byte-order mark) with no
    control characters other than tab and line breaks; else None."""
    if head.startswith(_UTF_BOMS[1:]):
        try:
            return head.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        # a multi-byte character may be cut at the end of the sample
        text = head.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:
            return None
        text = head[: error.start].decode("utf-8-sig")
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        return None
    return text


def check_upload(content: bytes, kind: str) -> tuple[FileType, str]:
    """What the upload is, and the error message to show ('' when it may be stored).

    ``kind`` is what the practitioner said they are uploading: ``screenshot`` (must be a
    PNG, JPEG, WebP or GIF picture, whatever its name) or ``file`` (anything but a
    program).
    """
    found = sniff(content)
    if found.family == "program":
        return found, (
            f"The selected file is {found.name}. Safeside does not store programs or "
            "scripts. Upload a screenshot, or save the page or message as a PDF or text "
            "file."
            + (" The screenshot must be a PNG, JPG, WebP or GIF." if kind == "screenshot" else "")
        )
    if kind == "screenshot" and found.media_type not in SCREENSHOT_TYPES:
        hint = (
            " To keep it, choose ‘Another file’, or paste its words as text."
            if found.family in ("text", "html", "pdf")
            else ""
        )
        return found, (
            f"The selected file is {found.name}, not a picture, whatever its name says."
            f"{hint} The screenshot must be a PNG, JPG, WebP or GIF."
        )
    return found, ""


def stored_media_type(found: FileType, claimed: str) -> str:
    """The media type to keep: what the content is, where Safeside can tell; the
    browser's word only for other files, and never a picture type for a non-picture."""
    if found.family in ("image", "pdf", "html", "text", "program"):
        return found.media_type
    if not claimed or claimed.startswith(("image/", "text/")):
        return found.media_type
    return claimed
