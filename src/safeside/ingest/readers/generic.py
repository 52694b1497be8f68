"""Generic files: any CSV with a text column, JSON Lines, a JSON array, or plain text.

These readers only run on a file given on its own (or a folder where no platform
export was found), so a stray file inside a platform archive is never misread.

* CSV: the text column is the first of ``text``, ``content``, ``message``, ``body``,
  ``post``, ``comment``, ``full_text``, ``caption``, ``tweet`` (any case); author, date
  and URL columns are used when present.
* JSON Lines (``.jsonl``/``.ndjson``) and JSON arrays: each item is a string or an object
  with one of the same keys.
* Plain text (``.txt``): one post per paragraph (blocks separated by a blank line); a
  paragraph over 1 MB is skipped and reported rather than read as one giant post.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain
from typing import Any

from safeside.ingest.csvrows import csv_rows, header_of
from safeside.ingest.dates import from_epoch, from_iso, noted
from safeside.ingest.entry import Entry
from safeside.ingest.jsonreader import JsonReader
from safeside.ingest.post import Post, SourceRef
from safeside.ingest.registry import Reader, ReadOptions, register, text_of
from safeside.ingest.report import ImportReport
from safeside.ingest.textio import open_text

#: The longest paragraph the plain-text reader keeps as one post (characters).
MAX_PARAGRAPH = 1 << 20

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


def _pick(lowered: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """The first non-empty value under one of ``keys`` (``lowered`` has lower-case keys)."""
    for key in keys:
        if lowered.get(key) not in (None, ""):
            return lowered[key]
    return None


def _date(value: Any, options: ReadOptions) -> Any:
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        return from_epoch(value)
    return from_iso(value, options.timezone)


def post_from_record(
    record: Any, platform: str, where: SourceRef, report: ImportReport, options: ReadOptions
) -> Post | None:
    """A post from a string or a loosely shaped object, or None (reported) if it has no text."""
    if isinstance(record, str):
        record = {"text": record}
    if not isinstance(record, dict):
        report.skip("invalid-record", "is neither text nor an object", where)
        return None
    lowered = {str(k).lower(): v for k, v in record.items()}
    text = text_of(_pick(lowered, TEXT_KEYS))
    if not text:
        report.skip("no-text", "has no text field (text, content, message, …)", where)
        return None
    stamp = _pick(lowered, DATE_KEYS)
    return Post(
        platform=platform,
        text=text,
        source=where,
        author=text_of(_pick(lowered, AUTHOR_KEYS)) or None,
        timestamp=noted(stamp, _date(stamp, options), where, report),
        url=text_of(_pick(lowered, URL_KEYS)) or None,
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
            post = post_from_record(row, "csv", entry.where(index, line), report, options)
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
                where = entry.where(number - 1, number)
                post = post_from_record(record, "jsonl", where, report, options)
                if post:
                    yield post


@register
class JsonArrayReader(JsonReader):
    name = "json"
    title = "JSON array of posts"
    generic = True

    def claims(self, entry: Entry, head: str) -> bool:
        return entry.suffix == ".json" and head.lstrip("\ufeff \r\n\t").startswith("[")

    def record(
        self, record: Any, where: SourceRef, report: ImportReport, options: ReadOptions
    ) -> Post | None:
        return post_from_record(record, "json", where, report, options)


@register
class PlainTextReader(Reader):
    name = "text"
    title = "Plain text (one post per paragraph)"
    generic = True

    def claims(self, entry: Entry, head: str) -> bool:
        return entry.suffix == ".txt"

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        paragraph: list[str] = []
        size = index = 0
        start, oversized = 1, False
        with open_text(entry, report) as text:
            lines = iter(lambda: text.readline(MAX_PARAGRAPH), "")
            for number, line in enumerate(chain(lines, [""]), start=1):
                if line.strip():
                    if not paragraph and not oversized:
                        start = number
                    size += len(line)
                    oversized = oversized or size > MAX_PARAGRAPH
                    if oversized:
                        paragraph = []
                    else:
                        paragraph.append(line.rstrip("\n"))
                    continue
                if paragraph:
                    body = "\n".join(paragraph).strip()
                    yield Post(platform="text", text=body, source=entry.where(index, start))
                elif oversized:
                    report.skip(
                        "too-large",
                        f"is a paragraph over {MAX_PARAGRAPH >> 20} MB; skipped",
                        entry.where(index, start),
                    )
                index += 1 if paragraph or oversized else 0
                paragraph, size, oversized = [], 0, False
