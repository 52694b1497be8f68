"""Merging per-partition counts decides the small-cell rule exactly as one pass would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from safeside.batch.aggregate import MIN_CELL, Counts


@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 12)), max_size=12),
        min_size=1,
        max_size=6,
    )
)
def test_merged_partitions_suppress_exactly_like_a_single_pass(
    partitions: list[list[tuple[str, int]]],
) -> None:
    merged, single = Counts(), Counts()
    for partition in partitions:
        counts = Counts()
        for cell, author in partition:
            counts.add(("severity", cell), f"author{author:02d}")
            single.add(("severity", cell), f"author{author:02d}")
        merged.merge_json(counts.to_json())

    for cell in "abc":
        posts = [a for p in partitions for c, a in p if c == cell]
        authors = set(posts)
        key = ("severity", cell)
        if not posts:
            assert key not in merged.cells
            continue
        got = merged.cells[key]
        assert got.posts == len(posts)
        assert got.shown == (len(posts) >= MIN_CELL and len(authors) >= MIN_CELL)
        assert got.authors == single.cells[key].authors  # the smallest MIN_CELL authors
        assert got.authors == set(sorted(f"author{a:02d}" for a in authors)[:MIN_CELL])
