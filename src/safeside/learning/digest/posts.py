"""Posts as the digest sees them: in time order, each with an id that is unique in the digest."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from safeside.ingest import Post
from safeside.uktime import UK

#: Platforms whose archives hold one person's own posts, so an unnamed author is the owner.
OWN_ARCHIVES = frozenset({"twitter", "mastodon", "facebook", "instagram", "linkedin"})
OWNER = "(archive owner)"


def _order(item: tuple[int, Post]) -> tuple[bool, datetime, int]:
    index, post = item
    return (post.timestamp is None, post.timestamp or datetime.min.replace(tzinfo=UK), index)


def keyed(posts: Iterable[Post]) -> dict[str, Post]:
    """Posts in time order (undated last, ties in input order), keyed by a unique id.

    The export's own id is kept; posts without one, or repeating one, get ``post-N``
    (N counts from 1 in input order), so the same input always gives the same ids.
    """
    ordered = sorted(enumerate(posts), key=_order)
    out: dict[str, Post] = {}
    for index, post in ordered:
        key = post.id if post.id and post.id not in out else f"post-{index + 1}"
        out[key] = post
    return out


def handle_of(post: Post) -> str:
    """Who wrote a post: its author, or the archive owner for a personal archive."""
    if post.author:
        return post.author
    return OWNER if post.platform in OWN_ARCHIVES else "(unknown)"


def reply_to_of(post: Post) -> str | None:
    """The id a post replies to, when its importer records one (``reply_to``)."""
    value = getattr(post, "reply_to", None)
    return value if isinstance(value, str) and value else None


def within(posts: Iterable[Post], start: date | None, end: date | None) -> list[Post]:
    """Posts dated from ``start`` to ``end`` inclusive (UK dates); undated ones only if no bounds."""
    if start is None and end is None:
        return list(posts)
    low = datetime.combine(start, time.min, UK) if start else None
    high = datetime.combine(end, time.max, UK) if end else None
    return [
        post
        for post in posts
        if post.timestamp is not None
        and (low is None or post.timestamp >= low)
        and (high is None or post.timestamp <= high)
    ]
