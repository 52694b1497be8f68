"""Turning the many date shapes in exports into timezone-aware datetimes.

ISO-8601, epoch numbers and Twitter's layout are read directly; the free-text shapes of
chat exports ("31/12/23, 9:05 pm", "12 March 2024 at 09:15", "31.12.2023 21:05:33
UTC+01:00") by python-dateutil, day first as in the UK. A date before 2004 or after today
is a placeholder or a mistake (a zero read as 1970, a mistyped year), so it counts as
unknown rather than being kept.

A date that is there but cannot be read is never dropped silently: readers pass it
through :func:`noted`, which keeps the post undated and counts it in the report.
"""

from __future__ import annotations

import re
import time
import warnings
from datetime import UTC, datetime, tzinfo
from typing import Any

from safeside.ingest.post import SourceRef
from safeside.ingest.report import ImportReport

#: Epoch values below this are treated as seconds, above as milliseconds.
_MS_THRESHOLD = 100_000_000_000
#: The earliest date a social-media export can hold (Facebook opened in 2004).
EARLIEST = datetime(2004, 1, 1, tzinfo=UTC)
_EARLIEST = EARLIEST.timestamp()
#: Zone names in UK exports, in seconds east of UTC.
_ZONES = {"UTC": 0, "GMT": 0, "Z": 0, "BST": 3600}
#: Telegram's "UTC+01:00", which dateutil would read the POSIX way round (as UTC-1).
_UTC_PREFIX = re.compile(r"\b(?:UTC|GMT)(?=[+-]\d)")
_BRACKETS = str.maketrans("", "", "[]\u200e\u200f")
#: Longer text is not a date (and is not handed to dateutil).
_LONGEST = 64
#: Two defaults that differ in every date field: a field the text leaves out shows.
_DEFAULTS = (datetime(1901, 1, 1), datetime(1902, 2, 2))


def plausible(moment: datetime | None) -> datetime | None:
    """``moment``, or None when it is before 2004 or after tomorrow (naive is taken as UTC)."""
    if moment is None:
        return None
    stamp = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    return moment if _EARLIEST <= stamp <= time.time() + 86_400 else None


def from_epoch(value: Any) -> datetime | None:
    """Seconds or milliseconds since 1970 (number or numeric string) → UTC datetime."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number <= 0:
        return None
    if number > _MS_THRESHOLD:
        number /= 1000
    try:
        return plausible(datetime.fromtimestamp(number, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def from_iso(value: Any, default_tz: tzinfo = UTC) -> datetime | None:
    """ISO-8601 text (``Z``, offsets, ``UTC`` suffix, space separator), else a free-text
    date (:func:`from_text`); naive → ``default_tz``."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return from_text(value, default_tz)
    return plausible(moment if moment.tzinfo else moment.replace(tzinfo=default_tz))


def from_text(value: Any, default_tz: tzinfo = UTC) -> datetime | None:
    """A date as chat exports write it, read by dateutil: day first unless it starts with
    the year; it must give a day, month and year; naive → ``default_tz``."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = _UTC_PREFIX.sub("", value.translate(_BRACKETS)).strip()
    if len(text) > _LONGEST:
        return None
    year_first = re.match(r"\d{4}\b", text) is not None
    from dateutil import parser as dateutil_parser  # slow to import: imported on first use

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
            first, second = (
                dateutil_parser.parse(
                    text, default=d, dayfirst=not year_first, yearfirst=year_first, tzinfos=_ZONES
                )
                for d in _DEFAULTS
            )
    except (ValueError, OverflowError):
        return None
    if first.date() != second.date():
        return None  # a day, month or year is missing
    return plausible(first if first.tzinfo else first.replace(tzinfo=default_tz))


def from_twitter(value: Any) -> datetime | None:
    """Twitter's ``Wed Jun 05 13:45:22 +0000 2024`` (the weekday is not checked)."""
    if not isinstance(value, str):
        return None
    parts = value.split()
    if len(parts) != 6:
        return from_iso(value)
    _weekday, month, day, clock, offset, year = parts
    try:
        moment = datetime.strptime(f"{day} {month} {year} {clock} {offset}", "%d %b %Y %H:%M:%S %z")
    except ValueError:
        return from_iso(value)  # other layouts (RFC 822, ...) by dateutil
    return plausible(moment)


def noted(
    raw: Any, parsed: datetime | None, where: SourceRef, report: ImportReport
) -> datetime | None:
    """``parsed``; if a date was given (``raw``) but could not be read, say so in the report."""
    if parsed is None and raw not in (None, "", 0):
        shown = str(raw)[:40]
        report.warn(
            "no-date", f"has a date Safeside cannot read ({shown!r}); kept without a date", where
        )
    return parsed
