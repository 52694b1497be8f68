"""The most-shared links: found in post text, tidied so that copies of one link count once."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from safeside.ingest import Post
from safeside.learning.digest.model import Link
from safeside.learning.digest.text import URL

#: Query parameters that only track where a click came from.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ref_src")


def normalise_url(url: str) -> str:
    """A link as counted: trailing punctuation, fragment and tracking parameters removed,
    scheme and host lower-cased."""
    url = url.rstrip(".,;:!?)]}'\"’”…")
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(_TRACKING)
    ]
    path = parts.path if parts.path not in ("", "/") else ""
    return (
        urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), "")).rstrip(
            "/"
        )
        or url
    )


def top_links(posts: dict[str, Post], limit: int = 10) -> list[Link]:
    """The ``limit`` links shared by most posts (a post's own permalink is not counted)."""
    sharers: dict[str, list[str]] = defaultdict(list)
    for pid, post in posts.items():
        own = normalise_url(post.url) if post.url else None
        found = dict.fromkeys(normalise_url(m.group(0)) for m in URL.finditer(post.text))
        for url in found:
            if url != own and "://" in url:
                sharers[url].append(pid)
    ranked = sorted(sharers.items(), key=lambda item: -len(item[1]))  # stable: first seen wins
    return [Link(url=url, count=len(ids), post_ids=tuple(ids)) for url, ids in ranked[:limit]]
