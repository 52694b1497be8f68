"""Safeside's error hierarchy, for problems a person can fix.

Every error Safeside raises on purpose derives from :class:`SafesideError`, and its
message is one plain-English line that says what is wrong and, where it can, what
to do. Callers (the CLI, the web app) show ``str(error)`` and never a traceback::

    SafesideError
    └── InputError                 bad input: a file, archive or value a person gave us
        ├── UnsupportedFormat      no importer recognises the file
        ├── FileTooLarge           over a size limit
        ├── EncodingError          text that cannot be decoded
        └── ArchiveError           a zip or tar that is unsafe, encrypted or damaged
"""

from __future__ import annotations


class SafesideError(Exception):
    """Base class for every error Safeside raises on purpose."""


class InputError(SafesideError, ValueError):
    """The input a person gave cannot be used as it is."""


class UnsupportedFormat(InputError):
    """No importer recognises the file or folder."""


class FileTooLarge(InputError):
    """A file or archive entry is over a size limit."""


class EncodingError(InputError):
    """Text that cannot be decoded, even leniently."""


class ArchiveError(InputError):
    """A zip or tar archive that is unsafe, encrypted or damaged."""


__all__ = [
    "ArchiveError",
    "EncodingError",
    "FileTooLarge",
    "InputError",
    "SafesideError",
    "UnsupportedFormat",
]
