"""Bring your own data: platform exports, chat logs and screenshots as one :class:`Post` type.

    >>> from safeside.ingest import read_posts, detect_format   # doctest: +SKIP
    >>> detect_format("twitter-archive.zip")
    'twitter'
    >>> posts, report = read_posts("twitter-archive.zip")
    >>> report.summary_lines()

Readers live in :mod:`safeside.ingest.readers`, one module per format; see
``docs/formats/`` for what each reads.
"""

from safeside.ingest import readers as _readers  # noqa: F401  (registers the readers)
from safeside.ingest.importer import Import, detect_format, open_import, read_posts
from safeside.ingest.post import Post, Preview, SourceRef, TextLine
from safeside.ingest.registry import READERS, Reader, ReadOptions
from safeside.ingest.report import ImportReport, Problem
from safeside.ingest.sources import Limits

__all__ = [
    "READERS",
    "Import",
    "ImportReport",
    "Limits",
    "Post",
    "Preview",
    "Problem",
    "ReadOptions",
    "Reader",
    "SourceRef",
    "TextLine",
    "detect_format",
    "open_import",
    "read_posts",
]
