"""Building a digest from imported posts."""

from __future__ import annotations

from collections import Counter

from safeside.ingest import Post
from safeside.learning.digest.clusters import cluster_posts
from safeside.learning.digest.links import top_links
from safeside.learning.digest.model import Digest, Participant
from safeside.learning.digest.posts import handle_of, keyed
from safeside.learning.digest.summary import summarise
from safeside.learning.digest.text import HASHTAG, tag_key
from safeside.learning.digest.threads import build_threads, with_hashtag
from safeside.uktime import UK


def _spelling(tag: str, posts: dict[str, Post]) -> str:
    """The commonest way the posts write ``#tag`` (``SWChat`` rather than ``swchat``)."""
    key = tag_key(tag)
    forms = Counter(
        m.group(1)
        for p in posts.values()
        for m in HASHTAG.finditer(p.text)
        if m.group(1).casefold() == key
    )
    return forms.most_common(1)[0][0] if forms else tag


def _title(hashtag: str | None, posts: dict[str, Post]) -> str:
    dates = sorted(p.timestamp.astimezone(UK).date() for p in posts.values() if p.timestamp)
    name = f"#{hashtag} digest" if hashtag else "Chat digest"
    if not dates:
        return name
    first, last = dates[0], dates[-1]
    if first == last:
        return f"{name}, {first:%-d %B %Y}"
    return f"{name}, {first:%-d %B %Y} to {last:%-d %B %Y}"


def build_digest(
    posts: list[Post], *, hashtag: str | None = None, title: str | None = None
) -> Digest:
    """Digest ``posts``: threads, participants, top links, topics and a summary.

    With ``hashtag`` (``"#SWChat"`` or ``"swchat"``, any capitals) only the threads in
    which someone used it are kept, replies included. Nothing is analysed until
    :meth:`Digest.safety_check` (or :meth:`Digest.is_safe_to_share`) is asked for.
    """
    tag = hashtag.strip().lstrip("#") if hashtag and hashtag.strip().lstrip("#") else None
    everything = keyed(posts)
    threads = build_threads(everything)
    if tag:
        threads = with_hashtag(threads, everything, tag)
        kept = {pid for t in threads for pid in (t.root, *t.replies)}
        chosen = {pid: post for pid, post in everything.items() if pid in kept}
        tag = _spelling(tag, chosen)
    else:
        chosen = everything
    skip = frozenset({tag_key(tag)}) if tag else frozenset()
    counts = Counter(handle_of(post) for post in chosen.values())
    return Digest(
        title=title or _title(tag, chosen),
        hashtag=tag,
        posts=chosen,
        participants=[
            Participant(h, n)
            for h, n in sorted(counts.items(), key=lambda i: (-i[1], i[0].casefold()))
        ],
        links=top_links(chosen),
        clusters=cluster_posts(chosen, skip),
        summary=summarise(chosen, skip),
        threads=threads,
    )
