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


#: Rules for a new password (NCSC: length matters more than mixing character types).
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200


def new_password_problem(password: str, email: str = "") -> str | None:
    """What is wrong with ``password`` as a new password, in GOV.UK words, or None."""
    if not password:
        return "Enter a new password"
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    if email and password.strip().lower() == email.strip().lower():
        return "Password must not be your email address"
    return None
