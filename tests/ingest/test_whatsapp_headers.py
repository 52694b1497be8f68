"""WhatsApp headers in every phone locale read back to the same dates, senders and text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeside.ingest import read_posts
from safeside.ingest.registry import UK_TIME


def twelve_hour(moment: datetime, am: str, pm: str, seconds: bool = False) -> str:
    hour = moment.hour % 12 or 12
    clock = f"{hour}:{moment:%M:%S}" if seconds else f"{hour}:{moment:%M}"
    return f"{clock} {am if moment.hour < 12 else pm}"


STYLES: dict[str, Callable[[datetime], str]] = {
    "android-uk": lambda m: f"{m:%d/%m/%y, %H:%M} - ",
    "android-us": lambda m: f"{m.month}/{m.day}/{m:%y}, {twelve_hour(m, 'AM', 'PM')} - ",
    "ios-uk": lambda m: f"[{m:%d/%m/%Y, %H:%M:%S}] ",
    "ios-us": lambda m: (
        f"\u200e[{m.month}/{m.day}/{m:%y}, {twelve_hour(m, 'AM', 'PM', seconds=True).replace(' ', chr(0x202F))}] "
    ),
    "german": lambda m: f"{m:%d.%m.%y, %H:%M} - ",
    "iso": lambda m: f"{m:%Y-%m-%d, %H:%M} - ",
    "spanish": lambda m: f"{m:%d/%m/%Y}, {twelve_hour(m, 'a. m.', 'p. m.')} - ",
}

senders = st.sampled_from(["Sam", "Dr. Alex", "~ Jo Bloggs", "+44 7700 900123", "Mum 💕"])
bodies = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=30,
).map(lambda s: "x" + s.strip() + "y")
moments = st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda m: m.replace(second=0 if m.second % 2 else m.second, microsecond=0)
)
messages = st.lists(st.tuples(moments, senders, bodies), min_size=1, max_size=6)

# A first message on the 25th settles day/month order, as a real chat would.
ANCHOR = (datetime(2024, 1, 25, 9, 30), "Sam", "anchor")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(style=st.sampled_from(sorted(STYLES)), chat=messages)
def test_headers_round_trip(
    tmp_path: Path, style: str, chat: list[tuple[datetime, str, str]]
) -> None:
    chat = [ANCHOR, *chat]
    render = STYLES[style]
    with_seconds = style.startswith("ios")
    path = tmp_path / f"{style}.txt"
    path.write_text(
        "".join(f"{render(m)}{who}: {text}\n" for m, who, text in chat), encoding="utf-8"
    )

    posts, report = read_posts(path)

    assert [p.text for p in posts] == [text for _, _, text in chat]
    assert [p.author for p in posts] == [who.removeprefix("~ ") for _, who, _ in chat]
    expected = [m if with_seconds else m.replace(second=0) for m, _, _ in chat]
    assert [p.timestamp for p in posts] == [m.replace(tzinfo=UK_TIME) for m in expected]
    assert not report.warnings
