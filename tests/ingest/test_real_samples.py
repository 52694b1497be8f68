"""Every real-format sample in shared/data/exports imports with known counts, or fails with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeside.errors import UnsupportedFormat
from safeside.ingest import detect_format, read_posts

# (sample, format detected, posts kept, records skipped by reason)
SAMPLES = [
    ("twitter/pdpp-connect/data/tweets.js", "twitter", 4, {}),
    ("twitter/pdpp-connect/data/direct-messages.js", "twitter-dm", 4, {}),
    ("twitter/pdpp-connect/data", "twitter", 8, {}),
    ("twitter/pdpp-connect/empty/data/tweets.js", "twitter", 0, {}),
    ("twitter/pdpp-connect/legacy/data/tweet.js", "twitter", 1, {}),
    ("twitter/samarium/tweets.js", "twitter", 6, {}),
    ("twitter/social-media-search/tweets.js", "twitter", 2, {}),
    ("facebook/langchain-community/facebook_chat.json", "messenger", 10, {"no-text": 1}),
    ("facebook/chat-analytics/2A_7M.json", "messenger", 3, {"no-text": 4}),
    (
        "facebook/osd2f-mock/facebook-charlesthompson-1/posts/your_posts_1.json",
        "facebook",
        26,
        {"no-text": 74},
    ),
    (
        "facebook/osd2f-mock/facebook-charlesthompson-1/comments/comments.json",
        "facebook-comments",
        19,
        {"no-text": 31},
    ),
    ("facebook/osd2f-mock/facebook-charlesthompson-1", "facebook", 65, {"no-text": 185}),
    ("facebook/osd2f-mock/facebook-charlesthompson-1.zip", "facebook", 65, {"no-text": 185}),
    ("instagram/chat-miner/testlog.json", "messenger", 5, {"no-text": 4, "system": 4}),
    ("instagram/chat-miner/test_export.json", "messenger", 2, {}),
    ("instagram/what-if-data-donation/IG_public_test_file.zip", "messenger", 5, {"no-text": 10}),
    ("instagram/what-if-data-donation/extracted", "messenger", 5, {"no-text": 6}),
    ("whatsapp/chat-analytics/2A_5M.txt", "whatsapp", 4, {"no-text": 1}),
    ("whatsapp/chat-analytics/4A_11M.txt", "whatsapp", 11, {"system": 3}),
    ("whatsapp/chat-analytics/4A_11M.zip", "whatsapp", 11, {"system": 3}),
    ("whatsapp/chat-miner/test_ddmmyy_24hrs.txt", "whatsapp", 7, {"system": 2}),
    ("whatsapp/chat-miner/test_mmddyy_24hrs.txt", "whatsapp", 7, {"system": 2}),
    ("whatsapp/chat-miner/test_yyyymmdd_24hrs.txt", "whatsapp", 7, {"system": 2}),
    ("whatsapp/chat-miner/test_[mmddyy]_24hrs.txt", "whatsapp", 7, {"system": 2}),
    ("whatsapp/chat-miner/test_mmddyyyy_12hrs.txt", "whatsapp", 7, {"system": 2}),
    ("whatsapp/chat-miner/test_dateformat1.txt", "whatsapp", 7, {"system": 3}),
    ("whatsapp/chat-miner/test_dateformat2.txt", "whatsapp", 4, {}),
    ("whatsapp/chat-miner/test_dateformat3.txt", "whatsapp", 4, {}),
    ("whatsapp/chat-miner/test_dateformat4.txt", "whatsapp", 4, {}),
    ("whatsapp/chat-miner/test_dateformat5.txt", "whatsapp", 4, {}),
    ("whatsapp/chat-miner/test_unicode.txt", "whatsapp", 3, {}),
    ("whatsapp/whatstk/pokemon.txt", "whatsapp", 18, {"system": 2}),
    ("whatsapp/whatstk/lorem.txt", "whatsapp", 500, {}),
    ("whatsapp/whatstk/lorem-merge-part1.txt", "whatsapp", 300, {}),
    ("whatsapp/whatstk/lorem-merge-part2.txt", "whatsapp", 300, {}),
    (
        "whatsapp/langchain/tests-examples/whatsapp_chat.txt",
        "whatsapp",
        7,
        {"no-text": 1, "deleted": 1},
    ),
    (
        "whatsapp/langchain/chat_loaders/whatsapp_chat.txt",
        "whatsapp",
        8,
        {"system": 1, "no-text": 3},
    ),
    ("whatsapp/langchain/docs-example_data/whatsapp_chat.txt", "whatsapp", 10, {"no-text": 1}),
    ("telegram/langchain/telegram_chat_json/result.json", "telegram", 4, {}),
    ("telegram/langchain/telegram.json", "telegram", 3, {}),
    ("telegram/chat-analytics/DM_2A_7M.json", "telegram", 4, {"system": 2, "no-text": 2}),
    ("telegram/chat-analytics/BIG_20A_5475M.json", "telegram", 5475, {}),
    ("telegram/chat-miner/test_single_export.json", "telegram", 2, {}),
    ("telegram/chat-miner/test_batch_export.json", "telegram", 2, {}),
    ("discord/chat-analytics/DM_2A_2M.json", "discord", 2, {"system": 1}),
    ("discord/chat-analytics/GC_3A_5M.json", "discord", 3, {"system": 3}),
    ("discord/chat-analytics/SV_5A_5M.json", "discord", 4, {"duplicate": 1}),
    ("discord/langchain-docs-data-package/package", "discord-csv", 25, {}),
    ("mastodon/gts-backdated-import/edb8727-valid/outbox.json", "mastodon", 2, {}),
    ("mastodon/gts-backdated-import/head-trailing-comma/outbox.json", "mastodon", 2, {}),
]


@pytest.mark.parametrize(
    ("sample", "fmt", "count", "skipped"), SAMPLES, ids=[s[0] for s in SAMPLES]
)
def test_sample_imports_with_known_counts(
    exports: Path, sample: str, fmt: str, count: int, skipped: dict[str, int]
) -> None:
    path = exports / sample
    posts, report = read_posts(path)

    assert detect_format(path) == fmt
    assert len(posts) == count == report.posts_read
    assert dict(report.skipped) == skipped
    assert all(post.text.strip() for post in posts)
    assert all(post.timestamp is None or post.timestamp.tzinfo for post in posts)


# Samples that are refused as a whole, with the reason a person sees.
REFUSED = [
    ("telegram/langchain/telegram_chat_html/messages.html", "Telegram's HTML export"),
    (
        "facebook/osd2f-mock/facebook-charlesthompson-1/likes_and_reactions/posts_and_comments.json",
        "does not recognise",
    ),
    (
        "instagram/what-if-data-donation/extracted/your_instagram_activity/likes/liked_posts.json",
        "does not recognise",
    ),
]


@pytest.mark.parametrize(("sample", "reason"), REFUSED, ids=[s[0] for s in REFUSED])
def test_sample_without_posts_is_refused_with_its_reason(
    exports: Path, sample: str, reason: str
) -> None:
    with pytest.raises(UnsupportedFormat, match=reason):
        read_posts(exports / sample)
