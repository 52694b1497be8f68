"""The reader interface, the registry of readers, and how a file is matched to one.

A reader knows one export format. :meth:`Reader.claims` looks at an entry's path and
first few kilobytes; :meth:`Reader.read` turns it into :class:`~safeside.ingest.Post`
records, reporting anything it skips. Readers register themselves with
:func:`register`; the first reader (in registration order) that claims a file reads it.

*Generic* readers (any CSV, JSONL, plain text, image) only read a file given on its own,
or files in a folder or archive where no platform export was recognised: inside a
Twitter archive a stray ``.txt`` is not a post.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, ClassVar, TypeVar

from safeside.ingest.entry import Entry
from safeside.ingest.post import Post
from safeside.ingest.report import ImportReport
from safeside.uktime import UK

#: Safeside's default zone for dates written without one (exports carry none).
UK_TIME = UK

#: Suffixes whose first bytes are read when matching files to readers.
TEXT_SUFFIXES = frozenset(
    {".js", ".json", ".jsonl", ".ndjson", ".txt", ".csv", ".tsv", ".html"}
    | {".xml", ".rss", ".atom"}  # feeds (readers/rss.py)
)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Settings shared by every reader in one import.

    ``timezone`` is applied to dates that carry no zone (WhatsApp, old Telegram, LinkedIn
    local times). ``hint`` is the lower-cased path the person gave, used only to tell an
    Instagram thread from a Facebook one when the file itself cannot.
    """

    timezone: tzinfo = UK
    hint: str = ""


class Reader(ABC):
    """One export format."""

    #: Short id, used in reports and ``--format``.
    name: ClassVar[str]
    #: Plain-English name of the format.
    title: ClassVar[str]
    #: Only for files given on their own, or folders with no platform export.
    generic: ClassVar[bool] = False

    @abstractmethod
    def claims(self, entry: Entry, head: str) -> bool:
        """Whether this reader reads ``entry`` (``head`` is its first 8 KB as text)."""

    @abstractmethod
    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        """The posts in ``entry``; skipped records go to ``report``."""


READERS: list[Reader] = []

R = TypeVar("R", bound=type[Reader])


def register(cls: R) -> R:
    """Class decorator: add a reader to the registry."""
    READERS.append(cls())
    return cls


def reader_named(name: str) -> Reader:
    for reader in READERS:
        if reader.name == name:
            return reader
    known = ", ".join(sorted(r.name for r in READERS))
    from safeside.errors import UnsupportedFormat

    raise UnsupportedFormat(f"unknown format {name!r}; known formats: {known}")


def text_of(value: Any) -> str:
    """A value as stripped text ('' for None and non-strings)."""
    return value.strip() if isinstance(value, str) else ""
