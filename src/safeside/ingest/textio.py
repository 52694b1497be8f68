"""Decoding export files leniently: BOMs, UTF-16, Windows-1252/Latin-1, damaged UTF-8, CRLF.

:func:`open_text` picks the encoding from the first bytes and returns a text stream
that never raises on bad bytes:

* a file that is not UTF-8 (no valid multi-byte UTF-8 in its first 64 KB, but bytes
  that are not UTF-8) is read as Windows-1252, with Latin-1 for the five bytes
  Windows-1252 leaves undefined, and gets one note;
* a UTF-8 file whose first non-UTF-8 byte comes before any other non-ASCII text has
  those bytes read the same way (a Latin-1 file with an ASCII start), with one note;
* in a file that is otherwise good UTF-8, bad bytes become U+FFFD, with one warning;
* binary content (more than 5% control bytes in the first 64 KB) is refused with
  :class:`~safeside.errors.NotText`.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from safeside.errors import NotText
from safeside.ingest.entry import Entry
from safeside.ingest.report import ImportReport

_SNIFF_BYTES = 64 * 1024
_VALID_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
#: Bytes that never appear in text: C0 controls other than tab, newlines, form feed, escape.
_CONTROL = bytes(set(range(32)) - {9, 10, 11, 12, 13, 27} | {127})
_TEXT_BYTES = bytes(set(range(256)) - set(_CONTROL))
_BINARY_SHARE = 0.05
LEGACY = "cp1252"


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes Windows-1252 leaves undefined (0x81, 0x8D, …) as Latin-1."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("safeside-latin1", _latin1_fallback)


def legacy_text(data: bytes) -> str:
    return data.decode(LEGACY, errors="safeside-latin1")


def sniff_encoding(head: bytes) -> str:
    """The encoding to read a file with, judged from its first bytes."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and (
        b"\x00" in head[2:] or len(head) < 16
    ):  # (a UTF-16 file has NULs: its newlines and punctuation are 00-padded)
        return "utf-16"
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] != 0:
        return "utf-16-le"
    if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] != 0:
        return "utf-16-be"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut at the end of the sample is fine; anything earlier is not UTF-8.
        if error.start < len(head) - 4 and not _VALID_MULTIBYTE.search(head):
            return LEGACY
    return "utf-8"


def is_binary(head: bytes, encoding: str) -> bool:
    """Whether a file's first bytes are binary data rather than text."""
    if encoding.startswith("utf-16"):
        text = head.decode(encoding, errors="replace")
        controls = sum(1 for char in text if char < " " and char not in "\t\n\r\f\v\x1b")
        return controls > _BINARY_SHARE * max(len(text), 1)
    return len(head.translate(None, _TEXT_BYTES)) > _BINARY_SHARE * max(len(head), 1)


class _LegacyBytes(io.RawIOBase):
    """UTF-8 passed through; bytes that are not UTF-8 re-encoded from Windows-1252.

    Only until the file shows real multi-byte UTF-8: after that, bad bytes are damage
    and are left for the decoder to replace with U+FFFD.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self._carry = b""
        self._pending = b""
        self._utf8 = False
        self.converted = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = self._raw.read(_SNIFF_BYTES)
            if not chunk and not self._carry:
                return 0
            self._pending = self._convert(self._carry + chunk, final=not chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _convert(self, data: bytes, *, final: bool) -> bytes:
        self._carry = b""
        if data.isascii():
            return data
        out: list[bytes] = []
        view = memoryview(data)
        pos = 0
        while pos < len(data):
            try:
                _, used = codecs.utf_8_decode(view[pos:], "strict", final)
            except UnicodeDecodeError as error:
                self._keep(data[pos : pos + error.start], out)
                bad = data[pos + error.start : pos + error.end]
                if self._utf8:
                    out.append(bad)
                else:
                    out.append(legacy_text(bad).encode("utf-8"))
                    self.converted += len(bad)
                pos += error.end
                continue
            self._keep(data[pos : pos + used], out)
            self._carry = data[pos + used :]
            break
        return b"".join(out)

    def _keep(self, good: bytes, out: list[bytes]) -> None:
        if not self._utf8 and not good.isascii():
            self._utf8 = True
        out.append(good)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


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
    if is_binary(head, encoding):
        raise NotText(
            f"{entry.name} is not a text file (it holds binary data); "
            "check it is the file you meant to give"
        )
    if encoding == LEGACY:
        report.warn(
            "not-utf8", "is not UTF-8; read as Windows-1252/Latin-1 (check accents)", entry.where()
        )
    raw = entry.open()
    legacy = _LegacyBytes(raw) if encoding == "utf-8" else None
    buffered = io.BufferedReader(legacy) if legacy else raw
    errors = "safeside-latin1" if encoding == LEGACY else "replace"
    stream = _CountingText(buffered, encoding=encoding, errors=errors, newline=newline)
    try:
        yield stream
    finally:
        stream.close()
        if legacy and legacy.converted:
            report.warn(
                "not-utf8",
                f"is not all UTF-8; {legacy.converted} characters were read as "
                "Windows-1252/Latin-1 (check accents)",
                entry.where(),
            )
        if stream.replaced and encoding != LEGACY:
            report.warn(
                "invalid-utf8",
                f"has {stream.replaced} invalid UTF-8 byte sequences, shown as �",
                entry.where(),
            )


def read_head_text(entry: Entry, size: int = 8192) -> str:
    """The first ``size`` bytes decoded leniently, for sniffing formats."""
    head = entry.head(size)
    encoding = sniff_encoding(head)
    errors = "safeside-latin1" if encoding == LEGACY else "replace"
    return head.decode(encoding, errors=errors).lstrip("\ufeff")
