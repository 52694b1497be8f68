"""Importing a file, folder or archive: match files to readers, read, and report.

>>> with open_import("twitter-2024.zip") as source:   # doctest: +SKIP
...     for post in source:
...         print(post.timestamp, post.text)
...     print(source.report.summary_lines())
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from zipfile import BadZipFile

from safeside.errors import ArchiveError, InputError, UnsupportedFormat
from safeside.ingest.duplicates import Duplicates
from safeside.ingest.post import Post
from safeside.ingest.readers.screenshot import IMAGE_SUFFIXES
from safeside.ingest.registry import READERS, TEXT_SUFFIXES, Reader, ReadOptions, reader_named
from safeside.ingest.report import ImportReport
from safeside.ingest.sources import DEFAULT_LIMITS, Entry, Limits, iter_entries
from safeside.ingest.textio import read_head_text


class SameFiles:
    """Finds a file whose bytes were already read from another container, so that a zip
    and its extracted folder (or two copies of one export zip) in the same input are read
    once. Copies inside one folder or one zip are left to the post-level duplicate check
    (:mod:`safeside.ingest.duplicates`), which counts their repeated posts.

    Only files that share their size with another planned file are hashed (SHA-256,
    streamed), so an input without copies costs nothing extra.
    """

    def __init__(self, plan: list[tuple[Entry, Reader | None]]) -> None:
        sizes = Counter(entry.size for entry, reader in plan if reader)
        self._shared = {size for size, n in sizes.items() if n > 1}
        self._seen: dict[tuple[int, bytes], Entry] = {}

    def first_with_content(self, entry: Entry) -> Entry | None:
        """The earlier entry with the same bytes as ``entry``, or None (``entry`` is new)."""
        if entry.size not in self._shared:
            return None
        try:
            digest = hashlib.sha256()
            with entry.open() as stream:
                while chunk := stream.read(1 << 20):
                    digest.update(chunk)
        except (OSError, ArchiveError, BadZipFile, EOFError, zlib.error):
            return None  # the reader meets (and reports) the problem itself
        key = (entry.size, digest.digest())
        first = self._seen.setdefault(key, entry)
        return None if first is entry or first.archive == entry.archive else first


def _head(entry: Entry) -> str | None:
    """The first 8 KB of a file a reader might want, or None for files none would."""
    if entry.suffix in TEXT_SUFFIXES:
        return read_head_text(entry)
    return "" if entry.suffix in IMAGE_SUFFIXES else None


def _claim(entry: Entry, head: str | None, readers: list[Reader]) -> Reader | None:
    if head is None:
        return None
    return next((reader for reader in readers if reader.claims(entry, head)), None)


class Import:
    """An opened source: iterate it for posts; :attr:`report` fills in as you go."""

    def __init__(
        self,
        path: str | Path,
        *,
        limits: Limits = DEFAULT_LIMITS,
        options: ReadOptions | None = None,
        format: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.report = ImportReport(source=self.path.name)
        self.options = options or ReadOptions(hint=str(self.path).lower())
        self._stack = ExitStack()
        try:
            entries = list(iter_entries(self.path, self.report, self._stack, limits))
            self.plan = self._match(entries, format)
        except BaseException:
            self._stack.close()
            raise

    def _match(self, entries: list[Entry], format: str | None) -> list[tuple[Entry, Reader | None]]:
        if format:
            forced = reader_named(format)
            return [(entry, forced) for entry in entries]
        # Heads are read again for the fallback rather than kept: a big export has
        # thousands of files, and the fallback only runs when nothing else matched.
        damaged: set[str] = set()
        specific = [r for r in READERS if not r.generic]
        plan = [(entry, self._claim(entry, specific, damaged)) for entry in entries]
        if not any(reader for _, reader in plan):
            generic = [r for r in READERS if r.generic]
            plan = [(entry, self._claim(entry, generic, damaged)) for entry in entries]
        if not any(reader for _, reader in plan):
            raise UnsupportedFormat(self._unsupported_message(entries))
        return [(entry, reader) for entry, reader in plan if entry.path not in damaged]

    def _claim(self, entry: Entry, readers: list[Reader], damaged: set[str]) -> Reader | None:
        """The first reader that claims ``entry``; an entry that cannot even be opened
        (a damaged archive entry) is reported once and left out."""
        if entry.path in damaged:
            return None
        try:
            head = _head(entry)
        except ArchiveError as error:
            damaged.add(entry.path)
            self.report.error("damaged-entry", str(error), entry.where())
            return None
        return _claim(entry, head, readers)

    def _unsupported_message(self, entries: list[Entry]) -> str:
        if not entries:
            return f"{self.path.name}: no readable files found"
        return (
            f"{self.path.name}: Safeside does not recognise this as an export it can read "
            "(see docs/formats/ for the formats it reads)"
        )

    @property
    def formats(self) -> Counter[str]:
        """How many files each format reader will read."""
        return Counter(reader.name for _, reader in self.plan if reader)

    def __iter__(self) -> Iterator[Post]:
        report = self.report
        duplicates = Duplicates(report)
        same_file = SameFiles(self.plan)
        for entry, reader in self.plan:
            if reader is None:
                report.files_ignored += 1
                continue
            first = same_file.first_with_content(entry)
            if first is not None:
                where = f"{first.archive} › {first.path}" if first.archive else first.path
                report.skip(
                    "duplicate-file",
                    f"has the same content as {where}; read once",
                    entry.where(),
                )
                continue
            report.files_read += 1
            report.formats[reader.name] += 1
            try:
                for post in reader.read(entry, report, self.options):
                    if duplicates.seen(post):
                        continue
                    report.kept(post.platform, post.kind)
                    yield post
            except UnsupportedFormat as error:
                if len(self.plan) == 1:
                    raise
                report.error("unreadable", str(error), entry.where())
            except InputError as error:
                report.error("unreadable", str(error), entry.where())
            except (OSError, BadZipFile, EOFError, zlib.error, UnicodeError) as error:
                report.error("unreadable", f"could not be read ({error})", entry.where())

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> Import:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_import(
    path: str | Path,
    *,
    limits: Limits = DEFAULT_LIMITS,
    options: ReadOptions | None = None,
    format: str | None = None,
) -> Import:
    """Open a file, folder, zip or tar for import (use it as a context manager)."""
    return Import(path, limits=limits, options=options, format=format)


def read_posts(
    path: str | Path,
    *,
    limits: Limits = DEFAULT_LIMITS,
    options: ReadOptions | None = None,
    format: str | None = None,
) -> tuple[list[Post], ImportReport]:
    """Every post in ``path``, and the report of what was read and skipped."""
    with Import(path, limits=limits, options=options, format=format) as source:
        posts = list(source)
    return posts, source.report


def detect_format(path: str | Path) -> str:
    """The name of the format found in ``path`` (the commonest one, for mixed folders;
    ties go to the reader registered first).

    Raises :class:`~safeside.errors.UnsupportedFormat` when nothing is recognised.
    """
    with Import(path) as source:
        order = {reader.name: i for i, reader in enumerate(READERS)}
        counts = source.formats
        return min(counts, key=lambda name: (-counts[name], order[name]))
