"""Instagram export (JSON): posts, stories, reels and comments.

Direct messages use the Messenger schema and are read by
:class:`~safeside.ingest.readers.facebook.MessengerReader`. Captions are the ``title``
of a post (or of its media items); comments use Meta's label-keyed ``string_map_data``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from safeside.ingest.dates import from_epoch, noted
from safeside.ingest.entry import Entry
from safeside.ingest.jsonreader import JsonReader, json_records
from safeside.ingest.jsonrecords import RecordStream
from safeside.ingest.mojibake import fix_strings
from safeside.ingest.post import Post
from safeside.ingest.registry import ReadOptions, register, text_of
from safeside.ingest.report import ImportReport

_CONTENT_FILE = re.compile(r"^(posts_\d+|stories|reels|igtv_videos|archived_posts)\.json$")
_COMMENTS_FILE = re.compile(r"^(post_comments_\d+|reels_comments|comments)\.json$")


def _in_instagram(entry: Entry, head: str) -> bool:
    return "instagram" in entry.path.lower() or '"ig_' in head or '"string_map_data"' in head


@register
class InstagramContentReader(JsonReader):
    name = "instagram"
    title = "Instagram posts, stories and reels (content/*.json)"

    def claims(self, entry: Entry, head: str) -> bool:
        return bool(_CONTENT_FILE.match(entry.name)) and (
            _in_instagram(entry, head) or '"creation_timestamp"' in head
        )

    def walk(
        self, stream: RecordStream, entry: Entry, report: ImportReport, options: ReadOptions
    ) -> Iterator[Post]:
        kind = "story" if entry.name.startswith("stories") else "post"
        first = stream.peek()
        if first == "[":
            records: Iterator[tuple[int, Any]] = json_records(stream, entry, report)
            yield from self._posts(records, entry, report, kind)
        elif first == "{":
            for key in stream.members():
                if key.startswith("ig_") and stream.peek() == "[":
                    records = json_records(stream, entry, report)
                    yield from self._posts(records, entry, report, kind)
                elif key == "media":
                    # A single post written as an object, not an array of posts.
                    media = fix_strings(stream.value())
                    yield from self._posts(iter([(0, {"media": media})]), entry, report, kind)

    def _posts(
        self, records: Iterator[tuple[int, Any]], entry: Entry, report: ImportReport, kind: str
    ) -> Iterator[Post]:
        for index, raw in records:
            record = fix_strings(raw)
            where = entry.where(index)
            if not isinstance(record, dict):
                report.skip("invalid-record", "is not a post object", where)
                continue
            media = [m for m in record.get("media") or [] if isinstance(m, dict)]
            caption = text_of(record.get("title")) or next(
                (text_of(m.get("title")) for m in media if text_of(m.get("title"))), ""
            )
            if not caption:
                report.skip("no-text", "has no caption", where, quiet=True)
                continue
            stamp = record.get("creation_timestamp") or next(
                (m.get("creation_timestamp") for m in media if m.get("creation_timestamp")), None
            )
            uris = [text_of(m.get("uri")) for m in media] + [text_of(record.get("uri"))]
            yield Post(
                platform="instagram",
                kind=kind,
                text=caption,
                source=where,
                timestamp=noted(stamp, from_epoch(stamp), where, report),
                attachments=tuple(u for u in uris if u),
            )


@register
class InstagramCommentsReader(JsonReader):
    name = "instagram-comments"
    title = "Instagram comments (comments/*.json)"

    def claims(self, entry: Entry, head: str) -> bool:
        return bool(_COMMENTS_FILE.match(entry.name)) and '"string_map_data"' in head

    def walk(
        self, stream: RecordStream, entry: Entry, report: ImportReport, options: ReadOptions
    ) -> Iterator[Post]:
        if stream.peek() == "[":
            yield from self._comments(json_records(stream, entry, report), entry, report)
        else:
            for key in stream.members():
                if stream.peek() == "[":
                    records = json_records(stream, entry, report)
                    yield from self._comments(records, entry, report, key)

    def _comments(
        self,
        records: Iterator[tuple[int, Any]],
        entry: Entry,
        report: ImportReport,
        section: str = "",
    ) -> Iterator[Post]:
        for index, raw in records:
            record = fix_strings(raw)
            where = entry.where(index)
            fields = record.get("string_map_data") if isinstance(record, dict) else None
            if not isinstance(fields, dict):
                report.skip("invalid-record", "has no string_map_data", where)
                continue
            comment = text_of(_field(fields, "Comment"))
            if not comment:
                report.skip("no-text", "has no comment text", where, quiet=True)
                continue
            owner = text_of(_field(fields, "Media Owner"))
            stamp = _field(fields, "Time", "timestamp")
            yield Post(
                platform="instagram",
                kind="comment",
                text=comment,
                source=where,
                timestamp=noted(stamp, from_epoch(stamp), where, report),
                thread=f"on {owner}'s post" if owner else None,
            )


def _field(fields: dict[str, Any], label: str, key: str = "value") -> Any:
    """``fields[label][key]`` from Meta's label-keyed ``string_map_data``, or None."""
    item = fields.get(label)
    return item.get(key) if isinstance(item, dict) else None
