"""Password hashing with argon2id, upgraded to current parameters on sign-in."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
#: A real hash of a random password, checked when the email is unknown, so that
#: a wrong email takes as long as a wrong password (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash("safeside-no-such-user")


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the hasher (tests use cheap parameters to stay fast)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("safeside-no-such-user")


def hash_password(password: str) -> str:
    return str(_hasher.hash(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; always does the work of one verification."""
    try:
        return bool(_hasher.verify(stored_hash or _DUMMY_HASH, password)) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the current ones."""
    try:
        return bool(_hasher.check_needs_rehash(stored_hash))
    except InvalidHashError:
        return True
