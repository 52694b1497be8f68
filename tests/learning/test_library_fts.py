"""Guidance search on SQLite FTS5: phrases, ranking, snippets, and queries that are not FTS5."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from safeside.learning.library import GuidancePage, Library, PageSource, load_library
from safeside.learning.library.search import SearchIndex, fts_query


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(None)


def page(
    page_id: str, title: str, body: str, summary: str = "", tags: tuple[str, ...] = ()
) -> GuidancePage:
    return GuidancePage(
        id=page_id,
        title=title,
        summary=summary,
        body=body,
        sources=(PageSource(title="Local policy"),),
        tags=tags,
    )


def test_a_phrase_query_finds_the_phrase_and_marks_it(library: Library) -> None:
    results = library.search("county lines")
    assert results[0].page.id == "grooming-and-exploitation"
    marked = [p.text.casefold() for p in results[0].snippet if p.match]
    assert marked[:2] == ["county", "lines"]
    text = "".join(p.text for p in results[0].snippet)
    assert "county lines" in text
    # the phrase is worth far more than a page with one of the words
    assert results[0].score > 3 * results[1].score


def test_words_together_rank_above_the_same_words_apart() -> None:
    index = SearchIndex(
        [
            page("apart", "Notes", "The county council drew new lines on the map."),
            page("together", "Notes too", "Signs of county lines exploitation in a teenager."),
            page("neither", "Other", "Nothing to see here at all."),
        ]
    )
    assert [r.page.id for r in index.search("county lines")] == ["together", "apart"]


def test_a_title_match_outranks_a_body_match_and_sources_count_least() -> None:
    index = SearchIndex(
        [
            page("body", "Home visits", "Plan lone working with a buddy. Filler text here."),
            page("title", "Lone working", "Tell the duty desk before each visit. Filler text."),
            page("tag", "Visits", "Tell the duty desk. Filler text here.", tags=("lone working",)),
        ]
    )
    assert [r.page.id for r in index.search("lone working")] == ["title", "tag", "body"]


def test_stemming_accents_and_plurals() -> None:
    index = SearchIndex(
        [
            page("a", "Viewing profiles", "Repeatedly viewed a profile."),
            page("b", "Children", "Contact with the children of a café owner."),
        ]
    )
    assert [r.page.id for r in index.search("views")] == ["a"]
    assert [r.page.id for r in index.search("cafe")] == ["b"]
    assert [r.page.id for r in index.search("child")] == ["b"]


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "AND OR NOT",
        "NEAR(a b)",
        "title:secret",
        "a*",
        "-x",
        "(((",
        "^start",
        "s.97'",
    ],
)
def test_fts5_syntax_in_a_query_is_searched_as_words_never_an_error(
    library: Library, query: str
) -> None:
    library.search(query)  # no sqlite3.OperationalError


def test_the_query_is_words_ored_and_the_phrase() -> None:
    assert fts_query("Repeat viewing") == '"repeat viewing" OR "repeat" OR "viewing"'
    assert fts_query('say "hi"') == '"say hi" OR "say" OR "hi"'
    assert fts_query("the and of") == ""


def test_searching_from_many_threads_at_once(library: Library) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        firsts = list(pool.map(lambda q: library.search(q)[0].page.id, ["county lines"] * 40))
    assert set(firsts) == {"grooming-and-exploitation"}
