"""Reading CSV exports row by row: BOMs, CRLF, quoted newlines and spreadsheet damage."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from safeside.ingest.report import ImportReport
from safeside.ingest.sources import Entry
from safeside.ingest.textio import open_text

csv.field_size_limit(16 * 1024 * 1024)

#: An id a spreadsheet has turned into scientific notation, e.g. ``7.73264E+18``.
MANGLED_ID = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)


def header_of(head: str) -> list[str]:
    """The first row of a CSV head, as stripped column names."""
    first = head.splitlines()[0] if head else ""
    try:
        return [name.strip() for name in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return []


def csv_rows(entry: Entry, report: ImportReport) -> Iterator[tuple[int, int, dict[str, str]]]:
    """``(record index, line number, row)`` for each data row; bad rows are reported and skipped."""
    with open_text(entry, report, newline="") as text:
        reader = csv.DictReader(text)
        try:
            if not reader.fieldnames:
                return
        except csv.Error as error:
            report.error("invalid-record", f"has an unreadable header row ({error})", entry.where())
            return
        index = 0
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                report.skip(
                    "invalid-record", f"is not a valid CSV row ({error})", entry.where(index, line)
                )
                index += 1
                continue
            if None in row:
                report.warn(
                    "invalid-record", "has more fields than the header", entry.where(index, line)
                )
                row.pop(None, None)
            yield index, line, {k.strip(): _lines(v) for k, v in row.items() if k is not None}
            index += 1


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
