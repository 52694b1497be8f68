"""What an import read, kept and skipped, and why: :class:`ImportReport`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from safeside.ingest.post import SourceRef

Level = Literal["skipped", "warning", "error"]

#: Plain-English meaning of each reason code, for summaries.
REASONS: dict[str, str] = {
    "no-text": "no text (media, call or empty record)",
    "system": "system message (joined, left, call, encryption notice)",
    "deleted": "deleted message",
    "duplicate": "duplicate of an earlier record",
    "duplicate-file": "file with the same content as one already read (a zip and its "
    "extracted folder, say); read once",
    "invalid-record": "record that could not be parsed",
    "truncated": "file ends in the middle of a record",
    "trailing-comma": "trailing comma in JSON (tolerated)",
    "invalid-utf8": "invalid UTF-8 bytes (replaced with �)",
    "not-utf8": "text not in UTF-8, read as Windows-1252/Latin-1 (check accents)",
    "no-date": "record without a usable date (kept without one)",
    "ambiguous-date": "dates that could be day/month or month/day",
    "mangled-id": "ids changed by a spreadsheet (ids ignored)",
    "unsafe-entry": "unsafe archive entry (path outside the archive or a link)",
    "encrypted-entry": "encrypted archive entry",
    "damaged-entry": "damaged archive entry (bad checksum, corrupt or cut data)",
    "too-large": "file over the size limit",
    "unreadable": "file that could not be read",
    "unknown-file": "file with no posts Safeside reads (media, settings)",
    "ocr-failed": "image whose text could not be read",
}

#: How many individual problems are kept; counts go on past this.
MAX_PROBLEMS = 500


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing that went wrong, naming the file and record."""

    level: Level
    reason: str
    message: str
    where: SourceRef

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "reason": self.reason,
            "message": self.message,
            "where": str(self.where),
            "source": self.where.to_dict(),
        }


@dataclass
class ImportReport:
    """Counts of what an import read and skipped, with the first problems in full."""

    source: str
    formats: Counter[str] = field(default_factory=Counter)
    files_read: int = 0
    files_ignored: int = 0
    posts: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    @property
    def posts_read(self) -> int:
        return sum(self.posts.values())

    @property
    def records_skipped(self) -> int:
        return sum(self.skipped.values())

    def kept(self, platform: str, kind: str) -> None:
        """Count one post handed on."""
        self.posts[f"{platform} {kind}"] += 1

    def skip(self, reason: str, message: str, where: SourceRef, *, quiet: bool = False) -> None:
        """Count a record left out; ``quiet`` counts it without listing it (routine skips)."""
        self.skipped[reason] += 1
        if not quiet:
            self._add(Problem("skipped", reason, message, where))

    def warn(self, reason: str, message: str, where: SourceRef) -> None:
        """Note something odd about a record or file that was still read."""
        self.warnings[reason] += 1
        self._add(Problem("warning", reason, message, where))

    def error(self, reason: str, message: str, where: SourceRef) -> None:
        """Note a file (or the rest of one) that could not be read at all."""
        self.skipped[reason] += 1
        self._add(Problem("error", reason, message, where))

    def _add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def summary_lines(self) -> list[str]:
        """A short plain-English summary, one fact a line."""
        formats = ", ".join(
            f"{name} ({_count(n, 'file')})" for name, n in self.formats.most_common()
        )
        lines = [
            f"Read {_count(self.posts_read, 'post')} from {_count(self.files_read, 'file')}"
            + (f": {formats}" if formats else "")
        ]
        if self.files_ignored:
            lines.append(
                f"Ignored {_count(self.files_ignored, 'file')} with no posts (media, settings)."
            )
        for reason, n in self.skipped.most_common():
            lines.append(f"Skipped {n}: {REASONS.get(reason, reason)}")
        for reason, n in self.warnings.most_common():
            lines.append(f"Warning ×{n}: {REASONS.get(reason, reason)}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "formats": dict(self.formats),
            "files_read": self.files_read,
            "files_ignored": self.files_ignored,
            "posts_read": self.posts_read,
            "posts": dict(self.posts),
            "skipped": dict(self.skipped),
            "warnings": dict(self.warnings),
            "problems": [p.to_dict() for p in self.problems],
        }
