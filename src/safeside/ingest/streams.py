"""Byte streams that keep damaged and hostile archives in check while they are read.

* :class:`EntryStream` wraps one archive entry: damage met while unpacking it (a bad
  checksum, a cut or corrupt compressed stream) ends the stream early and is reported
  once, so the readers keep every record before the damage instead of losing the file.
* :class:`GuardedStream` wraps a compressed tar (``.tar.gz``, ``.tar.bz2``, ``.tar.xz``)
  and stops with :class:`~safeside.errors.ArchiveError` as soon as the data unpacks far
  more than it is stored (a compression bomb) or past the total size limit. Nothing is
  decompressed whole: it reads at most a few MiB ahead of its checks.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from typing import IO

from safeside.errors import ArchiveError, SafesideError

MIB = 1 << 20
#: Errors the standard library raises for damaged compressed data.
DAMAGE_ERRORS = (
    zipfile.BadZipFile,
    tarfile.TarError,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
)
_STEP = 4 * MIB
#: Compressed bytes a decompressor may have read ahead of what it has handed out.
_SLACK = 256 * 1024
#: Output between ratio checkpoints (the check looks back over at least half of this).
_WINDOW = 256 * MIB
#: The largest single read a tar header (or record) may ask for.
MAX_READ = 256 * MIB


class EntryStream(io.RawIOBase):
    """One entry's bytes; damage ends the stream and calls ``on_damage`` once per entry.

    ``crc`` (a zip entry's stored CRC-32) is checked at the end instead of by
    :mod:`zipfile`, which would throw away the last chunk read with the error.
    """

    def __init__(
        self,
        inner: IO[bytes],
        *,
        limit: int,
        on_damage: Callable[[str, bool], None],
        crc: int | None = None,
    ) -> None:
        super().__init__()
        self._inner = inner
        self._limit = limit
        self._on_damage = on_damage
        self._crc = crc
        self._running = 0
        self._count = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._done:
            return 0
        try:
            size = min(len(buffer), self._limit - self._count + 1)
            # read1 where there is one: a short read keeps the bytes before any damage.
            data = getattr(self._inner, "read1", self._inner.read)(size)
        except SafesideError:
            raise
        except DAMAGE_ERRORS as error:
            self._done = True
            self._on_damage(
                f"is damaged inside the archive ({error}); only the part before the "
                "damage could be read",
                True,
            )
            return 0
        if not data:
            self._done = True
            if self._crc is not None and self._running != self._crc:
                self._on_damage(
                    "fails its checksum (the archive is damaged); Safeside read what it "
                    "could and skipped the damaged records",
                    False,
                )
            return 0
        self._count += len(data)
        if self._count > self._limit:
            raise ArchiveError("an archive entry unpacks to more than its stated size; not read")
        if self._crc is not None:
            self._running = zlib.crc32(data, self._running)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._inner.close()
        super().close()


def decompressor(raw: IO[bytes]) -> io.BufferedIOBase | None:
    """A decompressing reader for a gzip, bzip2 or xz file, or None if ``raw`` is none."""
    magic = raw.read(6)
    raw.seek(0)
    if magic.startswith(b"\x1f\x8b"):
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if magic.startswith(b"BZh"):
        return bz2.BZ2File(raw)
    if magic.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMAFile(raw)
    return None


class GuardedStream(io.RawIOBase):
    """A seekable view of a (possibly compressed) tar that refuses bombs as it goes.

    The unpack ratio is measured over the last 128 to 256 MiB of output, so a bomb hidden
    after gigabytes of ordinary photos is caught as quickly as one at the start.
    """

    def __init__(self, raw: IO[bytes], *, name: str, max_total: int, max_ratio: float) -> None:
        super().__init__()
        self._raw = raw
        self._inner: IO[bytes] | io.BufferedIOBase = decompressor(raw) or raw
        self._compressed = self._inner is not raw
        self._name = name
        self._max_total = max_total
        self._max_ratio = max_ratio
        self._marks = [(0, 0)]
        self._pending: Exception | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._inner.tell()

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > MAX_READ:
            raise ArchiveError(
                f"{self._name} holds an entry header or record over {MAX_READ // MIB} MB "
                "(damaged or hostile); not read"
            )
        if self._pending is not None:
            error, self._pending = self._pending, None
            raise error
        parts: list[bytes] = []
        while size > 0:
            try:  # read1: a short read loses less when the data is damaged
                part = self._read1(min(size, _STEP))
            except DAMAGE_ERRORS as error:
                if not parts:
                    raise
                self._pending = error  # hand out what came before the damage first
                break
            self._check()
            if not part:
                break
            parts.append(part)
            size -= len(part)
        return b"".join(parts)

    def _read1(self, size: int) -> bytes:
        if isinstance(self._inner, io.BufferedIOBase):
            return self._inner.read1(size)
        return self._inner.read(size)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        target = {io.SEEK_SET: offset, io.SEEK_CUR: self.tell() + offset}.get(whence)
        if target is None or not self._compressed:
            position = self._inner.seek(offset, whence)
            self._check()
            return position
        if target < self.tell():
            self._pending = None
            self._inner.seek(target)  # rewinds and unpacks again: data already checked
            self._marks = [(self.tell(), self._raw.tell())]
            return target
        while self.tell() < target:
            if not self.read(min(target - self.tell(), _STEP)):
                break
        return self.tell()

    def _check(self) -> None:
        out, raw = self._inner.tell(), self._raw.tell()
        if out > self._max_total:
            raise ArchiveError(
                f"{self._name} unpacks to more than {self._max_total / (1 << 30):.0f} GB, "
                "over the limit; not read"
            )
        if not self._compressed:
            return
        start_out, start_raw = self._marks[0]
        grown = out - start_out
        if grown >= 16 * MIB and grown / (raw - start_raw + _SLACK) > self._max_ratio:
            raise ArchiveError(
                f"{self._name} unpacks over {self._max_ratio:.0f} times larger than it is "
                "stored (a compression bomb?); not read"
            )
        if out - self._marks[-1][0] >= _WINDOW // 2:
            self._marks = [self._marks[-1], (out, raw)]

    def close(self) -> None:
        if not self.closed and self._inner is not self._raw:
            self._inner.close()
        super().close()


class TarMember(io.RawIOBase):
    """One tar member's bytes, read straight from the (guarded) archive stream.

    Unlike :meth:`tarfile.TarFile.extractfile`, a read that meets damage hands out the
    bytes before it, so a cut or corrupt archive still yields the start of the file.
    """

    def __init__(self, archive: GuardedStream, start: int, size: int) -> None:
        super().__init__()
        self._archive = archive
        self._pos = start
        self._end = start + size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        left = self._end - self._pos
        if left <= 0:
            return 0
        if self._archive.tell() != self._pos:
            self._archive.seek(self._pos)
        data = self._archive.read(min(len(buffer), left, 64 * 1024))
        if not data:
            raise EOFError("the archive ends in the middle of this file")
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)
