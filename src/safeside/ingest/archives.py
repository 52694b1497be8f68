"""Zip and tar archives as :class:`~safeside.ingest.entry.Entry` objects, read in place.

Entries are read one by one and checked one by one. Unsafe entries are refused and
counted (paths that climb out, links, special and sparse files, encrypted entries,
entries over the size limit or that unpack suspiciously well); a damaged entry (bad
checksum, corrupt or cut compressed data, a broken tar header) is reported and the
rest of the archive is still read. An archive over the total size limit, or a
compressed tar that turns out to be a bomb, is refused as a whole with
:class:`~safeside.errors.ArchiveError`.
"""

from __future__ import annotations

import copy
import io
import stat
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path, PurePosixPath
from typing import IO

from safeside.errors import ArchiveError, SafesideError
from safeside.ingest.entry import GIB, MIB, Entry, Limits, hidden, too_large, unsafe_name
from safeside.ingest.post import SourceRef
from safeside.ingest.report import ImportReport
from safeside.ingest.streams import DAMAGE_ERRORS, EntryStream, GuardedStream, TarMember

#: Below this an archive's overall unpack ratio is not checked (small zips compress well).
_RATIO_FLOOR = 64 * MIB

OnDamage = Callable[[str, bool], None]


def _reporter(report: ImportReport, where: SourceRef) -> OnDamage:
    """Report an entry's damage once, however often it is opened."""
    seen: list[str] = []

    def on_damage(message: str, lost: bool) -> None:
        if not seen:
            seen.append(message)
            (report.error if lost else report.warn)("damaged-entry", message, where)

    return on_damage


def _over_total(shown: str, total: int, limits: Limits) -> ArchiveError:
    return ArchiveError(
        f"{shown} would unpack to {total / GIB:.1f} GB, over the "
        f"{limits.max_archive_bytes / GIB:.0f} GB limit"
    )


def zip_entries(
    path: Path, report: ImportReport, stack: ExitStack, limits: Limits, prefix: str | None = None
) -> Iterator[Entry]:
    shown = prefix or path.name
    try:
        archive = stack.enter_context(zipfile.ZipFile(path))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ArchiveError(f"{shown} is not a readable zip file ({error})") from None
    if len(infos) > limits.max_entries:
        raise ArchiveError(
            f"{shown} holds {len(infos)} files, over the limit of {limits.max_entries}"
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_archive_bytes:
        raise _over_total(shown, total, limits)
    if total > _RATIO_FLOOR and total / max(path.stat().st_size, 1) > limits.max_ratio:
        raise ArchiveError(
            f"{shown} would unpack {total / max(path.stat().st_size, 1):.0f} times larger "
            "than it is stored (a zip bomb?); not read"
        )
    for info in sorted(infos, key=lambda i: i.filename):
        name = info.filename
        where = SourceRef(file=name, archive=shown)
        if info.is_dir() or hidden(PurePosixPath(name).name) or name.startswith("__MACOSX/"):
            continue
        refusal = _zip_refusal(info, limits)
        if refusal:
            report.skip(*refusal, where)
            continue
        opener = _zip_opener(archive, info, _reporter(report, where))
        yield Entry(path=name, size=info.file_size, opener=opener, archive=shown)


def _zip_refusal(info: zipfile.ZipInfo, limits: Limits) -> tuple[str, str] | None:
    """``(reason, message)`` when an entry must not be read."""
    if unsafe_name(info.filename):
        return "unsafe-entry", "points outside the archive; not read"
    mode = info.external_attr >> 16
    if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        return "unsafe-entry", "is a link or special file; not read"
    if info.flag_bits & 0x1:
        return (
            "encrypted-entry",
            "is password-protected; unzip it yourself or export again without a password",
        )
    if info.file_size > limits.max_file_bytes:
        return "too-large", too_large(info.file_size)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MIB and ratio > limits.max_ratio:
        return (
            "too-large",
            f"would unpack {ratio:.0f} times larger than it is stored (a zip bomb?); not read",
        )
    return None


def _zip_opener(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, on_damage: OnDamage
) -> Callable[[], IO[bytes]]:
    # The CRC is checked by EntryStream: zipfile would drop the last chunk with the error.
    unchecked = copy.copy(info)
    del unchecked.CRC

    def open_entry() -> IO[bytes]:
        try:
            inner = archive.open(unchecked)
        except (*DAMAGE_ERRORS, NotImplementedError, RuntimeError) as error:
            raise ArchiveError(f"cannot be unpacked ({error}); skipped") from None
        stream = EntryStream(inner, limit=info.file_size, on_damage=on_damage, crc=info.CRC)
        return io.BufferedReader(stream)

    return open_entry


class _Tar(tarfile.TarFile):
    """A tar that counts the damaged header blocks it skips (``ignore_zeros`` resyncs)."""

    bad_blocks = 0

    def _dbg(self, level: int, msg: str) -> None:
        if msg.endswith(("bad checksum", "invalid header")):
            self.bad_blocks += 1


def tar_entries(
    path: Path, report: ImportReport, stack: ExitStack, limits: Limits
) -> Iterator[Entry]:
    raw = stack.enter_context(path.open("rb"))
    try:
        guard = stack.enter_context(
            GuardedStream(
                raw,
                name=path.name,
                max_total=limits.max_archive_bytes,
                max_ratio=limits.max_ratio,
            )
        )
        archive = stack.enter_context(_Tar.open(fileobj=guard, mode="r:", ignore_zeros=True))
    except SafesideError:
        raise
    except (tarfile.TarError, *DAMAGE_ERRORS) as error:
        raise ArchiveError(f"{path.name} is not a readable tar archive ({error})") from None
    assert isinstance(archive, _Tar)
    for member in list(_members(archive, path.name, report, limits)):
        where = SourceRef(file=member.name, archive=path.name)
        if member.isdir() or hidden(PurePosixPath(member.name).name):
            continue
        if unsafe_name(member.name):
            report.skip("unsafe-entry", "points outside the archive; not read", where)
        elif not member.isfile() or member.issparse():
            report.skip("unsafe-entry", "is a link or special file; not read", where)
        elif member.size > limits.max_file_bytes:
            report.skip("too-large", too_large(member.size), where)
        else:
            opener = _tar_opener(guard, member, _reporter(report, where))
            yield Entry(path=member.name, size=member.size, opener=opener, archive=path.name)


def _members(
    archive: _Tar, shown: str, report: ImportReport, limits: Limits
) -> Iterator[tarfile.TarInfo]:
    """The members in archive order, up to any damage the stream cannot get past."""
    count = total = 0
    while True:
        archive.bad_blocks = 0
        try:
            member = archive.next()
        except SafesideError:
            raise
        except (tarfile.TarError, *DAMAGE_ERRORS) as error:
            report.error(
                "damaged-entry",
                f"is damaged after its first {count} files ({error}); those were read, "
                "the rest could not be",
                SourceRef(file=shown),
            )
            return
        if member is None:
            return
        if archive.bad_blocks:
            report.error(
                "damaged-entry",
                "follows a damaged entry header; the damaged entry was skipped",
                SourceRef(file=member.name, archive=shown),
            )
        count += 1
        total += member.size if member.isfile() else 0
        if count > limits.max_entries:
            raise ArchiveError(f"{shown} holds over {limits.max_entries} files, over the limit")
        if total > limits.max_archive_bytes:
            raise _over_total(shown, total, limits)
        yield member


def _tar_opener(
    guard: GuardedStream, member: tarfile.TarInfo, on_damage: OnDamage
) -> Callable[[], IO[bytes]]:
    def open_entry() -> IO[bytes]:
        inner = io.BufferedReader(TarMember(guard, member.offset_data, member.size))
        return io.BufferedReader(EntryStream(inner, limit=member.size, on_damage=on_damage))

    return open_entry
