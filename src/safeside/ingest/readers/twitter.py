"""X/Twitter account archive: ``data/tweets.js`` (and legacy ``tweet.js``), direct messages.

Each file is a JavaScript assignment ``window.YTD.<name>.part<N> = [ … ]``; the array
is streamed record by record. Modern tweets are wrapped as ``{"tweet": {…}}``; legacy
(2019) archives have the tweet object directly. Counts are strings in modern archives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from safeside.ingest.dates import from_iso, from_twitter
from safeside.ingest.jsonstream import JsonStream
from safeside.ingest.post import Post
from safeside.ingest.registry import Reader, ReadOptions, json_records, register, text_of
from safeside.ingest.report import ImportReport
from safeside.ingest.sources import Entry
from safeside.ingest.textio import open_text

_TWEET_FILE = re.compile(r"^(tweets?|deleted-tweets)(-part\d+)?\.js$")
_DM_FILE = re.compile(r"^direct-messages?(-group)?(-part\d+)?\.js$")


def _open_stream(entry: Entry, report: ImportReport) -> Iterator[JsonStream]:
    with open_text(entry, report) as text:
        stream = JsonStream(text)
        stream.skip_prologue()
        yield stream


@register
class TweetsReader(Reader):
    name = "twitter"
    title = "X/Twitter archive (tweets.js)"

    def claims(self, entry: Entry, head: str) -> bool:
        return bool(_TWEET_FILE.match(entry.name)) and ("window.YTD" in head or "[" in head)

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        deleted = entry.name.startswith("deleted")
        for stream in _open_stream(entry, report):
            for index, record in json_records(stream, entry, report):
                tweet = record.get("tweet", record) if isinstance(record, dict) else None
                if not isinstance(tweet, dict):
                    report.skip("invalid-record", "is not a tweet object", entry.where(index))
                    continue
                post = _tweet(tweet, entry, index, deleted, report)
                if post:
                    yield post


def _tweet(
    tweet: dict[str, Any], entry: Entry, index: int, deleted: bool, report: ImportReport
) -> Post | None:
    where = entry.where(index)
    text = text_of(tweet.get("full_text") or tweet.get("text"))
    if not text:
        report.skip("no-text", "has no text", where, quiet=True)
        return None
    tweet_id = text_of(tweet.get("id_str") or tweet.get("id")) or None
    created = tweet.get("created_at")
    timestamp = from_twitter(created) if created else None
    if timestamp is None:
        report.warn("no-date", "has no usable created_at; kept without a date", where)
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
class DirectMessagesReader(Reader):
    name = "twitter-dm"
    title = "X/Twitter archive (direct-messages.js)"

    def claims(self, entry: Entry, head: str) -> bool:
        return bool(_DM_FILE.match(entry.name)) and "dmConversation" in head

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        record = 0
        for stream in _open_stream(entry, report):
            for index, item in json_records(stream, entry, report):
                conversation = item.get("dmConversation") if isinstance(item, dict) else None
                if not isinstance(conversation, dict):
                    report.skip("invalid-record", "is not a dmConversation", entry.where(index))
                    continue
                thread = text_of(conversation.get("conversationId")) or None
                for message in conversation.get("messages") or []:
                    create = message.get("messageCreate") if isinstance(message, dict) else None
                    where = entry.where(record)
                    record += 1
                    if not isinstance(create, dict):
                        report.skip("system", "is not a message", where, quiet=True)
                        continue
                    text = text_of(create.get("text"))
                    if not text:
                        report.skip("no-text", "has no text", where, quiet=True)
                        continue
                    timestamp = from_iso(create.get("createdAt"))
                    if timestamp is None:
                        report.warn(
                            "no-date", "has no usable createdAt; kept without a date", where
                        )
                    yield Post(
                        platform="twitter",
                        kind="message",
                        text=text,
                        source=where,
                        id=text_of(create.get("id")) or None,
                        author=text_of(create.get("senderId")) or None,
                        timestamp=timestamp,
                        thread=thread,
                        audience="direct",
                        attachments=tuple(
                            u for u in create.get("mediaUrls") or [] if isinstance(u, str)
                        ),
                    )
