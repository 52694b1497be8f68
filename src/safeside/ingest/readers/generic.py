"""Generic files: any CSV with a text column, JSON Lines, a JSON array, or plain text.

These readers only run on a file given on its own (or a folder where no platform
export was found), so a stray file inside a platform archive is never misread.

* CSV: the text column is the first of ``text``, ``content``, ``message``, ``body``,
  ``post``, ``comment``, ``full_text``, ``caption``, ``tweet`` (any case); author, date
  and URL columns are used when present.
* JSON Lines (``.jsonl``/``.ndjson``) and JSON arrays: each item is a string or an object
  with one of the same keys.
* Plain text (``.txt``): one post per paragraph (blocks separated by a blank line).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain
from typing import Any

from safeside.ingest.csvrows import csv_rows, header_of
from safeside.ingest.dates import from_epoch, from_iso
from safeside.ingest.jsonstream import JsonStream
from safeside.ingest.post import Post
from safeside.ingest.registry import Reader, ReadOptions, json_records, register, text_of
from safeside.ingest.report import ImportReport
from safeside.ingest.sources import Entry
from safeside.ingest.textio import open_text

TEXT_KEYS = (
    "text",
    "content",
    "message",
    "body",
    "post",
    "comment",
    "full_text",
    "caption",
    "tweet",
)
AUTHOR_KEYS = ("author", "user", "username", "from", "sender", "name")
DATE_KEYS = ("timestamp", "date", "created_at", "time", "datetime", "published")
URL_KEYS = ("url", "link", "permalink")


def _pick(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for key in keys:
        if lowered.get(key) not in (None, ""):
            return lowered[key]
    return None


def _date(value: Any, options: ReadOptions) -> Any:
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        return from_epoch(value)
    return from_iso(value, options.timezone)


def post_from_record(
    record: Any,
    platform: str,
    entry: Entry,
    where_index: int,
    line: int | None,
    report: ImportReport,
    options: ReadOptions,
) -> Post | None:
    """A post from a string or a loosely shaped object, or None (reported) if it has no text."""
    where = entry.where(where_index, line)
    if isinstance(record, str):
        record = {"text": record}
    if not isinstance(record, dict):
        report.skip("invalid-record", "is neither text nor an object", where)
        return None
    text = text_of(_pick(record, TEXT_KEYS))
    if not text:
        report.skip("no-text", "has no text field (text, content, message, …)", where)
        return None
    return Post(
        platform=platform,
        text=text,
        source=where,
        author=text_of(_pick(record, AUTHOR_KEYS)) or None,
        timestamp=_date(_pick(record, DATE_KEYS), options),
        url=text_of(_pick(record, URL_KEYS)) or None,
        id=text_of(str(record["id"])) if record.get("id") is not None else None,
    )


@register
class CsvReader(Reader):
    name = "csv"
    title = "CSV with a text column"
    generic = True

    def claims(self, entry: Entry, head: str) -> bool:
        columns = {c.lower() for c in header_of(head)}
        return entry.suffix in (".csv", ".tsv") and bool(columns & set(TEXT_KEYS))

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        for index, line, row in csv_rows(entry, report):
            post = post_from_record(row, "csv", entry, index, line, report, options)
            if post:
                yield post


@register
class JsonLinesReader(Reader):
    name = "jsonl"
    title = "JSON Lines (one post per line)"
    generic = True

    def claims(self, entry: Entry, head: str) -> bool:
        return entry.suffix in (".jsonl", ".ndjson")

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        with open_text(entry, report) as text:
            for number, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    report.skip(
                        "invalid-record",
                        f"is not valid JSON ({error.msg})",
                        entry.where(line=number),
                    )
                    continue
                post = post_from_record(record, "jsonl", entry, number - 1, number, report, options)
                if post:
                    yield post


@register
class JsonArrayReader(Reader):
    name = "json"
    title = "JSON array of posts"
    generic = True

    def claims(self, entry: Entry, head: str) -> bool:
        return entry.suffix == ".json" and head.lstrip("\ufeff \r\n\t").startswith("[")

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        with open_text(entry, report) as text:
            for index, record in json_records(JsonStream(text), entry, report):
                post = post_from_record(record, "json", entry, index, None, report, options)
                if post:
                    yield post


@register
class PlainTextReader(Reader):
    name = "text"
    title = "Plain text (one post per paragraph)"
    generic = True

    def claims(self, entry: Entry, head: str) -> bool:
        return entry.suffix == ".txt"

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        paragraph: list[str] = []
        start = 1
        index = 0
        with open_text(entry, report) as text:
            for number, line in enumerate(chain(text, [""]), start=1):
                if line.strip():
                    if not paragraph:
                        start = number
                    paragraph.append(line.rstrip("\n"))
                    continue
                if paragraph:
                    yield Post(
                        platform="text",
                        text="\n".join(paragraph).strip(),
                        source=entry.where(index, start),
                    )
                    index += 1
                    paragraph = []
