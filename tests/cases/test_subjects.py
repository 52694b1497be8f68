"""Subject identity: one key for a person however they are written; near matches asked."""

from __future__ import annotations

import pytest

from safeside.cases.subjects import (
    edit_distance,
    identity,
    profile_keys,
    same_subject,
    similar,
)
from safeside.cases.viewing import explanation_problem, is_filler, subject_problem

SAME_AS_PARENT_A = [
    "Parent A (fictional)",
    "Parent A",
    "parent a",
    "PARENT A",
    "Parent-A.",
    "Parent  A!",
    "Pärent Á",
    "Ｐａｒｅｎｔ Ａ",  # full-width letters
    "A, Parent",
    "Mrs Parent A",
    "Parent A [demo data]",
    "Parent A {test}",
    "@parent_a",
    "@ParentA",
]
SAME_AS_THE_HANDLE = [
    "@parent_a_demo",
    "@Parent_A_Demo",
    "parent_a_demo",
    "@parent.a.demo",
    "https://www.facebook.com/parent.a.demo",
    "http://facebook.com/parent.a.demo/",
    "https://m.facebook.com/parent.a.demo?ref=bookmarks#top",
    "facebook.com/parent.a.demo/posts/12345",
    "https://www.instagram.com/parent_a_demo/",
    "instagram.com/parent_a_demo?igsh=abc",
    "https://instagram.com/stories/parent_a_demo/123/",
    "https://x.com/parent_a_demo",
    "x.com/Parent_A_Demo/status/1790000000?s=20",
    "https://twitter.com/parent_a_demo/",
    "mobile.twitter.com/parent_a_demo",
    "https://www.tiktok.com/@parent_a_demo",
    "tiktok.com/@parent_a_demo/video/7300000000",
    "threads.net/@parent_a_demo",
    "https://www.snapchat.com/add/parent_a_demo",
    "Parent A (facebook.com/parent.a.demo)",
]


@pytest.mark.parametrize("written", SAME_AS_PARENT_A)
def test_names_written_differently_share_a_key(written: str) -> None:
    assert same_subject(written, "Parent A (fictional)"), sorted(identity(written).keys)


@pytest.mark.parametrize("written", SAME_AS_THE_HANDLE)
def test_handles_and_profile_addresses_share_a_key(written: str) -> None:
    assert same_subject(written, "@parent_a_demo"), sorted(identity(written).keys)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Parent A", "Parent B"),
        ("Parent A", "Parent Q"),
        ("Another", "Parent A (fictional)"),
        ("John Smith", "Jane Smith"),
        ("@parent_a_demo", "@parent_b_demo"),
        ("facebook.com/parent.a.demo", "instagram.com/p/parent.a.demo"),  # a post, not a profile
        ("x.com/search?q=parent_a_demo", "@parent_a_demo"),
    ],
)
def test_different_people_do_not_share_a_key(first: str, second: str) -> None:
    assert not same_subject(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Kayden Smith", "Kaiden Smith"),  # a typo
        ("Jon Smith", "John Smith"),
        ("J Smith", "John Smith"),  # an initial
        ("Smith", "John Smith"),  # part of the name
        ("Kayden Smith-Jones", "Kayden Smith"),
        ("Jonsmith", "John Smith"),  # run together
        ("Parent A", "@parent_a_demo"),  # a name inside a longer handle
        ("@kayden_smith2010", "Kayden Smith"),
    ],
)
def test_near_matches_are_similar(first: str, second: str) -> None:
    assert not same_subject(first, second)
    assert similar(identity(first), identity(second))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Parent A", "Parent Q"),
        ("Parent Z", "Parent A (fictional)"),
        ("Another", "Parent A (fictional)"),  # "a" is not the initial of "another"
        ("Someone new", "Parent A (fictional)"),
        ("Parent K (fictional, keyboard test)", "@parent_a_demo"),
        ("Grandparent E", "Parent A"),
        ("Kayden Smith", "Jordan Brown"),
    ],
)
def test_different_names_are_not_similar(first: str, second: str) -> None:
    assert not similar(identity(first), identity(second))


def test_facebook_profile_numbers_are_keys() -> None:
    keys, _ = profile_keys("https://www.facebook.com/profile.php?id=100012345&sk=about")
    assert keys == {"facebook:100012345"}
    assert same_subject(
        "facebook.com/profile.php?id=100012345", "m.facebook.com/profile.php?id=100012345"
    )


def test_other_sites_are_keyed_by_address_without_query_or_slash() -> None:
    assert same_subject("https://www.example.org/people/jo/?utm=x", "example.org/people/jo")
    assert not identity("https://www.example.org/").keys


def test_edit_distance_counts_swaps_as_one() -> None:
    assert edit_distance("kayden", "kaiden") == 1
    assert edit_distance("smith", "smiht") == 1
    assert edit_distance("", "abc") == 3


@pytest.mark.parametrize(
    "text",
    [
        "x",
        "X",
        "n/a",
        "N/A",
        "na",
        "-",
        "...",
        "tbc",
        "xxxxxxxxxxxxxxxxxxxxxxxx",
        "asdf asdf asdf",
        "test test test test",
        "aaaaaaaaaaaaaaaaaaaaa",
        "Lorem ipsum dolor sit amet",
        "ok",
    ],
)
def test_filler_is_recognised(text: str) -> None:
    assert is_filler(text)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "missing"),
        ("x", "filler"),
        ("n/a n/a n/a n/a n/a n/a", "filler"),
        ("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "filler"),
        ("Safeguarding-concern", "filler"),  # fewer than three words
        ("Risk to child", "short"),
        ("A parent's post about me was shown to me.", ""),
        ("RIPA ref 2026/7 approved by legal", ""),
    ],
)
def test_explanations_must_say_something(text: str, problem: str) -> None:
    assert explanation_problem(text) == problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "missing"),
        ("x", "filler"),
        ("n/a", "filler"),
        ("unknown", "filler"),
        ("???", "filler"),
        ("Jo", ""),
        ("Parent A (fictional)", ""),
        ("@parent_a_demo", ""),
        ("x.com/parent_a_demo", ""),
    ],
)
def test_a_subject_must_name_someone(text: str, problem: str) -> None:
    assert subject_problem(text) == problem
