"""Safeside's error hierarchy, for problems a person can fix.

Every error Safeside raises on purpose derives from :class:`SafesideError`, and its
message is one plain-English line that says what is wrong and, where it can, what
to do. Callers (the CLI, the web app) show ``str(error)`` and never a traceback::

    SafesideError
    ├── InputError                 bad input: a file, archive or value a person gave us
    │   ├── UnsupportedFormat      no importer recognises the file
    │   │   └── NotText            a file that should be text holds binary data
    │   ├── FileTooLarge           over a size limit
    │   ├── EncodingError          text that cannot be decoded
    │   ├── ArchiveError           a zip or tar that is unsafe, encrypted or damaged
    │   ├── ReadError              a labelled evaluation file (safeside.evaluation.readers)
    │   ├── CpdError               a CPD record that cannot be saved (safeside.learning.cpd)
    │   └── AnswerError            capability answers that no longer fit (…capability.service)
    ├── ContentError               a content or configuration file that cannot be used
    │   ├── PlaybookError          a guidance playbook (safeside.guidance.playbook)
    │   ├── ScenarioError          a training scenario (safeside.learning.scenarios)
    │   ├── LibraryError           a guidance-library page (safeside.learning.library)
    │   └── QuestionnaireError     the capability questionnaire (…capability.questionnaire)
    ├── ConfigError                an organisation's configuration file (safeside.engine)
    ├── AccessDenied, ViewingRefused, NotReady, HashMismatch      (safeside.access.errors)
    ├── NotEnoughAnswers           too few answers to report (…capability.research)
    └── SignInRequired, NotFound, CsrfFailed, UploadTooLarge, AnalysisFailed  (safeside.web)

``InputError``, ``ContentError`` and ``ConfigError`` also derive from ``ValueError``, for
callers that catch that. ``tests/test_errors.py`` checks that every exception class
Safeside defines derives from :class:`SafesideError`.
"""

from __future__ import annotations


class SafesideError(Exception):
    """Base class for every error Safeside raises on purpose."""


class InputError(SafesideError, ValueError):
    """The input a person gave cannot be used as it is."""


class UnsupportedFormat(InputError):
    """No importer recognises the file or folder."""


class NotText(UnsupportedFormat):
    """A file that should be text (``.txt``, ``.json``, ``.csv``) holds binary data."""


class FileTooLarge(InputError):
    """A file or archive entry is over a size limit."""


class EncodingError(InputError):
    """Text that cannot be decoded, even leniently."""


class ArchiveError(InputError):
    """A zip or tar archive that is unsafe, encrypted or damaged."""


class ContentError(SafesideError, ValueError):
    """A content or configuration file (a playbook, scenario, guidance page or
    questionnaire) cannot be used; the message names the file and what to fix."""


__all__ = [
    "ArchiveError",
    "ContentError",
    "EncodingError",
    "FileTooLarge",
    "InputError",
    "NotText",
    "SafesideError",
    "UnsupportedFormat",
]
