"""LinkedIn "Get a copy of your data": ``Shares.csv``, ``Comments.csv`` and ``messages.csv``.

Shares are your posts (``Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility``);
comments are ``Date,Link,Message``; messages are
``CONVERSATION ID,CONVERSATION TITLE,FROM,…,DATE,SUBJECT,CONTENT,FOLDER``. Dates without
a zone are read in the import's timezone.
"""

from __future__ import annotations

from collections.abc import Iterator

from safeside.ingest.csvrows import csv_rows, header_of
from safeside.ingest.dates import from_iso
from safeside.ingest.post import Post
from safeside.ingest.registry import Reader, ReadOptions, register
from safeside.ingest.report import ImportReport
from safeside.ingest.sources import Entry

_VISIBILITY = {"MEMBER_NETWORK": "connections", "CONNECTIONS": "connections", "PUBLIC": "public"}


@register
class LinkedInReader(Reader):
    name = "linkedin"
    title = "LinkedIn data export (Shares.csv, Comments.csv, messages.csv)"

    def claims(self, entry: Entry, head: str) -> bool:
        columns = header_of(head)
        return entry.suffix == ".csv" and (
            "ShareCommentary" in columns
            or "CONVERSATION ID" in columns
            or (entry.name.lower() == "comments.csv" and "Message" in columns)
        )

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        for index, line, row in csv_rows(entry, report):
            where = entry.where(index, line)
            if "CONVERSATION ID" in row:
                text = row.get("CONTENT", "").strip()
                kind, author = "message", row.get("FROM") or None
                stamp, url = row.get("DATE", ""), None
                thread = row.get("CONVERSATION TITLE") or row.get("CONVERSATION ID") or None
                seen_by = "direct"
            elif "ShareCommentary" in row:
                text = row.get("ShareCommentary", "").strip().strip('"').strip()
                kind, author, thread = "post", None, None
                stamp, url = row.get("Date", ""), row.get("ShareLink") or None
                seen_by = _VISIBILITY.get(row.get("Visibility", "").strip().upper(), "public")
            else:
                text = row.get("Message", "").strip()
                kind, author, thread = "comment", None, None
                stamp, url = row.get("Date", ""), row.get("Link") or None
                seen_by = "public"
            if not text:
                report.skip("no-text", "has no text", where, quiet=True)
                continue
            timestamp = from_iso(stamp, options.timezone)
            if timestamp is None:
                report.warn("no-date", f"has a date Safeside cannot read ({stamp!r})", where)
            media = (row.get("MediaUrl") or row.get("SharedUrl") or "").strip()
            yield Post(
                platform="linkedin",
                kind=kind,
                text=text,
                source=where,
                author=author,
                timestamp=timestamp,
                url=url,
                thread=thread,
                audience=seen_by,
                attachments=(media,) if media else (),
            )
