"""What a digest is made of: participants, links, topics, summary sentences and threads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from safeside.check import Check
from safeside.engine.results import Analysis
from safeside.ingest import Post
from safeside.learning.digest import safety


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone who posted, and how many of the digest's posts are theirs."""

    handle: str
    posts: int

    def to_dict(self) -> dict[str, Any]:
        return {"handle": self.handle, "posts": self.posts}


@dataclass(frozen=True, slots=True)
class Link:
    """A link shared in the posts: how many posts shared it, and which."""

    url: str
    count: int
    post_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "count": self.count, "post_ids": list(self.post_ids)}


@dataclass(frozen=True, slots=True)
class Cluster:
    """A topic: the posts that are about it and the terms that set it apart."""

    terms: tuple[str, ...]
    post_ids: tuple[str, ...]

    @property
    def label(self) -> str:
        return ", ".join(self.terms) if self.terms else "(miscellaneous)"

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "terms": list(self.terms), "post_ids": list(self.post_ids)}


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the extractive summary and the posts it was taken from."""

    text: str
    post_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "post_ids": list(self.post_ids)}


@dataclass(frozen=True, slots=True)
class Thread:
    """A conversation: its first post, the replies in time order, and who took part."""

    root: str
    replies: tuple[str, ...]
    participants: tuple[str, ...]

    @property
    def size(self) -> int:
        return 1 + len(self.replies)

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "replies": list(self.replies),
            "participants": list(self.participants),
        }


@dataclass(eq=False)
class Digest:
    """A digest of a chat, hashtag or thread archive (build it with :func:`build_digest`).

    ``posts`` maps each post id used in the digest to its :class:`~safeside.ingest.Post`
    (the posts kept after the hashtag filter, in time order).
    """

    title: str
    hashtag: str | None
    posts: dict[str, Post]
    participants: list[Participant]
    links: list[Link]
    clusters: list[Cluster]
    summary: list[Sentence]
    threads: list[Thread]
    _checked: tuple[Check, list[Analysis]] | None = field(default=None, repr=False)

    @property
    def start(self) -> datetime | None:
        dated = [p.timestamp for p in self.posts.values() if p.timestamp]
        return min(dated) if dated else None

    @property
    def end(self) -> datetime | None:
        dated = [p.timestamp for p in self.posts.values() if p.timestamp]
        return max(dated) if dated else None

    @property
    def ref(self) -> str:
        """A stable reference to this digest: ``digest-`` and a hash of its post ids."""
        digest = hashlib.sha256("\n".join(sorted(self.posts)).encode()).hexdigest()
        return f"digest-{digest[:12]}"

    def to_dict(self) -> dict[str, Any]:
        """The digest as JSON-ready data (``safeside.digest/1``); post texts are not included."""
        start, end = self.start, self.end
        return {
            "schema": SCHEMA,
            "ref": self.ref,
            "title": self.title,
            "hashtag": self.hashtag,
            "period": {
                "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None,
            },
            "post_count": len(self.posts),
            "participants": [p.to_dict() for p in self.participants],
            "top_links": [link.to_dict() for link in self.links],
            "clusters": [c.to_dict() for c in self.clusters],
            "summary": [s.to_dict() for s in self.summary],
            "threads": [t.to_dict() for t in self.threads],
            "posts": {pid: _post_ref(post) for pid, post in self.posts.items()},
        }

    def exported_texts(self) -> list[tuple[str, str]]:
        """(where, text) for every text an export of this digest contains."""
        out = [("title", self.title)]
        out += [(f"summary {i}", s.text) for i, s in enumerate(self.summary, 1)]
        # Term lists are checked as shown ("Topic: …"): a bare list of words reads oddly
        # to the concern classifier.
        out += [
            (f"topic {i}", f"Topic: {c.label}") for i, c in enumerate(self.clusters, 1) if c.terms
        ]
        out += [(f"link {i}", link.url) for i, link in enumerate(self.links, 1)]
        return out

    def safety_check(self, check: Check) -> list[Analysis]:
        """Own-mode analyses of :meth:`exported_texts` by ``check``, in that order
        (computed once for each check: the CLI passes the engine, the web app its own)."""
        if self._checked is None or self._checked[0] is not check:
            texts = [text for _, text in self.exported_texts()]
            self._checked = (check, [check(text, "own") for text in texts])
        return self._checked[1]

    def flags(self, check: Check) -> list[safety.Flag]:
        """The exported texts that stop this digest being shared, with the evidence."""
        return safety.flags(self.exported_texts(), self.safety_check(check))

    def is_safe_to_share(self, check: Check) -> bool:
        """False if any exported text raises a concern or identifies someone supported."""
        return not self.flags(check)

    def cpd_draft(self) -> dict[str, Any]:
        """A draft CPD record of taking part in this discussion (see :mod:`.cpd`)."""
        from safeside.learning.digest.cpd import cpd_draft

        return cpd_draft(self)


SCHEMA = "safeside.digest/1"


def _post_ref(post: Post) -> dict[str, Any]:
    return {
        "platform": post.platform,
        "kind": post.kind,
        "author": post.author,
        "timestamp": post.timestamp.isoformat() if post.timestamp else None,
        "url": post.url,
        "source": str(post.source),
    }
