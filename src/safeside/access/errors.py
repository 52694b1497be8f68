"""Errors the web app and CLI turn into plain-English messages.

``safeside.errors`` holds the shared hierarchy; these add access, viewing and
integrity problems for the casebook::

    SafesideError
    ├── AccessDenied        the policy refused this action
    ├── ViewingRefused      a viewing that must never happen (fake profile, friend request)
    ├── NotReady            a step that needs something first (e.g. a manager's authorisation)
    └── HashMismatch        a record, event or bundle file does not match its hash
"""

from __future__ import annotations

from safeside.errors import SafesideError


class AccessDenied(SafesideError):
    """The signed-in user may not do this; shown as 'You do not have access'."""


class ViewingRefused(SafesideError):
    """The viewing method is never allowed, whatever the reason given."""


class NotReady(SafesideError):
    """This step needs an earlier one first."""


class HashMismatch(SafesideError):
    """Stored data does not match the hash it was sealed with.

    (Not ``IntegrityError``: that name is SQLAlchemy's, for a broken database constraint.)
    """
