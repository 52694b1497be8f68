"""Building a digest from a #SWChat-style transcript: what a practitioner gets back."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from safeside.check import engine_check
from safeside.ingest import Post, SourceRef, read_posts
from safeside.learning.digest import Digest, build_digest, within
from safeside.learning.digest.store import check_digest
from safeside.testing import FakeCheck, Find

FIXTURES = Path(__file__).parents[1] / "fixtures" / "learning"


@pytest.fixture(scope="module")
def chat() -> list[Post]:
    posts, _ = read_posts(FIXTURES / "swchat-transcript.csv")
    return posts


@pytest.fixture(scope="module")
def digest(chat: list[Post]) -> Digest:
    return build_digest(chat, hashtag="#swchat")


def post(text: str, minute: int, author: str = "@jo_sw", **fields: str) -> Post:
    when = datetime(2024, 3, 5, 20, 0, tzinfo=UTC) + timedelta(minutes=minute)
    return Post(
        platform="csv",
        text=text,
        source=SourceRef("t.csv"),
        author=author,
        timestamp=when,
        **fields,
    )


def test_the_hashtag_filter_is_case_insensitive_and_keeps_the_chat(
    chat: list[Post], digest: Digest
) -> None:
    assert len(chat) == 24
    assert len(digest.posts) == 23  # the unrelated post two days later is left out
    assert digest.hashtag == "SWChat"  # spelled as the posts spell it
    assert digest.title == "#SWChat digest, 5 March 2024"
    assert build_digest(chat, hashtag="SWCHAT").posts.keys() == digest.posts.keys()


def test_participants_are_counted(digest: Digest) -> None:
    counts = {p.handle: p.posts for p in digest.participants}
    assert counts == {
        "@jo_sw": 5,
        "@priya_nqsw": 5,
        "@swchat_host": 5,
        "@amir_practice": 4,
        "@sam_researcher": 4,
    }


def test_links_are_counted_once_each_without_tracking_parameters(digest: Digest) -> None:
    top = digest.links[0]
    assert top.url == "https://example.org/research/reflective-supervision"
    assert top.count == 3
    assert [link.url for link in digest.links][1] == "https://example.org/guides/wellbeing-toolkit"


def test_chat_questions_start_threads_and_answers_join_them(digest: Digest) -> None:
    roots = [digest.posts[t.root].text[:2] for t in digest.threads]
    assert roots == ["We", "Q1", "Q2", "Q3"]
    q3 = digest.threads[3]
    assert all(digest.posts[r].text.startswith(("A3", "Thanks")) for r in q3.replies)
    assert set(q3.participants) == {p.handle for p in digest.participants}


def test_topics_separate_supervision_from_wellbeing_and_research(digest: Digest) -> None:
    labels = [set(c.terms) for c in digest.clusters]
    assert len(labels) >= 2
    assert any({"reflective", "supervision"} <= terms for terms in labels)
    assert sum(len(c.post_ids) for c in digest.clusters) <= len(digest.posts)


def test_summary_sentences_come_from_posts_and_cover_the_chat(digest: Digest) -> None:
    assert 3 <= len(digest.summary) <= 7
    for sentence in digest.summary:
        assert sentence.post_ids
        assert all(sentence.text.rstrip(".") in digest.posts[p].text for p in sentence.post_ids)
        assert not sentence.text.endswith("?")
    text = " ".join(s.text for s in digest.summary).lower()
    assert "supervision" in text and "research" in text and "wellbeing" in text


def test_digest_is_deterministic_and_json_ready(chat: list[Post], digest: Digest) -> None:
    data = digest.to_dict()
    assert data == build_digest(chat, hashtag="#swchat").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["post_count"] == 23
    assert data["period"] == {
        "start": "2024-03-05T20:00:00+00:00",
        "end": "2024-03-05T20:55:00+00:00",
    }
    assert data["participants"][0] == {"handle": "@jo_sw", "posts": 5}
    assert data["top_links"][0]["count"] == 3
    assert {"label", "terms", "post_ids"} <= data["clusters"][0].keys()
    assert {"text", "post_ids"} == data["summary"][0].keys()
    assert {"root", "replies", "participants"} == data["threads"][0].keys()
    assert "text" not in data["posts"]["post-1"]  # post texts are not exported


def test_cpd_draft_is_ready_to_edit(digest: Digest) -> None:
    draft = digest.cpd_draft()
    assert draft["activity_date"] == "2024-03-05"
    assert draft["source_kind"] == "digest" and draft["source_ref"] == digest.ref
    assert draft["title"] == digest.title
    assert (
        "#SWChat" in draft["description"] and "23 posts from 5 participants" in draft["description"]
    )
    assert digest.summary[0].text in draft["learning"]
    assert "@jo_sw" in draft["peer_reflection_with"]
    assert draft["impact"].startswith("[")
    assert draft["standards"] and draft["pcf_domains"]


def test_a_clean_digest_is_safe_to_share(digest: Digest) -> None:
    checks = digest.safety_check(engine_check)
    assert len(checks) == len(digest.exported_texts())
    assert all(a.mode == "own" for a in checks)
    assert digest.is_safe_to_share(engine_check) and digest.flags(engine_check) == []


def test_service_user_details_make_a_digest_unsafe() -> None:
    posts, _ = read_posts(FIXTURES / "flagged-chat.csv")
    digest = build_digest(posts, hashtag="SWChat")

    assert not digest.is_safe_to_share(engine_check)
    (flag,) = digest.flags(engine_check)
    assert flag.where.startswith("summary") and "Kayden" in flag.text
    assert any("Could identify someone you support" in r for r in flag.reasons)
    assert any("Hillside Primary" in r for r in flag.reasons)


def test_reply_ids_and_conversation_ids_rebuild_threads() -> None:
    posts = [
        post("Root of a conversation about reflective supervision", 0, id="1"),
        post("A reply to the root", 1, id="2", thread="1"),
        post("A reply to the reply", 2, id="3", thread="2"),
        post("Someone else in the same conversation", 3, id="4", thread="conv-9"),
        post("Another post in that conversation", 4, id="5", thread="conv-9"),
        post("A post on its own", 5, id="6"),
    ]
    threads = {t.root: t.replies for t in build_digest(posts).threads}
    assert threads == {"1": ("2", "3"), "4": ("5",), "6": ()}


def test_hashtag_filter_keeps_replies_without_the_tag() -> None:
    posts = [
        post("Q1 What helps reflective supervision? #SWChat", 0, id="1"),
        post("A reply without the hashtag about protected time", 1, id="2", thread="1"),
        post("An unrelated thread about lunch", 2, id="3"),
    ]
    assert list(build_digest(posts, hashtag="swchat").posts) == ["1", "2"]


def test_time_gaps_split_sessions_and_dates_filter_posts(chat: list[Post]) -> None:
    digest = build_digest(chat)
    assert digest.threads[-1].root == "post-24" and digest.threads[-1].replies == ()
    assert len(within(chat, date(2024, 3, 7), None)) == 1
    assert len(within(chat, None, date(2024, 3, 5))) == 23


def test_posts_without_ids_get_stable_ones() -> None:
    posts = [post("Second", 5), post("First", 0), post("Has an id", 9, id="x1")]
    assert list(build_digest(posts).posts) == ["post-2", "post-1", "x1"]


def test_an_empty_digest_is_still_a_digest() -> None:
    digest = build_digest([])
    assert digest.to_dict()["post_count"] == 0
    assert digest.summary == [] and digest.clusters == [] and digest.threads == []
    assert digest.cpd_draft()["source_kind"] == "digest"


def test_the_safety_check_goes_through_the_check_it_is_given(digest: Digest) -> None:
    """The CLI passes the engine, the web app its own check: the same texts, once each."""
    fresh = build_digest(list(digest.posts.values()), hashtag="#swchat")
    check = FakeCheck({fresh.summary[0].text[:20]: Find("AGE")})

    assert not fresh.is_safe_to_share(check)
    (flag,) = fresh.flags(check)
    assert flag.where == "summary 1"
    assert check.texts == [text for _, text in fresh.exported_texts()]  # each checked once
    assert {mode for _, mode in check.calls} == {"own"}
    assert check_digest(fresh, check) == [flag.to_dict()]
    assert fresh.is_safe_to_share(FakeCheck())  # another check is asked again
