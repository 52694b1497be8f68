#!/usr/bin/env python3
"""Check a Safeside evidence bundle on its own: no Safeside, no database, no network.

Shipped inside every bundle as ``verify_bundle.py``. Run it with Python 3.9 or later::

    python3 verify_bundle.py                     # the bundle this script sits in
    python3 verify_bundle.py BUNDLE.zip          # a zip, a folder or a manifest.json
    python3 verify_bundle.py BUNDLE.zip --key KEY_ID_OR_PUBLIC_KEY

It checks that ``manifest.json`` is exactly what the organisation signed (Ed25519,
``manifest.sig``), that every file listed in it is present and unchanged (SHA-256),
that nothing was added, and that the audit checkpoint inside is signed too. Any
changed byte in any file or in the manifest fails the check.

A signature only proves who signed if you know the key: compare the key id printed
below with the one your organisation publishes, or pass it with ``--key``.

Signatures are checked with the ``cryptography`` package when it is installed, and
otherwise with the short pure-Python Ed25519 verifier below (RFC 8032, section 5.1.7).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import io
import json
import sys
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

SCHEMA = "safeside.bundle/2"
LEGACY_SCHEMA = "safeside.bundle/1"
CHECKPOINT_SCHEMA = "safeside.checkpoint/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
#: Files every bundle carries besides the evidence (listed and hashed in the manifest).
SUPPORT_FILES = ("README.txt", "verify_bundle.py")

# -- Ed25519 verification, pure Python (RFC 8032) ---------------------------------------

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
#: A point in extended coordinates (X, Y, Z, T).
Point = tuple[int, int, int, int]


def _add(p: Point, q: Point) -> Point:
    a = (p[1] - p[0]) * (q[1] - q[0]) % _P
    b = (p[1] + p[0]) * (q[1] + q[0]) % _P
    c = 2 * p[3] * q[3] * _D % _P
    d = 2 * p[2] * q[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _multiply(scalar: int, point: Point) -> Point:
    result: Point = (0, 1, 1, 0)
    while scalar > 0:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _same(p: Point, q: Point) -> bool:
    return (p[0] * q[2] - q[0] * p[2]) % _P == 0 and (p[1] * q[2] - q[1] * p[2]) % _P == 0


def _x_from(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


def _decode_point(data: bytes) -> Point | None:
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _x_from(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_BASE_Y = 4 * pow(5, _P - 2, _P) % _P
_BASE: Point = (_x_from(_BASE_Y, 0) or 0, _BASE_Y, 1, (_x_from(_BASE_Y, 0) or 0) * _BASE_Y % _P)


def ed25519_verify_pure(public: bytes, signature: bytes, message: bytes) -> bool:
    """RFC 8032 Ed25519 verification in pure Python (slow, about 20 ms, but exact)."""
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decode_point(public)
    r = _decode_point(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _L
    return _same(_multiply(s, _BASE), _add(r, _multiply(h, a)))


def ed25519_verify(public: bytes, signature: bytes, message: bytes) -> bool:
    """Ed25519 verification with ``cryptography`` if installed, else :func:`ed25519_verify_pure`."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        return ed25519_verify_pure(public, signature, message)
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# -- Signatures over JSON and over the manifest ----------------------------------------------


def canonical(value: Any) -> bytes:
    """JSON with sorted keys and no spaces, as Safeside signs it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def key_id_of(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def _unb64(text: str) -> bytes:
    """Strict base64: the text must be exactly what encoding its bytes gives back, so a
    changed character in the unused bits of the last digit is not silently accepted."""
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if base64.b64encode(raw).decode("ascii") != text:
        raise ValueError("not canonical base64")
    return raw


def _check(
    key_id: Any,
    public: Any,
    signature: Any,
    message: bytes,
    trusted: Mapping[str, str] | None,
) -> str | None:
    if not (isinstance(key_id, str) and isinstance(public, str) and isinstance(signature, str)):
        return "is not signed"
    try:
        raw_public, raw_signature = _unb64(public), _unb64(signature)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return "has a key or signature that is not valid base64"
    if key_id_of(raw_public) != key_id:
        return "names a key id that does not match its public key"
    if trusted is not None:
        if key_id not in trusted:
            return f"is signed by key {key_id}, which is not one of the organisation's keys"
        try:
            raw_public = _unb64(trusted[key_id])
        except (binascii.Error, ValueError):
            return f"cannot be checked: the organisation's key {key_id} is not valid base64"
    if not ed25519_verify(raw_public, raw_signature, message):
        return "does not match its signature (it was edited after it was signed)"
    return None


def statement_problem(
    statement: Mapping[str, Any],
    trusted: Mapping[str, str] | None = None,
) -> str | None:
    """Why a signed JSON statement (a checkpoint) cannot be trusted, or None."""
    body = canonical({k: v for k, v in statement.items() if k != "signature"})
    return _check(
        statement.get("key_id"),
        statement.get("public_key"),
        statement.get("signature"),
        body,
        trusted,
    )


def manifest_problem(
    manifest: bytes,
    signature_file: bytes | None,
    trusted: Mapping[str, str] | None = None,
) -> str | None:
    """Why ``manifest.json``'s exact bytes do not match ``manifest.sig``, or None."""
    if signature_file is None:
        return "is not signed (manifest.sig is missing)"
    try:
        signature = json.loads(signature_file)
    except ValueError:
        signature = None
    if not isinstance(signature, dict):
        return "has a signature file (manifest.sig) that cannot be read"
    if canonical(signature) + b"\n" != signature_file:
        return "has a signature file (manifest.sig) that was edited"
    if signature.get("algorithm") != "ed25519":
        return "is signed with an algorithm this verifier does not know"
    return _check(
        signature.get("key_id"),
        signature.get("public_key"),
        signature.get("value"),
        manifest,
        trusted,
    )


def signature_file(key_id: str, public_key: str, value: str) -> bytes:
    """The exact bytes of ``manifest.sig``."""
    return (
        canonical(
            {"algorithm": "ed25519", "key_id": key_id, "public_key": public_key, "value": value}
        )
        + b"\n"
    )


# -- Reading a bundle: a zip, a folder, or a manifest.json in a folder ----------------------


class _Bundle:
    def __init__(self, path: Path) -> None:
        self.zip: zipfile.ZipFile | None = None
        self.folder: Path | None = None
        self.duplicates: list[str] = []
        #: files whose compressed data is damaged (CRC or deflate errors), with why
        self.damaged: dict[str, str] = {}
        if path.is_dir():
            self.folder = path
        elif path.name == MANIFEST:
            self.folder = path.parent
        else:
            self.zip = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
            seen: set[str] = set()
            for info in self.zip.infolist():
                if info.filename in seen:
                    self.duplicates.append(info.filename)
                seen.add(info.filename)

    def read(self, name: str) -> bytes | None:
        if self.zip is not None:
            try:
                return self.zip.read(name)
            except KeyError:
                return None
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
                self.damaged[name] = str(error) or type(error).__name__
                return None
        assert self.folder is not None
        path = self.folder / name
        return path.read_bytes() if path.is_file() else None

    def missing(self, name: str) -> str:
        """Why ``name`` could not be read: absent, or its bytes in the zip are damaged."""
        if name in self.damaged:
            return f"cannot be read: its bytes in the zip are damaged ({self.damaged[name]})"
        return "is missing from the bundle"

    def names(self) -> list[str]:
        """Every file in the bundle (a folder: only those under ``originals/``)."""
        if self.zip is not None:
            return [i.filename for i in self.zip.infolist() if not i.filename.endswith("/")]
        assert self.folder is not None
        originals = self.folder / "originals"
        if not originals.is_dir():
            return []
        return sorted(
            p.relative_to(self.folder).as_posix() for p in originals.rglob("*") if p.is_file()
        )


@dataclass
class Finding:
    """One thing wrong with the bundle, naming the file."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Result:
    """What was found, what was checked, and what the reader should know."""

    problems: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files_checked: int = 0
    evidence_files: int = 0
    manifest: dict[str, Any] | None = None
    key_id: str = ""
    signed: bool = False
    #: files whose bytes in the zip are damaged (CRC or deflate errors), with why
    damaged: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


def _pin_matches(pin: str, key_id: str, public: str) -> bool:
    pin = pin.strip().replace(" ", "").lower()
    return pin in {key_id.lower(), public.lower()}


def verify_bundle(
    path: Path,
    trusted: Mapping[str, str] | None = None,
    pin: str | None = None,
    allow_unsigned: bool = False,
) -> Result:
    """Check a bundle (see :func:`_verify`); a file whose bytes in the zip are damaged is
    always named, even where it made another check fail first."""
    result = _verify(path, trusted, pin, allow_unsigned)
    named = {finding.where for finding in result.problems}
    for name, why in result.damaged.items():
        if name not in named:
            result.problems.append(
                Finding(name, f"cannot be read: its bytes in the zip are damaged ({why})")
            )
    return result


def _verify(
    path: Path,
    trusted: Mapping[str, str] | None = None,
    pin: str | None = None,
    allow_unsigned: bool = False,
) -> Result:
    """Check the bundle at ``path`` (a zip, a folder, or its ``manifest.json``).

    Args:
        trusted: the organisation's public keys (key id -> base64); the manifest must be
            signed by one of them. None accepts the key the bundle carries (and says so).
        pin: a key id or base64 public key the manifest must be signed with.
        allow_unsigned: accept an unsigned (older) manifest; the caller checks it another way.
    """
    result = Result()
    try:
        bundle = _Bundle(path)
    except (OSError, zipfile.BadZipFile) as error:
        result.problems.append(Finding(path.name, f"is not a readable bundle ({error})"))
        return result
    result.damaged = bundle.damaged  # filled as files are read
    for name in bundle.duplicates:
        result.problems.append(Finding(name, "appears twice in the zip (one copy was added)"))
    manifest_bytes = bundle.read(MANIFEST)
    if manifest_bytes is None:
        result.problems.append(Finding(MANIFEST, bundle.missing(MANIFEST)))
        return result
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        result.problems.append(Finding(MANIFEST, f"cannot be read ({error})"))
        return result
    if not isinstance(manifest, dict) or manifest.get("schema") not in {SCHEMA, LEGACY_SCHEMA}:
        result.problems.append(Finding(MANIFEST, "is not a Safeside bundle manifest"))
        return result
    result.manifest = manifest

    signature_bytes = bundle.read(SIGNATURE)
    if manifest.get("schema") == LEGACY_SCHEMA and signature_bytes is None:
        if not allow_unsigned:
            result.problems.append(
                Finding(
                    MANIFEST,
                    "is not signed (exported by an older Safeside): only the organisation's "
                    "database can confirm it",
                )
            )
    else:
        problem = manifest_problem(manifest_bytes, signature_bytes, trusted)
        if problem:
            result.problems.append(Finding(MANIFEST, problem))
        else:
            result.signed = True
        try:
            signature = json.loads(signature_bytes or b"{}")
            result.key_id, public = str(signature["key_id"]), str(signature["public_key"])
        except (ValueError, KeyError, TypeError):
            public = ""
        if result.signed and pin and not _pin_matches(pin, result.key_id, public):
            result.problems.append(
                Finding(MANIFEST, f"is signed by key {result.key_id}, not the key you gave ({pin})")
            )
        if result.signed and trusted is None and not pin:
            result.notes.append(
                f"Signed by key {result.key_id} (Ed25519 public key {public}). Check that this "
                "is your organisation's key (it is printed in bundle.pdf and README.txt, and "
                "the organisation can confirm it), or run again with --key."
            )
        elif result.signed:
            result.notes.append(f"Signed by the organisation's key {result.key_id}.")

    files = manifest.get("files")
    if not isinstance(files, dict):
        result.problems.append(Finding(MANIFEST, "has no file list"))
        return result
    for name, expected in sorted(files.items()):
        if not isinstance(name, str) or not _safe(name):
            result.problems.append(Finding(str(name), "points outside the bundle"))
            continue
        data = bundle.read(name)
        if data is None:
            result.problems.append(Finding(name, bundle.missing(name)))
            continue
        result.files_checked += 1
        if name not in SUPPORT_FILES:
            result.evidence_files += 1
        if hashlib.sha256(data).hexdigest() != expected:
            result.problems.append(Finding(name, "was altered (SHA-256 differs from the manifest)"))
    for name in bundle.names():
        if name not in files and name not in {MANIFEST, SIGNATURE}:
            result.problems.append(
                Finding(name, "is not listed in the manifest (added after export)")
            )
    for entry in manifest.get("items", []):
        if not isinstance(entry, dict) or files.get(entry.get("file", "")) != entry.get("sha256"):
            item = entry.get("id") if isinstance(entry, dict) else "?"
            result.problems.append(
                Finding(
                    f"item {item}", "hash in the manifest's item list differs from its file list"
                )
            )

    checkpoint = manifest.get("checkpoint")
    if manifest.get("schema") == SCHEMA:
        if not isinstance(checkpoint, dict) or checkpoint.get("schema") != CHECKPOINT_SCHEMA:
            result.problems.append(Finding(MANIFEST, "has no audit checkpoint"))
        else:
            problem = statement_problem(checkpoint, trusted)
            if not problem and result.key_id and checkpoint.get("key_id") != result.key_id:
                problem = "is signed by a different key than the manifest"
            if problem:
                result.problems.append(Finding(MANIFEST, f"audit checkpoint {problem}"))
            else:
                head = checkpoint.get("head", {})
                result.notes.append(
                    f"Audit log at export: event {head.get('event_id')}, hash "
                    f"{head.get('event_hash')} (signed checkpoint of {checkpoint.get('at')})."
                )
        export = manifest.get("audit_event")
        if isinstance(export, dict):
            result.notes.append(
                f"The export itself is audit event {export.get('id')}, hash "
                f"{export.get('event_hash')}."
            )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check a Safeside evidence bundle: signature, every file, nothing added."
    )
    parser.add_argument(
        "bundle",
        nargs="?",
        default=str(Path(__file__).resolve().parent),
        help="the bundle: a .zip, its folder, or its manifest.json (default: this folder)",
    )
    parser.add_argument(
        "--key", help="the organisation's key id or public key; the bundle must be signed by it"
    )
    args = parser.parse_args(argv)

    def say(text: str) -> None:
        sys.stdout.write(text + "\n")

    path = Path(args.bundle)
    if not path.exists():
        sys.stderr.write(f"Error: no bundle at {path}\n")
        return 2
    result = verify_bundle(path, pin=args.key)
    for finding in result.problems:
        say(f"ALTERED OR MISSING {finding}")
    for note in result.notes:
        say(note)
    if result.ok:
        say(f"OK: the signed manifest matches and {result.files_checked} files are unchanged.")
        return 0
    say(f"{len(result.problems)} problem(s) found: do not rely on this bundle.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
