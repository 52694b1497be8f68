"""Dates in chat exports: free-text shapes by dateutil, day first, and nothing before 2004."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from safeside.ingest.dates import from_epoch, from_iso, from_text, from_twitter

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # WhatsApp (Android and iOS headers, UK locale)
        ("31/12/23, 21:05", datetime(2023, 12, 31, 21, 5)),
        ("03/04/2024, 09:15", datetime(2024, 4, 3, 9, 15)),  # 3 April: day first
        ("[31/12/2023, 21:05:33]", datetime(2023, 12, 31, 21, 5, 33)),
        ("\u200e[03/04/2024, 9:05:01 pm]", datetime(2024, 4, 3, 21, 5, 1)),
        ("31.12.23, 21:05", datetime(2023, 12, 31, 21, 5)),
        # Telegram Desktop (HTML export titles) and its JSON without a zone
        ("31.12.2023 21:05:33", datetime(2023, 12, 31, 21, 5, 33)),
        ("2023-12-31T21:05:33", datetime(2023, 12, 31, 21, 5, 33)),
        # written out
        ("12 March 2024 at 09:15", datetime(2024, 3, 12, 9, 15)),
        ("Tuesday, 12 March 2024 09:15", datetime(2024, 3, 12, 9, 15)),
        ("Mar 12, 2024, 9:15 PM", datetime(2024, 3, 12, 21, 15)),
    ],
)
def test_chat_export_date_shapes_are_read_day_first(text: str, expected: datetime) -> None:
    assert from_text(text, LONDON) == expected.replace(tzinfo=LONDON)
    assert from_iso(text, LONDON) == expected.replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("31.12.2023 21:05:33 UTC+01:00", 1),  # Telegram: UTC+01:00 is one hour east
        ("31.12.2023 21:05:33 UTC-05:00", -5),
        ("31/12/2023 21:05 +0100", 1),
        ("12 July 2024 09:15 BST", 1),
        ("12 July 2024 09:15 GMT", 0),
    ],
)
def test_zones_in_the_text_are_kept(text: str, offset: int) -> None:
    moment = from_text(text)
    assert moment is not None
    assert moment.utcoffset() == timedelta(hours=offset)


@pytest.mark.parametrize(
    "value",
    [
        "01/01/1970, 00:00",  # a zero date
        "1999-12-31T23:59:59Z",
        "31/12/2099 10:00",  # after today
        "March 2024",  # no day
        "12 March",  # no year
        "5",
        "not a date",
        "",
        "1" * 200,
    ],
)
def test_dates_that_are_not_there_or_not_plausible_are_unknown(value: str) -> None:
    assert from_text(value) is None
    assert from_iso(value) is None


def test_epoch_zero_and_early_dates_are_unknown_not_1970() -> None:
    assert from_epoch(0) is None
    assert from_epoch(1) is None
    assert from_epoch(946_684_800) is None  # 2000-01-01
    assert from_epoch(1_700_000_000) == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert from_epoch(1_700_000_000_000) == from_epoch(1_700_000_000)  # milliseconds
    future = (datetime.now(UTC) + timedelta(days=30)).timestamp()
    assert from_epoch(future) is None


def test_twitter_and_iso_dates_outside_the_window_are_unknown() -> None:
    assert from_twitter("Wed Jun 05 13:45:22 +0000 2024") == datetime(
        2024, 6, 5, 13, 45, 22, tzinfo=UTC
    )
    assert from_twitter("Thu Jan 01 00:00:00 +0000 1970") is None
    assert from_iso("1970-01-01T00:00:00Z") is None
    assert from_iso("2024-06-05T13:45:22Z") == datetime(2024, 6, 5, 13, 45, 22, tzinfo=UTC)
