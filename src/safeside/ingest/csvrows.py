"""Reading CSV exports row by row: BOMs, CRLF, quoted newlines and spreadsheet damage.

Rows are read one physical line at a time so that damage stays local:

* a quoted field may run over several lines, but only if the whole record then parses
  cleanly with the header's number of fields; a quote that is never closed would
  otherwise swallow every row after it, so its line is skipped (and reported) and
  reading goes on from the next line;
* a row over 1 MB is skipped, and reported, without being held in memory.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import IO

from safeside.ingest.entry import Entry
from safeside.ingest.report import ImportReport
from safeside.ingest.textio import open_text

csv.field_size_limit(16 * 1024 * 1024)

#: An id a spreadsheet has turned into scientific notation, e.g. ``7.73264E+18``.
MANGLED_ID = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)
#: The most one record (all its lines) may hold, in characters.
MAX_RECORD = 1 << 20


class _TooLong(Exception):
    """A record that runs past :data:`MAX_RECORD`."""


def header_of(head: str) -> list[str]:
    """The first row of a CSV head, as stripped column names."""
    first = head.splitlines()[0] if head else ""
    try:
        return [name.strip() for name in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return []


class _Lines:
    """Physical lines of a text stream, numbered from 1; lines can be pushed back."""

    def __init__(self, text: IO[str]) -> None:
        self._text = text
        self._back: list[tuple[int, str]] = []
        self.number = 0
        self.long_lines: list[int] = []

    def next(self) -> str:
        if self._back:
            self.number, line = self._back.pop()
            return line
        while True:
            line = self._text.readline(MAX_RECORD)
            self.number += 1
            if len(line) < MAX_RECORD or line.endswith(("\n", "\r")):
                return line
            while line and not line.endswith(("\n", "\r")):  # skip the rest of a giant line
                line = self._text.readline(MAX_RECORD)
            self.long_lines.append(self.number)

    def push_back(self, lines: list[tuple[int, str]]) -> None:
        self._back.extend(reversed(lines))


def _record(lines: _Lines) -> tuple[list[tuple[int, str]], list[str] | None, str | None]:
    """The next record's lines and fields (or an error); no lines at the end of the file."""
    taken: list[tuple[int, str]] = []
    size = 0

    def feed() -> Iterator[str]:
        nonlocal size
        while line := lines.next():
            taken.append((lines.number, line))
            size += len(line)
            if size > MAX_RECORD:
                raise _TooLong
            yield line

    try:
        return taken, next(csv.reader(feed())), None
    except StopIteration:
        return taken, None, None
    except csv.Error as error:
        return taken, None, f"is not a valid CSV row ({error})"
    except _TooLong:
        return taken, None, "runs on for over 1 MB (a quote that is never closed?)"


def _joined_cleanly(taken: list[tuple[int, str]], width: int) -> bool:
    """Whether a record that ran over several lines is one clean record of ``width`` fields."""
    try:
        fields = next(csv.reader(io.StringIO("".join(line for _, line in taken)), strict=True))
    except (csv.Error, StopIteration):
        return False
    return len(fields) == width


def csv_rows(entry: Entry, report: ImportReport) -> Iterator[tuple[int, int, dict[str, str]]]:
    """``(record index, line number, row)`` for each data row; bad rows are reported and skipped."""
    with open_text(entry, report, newline="") as text:
        lines = _Lines(text)
        taken, header, error = _record(lines)
        if error or header is None:
            if taken:
                report.error(
                    "invalid-record", f"has an unreadable header row ({error})", entry.where()
                )
            return
        names = [name.strip() for name in header]
        index = 0
        while True:
            taken, fields, error = _record(lines)
            if not taken:
                break
            line = taken[0][0]
            if fields is not None and len(taken) > 1 and not _joined_cleanly(taken, len(names)):
                error = (
                    "has a quote that is never closed; skipped this line and read on from the next"
                )
            if error or fields is None:
                if len(taken) > 1:
                    lines.push_back(taken[1:])
                report.skip(
                    "invalid-record", error or "is not a valid CSV row", entry.where(index, line)
                )
                index += 1
                continue
            if not fields:  # a blank line
                continue
            if len(fields) > len(names):
                report.warn(
                    "invalid-record", "has more fields than the header", entry.where(index, line)
                )
            row = dict(zip(names, (_lines(field) for field in fields), strict=False))
            yield index, line, {name: row.get(name, "") for name in names}
            index += 1
        for number in lines.long_lines:
            report.skip("too-large", "is a line over 1 MB; skipped", entry.where(line=number))


def _lines(value: str | None) -> str:
    """A cell with Windows and old-Mac line endings inside quotes turned into ``\n``."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def clean_id(value: str, entry: Entry, report: ImportReport, state: dict[str, bool]) -> str | None:
    """An id, or None if a spreadsheet mangled it (warned once per file via ``state``)."""
    value = value.strip()
    if not value:
        return None
    if MANGLED_ID.match(value):
        if not state.get("warned"):
            state["warned"] = True
            report.warn(
                "mangled-id",
                f"ids were changed by a spreadsheet into numbers like {value}; they cannot be "
                "recovered, so they are ignored (export again and do not open it in Excel)",
                entry.where(),
            )
        return None
    return value
