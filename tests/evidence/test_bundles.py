"""Signed evidence bundles: checkable by anyone, without Safeside or its database."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from typer.testing import CliRunner

from safeside.audit_log.checkpoint import sign
from safeside.audit_log.keys import SigningKey
from safeside.cli import app
from safeside.db.session import Database
from safeside.evidence import bundle_verifier
from safeside.evidence.bundle_verifier import (
    ed25519_verify,
    ed25519_verify_pure,
    signature_file,
    verify_bundle,
)

from .conftest import CASE

MEMBERS = [
    "bundle.pdf",
    "originals/00001-text.txt",
    "README.txt",
    "verify_bundle.py",
    "manifest.json",
    "manifest.sig",
]


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def extract(path: Path, folder: Path) -> Path:
    zipfile.ZipFile(path).extractall(folder)
    return folder


def problems(path: Path, **kwargs: object) -> list[str]:
    return [str(p) for p in verify_bundle(path, **kwargs).problems]  # type: ignore[arg-type]


def recipient(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the shipped verify_bundle.py as a recipient would: ``-S`` hides every installed
    package (``cryptography`` included), so the pure-Python verifier does the work."""
    return subprocess.run(
        [sys.executable, "-S", "verify_bundle.py", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_safeside_bundle_exports_the_signed_bundle(bundle_zip: Path) -> None:
    files = members(bundle_zip)
    assert sorted(files) == sorted(MEMBERS)
    manifest = json.loads(files["manifest.json"])
    assert manifest["case"]["reference"] == CASE
    assert manifest["schema"] == "safeside.bundle/2"
    assert set(manifest["files"]) == set(MEMBERS) - {"manifest.json", "manifest.sig"}
    key_id = manifest["signing_key"]["key_id"]
    head = manifest["checkpoint"]["head"]
    readme = files["README.txt"].decode()
    assert key_id in readme and head["event_hash"] in readme
    assert "python3 verify_bundle.py" in readme
    cover = PdfReader(io.BytesIO(files["bundle.pdf"])).pages[0].extract_text()
    assert key_id in cover and head["event_hash"][:32] in cover.replace(" ", "").replace("\n", "")
    assert verify_bundle(bundle_zip).ok


def test_what_a_recipient_runs(bundle_zip: Path, tmp_path: Path) -> None:
    folder = extract(bundle_zip, tmp_path / "unzipped")
    result = recipient(cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: the signed manifest matches and 4 files are unchanged." in result.stdout
    key_id = json.loads((folder / "manifest.json").read_text())["signing_key"]["key_id"]
    assert recipient(str(bundle_zip), "--key", key_id, cwd=folder).returncode == 0

    manifest = folder / "manifest.json"
    data = bytearray(manifest.read_bytes())
    data[len(data) // 2] ^= 0x01
    manifest.write_bytes(bytes(data))
    result = recipient(cwd=folder)
    assert result.returncode == 1
    assert "ALTERED OR MISSING manifest.json" in result.stdout


@pytest.mark.parametrize("member", MEMBERS)
def test_a_one_byte_change_anywhere_fails(bundle_zip: Path, tmp_path: Path, member: str) -> None:
    files = members(bundle_zip)
    for position in (0, len(files[member]) // 2, len(files[member]) - 1):
        changed = dict(files)
        data = bytearray(files[member])
        data[position] = (data[position] + 1) % 256
        changed[member] = bytes(data)
        as_zip = write_zip(tmp_path / f"changed-{position}.zip", changed)
        assert problems(as_zip), f"a change at byte {position} of {member} passed"
        folder = extract(as_zip, tmp_path / f"changed-{position}")
        assert problems(folder / "manifest.json"), f"{member} byte {position} (folder)"


def test_the_reported_attack_fails_with_an_empty_data_folder(
    bundle_zip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edit an original, put its new hash in the manifest, verify where there is no database."""
    folder = extract(bundle_zip, tmp_path / "unzipped")
    original = folder / "originals" / "00001-text.txt"
    original.write_bytes(b"I never wrote anything threatening.")
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    import hashlib

    new_hash = hashlib.sha256(original.read_bytes()).hexdigest()
    manifest["files"]["originals/00001-text.txt"] = new_hash
    manifest["items"][0]["sha256"] = new_hash
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")

    empty = tmp_path / "empty"
    monkeypatch.setenv("SAFESIDE_DATA_DIR", str(empty))
    result = CliRunner().invoke(app, ["verify", "--bundle", str(manifest_path)])
    assert result.exit_code == 1, result.output
    assert "manifest.json: does not match its signature" in result.output
    assert not empty.exists(), "verify --bundle wrote to the data folder"

    # Re-signing the manifest with a key of one's own: its checkpoint's key differs.
    forger = SigningKey.generate()
    (folder / "manifest.sig").write_bytes(
        signature_file(forger.key_id, forger.public_key, forger.sign(manifest_path.read_bytes()))
    )
    assert problems(folder) == [
        "manifest.json: audit checkpoint is signed by a different key than the manifest"
    ]
    # Re-signing everything: only the organisation's key tells, so the verifier names the
    # key it found, and anyone who pins the organisation's key (--key) catches it.
    manifest["checkpoint"] = sign(manifest["checkpoint"], forger)
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    (folder / "manifest.sig").write_bytes(
        signature_file(forger.key_id, forger.public_key, forger.sign(manifest_path.read_bytes()))
    )
    result = verify_bundle(folder)
    assert result.ok and any(forger.key_id in note for note in result.notes)
    pin = json.loads(members(bundle_zip)["manifest.sig"])["key_id"]
    assert problems(folder, pin=pin) == [
        f"manifest.json: is signed by key {forger.key_id}, not the key you gave ({pin})"
    ]
    result = CliRunner().invoke(app, ["verify", "--bundle", str(folder), "--key", pin])
    assert result.exit_code == 1


def test_the_organisations_keyring_is_used_when_there_is_one(
    bundle_zip: Path, database: Database
) -> None:
    result = CliRunner().invoke(app, ["verify", "--bundle", str(bundle_zip)])
    assert result.exit_code == 0, result.output
    assert "Signed by the organisation's key" in result.output
    other = {SigningKey.generate().key_id: SigningKey.generate().public_key}
    assert "not one of the organisation's keys" in problems(bundle_zip, trusted=other)[0]


def test_added_and_duplicated_files_are_named(bundle_zip: Path, tmp_path: Path) -> None:
    files = members(bundle_zip)
    added = write_zip(tmp_path / "added.zip", {**files, "originals/00009-extra.txt": b"x"})
    assert problems(added) == [
        "originals/00009-extra.txt: is not listed in the manifest (added after export)"
    ]
    folder = extract(bundle_zip, tmp_path / "folder")
    (folder / "originals" / "00009-extra.txt").write_bytes(b"x")
    assert len(problems(folder)) == 1

    doubled = tmp_path / "doubled.zip"
    write_zip(doubled, files)
    with zipfile.ZipFile(doubled, "a") as archive, pytest.warns(UserWarning):
        archive.writestr("manifest.json", files["manifest.json"])
    assert "manifest.json: appears twice in the zip" in problems(doubled)[0]


def test_an_unsigned_bundle_from_an_older_safeside(bundle_zip: Path, tmp_path: Path) -> None:
    files = members(bundle_zip)
    manifest = json.loads(files["manifest.json"])
    manifest["schema"] = "safeside.bundle/1"
    old = {k: v for k, v in files.items() if k != "manifest.sig"}
    old["manifest.json"] = json.dumps(manifest).encode()
    path = write_zip(tmp_path / "old.zip", old)
    assert "is not signed (exported by an older Safeside)" in problems(path)[0]
    assert verify_bundle(path, allow_unsigned=True).ok


def test_a_missing_signature_or_file_is_named(bundle_zip: Path, tmp_path: Path) -> None:
    files = members(bundle_zip)
    unsigned = write_zip(
        tmp_path / "unsigned.zip", {k: v for k, v in files.items() if k != "manifest.sig"}
    )
    assert problems(unsigned) == ["manifest.json: is not signed (manifest.sig is missing)"]
    gone = write_zip(tmp_path / "gone.zip", {k: v for k, v in files.items() if k != "bundle.pdf"})
    assert problems(gone) == ["bundle.pdf: is missing from the bundle"]


RFC8032_VECTORS = [
    (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
]


@pytest.mark.parametrize(("public", "message", "signature"), RFC8032_VECTORS)
def test_pure_python_ed25519_passes_rfc_8032(public: str, message: str, signature: str) -> None:
    public_key, message_bytes, sig = (bytes.fromhex(x) for x in (public, message, signature))
    assert ed25519_verify_pure(public_key, sig, message_bytes)
    assert not ed25519_verify_pure(public_key, sig, message_bytes + b"!")
    high_s = sig[:32] + (int.from_bytes(sig[32:], "little") + bundle_verifier._L).to_bytes(
        32, "little"
    )
    assert not ed25519_verify_pure(public_key, high_s, message_bytes)


@settings(max_examples=25, deadline=None)
@given(message=st.binary(max_size=200), flip=st.integers(min_value=0, max_value=511))
def test_pure_python_ed25519_agrees_with_cryptography(message: bytes, flip: int) -> None:
    key = SigningKey.generate()
    public = bundle_verifier._unb64(key.public_key)
    signature = bundle_verifier._unb64(key.sign(message))
    assert ed25519_verify_pure(public, signature, message)
    assert ed25519_verify(public, signature, message)
    tampered = bytearray(signature)
    tampered[flip // 8] ^= 1 << (flip % 8)
    assert ed25519_verify_pure(public, bytes(tampered), message) is ed25519_verify(
        public, bytes(tampered), message
    )
    assert not ed25519_verify_pure(public, bytes(tampered), message)


def test_a_bundle_signed_before_a_key_rotation_still_verifies(
    bundle_zip: Path, database: Database
) -> None:
    runner = CliRunner()
    old = json.loads(members(bundle_zip)["manifest.sig"])["key_id"]
    result = runner.invoke(app, ["keys", "rotate"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["verify", "--bundle", str(bundle_zip)])
    assert result.exit_code == 0, result.output
    assert f"Signed by the organisation's key {old}" in result.output
    assert runner.invoke(app, ["verify", "--checkpoint", str(bundle_zip)]).exit_code == 0
    assert runner.invoke(app, ["verify"]).exit_code == 0
