"""WhatsApp chat export (``.txt``, or ``_chat.txt`` inside the zip WhatsApp shares).

Each message starts with a header whose shape depends on the phone's OS and locale:

* Android: ``31/12/23, 21:05 - Name: text`` (``12/31/23, 9:05 PM - …``, ``31.12.23, …``)
* iOS: ``[31/12/2023, 21:05:33] Name: text`` (often led by U+200E marks)

Dates come as d/m/y, m/d/y or y/m/d with ``/``, ``.`` or ``-``; times as 24-hour or
12-hour with ``AM``, ``am``, ``a. m.`` or ``p.m.`` (with ordinary, no-break or narrow
no-break spaces). The day/month order is settled once per file from the dates
themselves; a file whose dates never go above 12 is read day-first (UK) with a warning.
Lines without a header continue the message above. System lines (group created,
encryption notices), media placeholders and deleted messages are counted, not analysed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from safeside.ingest.post import Post
from safeside.ingest.registry import Reader, ReadOptions, register
from safeside.ingest.report import ImportReport
from safeside.ingest.sources import Entry
from safeside.ingest.textio import open_text

_MARKS = "\u200e\u200f\ufeff\u202a\u202b\u202c"
_SPACE = r"[\s\u00a0\u202f]"
HEADER = re.compile(
    rf"^[{_MARKS}]*(?P<open>\[)?"
    r"(?P<d1>\d{1,4})[./-](?P<d2>\d{1,2})[./-](?P<d3>\d{1,4}),?"
    rf"{_SPACE}+(?P<h>\d{{1,2}})[:.](?P<m>\d{{2}})(?:[:.](?P<s>\d{{2}}))?"
    rf"(?:{_SPACE}*(?P<ampm>[AaPp]{_SPACE}?\.?{_SPACE}?[Mm]\.?))?\.?"
    rf"(?(open)\]{_SPACE}|{_SPACE}+[-–]{_SPACE})"
    r"(?P<rest>.*)$"
)
_SENDER = re.compile(r"^(?P<sender>[^:]{1,100}?):(?:[ \u00a0]|$)?(?P<body>.*)$", re.DOTALL)
_SYSTEM_VERBS = re.compile(
    r"\b(created group|created this group|added|removed|left|changed|joined using"
    r"|was added|were added|deleted this group|turned (on|off) disappearing"
    r"|pinned a message|security code)\b",
    re.IGNORECASE,
)
_SYSTEM_BODY = re.compile(
    r"^(messages (and calls )?(you send to this (group|chat) )?are (now secured with )?end-to-end"
    r"|messages and calls are end-to-end encrypted|missed (voice|video) call"
    r"|your security code with|waiting for this message)",
    re.IGNORECASE,
)
_MEDIA = re.compile(
    r"^(<media omitted>|<attached: [^>]*>|(image|video|audio|sticker|gif|document|contact card)"
    r" omitted|.+\.(jpe?g|png|webp|mp4|opus|pdf) \(file attached\))$",
    re.IGNORECASE,
)
_DELETED = re.compile(
    r"^(this message was deleted|you deleted this message|this message was edited)\.?$",
    re.IGNORECASE,
)
_CHAT_NAME = re.compile(r"^WhatsApp Chat (?:with |- )(?P<name>.+)$", re.IGNORECASE)


def _first_lines(head: str, count: int = 5) -> list[str]:
    return [line for line in head.splitlines() if line.strip()][:count]


@register
class WhatsAppReader(Reader):
    name = "whatsapp"
    title = "WhatsApp chat export (.txt)"

    def claims(self, entry: Entry, head: str) -> bool:
        return entry.suffix == ".txt" and any(HEADER.match(line) for line in _first_lines(head))

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        order = self._date_order(entry, report)
        thread = chat_name(entry)
        message: _Message | None = None
        with open_text(entry, report) as text:
            for number, line in enumerate(text, start=1):
                line = line.rstrip("\n")
                match = HEADER.match(line)
                if match:
                    if message:
                        yield from message.finish(entry, report, thread)
                    message = _Message(number, _timestamp(match, order, options), match["rest"])
                elif message:
                    message.more.append(line)
                elif line.strip():
                    report.skip(
                        "invalid-record",
                        "has text before the first message",
                        entry.where(line=number),
                    )
        if message:
            yield from message.finish(entry, report, thread)

    def _date_order(self, entry: Entry, report: ImportReport) -> str:
        """``dmy``, ``mdy`` or ``ymd`` for the whole file, judged from every header."""
        first_high = second_high = year_first = unpadded = False
        with open_text(entry, ImportReport(source="")) as text:
            for line in text:
                match = HEADER.match(line)
                if not match:
                    continue
                if len(match["d1"]) == 4:
                    year_first = True
                    continue
                first_high = first_high or int(match["d1"]) > 12
                second_high = second_high or int(match["d2"]) > 12
                unpadded = unpadded or len(match["d1"]) == 1 or len(match["d2"]) == 1
        if first_high or year_first:
            return "dmy"
        if second_high:
            return "mdy"
        if unpadded:
            report.warn(
                "ambiguous-date",
                "no day above 12, so dates were read as month/day (US style, as they are not "
                "zero-padded)",
                entry.where(),
            )
            return "mdy"
        report.warn(
            "ambiguous-date",
            "no day above 12, so dates were read as day/month (UK style); check them",
            entry.where(),
        )
        return "dmy"


def chat_name(entry: Entry) -> str:
    """The chat's name, from ``WhatsApp Chat with Name.txt`` or the zip it came in."""
    stem = PurePosixPath(entry.path).stem
    if stem == "_chat" and entry.archive:
        stem = PurePosixPath(entry.archive).stem
    match = _CHAT_NAME.match(stem)
    return match["name"] if match else stem


def _timestamp(match: re.Match[str], order: str, options: ReadOptions) -> datetime | None:
    d1, d2, d3 = match["d1"], match["d2"], match["d3"]
    if len(d1) == 4:
        year, month, day = int(d1), int(d2), int(d3)
    elif order == "mdy" or int(d2) > 12:
        month, day, year = int(d1), int(d2), int(d3)
    else:
        day, month, year = int(d1), int(d2), int(d3)
    if year < 100:
        year += 2000
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
    ampm = (match["ampm"] or "").lower()
    if ampm and hour <= 12:
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=options.timezone)
    except ValueError:
        return None


@dataclass
class _Message:
    line: int
    timestamp: datetime | None
    first: str
    more: list[str] = field(default_factory=list)

    def finish(self, entry: Entry, report: ImportReport, thread: str) -> Iterator[Post]:
        where = entry.where(line=self.line)
        rest = self.first.strip(_MARKS + " ")
        sender_match = _SENDER.match(rest)
        if not sender_match or _SYSTEM_VERBS.search(sender_match["sender"]):
            report.skip("system", "is a WhatsApp system line", where, quiet=True)
            return
        sender = sender_match["sender"].strip(_MARKS + " ").removeprefix("~").strip(" \u202f\u00a0")
        body = "\n".join([sender_match["body"], *self.more]).strip()
        body = body.strip(_MARKS + " \u00a0")
        if _SYSTEM_BODY.match(body):
            report.skip("system", "is a WhatsApp system line", where, quiet=True)
            return
        if _DELETED.match(body):
            report.skip("deleted", "was deleted", where, quiet=True)
            return
        if _MEDIA.match(body):
            report.skip("no-text", "is a media placeholder", where, quiet=True)
            return
        if not body:
            report.skip("no-text", "has no text", where, quiet=True)
            return
        if self.timestamp is None:
            report.warn("no-date", "has an impossible date; kept without one", where)
        yield Post(
            platform="whatsapp",
            kind="message",
            text=body,
            source=where,
            author=sender,
            timestamp=self.timestamp,
            thread=thread,
            audience="chat",
        )
