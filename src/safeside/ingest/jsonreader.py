"""The one base for JSON importers: open the stream, read the records, report the damage.

A JSON reader subclasses :class:`JsonReader` and either turns each record of a
top-level array into a post (:meth:`JsonReader.record`) or walks the file itself
(:meth:`JsonReader.walk`), using :func:`json_records` for each array of records. Damaged
records are skipped and counted by :class:`~safeside.ingest.jsonrecords.RecordStream`;
damage the stream cannot get past ends the file with one problem in the report, keeping
every post read before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from safeside.ingest.entry import Entry
from safeside.ingest.jsonrecords import RecordStream
from safeside.ingest.jsonstream import BadRecord, Truncated
from safeside.ingest.post import Post, SourceRef
from safeside.ingest.registry import Reader, ReadOptions
from safeside.ingest.report import ImportReport
from safeside.ingest.textio import open_text


class JsonReader(Reader):
    """A JSON (or JavaScript-wrapped JSON) export."""

    #: Skip a ``window.YTD.… =`` JavaScript assignment before the data (X/Twitter).
    prologue: ClassVar[bool] = False

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        with open_text(entry, report) as text:
            stream = RecordStream(text)
            try:
                if self.prologue:
                    stream.skip_prologue()
                yield from self.walk(stream, entry, report, options)
            except Truncated as error:
                report.error(
                    "truncated", f"{error}; the records before it were kept", entry.where()
                )
            except BadRecord as error:
                report.error(
                    "invalid-record", f"{error}; the rest of the file was not read", entry.where()
                )
            flush_notes(stream, entry, report)

    def walk(
        self, stream: RecordStream, entry: Entry, report: ImportReport, options: ReadOptions
    ) -> Iterator[Post]:
        """The posts in the file; by default it is one array of records."""
        for index, record in json_records(stream, entry, report):
            post = self.record(record, entry.where(index), report, options)
            if post:
                yield post

    def record(
        self, record: Any, where: SourceRef, report: ImportReport, options: ReadOptions
    ) -> Post | None:
        """One record as a post, or None (reported) when it holds none."""
        raise NotImplementedError(f"{type(self).__name__} reads its file with walk()")


def json_records(
    stream: RecordStream, entry: Entry, report: ImportReport, *, first: int = 0
) -> Iterator[tuple[int, Any]]:
    """The records of the array at the cursor, numbered from ``first``.

    Damaged records are reported and skipped; at a truncated file the records before the
    cut are kept and the rest of the file is given up quietly.
    """

    def skipped(index: int, message: str) -> None:
        report.skip("invalid-record", message, entry.where(first + index))

    try:
        for index, value in stream.records(skipped):
            yield first + index, value
    except Truncated as error:
        where = entry.where(first + (error.record or 0))
        report.error("truncated", f"{error}; the records before it were kept", where)
        stream.stop()
    flush_notes(stream, entry, report)


def flush_notes(stream: RecordStream, entry: Entry, report: ImportReport) -> None:
    """Move tolerated damage noted by the stream into the report."""
    for reason, message in stream.notes:
        report.warn(reason, message, entry.where())
    stream.notes.clear()
