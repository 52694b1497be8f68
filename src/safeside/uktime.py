"""UK time: every date and time is stored in UTC and shown, or counted, in Europe/London."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

#: The zone every time is shown in (GMT in winter, BST in summer).
UK = ZoneInfo("Europe/London")


def uk_today(now: datetime | None = None) -> date:
    """Today's date in the UK (after midnight BST it is already tomorrow there)."""
    return (now or datetime.now(UTC)).astimezone(UK).date()
