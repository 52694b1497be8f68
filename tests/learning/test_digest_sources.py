"""Digests from each kind of import: X and Mastodon archives, RSS and Atom feeds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from safeside.errors import InputError
from safeside.ingest import detect_format, read_posts
from safeside.ingest.readers.rss import UnsafeXML, html_text, parse_xml
from safeside.learning.digest import build_digest

FIXTURES = Path(__file__).parents[1] / "fixtures" / "learning"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><item><title>&lol3;</title></item></channel></rss>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0"><channel><item><title>&secret;</title></item></channel></rss>
"""


def test_x_archive_replies_chain_into_threads() -> None:
    posts, _ = read_posts(FIXTURES / "x-archive")
    digest = build_digest(posts, hashtag="#swchat")

    assert [(t.root, t.replies) for t in digest.threads] == [
        ("5001", ("5002", "5003")),
        ("5004", ("5005",)),
    ]
    assert "5006" not in digest.posts  # no hashtag in its thread
    assert digest.participants[0].handle == "(archive owner)"
    assert digest.links[0].url == "https://example.org/research/reflective-supervision"


def test_mastodon_conversations_become_one_thread() -> None:
    posts, _ = read_posts(FIXTURES / "mastodon" / "outbox.json")
    digest = build_digest(posts, hashtag="SWChat")

    (thread,) = digest.threads
    assert thread.root.endswith("/statuses/1")
    assert [r.rsplit("/", 1)[1] for r in thread.replies] == ["2", "3"]
    assert len(digest.posts) == 3


def test_rss_feed_items_become_posts_with_comments() -> None:
    path = FIXTURES / "swchat-blog.rss"
    assert detect_format(path) == "rss"
    posts, report = read_posts(path)

    article, comment, older = posts
    assert article.platform == "rss" and article.kind == "post"
    assert article.author == "Sam Researcher"
    assert article.timestamp == datetime(2024, 3, 6, 9, 30, tzinfo=UTC)
    assert article.url == "https://blog.example.org/2024/03/reflective-supervision"
    assert article.text.startswith("What #SWChat taught me about reflective supervision\n\n")
    assert "(https://example.org/research/reflective-supervision)" in article.text
    assert "alert" not in article.text and "color" not in article.text  # script, style dropped
    assert "Keep a short reflective log." in article.text
    assert comment.kind == "comment" and comment.thread == article.id
    assert comment.author == "Priya NQSW"  # from "priya@example.org (Priya NQSW)"
    assert older.text.endswith("protect wellbeing & practice.")  # escaped HTML unescaped once
    assert older.author == "Sam Researcher"  # the channel's author
    assert str(comment.source) == "swchat-blog.rss, line 25"
    assert not report.problems


def test_atom_feed_entries_and_threaded_replies() -> None:
    posts, _ = read_posts(FIXTURES / "practice-notes.atom")

    entry, reply = posts
    assert entry.platform == "atom" and entry.author == "Jo SW"
    assert entry.text == "Journal clubs in a busy team\n\nJournal clubs make research feel shared."
    assert reply.text.endswith("We run ours monthly over lunch.")
    assert reply.author == "Amir Practice" and reply.url.endswith("#c1")  # type: ignore[union-attr]
    digest = build_digest(posts)
    assert [(t.root, t.replies) for t in digest.threads] == [(entry.id, (reply.id,))]


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_hostile_xml_is_refused_with_a_clear_error(tmp_path: Path, hostile: str) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(hostile, encoding="utf-8")

    with pytest.raises(UnsafeXML, match="does not expand XML entities"), path.open("rb") as f:
        parse_xml(f)
    posts, report = read_posts(path)
    assert posts == []
    assert "does not expand XML entities" in str(report.problems[0])


def test_broken_xml_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text('<rss version="2.0"><channel><item><title>cut', encoding="utf-8")
    with pytest.raises(InputError, match="not well-formed"), path.open("rb") as f:
        parse_xml(f)


def test_html_text_keeps_paragraphs_and_link_targets() -> None:
    markup = '<p>See <a href="https://x.example/a">this</a>.</p><p>Two&nbsp;<a href="javascript:x">js</a></p>'
    assert html_text(markup) == "See this (https://x.example/a).\n\nTwo js"
