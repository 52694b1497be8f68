"""Decoding export files leniently: BOMs, UTF-16, Windows-1252, invalid UTF-8, CRLF.

:func:`open_text` picks the encoding from the first bytes and returns a text stream
that never raises on bad bytes: they become U+FFFD and the file gets one warning.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from safeside.ingest.report import ImportReport
from safeside.ingest.sources import Entry

_SNIFF_BYTES = 64 * 1024


def sniff_encoding(head: bytes) -> str:
    """The encoding to read a file with, judged from its first bytes."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] != 0:
        return "utf-16-le"
    if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] != 0:
        return "utf-16-be"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut at the end of the sample is fine; anything earlier is not UTF-8.
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return "utf-8"
            return "cp1252"
    return "utf-8"


class _CountingText(io.TextIOWrapper):
    """A text stream that counts the U+FFFD replacement characters it hands out.

    Iterating calls :meth:`readline` on a subclass, so lines are counted there.
    """

    replaced = 0

    def read(self, size: int | None = -1) -> str:
        text = super().read(size)
        self.replaced += text.count("\ufffd")
        return text

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        line = super().readline(-1 if size is None else size)
        self.replaced += line.count("\ufffd")
        return line


@contextmanager
def open_text(
    entry: Entry, report: ImportReport, *, newline: str | None = None
) -> Iterator[IO[str]]:
    """Open ``entry`` as text; ``newline=""`` keeps line endings for the csv module."""
    head = entry.head(_SNIFF_BYTES)
    encoding = sniff_encoding(head)
    if encoding == "cp1252":
        report.warn(
            "invalid-utf8", "is not UTF-8; read as Windows-1252 (check accents)", entry.where()
        )
    raw = entry.open()
    stream = _CountingText(raw, encoding=encoding, errors="replace", newline=newline)
    try:
        yield stream
    finally:
        stream.close()
        if stream.replaced and encoding != "cp1252":
            report.warn(
                "invalid-utf8",
                f"has {stream.replaced} invalid UTF-8 byte sequences, shown as �",
                entry.where(),
            )


def read_head_text(entry: Entry, size: int = 8192) -> str:
    """The first ``size`` bytes decoded leniently, for sniffing formats."""
    head = entry.head(size)
    return head.decode(sniff_encoding(head), errors="replace").lstrip("\ufeff")
