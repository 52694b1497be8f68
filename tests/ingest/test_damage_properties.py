"""Random damage to one record never costs another: for every JSON, JSON Lines and CSV reader.

Hypothesis builds an export of N records, damages one of them (inserts garbage, deletes a
byte range or flips bits inside its bytes) and checks that every other record is read,
once each and in order, that nothing is invented from a key name, and that the damage
is in the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeside.ingest import read_posts
from safeside.ingest.sources import is_archive

from .damage import FORMATS, build_export

#: Garbage: structural characters, quotes, controls and stray UTF-8 / Latin-1 bytes.
GARBAGE = st.binary(min_size=1, max_size=16) | st.lists(
    st.sampled_from(
        [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\\", b"@@@", b"\n", b"\xe9", b"\xff"]
    ),
    min_size=1,
    max_size=6,
).map(b"".join)


@st.composite
def damage(draw: st.DrawFn, data: bytes, start: int, end: int) -> bytes:
    """``data`` with the bytes of ``data[start:end]`` damaged one way or another."""
    kind = draw(st.sampled_from(["insert", "delete", "flip"]))
    if kind == "insert":
        at = draw(st.integers(start, end))
        return data[:at] + draw(GARBAGE) + data[at:]
    if kind == "delete":
        at = draw(st.integers(start, end - 1))
        length = draw(st.integers(1, max(1, min(40, end - at))))
        return data[:at] + data[at + length :]
    damaged = bytearray(data)
    for at in draw(st.lists(st.integers(start, end - 1), min_size=1, max_size=3)):
        damaged[at] ^= draw(st.sampled_from([1, 2, 4, 8, 16, 32, 64, 128]))
    return bytes(damaged)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), n=st.integers(5, 12), pretty=st.booleans())
def test_damage_to_one_record_keeps_every_other(
    tmp_path: Path, fmt: str, data: st.DataObject, n: int, pretty: bool
) -> None:
    export = build_export(fmt, n, pretty=pretty)
    victim = data.draw(st.integers(0, n - 1), label="damaged record")
    start, end = export.spans[victim]
    damaged = data.draw(damage(export.data, start, end))
    path = tmp_path / fmt / export.name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(damaged)

    posts, report = read_posts(path)

    good = [text for i, text in enumerate(export.texts) if i != victim]
    kept = [post.text for post in posts]
    assert [text for text in kept if text in good] == good
    assert not set(kept) & export.keys, "a key name became a post"
    if len(kept) < n:
        assert report.records_skipped, "a lost record must be counted in the report"


def test_a_json_export_that_contains_zip_bytes_is_still_json(tmp_path: Path) -> None:
    """Found by hypothesis: zipfile.is_zipfile() accepts any file whose tail holds a zip
    end record, so damage that wrote ``PK\\x05\\x06`` into a .json made it an 'archive'."""
    path = tmp_path / "messages.json"
    path.write_bytes(b'[{"text": "hello"}, {"text": "' + b"PK\x05\x06" + b"\x00" * 18 + b'"}]')
    assert not is_archive(path)


def test_a_jsonl_export_whose_first_record_starts_with_zip_bytes_is_still_read(
    tmp_path: Path,
) -> None:
    """Found by hypothesis: damage that wrote ``PK\\x05\\x06`` (an empty zip's end record)
    at the very start of a .jsonl made it look like a zip that then would not open, and
    every record was lost; now only the damaged one is."""
    path = tmp_path / "posts.jsonl"
    records = b"".join(b'{"id": %d, "text": "record %d"}\n' % (i, i) for i in range(5))
    path.write_bytes(b"PK\x05\x06" + records)
    assert not is_archive(path)
    posts, report = read_posts(path)
    assert [p.text for p in posts] == [f"record {i}" for i in range(1, 5)]
    assert report.records_skipped
