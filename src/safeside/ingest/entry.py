"""One readable file (:class:`Entry`), the size :class:`Limits`, and unsafe-name checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from safeside.ingest.post import SourceRef

GIB = 1 << 30
MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    """Size limits for what Safeside will read.

    ``max_file_bytes`` caps one file or archive entry, ``max_archive_bytes`` what a whole
    archive may unpack to, and ``max_ratio`` how much larger than its stored size an
    entry (or a stretch of a compressed tar) may unpack.
    """

    max_file_bytes: int = 4 * GIB
    max_archive_bytes: int = 32 * GIB
    max_ratio: float = 200.0
    max_entries: int = 500_000


DEFAULT_LIMITS = Limits()

#: Files that exporters or operating systems add and that never hold posts.
_JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One readable file: on disk, or inside a zip or tar."""

    path: str
    size: int
    opener: Callable[[], IO[bytes]]
    archive: str | None = None

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.path).suffix.lower()

    @property
    def parts(self) -> tuple[str, ...]:
        return PurePosixPath(self.path).parts

    def open(self) -> IO[bytes]:
        return self.opener()

    def head(self, size: int = 8192) -> bytes:
        """The first ``size`` bytes, for sniffing."""
        with self.open() as stream:
            return stream.read(size)

    def where(self, record: int | None = None, line: int | None = None) -> SourceRef:
        return SourceRef(file=self.path, archive=self.archive, record=record, line=line)


def hidden(name: str) -> bool:
    return name.startswith(".") or name in _JUNK_NAMES or name == "__MACOSX"


def unsafe_name(name: str) -> bool:
    posix = PurePosixPath(name.replace("\\", "/"))
    return posix.is_absolute() or ".." in posix.parts or (len(name) > 1 and name[1] == ":")


def too_large(size: int) -> str:
    return f"is {size / MIB:.0f} MB, over the size limit"
