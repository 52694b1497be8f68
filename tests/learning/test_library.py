"""The guidance library: built-in pages with sources, local policy pages, search, safe rendering."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from safeside.learning.library import (
    Library,
    LibraryError,
    SearchResult,
    builtin_pages,
    load_library,
    playbook_sources,
    render_markdown,
    search,
)
from safeside.learning.library.loader import parse_page
from safeside.learning.library.search import fts_query

from .linked_ids import GUIDANCE_IDS, SCENARIO_IDS

REQUIRED_IDS = set(GUIDANCE_IDS)


def ids(results: list[SearchResult]) -> list[str]:
    return [r.page.id for r in results]


# --- built-in pages ---------------------------------------------------------------------------


def test_safeside_ships_a_page_for_each_rule_other_parts_link_to() -> None:
    pages = builtin_pages()
    assert len(pages) >= 14
    assert set(pages) >= REQUIRED_IDS
    assert all(not page.local for page in pages.values())


@pytest.mark.parametrize("page_id", sorted(REQUIRED_IDS))
def test_every_built_in_page_says_what_to_do_and_cites_its_sources(page_id: str) -> None:
    page = builtin_pages()[page_id]
    assert page.title and page.summary
    assert page.sources, f"{page_id} cites no source"
    assert all(source.title for source in page.sources)
    assert all(s.url == "" or s.url.startswith(("https://", "http://")) for s in page.sources)
    assert re.search(r"^## What to do", page.body, flags=re.M), f"{page_id}: what to do"
    assert re.search(r"^## What not to do", page.body, flags=re.M), f"{page_id}: what not to do"
    assert not re.search(r"^# ", page.body, flags=re.M), "the title is the only h1"


def test_related_pages_and_scenarios_are_ones_that_exist() -> None:
    pages = builtin_pages()
    for page in pages.values():
        assert set(page.related) <= set(pages), page.id
        assert page.id not in page.related
        assert set(page.scenarios) <= set(SCENARIO_IDS), page.id
    covered = {s for page in pages.values() for s in page.scenarios}
    assert covered == set(SCENARIO_IDS), "every scenario has guidance to read"


def test_playbook_source_ids_resolve_to_the_playbooks_titles_and_links() -> None:
    page = builtin_pages()["children-in-proceedings"]
    titles = [s.title for s in page.sources]
    assert "Children Act 1989, section 97(2)" in titles
    assert "Administration of Justice Act 1960, section 12" in titles
    s97 = next(s for s in page.sources if s.title.startswith("Children Act 1989"))
    assert s97 == playbook_sources()["ca1989_s97"]
    assert s97.url == "https://www.legislation.gov.uk/ukpga/1989/41/section/97"


def test_built_in_pages_are_parsed_once() -> None:
    assert builtin_pages()["children-in-proceedings"] is builtin_pages()["children-in-proceedings"]


def test_a_built_in_page_citing_an_unknown_source_names_the_file() -> None:
    text = "---\ntitle: T\nsummary: S\nsources: [no_such_source]\n---\nBody\n"
    with pytest.raises(LibraryError, match=r"broken\.md: cites unknown source 'no_such_source'"):
        parse_page(text, "broken.md", local=False)


def test_a_built_in_page_must_cite_a_source_and_match_its_file_name() -> None:
    with pytest.raises(LibraryError, match="at least one source"):
        parse_page("---\ntitle: T\nsummary: S\n---\nBody\n", "a.md", local=False)
    with pytest.raises(LibraryError, match="must match the file name"):
        parse_page(
            "---\nid: b\ntitle: T\nsummary: S\nsources: [wt2023]\n---\n", "a.md", local=False
        )


# --- search -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(None)


def test_repeat_viewing_finds_the_viewing_page_first(library: Library) -> None:
    assert ids(library.search("repeat viewing"))[0] == "viewing-service-users-social-media"


def test_friend_request_finds_the_no_fake_profiles_page(library: Library) -> None:
    assert "no-fake-profiles-or-friend-requests" in ids(library.search("friend request"))[:2]


@pytest.mark.parametrize("query", ["s.97", "proceedings", "section 97", "contempt of court"])
def test_the_law_on_proceedings_is_found_by_its_section_or_its_words(
    library: Library, query: str
) -> None:
    assert ids(library.search(query))[0] == "children-in-proceedings"


@pytest.mark.parametrize(
    ("query", "page_id"),
    [
        ("county lines", "grooming-and-exploitation"),
        ("suicide", "self-harm-and-suicide-risk"),
        ("video call", "video-calls-and-remote-contact"),
        ("CPD", "cpd-and-learning-online"),
        ("Protection from Harassment Act", "threats-and-abuse-towards-staff"),
        ("adopted child birth parent", "contact-with-children-in-care-and-adopted-children"),
        ("screenshot evidence", "recording-evidence-from-social-media"),
    ],
)
def test_each_subject_finds_its_page(library: Library, query: str, page_id: str) -> None:
    assert ids(library.search(query))[0] == page_id


@pytest.mark.parametrize("query", ["xyzzy plugh", "", "   ", "the and of"])
def test_nonsense_and_empty_queries_find_nothing(library: Library, query: str) -> None:
    assert library.search(query) == []


def test_search_is_also_a_function_and_respects_the_limit(library: Library) -> None:
    assert ids(search(library, "social media")) == ids(library.search("social media"))
    assert len(library.search("social media", limit=3)) == 3


def test_a_result_has_a_snippet_with_the_matched_words_marked(library: Library) -> None:
    result = library.search("repeat viewing")[0]
    marked = [p.text.casefold() for p in result.snippet if p.match]
    assert "repeat" in marked and "viewing" in marked
    text = "".join(p.text for p in result.snippet)
    assert "repeat viewing" in text.casefold()
    assert len(text.split()) < 40


def test_words_are_casefolded_and_stemmed(library: Library) -> None:
    # FTS5's Porter stemmer (this test used to check our own stemmer's words)
    for words in (["viewing", "viewed", "views", "view"], ["requests", "request"]):
        assert len({tuple(ids(library.search(w))) for w in words}) == 1, words
    assert ids(library.search("profiles")) == ids(library.search("PROFILING"))
    assert ids(library.search("stopped")) == ids(library.search("stop"))
    assert fts_query("The Child's VIEWING of s.97") == (
        '"the child viewing of s.97" OR ("child" OR "children") OR "viewing" OR "s.97" OR "97"'
    )


# --- local pages ------------------------------------------------------------------------------


def test_local_pages_load_with_or_without_front_matter_and_are_searchable(tmp_path: Path) -> None:
    (tmp_path / "lone-working.md").write_text(
        "---\ntitle: Lone working on home visits\nsummary: Tell the duty desk before each visit.\n"
        "tags: [buddy system]\nsources: [staff_safety]\n---\n"
        "Ring the duty desk with your **start and finish** times.\n",
        encoding="utf-8",
    )
    (tmp_path / "Work_Phones.md").write_text(
        "# Using work phones\n\nUse only your work phone to message families. Never WhatsApp from "
        "a personal number.\n",
        encoding="utf-8",
    )
    (tmp_path / "notes.txt").write_text("not a page", encoding="utf-8")
    library = load_library(tmp_path)

    assert library.problems == []
    lone = library.pages["lone-working"]
    assert lone.local and lone.title == "Lone working on home visits"
    assert lone.sources[0].title.startswith("Your employer's lone-working")
    phones = library.pages["work-phones"]
    assert phones.local and phones.title == "Using work phones"
    assert phones.summary.startswith("Use only your work phone")
    assert "# Using work phones" not in phones.body
    assert phones.sources[0].title == "Your organisation's local policy"
    assert ids(library.search("buddy"))[0] == "lone-working"
    assert ids(library.search("whatsapp"))[0] == "work-phones"
    assert set(library.pages) >= REQUIRED_IDS, "built-in pages are still there"
    assert [p.id for p in library.local] == ["lone-working", "work-phones"]


def test_words_together_rank_above_the_same_words_apart(tmp_path: Path) -> None:
    (tmp_path / "apart.md").write_text(
        "# Team notes\n\nPlanning the rota. Any visit to a family should be logged. Home "
        "working is allowed on Fridays.\n",
        encoding="utf-8",
    )
    (tmp_path / "together.md").write_text(
        "# Office moves\n\nBefore any home visit, tell the duty desk when you leave the "
        "building, which floor you will come back to after the move, who holds your keys, "
        "and where the spare laptops, chargers and phones are kept until the new office "
        "opens in the spring.\n",
        encoding="utf-8",
    )
    library = load_library(tmp_path)

    found = [i for i in ids(library.search("home visit")) if i in {"apart", "together"}]

    assert found == ["together", "apart"]  # the phrase outranks the scattered words


def test_a_page_with_no_heading_or_front_matter_is_named_after_its_file(tmp_path: Path) -> None:
    (tmp_path / "out-of-hours_contact.md").write_text("Call the emergency duty team.\n", "utf-8")
    page = load_library(tmp_path).pages["out-of-hours-contact"]
    assert page.title == "Out of hours contact"


def test_a_heading_repeating_the_front_matter_title_is_not_shown_twice(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: Home visits\nextra: 1\n---\n# Home visits\n\nGo in pairs.\n", "utf-8"
    )
    library = load_library(tmp_path)
    assert library.pages["a"].body == "Go in pairs.\n"
    assert library.problems == ["a.md: ignored unknown front matter fields: extra"]


def test_bad_local_files_are_reported_and_the_rest_still_load(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("# Good page\n\nFine.\n", encoding="utf-8")
    (tmp_path / "latin1.md").write_bytes("# Caf\xe9 policy\n".encode("latin-1"))
    (tmp_path / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    (tmp_path / "unclosed.md").write_text("---\ntitle: T\nBody\n", encoding="utf-8")
    (tmp_path / "unknown-source.md").write_text("---\nsources: [nope]\n---\nB\n", "utf-8")
    (tmp_path / "huge.md").write_bytes(b"a" * (1024 * 1024 + 1))
    library = load_library(tmp_path)

    assert "good" in library.pages
    problems = "\n".join(library.problems)
    for name in ("latin1.md", "bad-yaml.md", "unclosed.md", "unknown-source.md", "huge.md"):
        assert name in problems, f"{name} not reported"
    assert "UTF-8" in problems and "not valid YAML" in problems and "1 MB" in problems
    assert not {"latin1", "bad-yaml", "unclosed", "unknown-source", "huge"} & set(library.pages)


def test_a_local_page_replaces_a_built_in_one_only_when_it_says_so(tmp_path: Path) -> None:
    (tmp_path / "children-in-proceedings.md").write_text("# Ours\n\nText.\n", encoding="utf-8")
    (tmp_path / "our-proceedings.md").write_text(
        "---\nreplaces: children-in-proceedings\ntitle: Court work in Northshire\n---\nAsk legal.\n",
        encoding="utf-8",
    )
    library = load_library(tmp_path)

    page = library.pages["children-in-proceedings"]
    assert page.local and page.title == "Court work in Northshire"
    assert page.replaces == "children-in-proceedings"
    assert page.scenarios == builtin_pages()["children-in-proceedings"].scenarios
    assert any(
        "children-in-proceedings.md" in p and "replaces: children-in-proceedings" in p
        for p in library.problems
    )
    assert builtin_pages()["children-in-proceedings"].local is False, "the cache is untouched"


def test_a_missing_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    library = load_library(tmp_path / "nowhere")
    assert set(library.pages) >= REQUIRED_IDS
    assert library.problems and "does not exist" in library.problems[0]


# --- rendering --------------------------------------------------------------------------------


def test_the_renderer_escapes_html_and_refuses_script_links() -> None:
    html = render_markdown(
        "Hello <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1)) [safe](https://www.gov.uk/)\n\n![pic](https://evil.example/x.png)\n"
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html
    assert 'href="javascript:' not in html
    assert '<a href="https://www.gov.uk/" class="govuk-link"' in html


def test_the_renderer_starts_headings_at_h2_and_uses_govuk_classes() -> None:
    html = render_markdown("# Top\n\n## Next\n\nText with **bold**.\n\n- one\n- two\n")
    assert "<h1" not in html
    assert '<h2 class="govuk-heading-m">Top</h2>' in html
    assert '<p class="govuk-body">Text with <strong>bold</strong>.</p>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
