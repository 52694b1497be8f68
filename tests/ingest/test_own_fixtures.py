"""Formats with no real sample, read from our own fictional fixtures (tests/fixtures/exports)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from safeside.ingest import detect_format, read_posts


def test_linkedin_shares_keep_multiline_commentary_and_visibility(fixtures: Path) -> None:
    posts, report = read_posts(fixtures / "linkedin/Shares.csv")

    assert detect_format(fixtures / "linkedin/Shares.csv") == "linkedin"
    assert len(posts) == 2 and report.skipped["no-text"] == 1  # a link share with no words
    first = posts[0]
    assert first.text == (
        'Proud of our team at the family centre this week.\nGreat training day on "trauma-informed" practice!'
    )
    assert first.audience == "connections"
    assert first.url == "https://www.linkedin.com/feed/update/urn:li:share:7001"
    assert (
        first.timestamp is not None and first.timestamp.isoformat() == "2025-08-01T10:00:00+01:00"
    )
    assert first.source.line == 2
    assert posts[1].audience == "public"
    assert posts[1].attachments == ("https://example.org/reading",)


def test_linkedin_messages_and_comments(fixtures: Path) -> None:
    posts, report = read_posts(fixtures / "linkedin")

    messages = [p for p in posts if p.kind == "message"]
    assert [m.author for m in messages] == ["Alex Example", "Sam Sample", "Recruiter Bot"]
    assert messages[0].thread == "Placement question"
    assert messages[0].timestamp == datetime(2023, 5, 1, 14, 22, 10, tzinfo=UTC)
    assert messages[2].timestamp is None
    assert report.warnings["no-date"] == 1
    assert [p.text for p in posts if p.kind == "comment"] == ["Congratulations on the award!"]


def test_discord_chat_exporter_csv(fixtures: Path) -> None:
    posts, report = read_posts(fixtures / "discord/dce-export.csv")

    assert [p.author for p in posts] == ["river#0001", "stone#0002"]
    assert posts[1].attachments == ("https://cdn.example/a.png", "https://cdn.example/b.png")
    assert report.skipped["no-text"] == 1


def test_mastodon_audiences_boosts_and_html(fixtures: Path) -> None:
    posts, report = read_posts(fixtures / "mastodon/outbox.json")

    assert posts[0].text == "First post & hello!\n\nSecond paragraph\nwith a break"
    assert [p.audience for p in posts] == ["public", "unlisted", "direct"]
    assert posts[1].kind == "reply"
    assert posts[1].text == "work rant\n\nLong day."  # the content warning leads
    assert posts[2].text == "@friend see you at 8"
    assert report.skipped["no-text"] == 1  # the boost of someone else's post


def test_facebook_2024_layout_repairs_mojibake(fixtures: Path) -> None:
    posts, report = read_posts(fixtures / "facebook-2024")

    post = next(p for p in posts if p.kind == "post")
    assert post.text == "Café stop after the charity walk 👍"
    assert post.attachments == ("https://example.org/walk",)
    messages = [p for p in posts if p.kind == "message"]
    assert messages[0].author == "Radosław Przykład"
    assert messages[0].text == "Dziękuję! See you at café 😊"
    assert messages[0].thread == "Sam Sample, Radosław Przykład"  # participants precede messages
    # Already-correct text is left alone.
    assert messages[1].text == "Thanks for today, is the café at 10 fine?"
    assert report.skipped == {"no-text": 2, "deleted": 1}


def test_generic_csv_finds_text_author_date_and_url_columns(fixtures: Path) -> None:
    posts, report = read_posts(fixtures / "generic/posts.csv")

    assert detect_format(fixtures / "generic/posts.csv") == "csv"
    assert [p.text for p in posts] == [
        "Lovely walk by the canal today",
        "Quoted, with a comma\nand a second line",
    ]
    assert posts[0].author == "sam" and posts[0].url == "https://example.org/1"
    assert posts[0].timestamp == datetime(2024, 1, 5, 10, tzinfo=UTC)
    assert posts[1].source.line == 3
    assert report.skipped["no-text"] == 1


def test_generic_jsonl_keeps_good_lines_and_names_bad_ones(fixtures: Path) -> None:
    posts, report = read_posts(fixtures / "generic/posts.jsonl")

    assert [p.text for p in posts] == [
        "first line post",
        "second post uses content",
        "just a string post",
    ]
    assert posts[1].timestamp == datetime(2024, 2, 2, 12, tzinfo=UTC)
    bad = [str(p) for p in report.problems if p.reason == "invalid-record"]
    assert bad == ["posts.jsonl, line 3: is not valid JSON (Expecting ',' delimiter)"]
    assert report.skipped == {"invalid-record": 1, "no-text": 1}


def test_generic_json_array_and_plain_text(fixtures: Path) -> None:
    posts, report = read_posts(fixtures / "generic/posts.json")
    assert [p.text for p in posts] == ["Post one from a JSON array", "Post two is a plain string"]
    assert posts[0].author == "sam"
    assert report.skipped["invalid-record"] == 1  # the bare number

    drafts, _ = read_posts(fixtures / "generic/drafts.txt")
    assert [d.text for d in drafts] == [
        "A draft about our team day.\nIt runs over two lines.",
        "Second draft after a blank line.",
        "Third draft.",
    ]
    assert [d.source.line for d in drafts] == [1, 4, 8]


def test_generic_readers_stay_out_of_platform_exports(fixtures: Path, tmp_path: Path) -> None:
    archive = tmp_path / "export"
    (archive / "data").mkdir(parents=True)
    (archive / "data/tweets.js").write_text(
        'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "full_text": "hello", '
        '"created_at": "Wed Jun 05 13:45:22 +0000 2024"}}]',
        encoding="utf-8",
    )
    (archive / "README.txt").write_text("This archive was generated by X.\n", encoding="utf-8")

    posts, report = read_posts(archive)

    assert [p.text for p in posts] == ["hello"]
    assert report.files_ignored == 1


def test_facebook_group_posts_and_comments(tmp_path: Path) -> None:
    groups = tmp_path / "your_facebook_activity" / "groups"
    groups.mkdir(parents=True)
    (groups / "group_posts_and_comments.json").write_text(
        '{"group_posts_v2": [{"timestamp": 1717236000, "title": "Sam posted in Parents Forum.",'
        ' "data": [{"post": "Does anyone know the new head at the primary?"}]}]}',
        encoding="utf-8",
    )
    (groups / "your_comments_in_groups.json").write_text(
        '{"group_comments_v2": [{"timestamp": 1717236100, "title": "Sam commented on a post.",'
        ' "data": [{"comment": {"timestamp": 1717236100, "comment": "Agreed \\u00f0\\u009f\\u0091\\u008d",'
        ' "author": "Sam Sample", "group": "Parents Forum"}}]}]}',
        encoding="utf-8",
    )

    posts, _ = read_posts(tmp_path)

    assert [(p.kind, p.text) for p in posts] == [
        ("post", "Does anyone know the new head at the primary?"),
        ("comment", "Agreed 👍"),
    ]
    assert posts[0].thread == "Sam posted in Parents Forum."


def test_mastodon_likes_and_bookmarks_are_not_posts(tmp_path: Path) -> None:
    (tmp_path / "outbox.json").write_text(
        '{"type": "OrderedCollection", "orderedItems": ["https://a.example/1"]}', encoding="utf-8"
    )
    (tmp_path / "likes.json").write_text(
        '{"type": "OrderedCollection", "orderedItems": ["https://a.example/2"]}', encoding="utf-8"
    )

    posts, report = read_posts(tmp_path)

    assert posts == []
    assert report.formats == {"mastodon": 1} and report.files_ignored == 1
    assert report.skipped == {"no-text": 1}
