"""Every date and time a page shows, in one filter: ``when``, in UK time.

Times are stored in UTC (``safeside.db.base.UTCDateTime``) and shown in Europe/London,
with GMT or BST after them, so that an hour that happens twice when the clocks go back
can still be told apart:

* a time: ``14 March 2026 at 09:30 GMT`` (``{{ item.captured_at | when }}``);
* a time someone must act on, beside the time now: ``14:32`` today, else
  ``14:32 on 2 July 2026`` (``{{ lock.until | when(now) }}``);
* a date (a due date, a CPD activity): ``14 March 2026``.

The templates use no other way of showing a time (tests/web/test_times.py checks).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from safeside.uktime import UK


def when(value: datetime | date | None, now: datetime | None = None) -> str:
    """``value`` for a page, in UK time (see the module docstring); '' for None.

    A naive datetime is taken to be UTC, as everything Safeside stores is.
    """
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return f"{value.day} {value:%B %Y}"
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UK)
    if now is not None:
        clock = f"{local:%H:%M}"
        today = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UK).date()
        return clock if local.date() == today else f"{clock} on {local.day} {local:%B %Y}"
    return f"{local.day} {local:%B %Y} at {local:%H:%M %Z}"


def uk_time(value: datetime, now: datetime | None = None) -> str:
    """``14:32`` in UK time when it is today there (beside ``now``), else with the day."""
    return when(value, now or datetime.now(UTC))
