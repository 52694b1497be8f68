"""Discord: DiscordChatExporter JSON and CSV, and Discord's own data package CSV.

* DiscordChatExporter (DCE) JSON: ``{guild, channel, messages: […]}``; only ``Default``
  and ``Reply`` messages are people's words (calls and channel changes are system text).
* DCE CSV: ``AuthorID,Author,Date,Content,Attachments,Reactions``.
* Data package ("Request all of my data"): ``messages/c<channel>/messages.csv`` with
  ``ID,Timestamp,Contents,Attachments``, your own messages only. Ids mangled by a
  spreadsheet (``7.73264E+18``) are detected and dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from safeside.ingest.csvrows import clean_id, csv_rows, header_of
from safeside.ingest.dates import from_iso, noted
from safeside.ingest.entry import Entry
from safeside.ingest.jsonreader import JsonReader, json_records
from safeside.ingest.jsonrecords import RecordStream
from safeside.ingest.post import Post
from safeside.ingest.registry import Reader, ReadOptions, register, text_of
from safeside.ingest.report import ImportReport

_SPOKEN_TYPES = frozenset({"Default", "Reply", "ThreadStarterMessage"})
_DCE_CSV = ["AuthorID", "Author", "Date", "Content"]
_PACKAGE_CSV = ["ID", "Timestamp", "Contents"]


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.replace(" ", ",").split(",") if part.strip())


@register
class DiscordChatExporterReader(JsonReader):
    name = "discord"
    title = "Discord (DiscordChatExporter JSON)"

    def claims(self, entry: Entry, head: str) -> bool:
        return entry.suffix == ".json" and '"guild"' in head and '"channel"' in head

    def walk(
        self, stream: RecordStream, entry: Entry, report: ImportReport, options: ReadOptions
    ) -> Iterator[Post]:
        channel: dict[str, Any] = {}
        guild: dict[str, Any] = {}
        for key in stream.members():
            if key in ("guild", "channel"):
                value = stream.value()
                if isinstance(value, dict):
                    guild, channel = (value, channel) if key == "guild" else (guild, value)
            elif key == "messages" and stream.peek() == "[":
                for index, message in json_records(stream, entry, report):
                    post = _dce_message(message, entry, index, report, guild, channel)
                    if post:
                        yield post


def _dce_message(
    record: Any,
    entry: Entry,
    index: int,
    report: ImportReport,
    guild: dict[str, Any],
    channel: dict[str, Any],
) -> Post | None:
    where = entry.where(index)
    if not isinstance(record, dict):
        report.skip("invalid-record", "is not a message object", where)
        return None
    message_id = text_of(record.get("id")) or None
    if record.get("type", "Default") not in _SPOKEN_TYPES:
        report.skip("system", f"is a {record.get('type')} notice", where, quiet=True)
        return None
    text = text_of(record.get("content"))
    if not text:
        report.skip("no-text", "has no text", where, quiet=True)
        return None
    author_value = record.get("author")
    author: dict[str, Any] = author_value if isinstance(author_value, dict) else {}
    name = text_of(author.get("nickname")) or text_of(author.get("name")) or None
    channel_type = text_of(channel.get("type"))
    thread = text_of(channel.get("name")) or None
    if thread and text_of(guild.get("name")) and not channel_type.startswith("Direct"):
        thread = f"{text_of(guild.get('name'))} #{thread}"
    channel_id, guild_id = text_of(channel.get("id")), text_of(guild.get("id")) or "@me"
    return Post(
        platform="discord",
        kind="message",
        text=text,
        source=where,
        id=message_id,
        author=name,
        timestamp=noted(record.get("timestamp"), from_iso(record.get("timestamp")), where, report),
        url=f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"
        if message_id and channel_id
        else None,
        thread=thread,
        audience="direct" if channel_type.startswith("Direct") else "chat",
        attachments=tuple(
            text_of(a.get("url")) for a in record.get("attachments") or [] if isinstance(a, dict)
        ),
    )


@register
class DiscordCsvReader(Reader):
    name = "discord-csv"
    title = "Discord (data package messages.csv, DiscordChatExporter CSV)"

    def claims(self, entry: Entry, head: str) -> bool:
        columns = header_of(head)
        return entry.suffix == ".csv" and (columns[:3] == _PACKAGE_CSV or columns[:4] == _DCE_CSV)

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        parts = entry.parts
        channel = next(
            (p[1:] for p in reversed(parts[:-1]) if p.startswith("c") and p[1:].isdigit()), None
        )
        state: dict[str, bool] = {}
        for index, line, row in csv_rows(entry, report):
            where = entry.where(index, line)
            text = (row.get("Contents") or row.get("Content") or "").strip()
            if not text:
                report.skip("no-text", "has no text", where, quiet=True)
                continue
            stamp = row.get("Timestamp") or row.get("Date") or ""
            timestamp = noted(stamp, from_iso(stamp, options.timezone), where, report)
            yield Post(
                platform="discord",
                kind="message",
                text=text,
                source=where,
                id=clean_id(row.get("ID", ""), entry, report, state),
                author=row.get("Author") or None,
                timestamp=timestamp,
                thread=channel,
                audience="chat",
                attachments=_split(row.get("Attachments", "")),
            )
