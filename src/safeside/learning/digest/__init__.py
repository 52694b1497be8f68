"""Chat and thread digests: from imported posts to threads, topics, links and a summary.

    >>> from safeside.ingest import read_posts                      # doctest: +SKIP
    >>> from safeside.check import engine_check
    >>> from safeside.learning.digest import build_digest
    >>> posts, _ = read_posts("swchat-archive.zip")
    >>> digest = build_digest(posts, hashtag="#SWChat")
    >>> digest.is_safe_to_share(engine_check), digest.to_dict()["summary"]
    >>> digest.cpd_draft()["learning"]

See ``docs/digests.md``.
"""

from safeside.learning.digest.build import build_digest
from safeside.learning.digest.model import (
    Cluster,
    Digest,
    Link,
    Participant,
    Sentence,
    Thread,
)
from safeside.learning.digest.posts import within
from safeside.learning.digest.safety import Flag

__all__ = [
    "Cluster",
    "Digest",
    "Flag",
    "Link",
    "Participant",
    "Sentence",
    "Thread",
    "build_digest",
    "within",
]
