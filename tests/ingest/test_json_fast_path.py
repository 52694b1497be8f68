"""The fast path (ijson's C parser, YAJL) gives exactly what the stream's own decoder gives.

A whole-file array is parsed by YAJL until its first damage; from there the file is read
again by the stream's own decoder, which skips the damaged record and resynchronises. So
every good record before and after the damage is kept, numbered and reported as before.
"""

from __future__ import annotations

import io
import json
from typing import Any

import ijson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeside.ingest.jsonrecords import RecordStream
from safeside.ingest.jsonstream import BadRecord, Truncated


def records_of(
    integers: st.SearchStrategy[int], floats: st.SearchStrategy[float]
) -> st.SearchStrategy[list[dict[str, Any]]]:
    values = st.recursive(
        st.none() | st.booleans() | integers | floats | st.text(),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=5), children, max_size=4)
        ),
        max_leaves=12,
    )
    return st.lists(
        st.dictionaries(st.sampled_from("abcde"), values, min_size=1), min_size=2, max_size=8
    )


records_strategy = records_of(st.integers(), st.floats(allow_nan=False))
#: YAJL reads JSON with integers up to 64 bits; a bigger one, or JavaScript's Infinity,
#: sends the file to the own decoder.
yajl_records = records_of(
    st.integers(min_value=1 - 2**63, max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
)


class Opener:
    """``reopen`` for a stream over a string, counting how often the file is read again."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls = 0

    def __call__(self) -> io.StringIO:
        self.calls += 1
        return io.StringIO(self.text)


def read(
    text: str, chunk: int = 1 << 20, *, fast: bool = True, prologue: bool = False
) -> tuple[list[Any], list[tuple[int, str]], list[tuple[str, str]], int]:
    """(records, skipped, notes, rereads): the whole outcome of reading ``text``."""
    opener = Opener(text)
    stream = RecordStream(io.StringIO(text), chunk=chunk, reopen=opener if fast else None)
    skipped: list[tuple[int, str]] = []
    values: list[Any] = []
    try:
        if prologue:
            stream.skip_prologue()
        values = [(i, v) for i, v in stream.records(lambda i, m: skipped.append((i, m)))]
    except (Truncated, BadRecord) as error:
        values.append((type(error).__name__, getattr(error, "record", None)))
    return values, skipped, stream.notes, opener.calls


def test_the_c_backend_is_there() -> None:
    assert ijson.get_backend("yajl2_c").backend_name == "yajl2_c"


@settings(max_examples=80, deadline=None)
@given(records=yajl_records, chunk=st.integers(min_value=1, max_value=64))
def test_a_good_file_is_read_in_one_pass_with_the_same_values_as_json_loads(
    records: list[dict[str, Any]], chunk: int
) -> None:
    text = "// comment\nwindow.YTD.tweets.part0 = " + json.dumps(records, indent=1) + " ;\n"
    values, skipped, notes, rereads = read(text, chunk, prologue=True)
    assert [v for _, v in values] == records
    assert (skipped, notes, rereads) == ([], [], 0)
    assert read(text, chunk, fast=False, prologue=True)[:3] == (values, skipped, notes)


@settings(max_examples=150, deadline=None)
@given(
    records=records_strategy,
    cut=st.integers(min_value=0, max_value=10_000),
    garbage=st.sampled_from(["@@@", '"', "}", "]", "{", ",,", ':"x', ",", "", "]}", '"a": 1,']),
    chunk=st.integers(min_value=1, max_value=64),
)
def test_damage_gives_the_same_records_skips_and_notes_as_the_own_decoder(
    records: list[dict[str, Any]], cut: int, garbage: str, chunk: int
) -> None:
    text = json.dumps(records)
    at = cut % len(text)
    damaged = text[:at] + garbage + text[at:]
    assert same(read(damaged, chunk), read(damaged, chunk, fast=False))


def same(fast: tuple[Any, ...], own: tuple[Any, ...]) -> bool:
    """Equal outcomes; YAJL reads an unpaired surrogate escape (``"\\ud800"``) as "?" where
    Python's decoder keeps a lone surrogate, which cannot be written as UTF-8 anyway."""
    return bool(
        json.dumps(fast[:3], ensure_ascii=False).encode("utf-8", "replace")
        == json.dumps(own[:3], ensure_ascii=False).encode("utf-8", "replace")
    )


@settings(max_examples=60, deadline=None)
@given(records=records_strategy, cut=st.integers(min_value=1, max_value=10_000))
def test_a_cut_file_gives_the_same_records_and_truncation_as_the_own_decoder(
    records: list[dict[str, Any]], cut: int
) -> None:
    text = json.dumps(records)
    cut_short = text[: cut % len(text)]
    assert same(read(cut_short), read(cut_short, fast=False))


def test_records_before_and_after_a_damaged_one_are_kept_and_the_file_read_again_once() -> None:
    good = [{"id": n, "text": f"post {n}"} for n in range(200)]
    text = json.dumps(good)
    broken = text.replace('"text": "post 120"', '"text": "post 120" "oops"')
    values, skipped, _, rereads = read(broken, chunk=256)
    assert [v["id"] for _, v in values] == [n for n in range(200) if n != 120]
    assert [i for i, _ in values] == [n for n in range(200) if n != 120]
    assert skipped == [(120, "is not valid JSON (Expecting ',' delimiter); skipped")]
    assert rereads == 1


def test_a_record_that_lost_its_brace_gives_no_record_from_its_key() -> None:
    text = json.dumps([{"id": n, "text": f"post {n}"} for n in range(20)])
    broken = text.replace('{"id": 7,', '"id": 7,')
    values, skipped, _, _ = read(broken, chunk=64)
    assert all(isinstance(v, dict) for _, v in values)
    assert [v["id"] for _, v in values] == [n for n in range(20) if n != 7]
    assert skipped and skipped[0][0] == 7


@pytest.mark.parametrize(
    "text",
    [
        '[{"a": 1}, {"a": 2}, ]',  # trailing comma: noted, tolerated
        '[{"a": 1}, {"a": NaN}, {"a": 3}]',  # JavaScript's NaN: the own decoder takes it
        '[{"a": 1}, {"a": 1e400}]',  # overflows YAJL's double
        '[{"a": 1}, {"a": 123456789012345678901234567890}]',  # past YAJL's 64-bit integers
        '[{"a": 1}, [1, 2], {"a": 3}]',  # a record that is not an object: judged as before
    ],
)
def test_what_yajl_refuses_is_read_by_the_own_decoder_as_before(text: str) -> None:
    fast = read(text)
    assert fast[:3] == read(text, fast=False)[:3]
    assert fast[3] == 1


def test_a_byte_order_mark_and_a_closing_semicolon_keep_the_fast_path() -> None:
    assert read('\ufeff[{"a": 1}, {"a": 2}];\n;  \n', chunk=1) == (
        [(0, {"a": 1}), (1, {"a": 2})],
        [],
        [],
        0,
    )


def test_no_reopen_means_no_fast_path() -> None:
    assert read('[{"a": 1}, {"a": tru}]', fast=False)[3] == 0
