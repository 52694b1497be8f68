"""Counting each post once when an export (or a folder of exports) repeats it.

A post is a duplicate of an earlier one when it has the same platform id and text, or,
without an id, the same author, time, text and conversation in a *different* file.
Within one file two identical id-less messages in the same minute (WhatsApp keeps no
seconds) are both real, so both are kept; and a damaged record whose id now matches
another's does not hide it, because the texts differ.
"""

from __future__ import annotations

import hashlib

from safeside.ingest.post import Post
from safeside.ingest.report import ImportReport

#: Duplicates listed one by one in the report; the rest are only counted.
_LISTED = 20


def _digest(*parts: str | None) -> int:
    """A 64-bit digest (a false match is about 1 in 10^7 even at a million posts)."""
    joined = "\x1f".join("\x00" if part is None else part for part in parts)
    return int.from_bytes(hashlib.blake2b(joined.encode(), digest_size=8).digest(), "big")


class Duplicates:
    """Remembers a small digest of every post handed on."""

    def __init__(self, report: ImportReport) -> None:
        self._report = report
        self._first: dict[int, str] = {}
        self._files: dict[str, str] = {}

    def seen(self, post: Post) -> bool:
        """Whether ``post`` repeats an earlier one (then it is counted as skipped)."""
        source = post.source
        here = f"{source.archive} › {source.file}" if source.archive else source.file
        here = self._files.setdefault(here, here)
        kind = "message" if post.kind == "message" else "post"
        if post.id:
            key = _digest("id", post.platform, kind, post.id, post.text)
        elif post.timestamp:
            stamp = post.timestamp.isoformat()
            key = _digest(post.platform, kind, post.thread, post.author, stamp, post.text)
        else:
            return False
        first = self._first.get(key)
        if first is None:
            self._first[key] = here
            return False
        if first == here and not post.id:
            return False
        count = self._report.skipped["duplicate"]
        what = (
            f"{kind} id {post.id}"
            if post.id
            else f"a {kind} in {first} (same author, time and text)"
        )
        self._report.skip(
            "duplicate",
            f"repeats {what}; counted once",
            post.source,
            quiet=count >= _LISTED,
        )
        return True
