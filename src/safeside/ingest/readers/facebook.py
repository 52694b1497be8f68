"""Facebook "Download your information" (JSON): posts, comments and Messenger threads.

Every string is repaired for Meta's Latin-1 mojibake (see :mod:`safeside.ingest.mojibake`).
Messenger ``message_N.json`` files are shared with Instagram, whose direct messages use
the same schema; the thread's platform is taken from the path (``your_instagram_activity``,
``instagram``) or Instagram-only fields.
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
from safeside.ingest.post import Post, SourceRef
from safeside.ingest.registry import ReadOptions, register, text_of
from safeside.ingest.report import ImportReport

_POSTS_FILE = re.compile(r"^your_posts(__check_ins__photos_and_videos)?_?\d*\.json$")
#: Top-level keys of comment and group-post files, old and new layouts.
_COMMENT_KEYS = ("comments_v2", "comments", "group_comments_v2", "group_posts_v2")
_INSTAGRAM_ONLY = ("is_geoblocked_for_viewer", "is_unsent_image_by_messenger_kid_parent")


def _first_text(items: Any, key: str) -> str:
    """The first non-empty ``item[key]`` in a Meta ``data: [{key: …}]`` list."""
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict):
                value = item.get(key)
                if isinstance(value, dict):
                    value = value.get(key) or value.get("comment")
                text = text_of(value)
                if text:
                    return text
    return ""


def _attachment_uris(attachments: Any) -> tuple[str, ...]:
    """URIs and links in ``attachments`` (a list of ``{data: […]}``, or one such object)."""
    if isinstance(attachments, dict):
        attachments = [attachments]
    found: list[str] = []
    for block in attachments if isinstance(attachments, list) else []:
        for item in block.get("data", []) if isinstance(block, dict) else []:
            if not isinstance(item, dict):
                continue
            media = item.get("media")
            context = item.get("external_context")
            if isinstance(media, dict) and text_of(media.get("uri")):
                found.append(text_of(media.get("uri")))
            if isinstance(context, dict) and text_of(context.get("url")):
                found.append(text_of(context.get("url")))
    return tuple(found)


@register
class FacebookPostsReader(JsonReader):
    name = "facebook"
    title = "Facebook posts (your_posts_N.json)"

    def claims(self, entry: Entry, head: str) -> bool:
        return bool(_POSTS_FILE.match(entry.name)) and head.lstrip().startswith("[")

    def record(
        self, record: Any, where: SourceRef, report: ImportReport, options: ReadOptions
    ) -> Post | None:
        record = fix_strings(record)
        if not isinstance(record, dict):
            report.skip("invalid-record", "is not a post object", where)
            return None
        body = _first_text(record.get("data"), "post")
        if not body:
            report.skip("no-text", "has no text (a share, photo or check-in)", where, quiet=True)
            return None
        stamp = record.get("timestamp")
        return Post(
            platform="facebook",
            kind="post",
            text=body,
            source=where,
            timestamp=noted(stamp, from_epoch(stamp), where, report),
            thread=text_of(record.get("title")) or None,
            attachments=_attachment_uris(record.get("attachments")),
        )


@register
class FacebookCommentsReader(JsonReader):
    name = "facebook-comments"
    title = "Facebook comments and group posts (comments.json, group files)"

    def claims(self, entry: Entry, head: str) -> bool:
        start = head.lstrip("\ufeff \r\n\t")[:200]
        return entry.suffix == ".json" and any(f'"{key}"' in start for key in _COMMENT_KEYS)

    def walk(
        self, stream: RecordStream, entry: Entry, report: ImportReport, options: ReadOptions
    ) -> Iterator[Post]:
        for key in stream.members():
            if key not in _COMMENT_KEYS or stream.peek() != "[":
                continue
            kind = "post" if key == "group_posts_v2" else "comment"
            for index, raw in json_records(stream, entry, report):
                post = _comment_post(fix_strings(raw), kind, entry.where(index), report)
                if post:
                    yield post


def _comment_post(record: Any, kind: str, where: SourceRef, report: ImportReport) -> Post | None:
    if not isinstance(record, dict):
        report.skip("invalid-record", "is not a comment object", where)
        return None
    comment = _comment(record.get("data"))
    body = text_of(comment.get("comment")) or _first_text(record.get("data"), "post")
    if not body:
        report.skip("no-text", "has no text", where, quiet=True)
        return None
    stamp = comment.get("timestamp") or record.get("timestamp")
    return Post(
        platform="facebook",
        kind=kind,
        text=body,
        source=where,
        author=text_of(comment.get("author")) or None,
        timestamp=noted(stamp, from_epoch(stamp), where, report),
        thread=text_of(record.get("title")) or None,
        attachments=_attachment_uris(record.get("attachments")),
    )


def _comment(data: Any) -> dict[str, Any]:
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict) and isinstance(item.get("comment"), dict):
            comment: dict[str, Any] = item["comment"]
            return comment
    return {}


#: Messenger contents that the app writes itself, not the sender.
_SYSTEM_CONTENT = re.compile(
    r"(poll has multiple updates|poll is no longer available|joined the group|left the group"
    r"|named the group|changed the group photo|set the nickname|started sharing video"
    r"|missed your call|missed a call|called you|sent an attachment\.|reacted .+ to your message"
    r"|liked a message|added .+ to the group|removed .+ from the group)",
    re.IGNORECASE,
)


@register
class MessengerReader(JsonReader):
    name = "messenger"
    title = "Facebook Messenger / Instagram direct messages (message_N.json)"

    def claims(self, entry: Entry, head: str) -> bool:
        return (
            '"messages"' in head
            and '"sender_name"' in head
            and ('"timestamp_ms"' in head or '"participants"' in head)
        )

    def walk(
        self, stream: RecordStream, entry: Entry, report: ImportReport, options: ReadOptions
    ) -> Iterator[Post]:
        platform = _messenger_platform(entry, options)
        header: dict[str, Any] = {}
        for key in stream.members():
            if key != "messages":
                if key in ("title", "thread_path", "participants"):
                    header[key] = fix_strings(stream.value())
                continue
            if stream.peek() != "[":
                continue
            for index, raw in json_records(stream, entry, report):
                post = _message(fix_strings(raw), entry, index, report, platform, header)
                if post:
                    yield post


def _messenger_platform(entry: Entry, options: ReadOptions) -> str:
    path = entry.path.lower()
    if "instagram" in path or "instagram" in options.hint:
        return "instagram"
    head = entry.head(16384).decode("utf-8", errors="replace")
    return "instagram" if any(flag in head for flag in _INSTAGRAM_ONLY) else "facebook"


def _thread_name(header: dict[str, Any], entry: Entry) -> str | None:
    """The thread's title, else its participants (they precede the messages), else its folder."""
    title = text_of(header.get("title"))
    if title:
        return title
    names = [
        text_of(p.get("name")) for p in header.get("participants") or [] if isinstance(p, dict)
    ]
    if any(names):
        return ", ".join(name for name in names if name)
    return entry.parts[-2] if len(entry.parts) > 1 else None


def _message(
    record: Any,
    entry: Entry,
    index: int,
    report: ImportReport,
    platform: str,
    header: dict[str, Any],
) -> Post | None:
    where = entry.where(index)
    if not isinstance(record, dict):
        report.skip("invalid-record", "is not a message object", where)
        return None
    attachments: list[str] = []
    for key in ("photos", "videos", "audio_files", "files", "gifs"):
        for item in record.get(key) or []:
            if isinstance(item, dict) and text_of(item.get("uri")):
                attachments.append(text_of(item.get("uri")))
    share_value = record.get("share")
    share: dict[str, Any] = share_value if isinstance(share_value, dict) else {}
    if text_of(share.get("link")):
        attachments.append(text_of(share.get("link")))
    text = text_of(record.get("content"))
    if not text and text_of(share.get("share_text")):
        text = text_of(share.get("share_text"))
    if record.get("is_unsent"):
        report.skip("deleted", "was unsent by the sender", where, quiet=True)
        return None
    if not text:
        report.skip("no-text", "has no text (media, sticker, reaction or call)", where, quiet=True)
        return None
    if _SYSTEM_CONTENT.search(text) and len(text) < 120:
        report.skip("system", f"is a Messenger notice ({text[:60]!r})", where, quiet=True)
        return None
    return Post(
        platform=platform,
        kind="message",
        text=text,
        source=where,
        author=text_of(record.get("sender_name")) or None,
        timestamp=noted(
            record.get("timestamp_ms"), from_epoch(record.get("timestamp_ms")), where, report
        ),
        thread=_thread_name(header, entry),
        audience="direct",
        attachments=tuple(attachments),
    )
