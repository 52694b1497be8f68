"""Files, folders, zips and tars as one list of :class:`Entry` objects, read safely.

Nothing is ever extracted to disk: archive entries are streamed, and checked one by
one (see :mod:`safeside.ingest.archives`). Unsafe or damaged entries are refused (and
counted) rather than failing the whole archive:

* paths that climb out of the archive (``../``) or are absolute;
* symbolic links, devices, sparse and other non-regular files;
* encrypted zip entries;
* entries that are too big, or compress suspiciously well (zip bombs);
* entries with a bad checksum, corrupt compressed data or a broken header.

An archive over the total size limit, or a compressed tar that unpacks suspiciously
well, is refused as a whole.
"""

from __future__ import annotations

import os
import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from safeside.errors import ArchiveError, FileTooLarge, InputError
from safeside.ingest.archives import tar_entries, zip_entries
from safeside.ingest.entry import DEFAULT_LIMITS, GIB, Entry, Limits, hidden, too_large
from safeside.ingest.post import SourceRef
from safeside.ingest.report import ImportReport

__all__ = ["DEFAULT_LIMITS", "Entry", "Limits", "is_archive", "iter_entries"]


#: How a zip file begins: a local file header, or the end record of an empty archive.
ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def is_zip(path: Path) -> bool:
    """Whether ``path`` is a zip file. ``zipfile.is_zipfile`` alone looks for the end
    record anywhere near the end, so a JSON or text export that merely *contains* the
    bytes ``PK\\x05\\x06`` would pass; a real export's zip starts with a zip header, and
    its directory opens (a text export whose damaged first record begins with those bytes
    is read as text, so only that record is lost)."""
    try:
        with path.open("rb") as fh:
            start = fh.read(4)
    except OSError:
        return False
    if start not in ZIP_STARTS or not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return True


def is_archive(path: Path) -> bool:
    """Whether ``path`` is a zip or tar file (by content, not name)."""
    if not path.is_file():
        return False
    if is_zip(path):
        return True
    try:
        return tarfile.is_tarfile(path)
    except (OSError, EOFError, tarfile.TarError):
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
    elif is_zip(path):
        yield from zip_entries(path, report, stack, limits)
    elif is_archive(path):
        yield from tar_entries(path, report, stack, limits)
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
        dirnames[:] = sorted(d for d in dirnames if not hidden(d))
        here = Path(dirpath)
        for filename in sorted(filenames):
            if hidden(filename):
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
                report.skip("too-large", too_large(size), SourceRef(shown))
                continue
            if full.suffix.lower() == ".zip" and is_zip(full):
                yield from zip_entries(full, report, stack, limits, prefix=shown)
                continue
            yield _disk_entry(full, shown, size)
