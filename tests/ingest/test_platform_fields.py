"""The fields each reader fills in, checked on the real-format samples."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from safeside.ingest import read_posts


def test_tweets_keep_text_ids_dates_and_replies(exports: Path) -> None:
    posts, report = read_posts(exports / "twitter/pdpp-connect/data/tweets.js")

    first = posts[0]
    assert first.platform == "twitter" and first.kind == "post"
    assert first.text == "Plain modern tweet 🚀 with emoji"
    assert first.id == "1001"
    assert first.timestamp == datetime(2024, 6, 5, 13, 45, 22, tzinfo=UTC)
    assert first.url == "https://x.com/i/web/status/1001"
    assert str(first.source) == "tweets.js, record 1"
    # Brackets, commas and escaped quotes inside text survive the streaming parser.
    assert "a closing-bracket ] plus comma , inside text" in posts[1].text
    assert any(p.kind == "reply" for p in posts)
    # The record without created_at is kept, undated, and the report says so.
    undated = [p for p in posts if p.timestamp is None]
    assert len(undated) == 1
    assert report.warnings["no-date"] == 1
    assert "created_at" in str(report.problems[0])


def test_legacy_and_retweet_shapes(exports: Path) -> None:
    (legacy,), _ = read_posts(exports / "twitter/pdpp-connect/legacy/data/tweet.js")
    assert legacy.id == "9999" and legacy.text.startswith("Legacy flat shape")

    posts, _ = read_posts(exports / "twitter/samarium/tweets.js")
    assert posts[0].text.startswith("今日はコーヒー")
    assert [p.kind for p in posts].count("share") == 1  # the manual "RT @someone:"


def test_direct_messages_are_threaded_by_conversation(exports: Path) -> None:
    posts, _ = read_posts(exports / "twitter/pdpp-connect/data/direct-messages.js")

    assert {p.thread for p in posts} >= {"111-222"}
    assert all(p.kind == "message" and p.audience == "direct" for p in posts)
    assert posts[1].text == "multi\nline reply with unicode ☃ and a ] bracket"
    assert posts[0].author == "111"


def test_messenger_repairs_mojibake_and_reads_newest_first_threads(exports: Path) -> None:
    posts, _ = read_posts(exports / "instagram/chat-miner/testlog.json")

    assert all(p.platform == "instagram" for p in posts)
    assert "Testing username only emoji: ❤️" in [p.text for p in posts]
    assert "❤️" in {p.author for p in posts}
    assert not any("\u00e2\u009d" in (p.author or "") + p.text for p in posts)


def test_facebook_messenger_fields(exports: Path) -> None:
    posts, _ = read_posts(exports / "facebook/langchain-community/facebook_chat.json")

    assert posts[0].platform == "facebook"
    assert posts[0].text == "Bye!" and posts[0].author == "User 2"
    assert posts[0].timestamp is not None and posts[0].timestamp.year == 2023
    assert posts[0].thread == "User 1, User 2"  # participants: the title comes after the messages


def test_facebook_posts_and_comments(exports: Path) -> None:
    posts, _ = read_posts(exports / "facebook/osd2f-mock/facebook-charlesthompson-1")

    kinds = {p.kind for p in posts}
    assert kinds == {"post", "comment"}
    comment = next(p for p in posts if p.kind == "comment")
    assert comment.author == "charlesthompson"
    assert comment.thread is not None and "commented on" in comment.thread
    post = next(p for p in posts if p.kind == "post")
    assert post.thread is not None and "timeline" in post.thread


def test_instagram_zip_reads_comments_and_message_requests(exports: Path) -> None:
    posts, report = read_posts(exports / "instagram/what-if-data-donation/IG_public_test_file.zip")

    assert {p.platform for p in posts} == {"instagram"}
    assert [p.text for p in posts if p.kind == "comment"] == ["bla", "blabla", "BSC"]
    assert {p.text for p in posts if p.kind == "message"} == {"hola", "hols"}
    assert report.files_ignored > 40  # settings, ads and followers files hold no posts
    assert posts[0].source.archive == "IG_public_test_file.zip"


def test_whatsapp_multi_line_messages_and_ios_marks(exports: Path) -> None:
    posts, _ = read_posts(exports / "whatsapp/chat-miner/test_ddmmyy_24hrs.txt")
    assert posts[2].text == "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero."
    assert posts[2].author == "Jahn Doe"
    assert posts[2].source.line == 3
    assert posts[4].author == "John Doe 🤓"

    ios, _ = read_posts(exports / "whatsapp/langchain/chat_loaders/whatsapp_chat.txt")
    assert ios[0].author == "Dr. Feather"
    assert not any("\u200e" in p.text for p in ios)


def test_whatsapp_dates_in_every_locale_agree(exports: Path) -> None:
    """The five chat-miner files hold the same messages; their dates must come out equal."""
    folder = exports / "whatsapp/chat-miner"
    variants = [
        "test_ddmmyy_24hrs",
        "test_mmddyy_24hrs",
        "test_yyyymmdd_24hrs",
        "test_[mmddyy]_24hrs",
    ]
    stamps = [[p.timestamp for p in read_posts(folder / f"{name}.txt")[0]] for name in variants]
    assert all(s == stamps[0] for s in stamps)
    assert stamps[0][2] is not None and (stamps[0][2].month, stamps[0][2].day) == (1, 30)

    twelve_hour, _ = read_posts(folder / "test_mmddyyyy_12hrs.txt")
    assert (
        twelve_hour[2].timestamp is not None and twelve_hour[2].timestamp.hour == 20
    )  # 08:49 p. m.


def test_whatsapp_variants_in_one_file(exports: Path) -> None:
    posts, _ = read_posts(exports / "whatsapp/langchain/tests-examples/whatsapp_chat.txt")

    authors = [p.author for p in posts]
    assert "User name 2" in authors  # "~ User name 2", the iOS unsaved-contact prefix
    hello = next(p for p in posts if p.text == "Hello")
    assert hello.timestamp is not None and hello.timestamp.hour == 23  # 11:32 U+202F PM
    # The malformed "3:22_AM" header is kept as part of the message above, not dropped.
    assert any("3:22_AM" in p.text for p in posts)


def test_whatsapp_zip_matches_the_loose_file(exports: Path) -> None:
    loose, _ = read_posts(exports / "whatsapp/chat-analytics/4A_11M.txt")
    zipped, _ = read_posts(exports / "whatsapp/chat-analytics/4A_11M.zip")

    assert [p.text for p in zipped] == [p.text for p in loose]
    assert zipped[0].thread == "4A_11M"
    assert not any("\r" in p.text for p in zipped)  # CRLF in the zipped _chat.txt


def test_telegram_text_entities_and_unix_dates(exports: Path) -> None:
    posts, _ = read_posts(exports / "telegram/chat-analytics/DM_2A_7M.json")
    assert posts[0].text == "https://google.com 👀"
    assert posts[0].thread == "Bob" and posts[0].audience == "direct"

    single, _ = read_posts(exports / "telegram/langchain/telegram_chat_json/result.json")
    assert single[0].timestamp == datetime(2023, 8, 23, 20, 11, 23, tzinfo=UTC)
    assert single[1].author == "Batman & Robin"


def test_telegram_full_account_export_walks_each_chat(exports: Path) -> None:
    posts, _ = read_posts(exports / "telegram/chat-miner/test_batch_export.json")
    assert [p.thread for p in posts] == ["Chatname", "Chatname"]
    assert posts[1].text == "Link:https://telegram.org/"


def test_discord_exporter_json(exports: Path) -> None:
    posts, report = read_posts(exports / "discord/chat-analytics/SV_5A_5M.json")

    assert posts[0].author == "Deleted User"
    assert posts[0].thread == "DefleMask #general-chiptune"
    assert posts[0].url is not None and posts[0].url.startswith("https://discord.com/channels/")
    assert "repeats message id" in str(report.problems[0])


def test_discord_package_drops_spreadsheet_mangled_ids(exports: Path) -> None:
    posts, report = read_posts(exports / "discord/langchain-docs-data-package/package")

    assert all(p.id is None for p in posts)
    assert posts[0].thread == "105765859191975936"
    assert report.warnings["mangled-id"] == 1
    assert "7.73264E+18" in str(report.problems[0])


def test_mastodon_followers_only_post_with_image(exports: Path) -> None:
    posts, _ = read_posts(exports / "mastodon/gts-backdated-import/edb8727-valid/outbox.json")

    assert posts[0].text == "this is one of two posts"
    assert posts[0].audience == "followers"
    assert posts[0].attachments[0].endswith(".jpg")


def test_mastodon_trailing_comma_is_tolerated_and_reported(exports: Path) -> None:
    posts, report = read_posts(
        exports / "mastodon/gts-backdated-import/head-trailing-comma/outbox.json"
    )

    assert len(posts) == 2
    assert report.warnings["trailing-comma"] == 1
    assert "trailing comma" in str(report.problems[0])
