"""A digest as Markdown, for a portfolio, an e-mail or a team wiki."""

from __future__ import annotations

from safeside.learning.digest.model import Digest

_SHOWN_THREADS = 10


def _period(digest: Digest) -> str:
    start, end = digest.start, digest.end
    if start is None or end is None:
        return "undated"
    return f"{start:%d %b %Y %H:%M} to {end:%d %b %Y %H:%M %Z}".strip()


def to_markdown(digest: Digest) -> str:
    """The digest's title, period, summary (with source post ids), topics, links and threads."""
    lines = [f"# {digest.title}", ""]
    lines.append(
        f"{len(digest.posts)} posts from {len(digest.participants)} participants, {_period(digest)}."
    )
    if digest.summary:
        lines += ["", "## Summary", ""]
        lines += [f"- {s.text} _(from {', '.join(s.post_ids)})_" for s in digest.summary]
    if digest.clusters:
        lines += ["", "## Topics", ""]
        lines += [f"- **{c.label}**: {len(c.post_ids)} posts" for c in digest.clusters]
    if digest.links:
        lines += ["", "## Most-shared links", ""]
        lines += [f"- <{link.url}> ({link.count} posts)" for link in digest.links]
    if digest.participants:
        lines += ["", "## Participants", ""]
        lines += [f"- {p.handle}: {p.posts} posts" for p in digest.participants]
    conversations = sorted((t for t in digest.threads if t.replies), key=lambda t: -t.size)[
        :_SHOWN_THREADS
    ]
    if conversations:
        lines += ["", "## Conversations", ""]
        lines += [
            f"- post {t.root}: {len(t.replies)} replies from {', '.join(t.participants)}"
            for t in conversations
        ]
    return "\n".join(lines) + "\n"
