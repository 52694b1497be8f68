"""Export an evidence bundle, then check it with ``safeside verify --bundle``."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeside.audit_log.verify import Report
from safeside.cli import app as cli
from safeside.db.session import Database
from safeside.evidence.verify_bundle import verify_bundle

from .support import TestClient, csrf, visible_text


def export(client: TestClient, items: list[str]):  # type: ignore[no-untyped-def]
    token = csrf(client, "/cases/1/export")
    return client.post("/cases/1/export", data={"items": items, "csrf_token": token})


@pytest.fixture
def bundle_dir(signed_in: Callable[[str], TestClient], tmp_path: Path) -> Path:
    response = export(signed_in("legal"), ["1"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="EA-2026-0142-bundle-' in response.headers["content-disposition"]
    folder = tmp_path / "bundle"
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(folder)
    return folder


def check(folder: Path, database: Database | None = None) -> Report:
    if database is None:
        return verify_bundle(folder / "manifest.json")
    with database.session() as session:
        return verify_bundle(folder / "manifest.json", session)


def test_a_bundle_holds_a_pdf_the_originals_and_a_manifest(bundle_dir: Path) -> None:
    manifest = json.loads((bundle_dir / "manifest.json").read_text())
    assert (bundle_dir / "bundle.pdf").read_bytes().startswith(b"%PDF")
    assert manifest["case"]["reference"] == "EA-2026-0142"
    assert [item["id"] for item in manifest["items"]] == [1]
    assert set(manifest["files"]) == {
        "bundle.pdf",
        "README.txt",
        "verify_bundle.py",
        manifest["items"][0]["file"],
    }
    assert (bundle_dir / "manifest.sig").exists()


def test_an_untouched_bundle_verifies_against_itself_and_the_database(
    bundle_dir: Path, database: Database
) -> None:
    assert check(bundle_dir).ok
    assert check(bundle_dir, database).ok


def test_an_edited_pdf_is_named(bundle_dir: Path) -> None:
    pdf = bundle_dir / "bundle.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n%edited")
    assert [str(p) for p in check(bundle_dir).problems] == [
        "bundle.pdf: was altered (SHA-256 differs from the manifest)"
    ]


def test_editing_a_file_and_its_manifest_together_is_caught_by_the_database(
    bundle_dir: Path, database: Database
) -> None:
    manifest_path = bundle_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    pdf = bundle_dir / "bundle.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n%edited")
    import hashlib

    manifest["files"]["bundle.pdf"] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))

    # The manifest is signed, so the bundle alone tells now; the database agrees.
    assert [str(p) for p in check(bundle_dir).problems] == [
        "manifest.json: does not match its signature (it was edited after it was signed)"
    ]
    problems = [str(p) for p in check(bundle_dir, database).problems]
    assert any("differs from the one recorded at export" in p for p in problems)


def test_cli_verify_bundle(
    bundle_dir: Path, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFESIDE_DATABASE_URL", database.url)
    runner = CliRunner()
    result = runner.invoke(cli, ["verify", "--bundle", str(bundle_dir / "manifest.json")])
    assert result.exit_code == 0, result.output
    original = next((bundle_dir / "originals").iterdir())
    original.write_bytes(b"forged")
    result = runner.invoke(cli, ["verify", "--bundle", str(bundle_dir / "manifest.json")])
    assert result.exit_code == 1
    assert f"originals/{original.name}: was altered" in result.output


def test_choosing_no_items_explains_what_to_do(signed_in: Callable[[str], TestClient]) -> None:
    response = export(signed_in("manager"), [])
    assert response.status_code == 400
    assert "Select at least one item" in visible_text(response.text)


def test_exports_are_audited(signed_in: Callable[[str], TestClient]) -> None:
    export(signed_in("manager"), ["1"])
    audit = visible_text(signed_in("manager").get("/audit").text)
    assert "Jo Reid Exported evidence bundle" in audit
