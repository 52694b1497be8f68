"""Telegram Desktop export: ``result.json`` for one chat or for the whole account.

A single-chat export is ``{name, type, id, messages: […]}``; a whole-account export
puts the chats under ``chats.list[]`` (and ``left_chats.list[]``). ``text`` is a string or
a list mixing strings and ``{type, text}`` entities. ``date_unixtime`` (newer exports)
is used when present; ``date`` has no zone and is read in the import's timezone.
The HTML export (``messages.html``) is recognised and refused with a clear reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from safeside.errors import UnsupportedFormat
from safeside.ingest.dates import from_epoch, from_iso, noted
from safeside.ingest.entry import Entry
from safeside.ingest.jsonreader import JsonReader, json_records
from safeside.ingest.jsonrecords import RecordStream
from safeside.ingest.post import Post
from safeside.ingest.registry import Reader, ReadOptions, register, text_of
from safeside.ingest.report import ImportReport


def message_text(value: Any) -> str:
    """Telegram ``text``: a string, or a list of strings and ``{type, text}`` entities."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return "".join(
            part
            if isinstance(part, str)
            else text_of(part.get("text"))
            if isinstance(part, dict)
            else ""
            for part in value
        ).strip()
    return ""


@register
class TelegramReader(JsonReader):
    name = "telegram"
    title = "Telegram Desktop export (result.json)"

    def claims(self, entry: Entry, head: str) -> bool:
        if entry.suffix != ".json":
            return False
        single = '"messages"' in head and (
            '"date_unixtime"' in head
            or '"from_id"' in head
            or ('"type"' in head and '"date"' in head and '"from"' in head)
        )
        account = '"chats"' in head and '"list"' in head
        return single or account or ('"personal_information"' in head and '"about"' in head)

    def walk(
        self, stream: RecordStream, entry: Entry, report: ImportReport, options: ReadOptions
    ) -> Iterator[Post]:
        yield from self._chat(stream, entry, report, options, {}, [0])

    def _chat(
        self,
        stream: RecordStream,
        entry: Entry,
        report: ImportReport,
        options: ReadOptions,
        chat: dict[str, Any],
        counter: list[int],
    ) -> Iterator[Post]:
        """Walk one object: chat fields, its messages, or nested ``chats.list``."""
        for key in stream.members():
            if key in ("name", "type", "id"):
                chat[key] = stream.value()
            elif key == "messages" and stream.peek() == "[":
                for index, message in json_records(stream, entry, report, first=counter[0]):
                    counter[0] = index + 1
                    post = _message(message, entry, index, report, options, chat)
                    if post:
                        yield post
            elif key in ("chats", "left_chats") and stream.peek() == "{":
                for inner in stream.members():
                    if inner == "list" and stream.peek() == "[":
                        for _ in stream.items():
                            yield from self._chat(stream, entry, report, options, {}, counter)


def _message(
    record: Any,
    entry: Entry,
    index: int,
    report: ImportReport,
    options: ReadOptions,
    chat: dict[str, Any],
) -> Post | None:
    where = entry.where(index)
    if not isinstance(record, dict):
        report.skip("invalid-record", "is not a message object", where)
        return None
    if record.get("type", "message") != "message":
        report.skip(
            "system", f"is a service message ({record.get('action', 'service')})", where, quiet=True
        )
        return None
    text = message_text(record.get("text"))
    if not text:
        report.skip("no-text", "has no text (photo, file or sticker)", where, quiet=True)
        return None
    stamp = record.get("date_unixtime") or record.get("date")
    timestamp = from_epoch(record.get("date_unixtime")) or from_iso(
        record.get("date"), options.timezone
    )
    if not stamp:
        report.warn("no-date", "has no date; kept without one", where)
    noted(stamp, timestamp, where, report)
    attachments = tuple(
        text_of(record.get(key))
        for key in ("photo", "file")
        if text_of(record.get(key))
        and not text_of(record.get(key)).startswith("(File not included")
    )
    chat_type = text_of(chat.get("type"))
    return Post(
        platform="telegram",
        kind="message",
        text=text,
        source=where,
        id=str(record["id"]) if record.get("id") is not None else None,
        author=text_of(record.get("from")) or None,
        timestamp=timestamp,
        thread=text_of(chat.get("name")) or None,
        audience="direct" if chat_type.endswith("personal_chat") else "chat",
        attachments=attachments,
    )


@register
class TelegramHtmlReader(Reader):
    name = "telegram-html"
    title = "Telegram Desktop HTML export (not supported)"

    def claims(self, entry: Entry, head: str) -> bool:
        return (
            entry.suffix == ".html"
            and entry.name.startswith("messages")
            and ('class="history"' in head or 'class="page_wrap"' in head)
        )

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        raise UnsupportedFormat(
            f"{entry.name} is Telegram's HTML export; export the chat again choosing "
            "'Machine-readable JSON' and give Safeside the result.json"
        )
