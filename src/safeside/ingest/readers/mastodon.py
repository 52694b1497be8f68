"""Mastodon account archive: ``outbox.json`` (inside ``archive-….tar.gz``).

An ActivityStreams ``OrderedCollection``; ``Create`` activities carry a ``Note`` whose
``content`` is HTML (turned into plain text here). ``Announce`` items are boosts of
someone else's post and hold only its URL, so they are counted, not analysed. The
audience comes from the addressing: ``…#Public`` in ``to`` is public, in ``cc`` is
unlisted, a ``/followers`` address is followers-only, and anything else is direct.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from safeside.ingest.dates import from_iso, noted
from safeside.ingest.entry import Entry
from safeside.ingest.jsonreader import JsonReader, json_records
from safeside.ingest.jsonrecords import RecordStream
from safeside.ingest.post import Post
from safeside.ingest.registry import ReadOptions, register, text_of
from safeside.ingest.report import ImportReport

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text from a post's HTML: paragraphs and line breaks kept, tags dropped."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def audience(note: dict[str, Any]) -> str:
    to = [a for a in note.get("to") or [] if isinstance(a, str)]
    cc = [a for a in note.get("cc") or [] if isinstance(a, str)]
    if PUBLIC in to:
        return "public"
    if PUBLIC in cc:
        return "unlisted"
    if any(a.endswith("/followers") for a in to + cc):
        return "followers"
    return "direct"


@register
class MastodonOutboxReader(JsonReader):
    name = "mastodon"
    title = "Mastodon archive (outbox.json)"

    def claims(self, entry: Entry, head: str) -> bool:
        return (
            entry.suffix == ".json"
            and '"orderedItems"' in head
            and (entry.name == "outbox.json" or '"Create"' in head or '"Note"' in head)
        )

    def walk(
        self, stream: RecordStream, entry: Entry, report: ImportReport, options: ReadOptions
    ) -> Iterator[Post]:
        for key in stream.members():
            if key == "orderedItems" and stream.peek() == "[":
                for index, item in json_records(stream, entry, report):
                    post = _note(item, entry, index, report)
                    if post:
                        yield post


def _note(item: Any, entry: Entry, index: int, report: ImportReport) -> Post | None:
    where = entry.where(index)
    if isinstance(item, str):
        report.skip("no-text", "is only a link to a post", where, quiet=True)
        return None
    if not isinstance(item, dict):
        report.skip("invalid-record", "is not an activity", where)
        return None
    note = item.get("object")
    if item.get("type") == "Announce" or not isinstance(note, dict):
        report.skip("no-text", "is a boost of someone else's post", where, quiet=True)
        return None
    body = html_to_text(text_of(note.get("content")))
    warning = text_of(note.get("summary"))
    text = f"{warning}\n\n{body}" if warning and body else body or warning
    if not text:
        report.skip("no-text", "has no text", where, quiet=True)
        return None
    published = note.get("published") or item.get("published")
    return Post(
        platform="mastodon",
        kind="reply" if note.get("inReplyTo") else "post",
        text=text,
        source=where,
        id=text_of(note.get("id")) or None,
        timestamp=noted(published, from_iso(published), where, report),
        url=text_of(note.get("url")) or text_of(note.get("id")) or None,
        thread=text_of(note.get("conversation")) or None,
        audience=audience(note),
        attachments=tuple(
            text_of(a.get("url")) for a in note.get("attachment") or [] if isinstance(a, dict)
        ),
    )
