"""What the records of one JSON array look like, for finding the next one after damage.

After a damaged record :class:`~safeside.ingest.jsonrecords.RecordStream` looks ahead for
the next value that decodes *and* looks like the good records: same kind (object or
string) and, for objects, a similar set of keys. Objects nested inside a record (a
tweet's mentions, a message's reactions) have different keys, so a nested ``{`` is not
mistaken for the next record. Before any good record has been read, a candidate must
instead be followed by records like itself up to the real end of the array (see
:meth:`~safeside.ingest.jsonrecords.RecordStream.records`).
"""

from __future__ import annotations

from typing import Any

#: Key-set similarity (Jaccard) a candidate needs to a good record's keys.
SIMILAR = 0.4
_MAX_SHAPES = 32


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 1.0


class Shape:
    """The kinds and key sets of the good records seen in one array."""

    def __init__(self) -> None:
        self.kind: type | None = None
        self.keysets: list[frozenset[str]] = []

    @property
    def trusted(self) -> bool:
        """Whether good records have been seen (so candidates can be compared to them)."""
        return self.kind is not None

    def learn(self, value: Any) -> None:
        if self.kind is None:
            self.kind = type(value) if isinstance(value, dict | str) else dict
        if isinstance(value, dict) and value:
            keys = frozenset(value)
            if keys not in self.keysets and len(self.keysets) < _MAX_SHAPES:
                self.keysets.append(keys)

    @property
    def openers(self) -> str:
        """The characters a record may start with: a string array's ``"``, an object's
        ``{``, or either before any good record has been seen."""
        return '"' if self.kind is str else "{" if self.kind else '{"'

    def fits(self, value: Any) -> bool:
        """Whether ``value`` could be a record of this array (anything goes before the
        first good record)."""
        if self.kind is None:
            return isinstance(value, dict | str)
        if self.kind is str:
            return isinstance(value, str)
        if not isinstance(value, dict):
            return False
        keys = frozenset(value)
        if keys in self.keysets or not self.keysets:
            return True
        return any(similarity(keys, known) >= SIMILAR for known in self.keysets)
