"""Files, folders, zips and tars as one list of :class:`Entry` objects, read safely.

Nothing is ever extracted to disk: archive entries are streamed. Unsafe entries are
refused one by one (and counted) rather than failing the whole archive:

* paths that climb out of the archive (``../``) or are absolute;
* symbolic links, devices and other non-regular files;
* encrypted zip entries;
* entries that are too big, or compress suspiciously well (zip bombs).

An archive whose declared total size is over the limit is refused as a whole.
"""

from __future__ import annotations

import os
import stat
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from safeside.errors import ArchiveError, FileTooLarge, InputError
from safeside.ingest.post import SourceRef
from safeside.ingest.report import ImportReport

GIB = 1 << 30
MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    """Size limits for what Safeside will read."""

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


def is_archive(path: Path) -> bool:
    """Whether ``path`` is a zip or tar file (by content, not name)."""
    if not path.is_file():
        return False
    if zipfile.is_zipfile(path):
        return True
    try:
        return tarfile.is_tarfile(path)
    except OSError:
        return False


def iter_entries(
    path: Path, report: ImportReport, stack: ExitStack, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Entry]:
    """Every readable file under ``path`` (a file, folder, zip or tar), in a stable order.

    Archives are kept open on ``stack``; close it when done with the entries.
    """
    if not path.exists():
        raise InputError(f"{path} does not exist")
    if path.is_dir():
        yield from _folder_entries(path, report, stack, limits)
    elif zipfile.is_zipfile(path):
        yield from _zip_entries(path, report, stack, limits)
    elif is_archive(path):
        yield from _tar_entries(path, report, stack, limits)
    elif path.suffix.lower() == ".zip":
        raise ArchiveError(
            f"{path.name} is not a readable zip file (damaged or incomplete download?)"
        )
    else:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise FileTooLarge(
                f"{path.name} is {size / GIB:.1f} GB, over the {limits.max_file_bytes / GIB:.0f} GB limit"
            )
        yield _disk_entry(path, path.name, size)


def _disk_entry(path: Path, shown: str, size: int) -> Entry:
    return Entry(path=shown, size=size, opener=lambda: path.open("rb"))


def _folder_entries(
    root: Path, report: ImportReport, stack: ExitStack, limits: Limits
) -> Iterator[Entry]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
        here = Path(dirpath)
        for filename in sorted(filenames):
            if _hidden(filename):
                continue
            full = here / filename
            shown = full.relative_to(root).as_posix()
            if full.is_symlink():
                report.skip(
                    "unsafe-entry",
                    "is a link; Safeside does not follow links",
                    SourceRef(file=shown, archive=root.name),
                )
                continue
            size = full.stat().st_size
            if size > limits.max_file_bytes:
                report.skip(
                    "too-large", f"is {size / MIB:.0f} MB, over the size limit", SourceRef(shown)
                )
                continue
            if full.suffix.lower() == ".zip" and zipfile.is_zipfile(full):
                yield from _zip_entries(full, report, stack, limits, prefix=shown)
                continue
            yield _disk_entry(full, shown, size)


def _hidden(name: str) -> bool:
    return name.startswith(".") or name in _JUNK_NAMES or name == "__MACOSX"


def _unsafe_name(name: str) -> bool:
    posix = PurePosixPath(name.replace("\\", "/"))
    return posix.is_absolute() or ".." in posix.parts or (len(name) > 1 and name[1] == ":")


def _zip_entries(
    path: Path, report: ImportReport, stack: ExitStack, limits: Limits, prefix: str | None = None
) -> Iterator[Entry]:
    shown_archive = prefix or path.name
    try:
        archive = stack.enter_context(zipfile.ZipFile(path))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"{shown_archive} is not a readable zip file ({error})") from None
    if len(infos) > limits.max_entries:
        raise ArchiveError(
            f"{shown_archive} holds {len(infos)} files, over the limit of {limits.max_entries}"
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_archive_bytes:
        raise ArchiveError(
            f"{shown_archive} would unpack to {total / GIB:.1f} GB, over the "
            f"{limits.max_archive_bytes / GIB:.0f} GB limit"
        )
    for info in sorted(infos, key=lambda i: i.filename):
        name = info.filename
        where = SourceRef(file=name, archive=shown_archive)
        if info.is_dir() or _hidden(PurePosixPath(name).name) or name.startswith("__MACOSX/"):
            continue
        if _unsafe_name(name):
            report.skip("unsafe-entry", "points outside the archive; not read", where)
            continue
        mode = info.external_attr >> 16
        if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
            report.skip("unsafe-entry", "is a link or special file; not read", where)
            continue
        if info.flag_bits & 0x1:
            report.skip(
                "encrypted-entry",
                "is password-protected; unzip it yourself or export again without a password",
                where,
            )
            continue
        if info.file_size > limits.max_file_bytes:
            report.skip(
                "too-large", f"is {info.file_size / MIB:.0f} MB, over the size limit", where
            )
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MIB and ratio > limits.max_ratio:
            report.skip(
                "too-large",
                f"would unpack {ratio:.0f} times larger than it is stored (a zip bomb?); not read",
                where,
            )
            continue
        yield Entry(
            path=name,
            size=info.file_size,
            opener=_zip_opener(archive, info),
            archive=shown_archive,
        )


def _zip_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    def open_entry() -> IO[bytes]:
        try:
            return archive.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as error:
            raise ArchiveError(f"{info.filename}: cannot be unpacked ({error})") from None

    return open_entry


def _tar_entries(
    path: Path, report: ImportReport, stack: ExitStack, limits: Limits
) -> Iterator[Entry]:
    try:
        archive = stack.enter_context(tarfile.open(path, "r:*"))  # noqa: SIM115 (closed by stack)
        members = archive.getmembers()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise ArchiveError(f"{path.name} is not a readable tar archive ({error})") from None
    total = sum(m.size for m in members if m.isfile())
    if total > limits.max_archive_bytes:
        raise ArchiveError(f"{path.name} would unpack to {total / GIB:.1f} GB, over the limit")
    for member in sorted(members, key=lambda m: m.name):
        where = SourceRef(file=member.name, archive=path.name)
        if member.isdir() or _hidden(PurePosixPath(member.name).name):
            continue
        if _unsafe_name(member.name):
            report.skip("unsafe-entry", "points outside the archive; not read", where)
            continue
        if not member.isfile():
            report.skip("unsafe-entry", "is a link or special file; not read", where)
            continue
        if member.size > limits.max_file_bytes:
            report.skip("too-large", f"is {member.size / MIB:.0f} MB, over the size limit", where)
            continue
        yield Entry(
            path=member.name,
            size=member.size,
            opener=_tar_opener(archive, member),
            archive=path.name,
        )


def _tar_opener(archive: tarfile.TarFile, member: tarfile.TarInfo) -> Callable[[], IO[bytes]]:
    def open_entry() -> IO[bytes]:
        stream = archive.extractfile(member)
        if stream is None:
            raise ArchiveError(f"{member.name}: cannot be unpacked")
        return stream

    return open_entry
