"""Turning the many date shapes in exports into timezone-aware datetimes.

A date that is there but cannot be read is never dropped silently: readers pass it
through :func:`noted`, which keeps the post undated and counts it in the report.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any

from safeside.ingest.post import SourceRef
from safeside.ingest.report import ImportReport

#: Epoch values below this are treated as seconds, above as milliseconds.
_MS_THRESHOLD = 100_000_000_000


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
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def from_iso(value: Any, default_tz: tzinfo = UTC) -> datetime | None:
    """ISO-8601 text (``Z``, offsets, ``UTC`` suffix, space separator); naive → ``default_tz``."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=default_tz)


def from_twitter(value: Any) -> datetime | None:
    """Twitter's ``Wed Jun 05 13:45:22 +0000 2024`` (the weekday is not checked)."""
    if not isinstance(value, str):
        return None
    parts = value.split()
    if len(parts) != 6:
        return from_iso(value)
    _weekday, month, day, clock, offset, year = parts
    try:
        return datetime.strptime(f"{day} {month} {year} {clock} {offset}", "%d %b %Y %H:%M:%S %z")
    except ValueError:
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None


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
