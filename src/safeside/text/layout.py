"""The furniture of pasted chats and screenshots: what the app wrote, not the person.

A chat export puts a date and time before every message ("[03/11/2026, 21:14:07] Dan:",
"03/11/2026, 21:17 - Kez:") and placeholders where media was ("<Media omitted>",
"This message was deleted"); a screenshot read by text recognition keeps the app's own
lines ("Yesterday 21:14", "Seen 10:02"). None of it is something the writer said:

- no identifier is read inside it (``detectors/layout.py`` masks it: a practitioner
  redacting a log needs the dates written *in* the messages, not one per line);
- the cues and the model do not read it (:func:`blank_layout`, used by the cue view):
  a log of "are you home for tea" is not a post about a family because its lines start
  with dates, and a stamp's "21:14" is not a threat's time.
"""

from __future__ import annotations

import re

_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}"
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?"
#: a screenshot's own day line: "Today 21:14", "Yesterday at 9:02", "Tue, 12 Mar at 21:14"
#: (a line with a weekday or a date and a time alone may be a hearing's date: not layout)
_DAY = r"(?:(?:Today|Yesterday)(?: at)?|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} at)"
#: a messenger's own stamp line: "Dec 5, 2026, 9:40 PM"
_MESSENGER_DAY = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}, "
#: who sent a message, after a stamp: "Jess Wooding:", "kez_x:"
_SENDER = r"(?:[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2}|[\w.]{2,30}):"
#: one count on a screenshot's reactions line
_COUNT = (
    r"(?:(?:❤️?|♡|💬|🔁|👏|👍|👀|😆|🗨️?)[ \t]*\d[\d.,]*[Kk]?"
    r"|\d[\d.,]*[Kk]?[ \t]+(?:comments?|likes?|shares?|reposts?|views?|replies|retweets?)"
    r"|View all \d[\d.,]*[Kk]? comments)"
)
_STAMPS = (
    # a stamp at the start of a line: "[03/11/2026, 21:14:07]", "03/11/2026, 21:17 - ",
    # "[2026-03-12 21:14]", an SMS backup's "2026-12-03 08:45 | " or "… 19:02:11 From",
    # a stamp before its sender ("06/12/2026 16:02 Jess Wooding:"); a screenshot's day
    # line; a messenger's stamp line; a read receipt ("Seen 10:02")
    rf"\[(?:{_DATE}),?[ T]{_TIME}\]"
    rf"|(?:{_DATE}),? {_TIME} [-–] (?=\S)"
    rf"|(?:{_DATE}),?[ T]{_TIME}(?:[ \t]*\|[ \t]*|[ \t]+(?=[Ff]rom\b|{_SENDER}))"
    rf"|{_DAY} {_TIME}[ \t]*$"
    rf"|{_MESSENGER_DAY}{_TIME}[ \t]*$"
    rf"|(?:Seen|Read|Delivered|Sent)(?: at)? {_TIME}[ \t]*$"
    # a screenshot's line of counts under a post: "❤️ 88    12 comments", "💬 14", "♡ 3.2K"
    rf"|(?:{_COUNT}[ \t]*)+$"
)
_PLACEHOLDERS = (
    # a stamp in brackets between a sender and the colon: "Jo Price (05/12/2026 11:00):"
    rf"\((?:{_DATE}),?[ T]{_TIME}\)(?=:)"
    # an export's group title with its member count, before the first stamped line:
    # "Class 4 Parents (31)\n[03/12/2026, 19:10:05] …"
    rf"|\(\d{{1,5}}(?: members| participants)?\)(?=[ \t]*\n[ \t]*\[?(?:{_DATE}))"
    # what an export writes where a message or its media was
    r"|<(?:Media omitted|attached: [^<>\n]{1,120}|This message was edited)>"
    r"|(?:image|video|audio|sticker|GIF|document) omitted"
    r"|(?:This message was deleted|You deleted this message)"
    r"|Missed (?:voice|video) call"
)
#: stamps, as the entity mask reads them (the clean text keeps its case)
LAYOUT = re.compile(rf"(?m)^[ \t]*(?:{_STAMPS})|{_PLACEHOLDERS}")
#: the same in any case: the cue view is lower case
_LAYOUT_ANY_CASE = re.compile(LAYOUT.pattern, re.M | re.I)


def blank_layout(text: str) -> str:
    """``text`` with its stamps and placeholders turned into spaces (same length, so every
    offset still points at the same character)."""
    if ":" not in text and "omitted" not in text.lower() and "deleted" not in text.lower():
        return text
    return _LAYOUT_ANY_CASE.sub(lambda m: " " * len(m.group()), text)
