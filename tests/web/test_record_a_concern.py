"""Record a concern: justification first, then capture (text, screenshot, file), then analysis."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from safeside.evidence.ocr import OcrResult

from .support import TestClient, csrf, visible_text

JUSTIFICATION = {
    "purpose_kind": "staff_safety",
    "purpose": "A parent's post about me was shown to me by a colleague.",
    "necessity": "I need a record to decide with my manager whether it is a threat.",
    "legal_basis": "staff_safety",
    "subject": "Parent Q",
    "how_seen": "shown_to_me",
    "viewed_before": "no",
}


def justify(client: TestClient, **changes: str) -> tuple[int, str, str]:
    data = {**JUSTIFICATION, **changes, "csrf_token": csrf(client, "/cases/1/concerns/new")}
    response = client.post("/cases/1/concerns/new", data=data)
    return response.status_code, response.headers.get("location", ""), response.text


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def capture(client: TestClient, location: str, files: dict | None = None, **fields: str):  # type: ignore[no-untyped-def]
    # No author handle unless given: the same handle under two subjects is a repeat viewing.
    data = {"kind": "text", "platform": "Facebook", **fields}
    data["csrf_token"] = csrf(client, location)
    return client.post(location, data=data, files=files)


def test_justify_then_capture_text_then_see_the_analysis(
    signed_in: Callable[[str], TestClient],
) -> None:
    client = signed_in("practitioner")
    status, location, _ = justify(client)
    assert status == 303 and re.fullmatch(r"/cases/1/justifications/\d+/capture", location)

    response = capture(
        client, location, text="I know where you live, Kayden.", author_handle="@parent_q"
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    text = visible_text(page.text)

    assert "Evidence recorded." in text
    assert "Threat of violence or harm" in text
    assert "SHA-256" in text and "Facebook" in text and "@parent_q" in text
    assert "Sam Patel" in text


def test_the_justification_form_explains_what_is_missing(
    signed_in: Callable[[str], TestClient],
) -> None:
    status, _, html = justify(signed_in("practitioner"), purpose="", legal_basis="made-up")
    page = visible_text(html)
    assert status == 400
    assert "Enter why you need to view this content" in page
    assert "Select the legal basis" in page


@pytest.mark.parametrize("method", ["fake_profile", "friend_request"])
def test_fake_profiles_and_friend_requests_are_refused(
    signed_in: Callable[[str], TestClient], method: str
) -> None:
    status, _, html = justify(signed_in("practitioner"), how_seen=method)
    assert status == 400
    assert "You must not view anyone's content through a fake profile" in visible_text(html)


def test_a_repeat_viewing_needs_a_managers_authorisation(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    status, location, _ = justify(sam, viewed_before="yes")
    assert status == 303 and not location.endswith("/capture")
    waiting = visible_text(sam.get(location).text)
    assert "RIPA" in waiting and "A manager must authorise it" in waiting
    assert sam.get(location + "/capture").headers["location"] == location

    jo = signed_in("manager")
    decided = jo.post(
        location + "/decision",
        data={"decision": "authorise", "note": "RIPA ref 2026/7", "csrf_token": csrf(jo, location)},
    )
    assert decided.status_code == 303
    assert sam.get(location + "/capture").status_code == 200


def test_only_a_manager_may_authorise(signed_in: Callable[[str], TestClient]) -> None:
    sam = signed_in("practitioner")
    _, location, _ = justify(sam, viewed_before="yes")
    response = sam.post(
        location + "/decision",
        data={"decision": "authorise", "note": "me", "csrf_token": csrf(sam, location)},
    )
    assert response.status_code == 403


def test_legal_advisers_can_read_but_not_record(signed_in: Callable[[str], TestClient]) -> None:
    lee = signed_in("legal")
    assert lee.get("/cases/1").status_code == 200
    assert lee.get("/cases/1/concerns/new").status_code == 403


def test_a_screenshot_is_read_by_ocr(
    signed_in: Callable[[str], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "safeside.web.routes.concerns.read_screenshot",
        lambda data: OcrResult("I know where you live"),
    )
    client = signed_in("practitioner")
    _, location, _ = justify(client)
    response = capture(
        client, location, kind="screenshot", files={"upload": ("shot.png", png(), "image/png")}
    )
    page = visible_text(client.get(response.headers["location"]).text)
    assert "Threat of violence or harm" in page
    assert "Read from the screenshot (check it)" in page
    assert "shot.png" in page


def readable_screenshot(words: str) -> bytes:
    font_file = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    font = ImageFont.truetype(str(font_file), 24) if font_file.exists() else None
    image = Image.new("RGB", (700, 120), "white")
    ImageDraw.Draw(image).text((20, 40), words, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.slow
def test_a_real_screenshot_is_read_by_the_offline_ocr(
    signed_in: Callable[[str], TestClient],
) -> None:
    """No stand-in: safeside.ocr (rapidocr, bundled models) reads the uploaded image."""
    client = signed_in("practitioner")
    _, location, _ = justify(client)
    shot = readable_screenshot("I know where you live")
    response = capture(
        client, location, kind="screenshot", files={"upload": ("post.png", shot, "image/png")}
    )
    assert response.status_code == 303
    item_page = client.get(response.headers["location"])
    page = visible_text(item_page.text)
    assert "Read from the screenshot (check it)" in page
    assert "I know where you live" in page
    assert "Threat of violence or harm" in page
    assert client.get(response.headers["location"] + "/original").content == shot


def test_without_ocr_the_screenshot_is_kept_and_the_practitioner_is_told(
    signed_in: Callable[[str], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "safeside.ocr", None)  # import now fails
    client = signed_in("practitioner")
    _, location, _ = justify(client)
    response = capture(
        client, location, kind="screenshot", files={"upload": ("shot.png", png(), "image/png")}
    )
    item_page = client.get(response.headers["location"])
    page = visible_text(item_page.text)
    assert "Type or paste the words in the screenshot" in page
    original = client.get(response.headers["location"] + "/original")
    assert original.content == png()


def test_a_screenshot_must_be_an_image(signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("practitioner")
    _, location, _ = justify(client)
    response = capture(
        client,
        location,
        kind="screenshot",
        files={"upload": ("x.exe", b"MZ", "application/x-msdownload")},
    )
    assert response.status_code == 400
    assert "The screenshot must be a PNG, JPG, WebP or GIF" in visible_text(response.text)


def test_a_correction_is_a_new_item_pointing_at_the_old(
    signed_in: Callable[[str], TestClient],
) -> None:
    client = signed_in("practitioner")
    _, location, _ = justify(client)
    first = capture(client, location, text="I know wher you live").headers["location"]
    response = client.post(
        first + "/correction",
        data={"text": "I know where you live", "reason": "typo", "csrf_token": csrf(client, first)},
    )
    second = response.headers["location"]
    assert second != first
    assert "Correction of" in visible_text(client.get(second).text)
    assert "Corrected" in visible_text(client.get(first).text)
