"""X/Twitter account archive: ``data/tweets.js`` (and legacy ``tweet.js``), direct messages.

Each file is a JavaScript assignment ``window.YTD.<name>.part<N> = [ … ]``; the array
is streamed record by record. Modern tweets are wrapped as ``{"tweet": {…}}``; legacy
(2019) archives have the tweet object directly. Counts are strings in modern archives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from safeside.ingest.dates import from_iso, from_twitter, noted
from safeside.ingest.entry import Entry
from safeside.ingest.jsonreader import JsonReader, json_records
from safeside.ingest.jsonrecords import RecordStream
from safeside.ingest.post import Post, SourceRef
from safeside.ingest.registry import ReadOptions, register, text_of
from safeside.ingest.report import ImportReport

_TWEET_FILE = re.compile(r"^(tweets?|deleted-tweets)(-part\d+)?\.js$")
_DM_FILE = re.compile(r"^direct-messages?(-group)?(-part\d+)?\.js$")


@register
class TweetsReader(JsonReader):
    name = "twitter"
    title = "X/Twitter archive (tweets.js)"
    prologue = True

    def claims(self, entry: Entry, head: str) -> bool:
        return bool(_TWEET_FILE.match(entry.name)) and ("window.YTD" in head or "[" in head)

    def record(
        self, record: Any, where: SourceRef, report: ImportReport, options: ReadOptions
    ) -> Post | None:
        tweet = record.get("tweet", record) if isinstance(record, dict) else None
        if not isinstance(tweet, dict):
            report.skip("invalid-record", "is not a tweet object", where)
            return None
        deleted = where.file.rpartition("/")[2].startswith("deleted")
        return _tweet(tweet, where, deleted, report)


def _tweet(
    tweet: dict[str, Any], where: SourceRef, deleted: bool, report: ImportReport
) -> Post | None:
    text = text_of(tweet.get("full_text") or tweet.get("text"))
    if not text:
        report.skip("no-text", "has no text", where, quiet=True)
        return None
    tweet_id = text_of(tweet.get("id_str") or tweet.get("id")) or None
    created = tweet.get("created_at")
    timestamp = noted(created, from_twitter(created) if created else None, where, report)
    if not created:
        report.warn("no-date", "has no created_at; kept without a date", where)
    entities = tweet.get("entities") if isinstance(tweet.get("entities"), dict) else {}
    media = entities.get("media") or [] if isinstance(entities, dict) else []
    attachments = tuple(
        text_of(m.get("media_url_https") or m.get("expanded_url") or m.get("id"))
        for m in media
        if isinstance(m, dict)
    )
    reply_to = text_of(tweet.get("in_reply_to_status_id_str")) or None
    return Post(
        platform="twitter",
        kind="reply" if reply_to else ("share" if text.startswith("RT @") else "post"),
        text=text,
        source=where,
        id=tweet_id,
        timestamp=timestamp,
        url=f"https://x.com/i/web/status/{tweet_id}" if tweet_id else None,
        thread=text_of(tweet.get("conversation_id_str")) or reply_to,
        audience="deleted" if deleted else None,
        attachments=tuple(a for a in attachments if a),
    )


@register
class DirectMessagesReader(JsonReader):
    name = "twitter-dm"
    title = "X/Twitter archive (direct-messages.js)"
    prologue = True

    def claims(self, entry: Entry, head: str) -> bool:
        return bool(_DM_FILE.match(entry.name)) and "dmConversation" in head

    def walk(
        self, stream: RecordStream, entry: Entry, report: ImportReport, options: ReadOptions
    ) -> Iterator[Post]:
        counter = [0]
        for index, item in json_records(stream, entry, report):
            conversation = item.get("dmConversation") if isinstance(item, dict) else None
            if not isinstance(conversation, dict):
                report.skip("invalid-record", "is not a dmConversation", entry.where(index))
                continue
            yield from _messages(conversation, entry, report, counter)


def _messages(
    conversation: dict[str, Any], entry: Entry, report: ImportReport, counter: list[int]
) -> Iterator[Post]:
    """The messages of one conversation, numbered across the file by ``counter``."""
    thread = text_of(conversation.get("conversationId")) or None
    messages = conversation.get("messages")
    if not isinstance(messages, list):
        report.skip("invalid-record", "is a conversation without messages", entry.where(counter[0]))
        return
    for message in messages:
        create = message.get("messageCreate") if isinstance(message, dict) else None
        where = entry.where(counter[0])
        counter[0] += 1
        if not isinstance(create, dict):
            report.skip("system", "is not a message", where, quiet=True)
            continue
        text = text_of(create.get("text"))
        if not text:
            report.skip("no-text", "has no text", where, quiet=True)
            continue
        stamp = create.get("createdAt")
        if not stamp:
            report.warn("no-date", "has no createdAt; kept without a date", where)
        yield Post(
            platform="twitter",
            kind="message",
            text=text,
            source=where,
            id=text_of(create.get("id")) or None,
            author=text_of(create.get("senderId")) or None,
            timestamp=noted(stamp, from_iso(stamp), where, report),
            thread=thread,
            audience="direct",
            attachments=tuple(u for u in create.get("mediaUrls") or [] if isinstance(u, str)),
        )
