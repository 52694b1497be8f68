"""The organisation signing key (Ed25519): where it lives, how it is made, rotated and trusted.

The private key signs audit checkpoints and evidence-bundle manifests. It is found, in
this order:

1. ``SAFESIDE_SIGNING_KEY``: the key itself (PEM, or the base64 of its 32-byte seed);
2. ``SAFESIDE_SIGNING_KEY_FILE``: a PEM file, best kept outside the data folder;
3. ``<data folder>/signing.key``, created at set-up (first ``safeside serve`` or
   ``safeside db upgrade``) with owner-only permissions (0600).

Every public key the organisation has used is kept in ``<data folder>/signing-keys.json``
(the keyring) and in the audit log (``registered_signing_key``), so that checkpoints
and bundles signed before a rotation still verify.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import stat
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from safeside.errors import SafesideError

ALGORITHM = "ed25519"
KEY_FILE_NAME = "signing.key"
KEYRING_NAME = "signing-keys.json"
KEYRING_SCHEMA = "safeside.keyring/1"
ENV_KEY = "SAFESIDE_SIGNING_KEY"
ENV_KEY_FILE = "SAFESIDE_SIGNING_KEY_FILE"


class SigningKeyError(SafesideError):
    """The signing key cannot be read, made or rotated; the message says what to do."""


def key_id_of(raw_public: bytes) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(raw_public).hexdigest()[:16]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A public key the organisation has used, as kept in the keyring."""

    key_id: str
    public_key: str
    created_at: str = ""
    retired_at: str = ""

    @classmethod
    def from_base64(cls, public_key: str, **kwargs: str) -> PublicKey:
        """Raises :class:`SigningKeyError` when ``public_key`` is not 32 bytes of base64."""
        try:
            raw = _unb64(public_key)
        except (binascii.Error, ValueError):
            raise SigningKeyError("a public key is not valid base64") from None
        if len(raw) != 32:
            raise SigningKeyError("a public key is not 32 bytes long")
        return cls(key_id=key_id_of(raw), public_key=public_key, **kwargs)

    def verify(self, signature: str, message: bytes) -> bool:
        """True when ``signature`` (base64) is this key's signature of ``message``."""
        try:
            key = Ed25519PublicKey.from_public_bytes(_unb64(self.public_key))
            key.verify(_unb64(signature), message)
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True

    def to_dict(self) -> dict[str, str]:
        return {
            "algorithm": ALGORITHM,
            "key_id": self.key_id,
            "public_key": self.public_key,
            "created_at": self.created_at,
            "retired_at": self.retired_at,
        }


class SigningKey:
    """The organisation's private key and where it came from."""

    def __init__(self, private: Ed25519PrivateKey, source: str, path: Path | None = None) -> None:
        self._private = private
        self.source = source
        self.path = path
        raw = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.key_id = key_id_of(raw)
        self.public_key = _b64(raw)

    @classmethod
    def generate(cls, source: str = "new", path: Path | None = None) -> SigningKey:
        return cls(Ed25519PrivateKey.generate(), source, path)

    def sign(self, message: bytes) -> str:
        """The base64 Ed25519 signature of ``message``."""
        return _b64(self._private.sign(message))

    def public(self, created_at: str = "") -> PublicKey:
        return PublicKey(self.key_id, self.public_key, created_at=created_at)

    def pem(self) -> bytes:
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def describe(self) -> str:
        where = {"env": f"the {ENV_KEY} variable", "new": "a new key"}.get(
            self.source, str(self.path)
        )
        return f"key {self.key_id} from {where}"


@dataclass(frozen=True, slots=True)
class KeySettings:
    """Where to look for the key: the few settings this module needs."""

    data_dir: Path
    key_text: str = ""
    key_file: Path | None = None

    @property
    def file(self) -> Path:
        """The file that holds (or will hold) the key when it is not in the environment."""
        return self.key_file or self.data_dir / KEY_FILE_NAME

    @property
    def keyring(self) -> Path:
        return self.data_dir / KEYRING_NAME


def _parse_key_text(text: str, where: str) -> Ed25519PrivateKey:
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            seed = _unb64(text)
            if len(seed) != 32:
                raise ValueError("not 32 bytes")
            key = Ed25519PrivateKey.from_private_bytes(seed)
    except (ValueError, TypeError, binascii.Error):
        raise SigningKeyError(
            f"{where} does not hold an Ed25519 private key (PEM, or the base64 of its 32-byte seed)"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{where} holds a key that is not Ed25519")
    return key


def _check_permissions(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SigningKeyError(
            f"the signing key {path} can be read by other users (mode {mode:o}); "
            f"run `chmod 600 {path}`"
        )


def load_key(settings: KeySettings) -> SigningKey | None:
    """The configured key, or None when none has been made yet.

    Raises:
        SigningKeyError: the key is set but unreadable, malformed or too widely readable.
    """
    if settings.key_text.strip():
        return SigningKey(_parse_key_text(settings.key_text, ENV_KEY), "env")
    path = settings.file
    if not path.exists():
        return None
    _check_permissions(path)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise SigningKeyError(f"cannot read the signing key {path} ({error})") from None
    return SigningKey(_parse_key_text(text, str(path)), "file", path)


def _write_private(path: Path, key: SigningKey) -> None:
    """Write ``key`` to ``path`` (mode 0600 from the start), replacing any file there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key.pem())
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    key.path = path
    key.source = "file"


def ensure_key(settings: KeySettings) -> tuple[SigningKey, bool]:
    """The key, made and stored (0600) if there is none yet; and whether it was made now.

    The key's public half is added to the keyring either way.
    """
    key = load_key(settings)
    created = key is None
    if key is None:
        key = SigningKey.generate()
        _write_private(settings.file, key)
    add_to_keyring(settings, key.public(created_at=_now()))
    return key, created


def rotate_key(settings: KeySettings) -> tuple[SigningKey | None, SigningKey]:
    """Make a new key, retire the old one in the keyring, and store the new one.

    The old public key stays in the keyring (and, through the caller, in the audit log),
    so what it signed still verifies. The old private key is overwritten.

    Raises:
        SigningKeyError: the key comes from ``SAFESIDE_SIGNING_KEY``, which Safeside
            cannot change.
    """
    if settings.key_text.strip():
        raise SigningKeyError(
            f"the signing key is set by {ENV_KEY}, which Safeside cannot change. Make a new "
            f"key with `safeside keys rotate --print` and put it in {ENV_KEY}"
        )
    old = load_key(settings)
    new = SigningKey.generate()
    if old is not None:
        retire(settings, old.key_id)
    _write_private(settings.file, new)
    add_to_keyring(settings, new.public(created_at=_now()))
    return old, new


def new_key_for_environment(settings: KeySettings) -> tuple[SigningKey | None, SigningKey]:
    """A new key to be put in ``SAFESIDE_SIGNING_KEY`` by hand; the keyring learns it now."""
    old = load_key(settings)
    new = SigningKey.generate()
    if old is not None:
        retire(settings, old.key_id)
    add_to_keyring(settings, new.public(created_at=_now()))
    return old, new


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_keyring(path: Path) -> list[PublicKey]:
    """Every public key in the keyring file (none if it does not exist).

    Raises:
        SigningKeyError: the file exists but is not a keyring.
    """
    if not path.exists():
        return []
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        entries = data["keys"]
        return [
            PublicKey.from_base64(
                str(entry["public_key"]),
                created_at=str(entry.get("created_at", "")),
                retired_at=str(entry.get("retired_at", "")),
            )
            for entry in entries
        ]
    except (OSError, ValueError, KeyError, TypeError, SigningKeyError) as error:
        raise SigningKeyError(f"the keyring {path} cannot be read ({error})") from None


def _write_keyring(path: Path, keys: list[PublicKey]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"schema": KEYRING_SCHEMA, "keys": [key.to_dict() for key in keys]}
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)


def add_to_keyring(settings: KeySettings, key: PublicKey) -> None:
    keys = read_keyring(settings.keyring)
    if any(k.key_id == key.key_id for k in keys):
        return
    _write_keyring(settings.keyring, [*keys, key])


def retire(settings: KeySettings, key_id: str) -> None:
    keys = read_keyring(settings.keyring)
    when = _now()
    _write_keyring(
        settings.keyring,
        [replace(k, retired_at=k.retired_at or when) if k.key_id == key_id else k for k in keys],
    )
