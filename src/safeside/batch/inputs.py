"""Inputs of a batch job: globs, folders and files as :class:`Source` objects, and reading
a record range of each.

Sources are of two kinds:

* **tabular files** (JSON Lines, CSV, Parquet, not inside an archive): a worker reads its
  own record range straight from the file (JSON Lines by byte offset, Parquet by row
  group, CSV by re-reading up to its range), so nothing passes through the client;
* **everything else** the importers read (platform exports, zips, tars, folders, chat
  logs, JSON arrays, screenshots): read in order by :class:`~safeside.ingest.Import` on
  the client, cut into partitions of N posts, and each partition's posts sent to a
  worker. Reading is fast next to the analysis (tens of thousands of posts a second).

A folder whose files are all tabular files or archives is a corpus: each file is its own
source. Any other folder is one export (read by the importers as a whole).
"""

from __future__ import annotations

import glob
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from safeside.errors import InputError
from safeside.ingest.entry import Entry
from safeside.ingest.post import Post, SourceRef
from safeside.ingest.registry import ReadOptions, text_of
from safeside.ingest.report import ImportReport, Problem
from safeside.taxonomy import MODES

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
CSV_SUFFIXES = frozenset({".csv", ".tsv"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
TABULAR_SUFFIXES = JSONL_SUFFIXES | CSV_SUFFIXES | PARQUET_SUFFIXES
ARCHIVE_SUFFIXES = frozenset({".zip", ".tar", ".tgz", ".gz", ".bz2", ".xz"})

#: Extra columns a research corpus may carry (any case), used before the generic ones.
AUTHOR_ID_KEYS = ("author_id", "user_id", "account_id")
POST_ID_KEYS = ("post_id", "tweet_id", "status_id", "message_id", "id")


@dataclass(frozen=True, slots=True)
class Source:
    """One input: ``kind`` is jsonl, csv, parquet or import."""

    label: str
    path: str
    kind: str
    size: int
    mtime_ns: int

    def fingerprint(self) -> list[Any]:
        return [self.label, self.path, self.kind, self.size, self.mtime_ns]


def _hidden(path: Path) -> bool:
    return path.name.startswith(".") or path.name in ("__MACOSX", "Thumbs.db", "desktop.ini")


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    return "import"


def make_source(path: Path, label: str, kind: str | None = None) -> Source:
    """The :class:`Source` for one path (``kind`` forced, or judged from its suffix)."""
    stat = path.stat()
    return Source(
        label=label,
        path=str(path.resolve()),
        kind=kind or ("import" if path.is_dir() else _kind(path)),
        size=0 if path.is_dir() else stat.st_size,
        mtime_ns=0 if path.is_dir() else stat.st_mtime_ns,
    )


def _folder(path: Path, label: str, skip: str | None) -> list[Source]:
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and not any(_hidden(part) for part in p.relative_to(path).parents)
        if not _hidden(p) and not p.is_symlink()
        if not (skip and str(p.resolve()).startswith(skip))
    )
    corpus = files and all(p.suffix.lower() in TABULAR_SUFFIXES | ARCHIVE_SUFFIXES for p in files)
    if not corpus:
        return [make_source(path, label, "import")]
    return [make_source(p, str(Path(label) / p.relative_to(path))) for p in files]


def expand_inputs(inputs: list[str], exclude: Path | None = None) -> list[Source]:
    """Every source named by ``inputs`` (paths, folders, globs), in order, each once;
    nothing inside ``exclude`` (the results folder, when it sits in an input folder)."""
    sources: list[Source] = []
    seen: set[str] = set()
    skip = str(exclude.resolve()) + "/" if exclude else None
    for given in inputs:
        path = Path(given)
        if path.exists():
            found = [(path, given)]
        elif glob.has_magic(given):
            found = [(Path(p), p) for p in sorted(glob.glob(given, recursive=True))]  # noqa: PTH207 (absolute patterns too)
            if not found:
                raise InputError(f"{given} matches no files")
        else:
            raise InputError(f"{given} does not exist")
        for item, label in found:
            if _hidden(item):
                continue
            here = _folder(item, label, skip) if item.is_dir() else [make_source(item, label)]
            for source in here:
                if skip and (source.path + "/").startswith(skip):
                    continue
                if source.path not in seen:
                    seen.add(source.path)
                    sources.append(source)
    if not sources:
        raise InputError("no input files found")
    return sources


# -- problems per partition ------------------------------------------------------------------


@dataclass
class StreamingReport(ImportReport):
    """An import report that also hands every listed problem to the current partition
    (``drain``), however many there are; ``max_record`` is the highest record index any
    problem named (CSV rows counted but not kept)."""

    pending: list[Problem] = field(default_factory=list)
    max_record: int = -1

    def _note(self, reason: str, message: str, where: SourceRef, level: str) -> None:
        self.pending.append(Problem(level, reason, message, where))  # type: ignore[arg-type]
        if where.record is not None:
            self.max_record = max(self.max_record, where.record)

    def skip(self, reason: str, message: str, where: SourceRef, *, quiet: bool = False) -> None:
        super().skip(reason, message, where, quiet=quiet)
        if not quiet:
            self._note(reason, message, where, "skipped")

    def warn(self, reason: str, message: str, where: SourceRef) -> None:
        super().warn(reason, message, where)
        self._note(reason, message, where, "warning")

    def error(self, reason: str, message: str, where: SourceRef) -> None:
        super().error(reason, message, where)
        self._note(reason, message, where, "error")

    def drain(self) -> list[Problem]:
        taken, self.pending = self.pending, []
        return taken

    @classmethod
    def taking_over(cls, report: ImportReport) -> StreamingReport:
        """A streaming report that carries on from ``report`` (its counts and problems)."""
        new = cls(source=report.source)
        new.formats.update(report.formats)
        new.files_read, new.files_ignored = report.files_read, report.files_ignored
        new.posts.update(report.posts)
        new.skipped.update(report.skipped)
        new.warnings.update(report.warnings)
        new.problems.extend(report.problems)
        new.pending.extend(report.problems)
        return new


# -- tabular records -------------------------------------------------------------------------


def _lowered(record: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in record.items()}


def _plain(value: Any) -> Any:
    """Parquet values as the generic reader expects them (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def post_from_row(
    record: Any,
    platform: str,
    where: SourceRef,
    report: ImportReport,
    options: ReadOptions,
) -> tuple[Post, str | None] | None:
    """A post (and the record's own ``mode``, if any) from a JSON Lines, CSV or Parquet record.

    The text, date, author and URL columns are the generic reader's; a ``platform``
    column, an ``author_id``/``user_id`` column and a ``post_id``/``id`` column are used
    when present.
    """
    from safeside.ingest.readers.generic import post_from_record

    if isinstance(record, dict):
        record = {k: _plain(v) for k, v in record.items()}
    post = post_from_record(record, platform, where, report, options)
    if post is None:
        return None
    if not isinstance(record, dict):
        return post, None
    lowered = _lowered(record)
    author = next(
        (text_of(str(lowered[k])) for k in AUTHOR_ID_KEYS if lowered.get(k) not in (None, "")),
        None,
    )
    post_id = next(
        (text_of(str(lowered[k])) for k in POST_ID_KEYS if lowered.get(k) not in (None, "")),
        None,
    )
    post = replace(
        post,
        platform=text_of(lowered.get("platform")) or post.platform,
        author=author or post.author,
        id=post_id or post.id,
    )
    mode = text_of(lowered.get("mode")).lower()
    return post, mode if mode in MODES else None


Item = tuple[int, Post, str | None]


def scan_jsonl(path: str, size: int) -> tuple[int, list[int]]:
    """Lines in a JSON Lines file, and the byte offset of every ``size``-th line."""
    offsets = [0]
    lines = position = 0
    with Path(path).open("rb") as stream:
        for line in stream:
            lines += 1
            position += len(line)
            if lines % size == 0:
                offsets.append(position)
    return lines, offsets


def read_jsonl(
    source: Source,
    start: int,
    stop: int,
    offset: int,
    report: ImportReport,
    options: ReadOptions,
) -> Iterator[Item]:
    """Lines ``start`` to ``stop`` (0-based) of a JSON Lines file, from byte ``offset``."""
    with Path(source.path).open("rb") as stream:
        stream.seek(offset)
        for index, raw in enumerate(islice(stream, stop - start), start=start):
            where = SourceRef(file=source.label, record=index, line=index + 1)
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8-sig" if index == 0 else "utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                report.warn("invalid-utf8", "has bytes that are not UTF-8 (replaced)", where)
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                report.skip("invalid-record", f"is not valid JSON ({error.msg})", where)
                continue
            found = post_from_row(record, "jsonl", where, report, options)
            if found:
                yield index, found[0], found[1]


def _csv_entry(source: Source) -> Entry:
    path = Path(source.path)
    return Entry(path=source.label, size=source.size, opener=lambda: path.open("rb"))


def count_csv(source: Source) -> int:
    """Records in a CSV file (bad rows included: they are counted and reported)."""
    from safeside.ingest.csvrows import csv_rows

    report = StreamingReport(source=source.label)
    last = -1
    for index, _line, _row in csv_rows(_csv_entry(source), report):
        last = index
    return max(last, report.max_record) + 1


def read_csv(
    source: Source, start: int, stop: int, report: StreamingReport, options: ReadOptions
) -> Iterator[Item]:
    """Records ``start`` to ``stop`` of a CSV file (earlier rows are parsed and passed over).

    Problems outside the range are dropped here: the partition that holds them reports
    them. Problems without a record (a bad header, over-long lines) go to the last one.
    """
    from safeside.ingest.csvrows import csv_rows

    entry = _csv_entry(source)
    rows = csv_rows(entry, report)
    try:
        for index, line, record in rows:
            if index >= stop:
                break
            if index >= start:
                where = entry.where(index, line)
                found = post_from_row(record, "csv", where, report, options)
                if found:
                    yield index, found[0], found[1]
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def keep_problems(problems: list[Problem], start: int, stop: int, last: bool) -> list[Problem]:
    """The problems that belong to records ``start`` to ``stop`` (file-wide ones to the last)."""
    return [
        p
        for p in problems
        if (p.where.record is None and last)
        or (p.where.record is not None and start <= p.where.record < stop)
    ]


def parquet_rows(path: str) -> int:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    return int(pq.ParquetFile(path).metadata.num_rows)


def read_parquet(
    source: Source, start: int, stop: int, report: ImportReport, options: ReadOptions
) -> Iterator[Item]:
    """Rows ``start`` to ``stop`` of a Parquet file, reading only the row groups they are in."""
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(source.path)
    groups: list[int] = []
    first = at = 0
    for number in range(parquet.metadata.num_row_groups):
        rows = parquet.metadata.row_group(number).num_rows
        if at + rows > start and at < stop:
            if not groups:
                first = at
            groups.append(number)
        at += rows
    if not groups:
        return
    chunk = parquet.read_row_groups(groups).slice(start - first, stop - start)
    for index, record in enumerate(chunk.to_pylist(), start=start):
        where = SourceRef(file=source.label, record=index)
        found = post_from_row(record, "parquet", where, report, options)
        if found:
            yield index, found[0], found[1]
