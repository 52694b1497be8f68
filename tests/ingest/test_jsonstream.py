"""The streaming JSON reader gives the same values as json.loads, whatever the chunk size."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeside.ingest.jsonrecords import RecordStream
from safeside.ingest.jsonstream import BadRecord, JsonStream, Truncated

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


def stream_items(text: str, chunk: int) -> list[Any]:
    stream = JsonStream(io.StringIO(text), chunk=chunk)
    stream.skip_prologue()
    return [stream.value() for _ in stream.items()]


@settings(max_examples=80, deadline=None)
@given(items=st.lists(json_values, max_size=6), chunk=st.integers(min_value=1, max_value=64))
def test_items_match_json_loads_for_any_chunk_size(items: list[Any], chunk: int) -> None:
    text = "// header comment\nwindow.YTD.tweets.part0 = " + json.dumps(items, indent=1) + ";"
    assert stream_items(text, chunk) == items


def test_members_let_a_reader_stream_one_key_and_skip_the_rest() -> None:
    text = (
        '{"skip": {"big": [1, 2, {"x": "]}"}]}, "name": "chat", "messages": [{"n": 1}, {"n": 2}]}'
    )
    stream = JsonStream(io.StringIO(text), chunk=3)
    seen: dict[str, Any] = {}
    for key in stream.members():
        if key == "name":
            seen[key] = stream.value()
        elif key == "messages":
            seen[key] = [stream.value() for _ in stream.items()]
    assert seen == {"name": "chat", "messages": [{"n": 1}, {"n": 2}]}


def test_bad_record_is_skipped_and_truncation_is_reported() -> None:
    stream = JsonStream(io.StringIO('[{"a": 1}, {"b": tru}, {"c": 3}, {"d": '), chunk=4)
    results: list[Any] = []
    with pytest.raises(Truncated):
        for _ in stream.items():
            try:
                results.append(stream.value())
            except BadRecord as error:
                results.append(f"bad: {error}")
    assert results == [{"a": 1}, "bad: Expecting value", {"c": 3}]


def read_records(text: str, chunk: int) -> tuple[list[Any], list[tuple[int, str]]]:
    stream = RecordStream(io.StringIO(text), chunk=chunk)
    skipped: list[tuple[int, str]] = []
    try:
        values = [value for _, value in stream.records(lambda i, m: skipped.append((i, m)))]
    except (Truncated, BadRecord) as error:
        values = [type(error).__name__]
    return values, skipped


@settings(max_examples=60, deadline=None)
@given(
    records=st.lists(
        st.dictionaries(st.sampled_from("abcde"), json_values, min_size=1), min_size=2, max_size=6
    ),
    cut=st.integers(min_value=0, max_value=10_000),
    garbage=st.sampled_from(["@@@", '"', "}", "]", "{", ",,", ':"x']),
    chunk=st.integers(min_value=1, max_value=64),
)
def test_resynchronising_gives_the_same_records_whatever_the_chunk_size(
    records: list[dict[str, Any]], cut: int, garbage: str, chunk: int
) -> None:
    text = json.dumps(records)
    at = cut % len(text)
    damaged = text[:at] + garbage + text[at:]
    assert read_records(damaged, chunk) == read_records(damaged, 1 << 20)


def test_records_skip_a_damaged_one_and_keep_the_rest() -> None:
    text = '[{"a": 1}, {"a": 2, "b": oops}, {"a": 3}, @@@{"a": 4}]'
    values, skipped = read_records(text, 4)
    assert values == [{"a": 1}, {"a": 3}, {"a": 4}]
    assert skipped == [
        (1, "is not valid JSON (Expecting value); skipped"),
        (3, "has damaged data before it, which was skipped"),
    ]
