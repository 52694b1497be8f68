"""A file keeps its own name, in any script, from upload to download to evidence bundle."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest

from safeside.evidence.bundle import safe_file_name
from safeside.evidence.verify_bundle import verify_bundle

from .support import TestClient, csrf, visible_text
from .test_record_a_concern import justify

NAME = "доказательство.txt"
WORDS = "Я знаю, где ты живёшь."


def upload(client: TestClient, name: str, data: bytes) -> str:
    _, location, _ = justify(client)
    response = client.post(
        location,
        data={"kind": "file", "csrf_token": csrf(client, location)},
        files={"upload": (name, data, "text/plain")},
    )
    assert response.status_code == 303, response.text[:300]
    return str(response.headers["location"])


def test_a_cyrillic_file_name_survives_download_and_export(
    signed_in: Callable[[str], TestClient], tmp_path: Path
) -> None:
    sam = signed_in("practitioner")
    item = upload(sam, NAME, WORDS.encode())
    assert NAME in visible_text(sam.get(item).text)

    original = sam.get(item + "/original")
    assert original.status_code == 200
    assert original.content == WORDS.encode()
    disposition = original.headers["content-disposition"]
    assert f"filename*=UTF-8''{quote(NAME)}" in disposition
    assert disposition.startswith('attachment; filename="')
    assert disposition.split('"')[1].isascii()  # a fallback for old browsers

    item_id = item.rsplit("/", 1)[1]
    bundle = sam.post(
        "/cases/1/export", data={"items": [item_id], "csrf_token": csrf(sam, "/cases/1/export")}
    )
    assert bundle.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    member = f"originals/{int(item_id):05d}-{NAME}"
    assert member in archive.namelist()
    assert archive.getinfo(member).flag_bits & 0x800, "stored as UTF-8"
    assert archive.read(member) == WORDS.encode()

    archive.extractall(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["items"][0]["file"] == member
    assert verify_bundle(tmp_path / "manifest.json").ok


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (NAME, NAME),
        ("証拠 スクリーンショット.png", "証拠 スクリーンショット.png"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("..", "file"),
        (".hidden", "hidden"),
        ("a\x00b\x1b[2J.txt", "a_b_[2J.txt"),
        ("invoice\u202egpj.exe", "invoice_gpj.exe"),  # no right-to-left override tricks
        ('what?<*>:"|.txt', "what_______.txt"),
        ("trailing. . ", "trailing"),
    ],
)
def test_names_in_a_bundle_are_one_safe_path_part(sent: str, kept: str) -> None:
    assert safe_file_name(sent) == kept


def test_a_very_long_name_is_cut_but_keeps_its_extension() -> None:
    kept = safe_file_name("ж" * 300 + ".jpeg")
    assert kept.endswith("ж.jpeg") and len(kept.encode("utf-8")) <= 150
