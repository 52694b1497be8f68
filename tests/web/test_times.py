"""Times are stored in UTC and shown in UK time, by one filter that every template uses."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import safeside.web
from safeside.web.forms import Form
from safeside.web.render import make_templates
from safeside.web.times import when

TEMPLATES = Path(safeside.web.__file__).parent / "templates"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (datetime(2026, 1, 15, 9, 30, tzinfo=UTC), "15 January 2026 at 09:30 GMT"),
        (datetime(2026, 7, 1, 23, 30, tzinfo=UTC), "2 July 2026 at 00:30 BST"),  # next day
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29 March 2026 at 00:59 GMT"),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29 March 2026 at 02:00 BST"),  # clocks go on
        # The hour that happens twice when the clocks go back is told apart by its zone.
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25 October 2026 at 01:30 BST"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25 October 2026 at 01:30 GMT"),
        (datetime(2026, 7, 1, 12, 0), "1 July 2026 at 13:00 BST"),  # naive: stored UTC
        (date(2026, 12, 4), "4 December 2026"),
        (None, ""),
    ],
)
def test_when_shows_uk_time(stored: datetime | date | None, shown: str) -> None:
    assert when(stored) == shown


def test_beside_the_time_now_a_time_today_is_just_the_clock() -> None:
    now = datetime(2026, 7, 1, 13, 0, tzinfo=UTC)
    assert when(datetime(2026, 7, 1, 13, 1, tzinfo=UTC), now) == "14:01"
    assert when(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), now) == "00:30 on 2 July 2026"


def test_there_is_one_time_filter() -> None:
    env = make_templates().env
    time_filters = {name for name, f in env.filters.items() if f is when}
    assert "when" in time_filters
    assert not {"uk_time", "uk_when"} - time_filters, "other names are the same function"


def test_every_template_shows_times_through_the_filter() -> None:
    """No template formats a time itself, says UTC, or shows a stored time unfiltered."""
    stamp = re.compile(
        r"{{[^}]*\b\w*(_at|_on|_until|activity_date)\b(?![^}]*\|\s*(when|uk_when|uk_time))[^}]*}}"
    )
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(TEMPLATES).as_posix()
        if "strftime" in text:
            problems.append(f"{name}: strftime")
        if re.search(r"\bUTC\b", text):
            problems.append(f"{name}: says UTC")
        for match in stamp.finditer(text):
            if "isoformat" not in match.group(0):  # a form field's value, not a display
                problems.append(f"{name}: {match.group(0)}")
    assert problems == []


def test_a_time_typed_in_a_form_is_read_as_uk_time() -> None:
    def read(value: str) -> datetime | None:
        return Form(_data({"posted_at": value})).optional_datetime("posted_at", "bad")

    assert read("2026-01-15T09:30") == datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
    assert read("2026-07-01T09:30") == datetime(2026, 7, 1, 8, 30, tzinfo=UTC)
    assert read("2026-10-25T01:30") == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # first one
    assert read("") is None


def _data(values: dict[str, str]):  # type: ignore[no-untyped-def]
    from starlette.datastructures import FormData

    return FormData(list(values.items()))
