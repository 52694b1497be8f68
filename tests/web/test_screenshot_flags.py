"""A screenshot's evidence page shows the image with each flag boxed on it, and each box
is a keyboard-focusable link to that flag's explanation lower on the page.

The screenshot is drawn here, read by the real offline OCR (as at capture) and captured
through the service the web app uses; the page reads its words again to place the boxes.
"""

from __future__ import annotations

import base64
import io
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select

from safeside.access.models import User
from safeside.cases.models import Case
from safeside.cases.service import (
    Capture,
    JustificationForm,
    capture_evidence,
    record_justification,
)
from safeside.db.session import Database
from safeside.evidence.ocr import read_screenshot
from safeside.testing import example_check

from .browser import axe_violations, sign_in_by_keyboard
from .support import TestClient, visible_text

pytestmark = pytest.mark.slow  # the real OCR reads the image (about 5 s to load)

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
#: The example engine flags "where you live" (a threat), "Kayden" and "Hillside Primary".
LINES = (
    "Everyone should see what this social worker did.",
    "I know where you live and I will be waiting.",
    "Kayden is at Hillside Primary, tell everyone.",
)


def screenshot(lines: tuple[str, ...] = LINES) -> bytes:
    font = ImageFont.truetype(str(FONT), 30) if FONT.exists() else ImageFont.load_default(30)
    image = Image.new("RGB", (900, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 900, 50), fill="#1877f2")
    for number, line in enumerate(lines):
        draw.text((30, 90 + 60 * number), line, font=font, fill="#050505")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def add_screenshot(database: Database, content: bytes, *, text: str | None = None) -> int:
    """Capture ``content`` on the first demo case as Sam Patel; the text is read by OCR
    unless given (typed by hand)."""
    if text is None:
        text = read_screenshot(content).text
        assert "where you live" in text, text
    with database.session() as session:
        case = session.scalars(select(Case).where(Case.reference == "EA-2026-0142")).one()
        sam = session.scalars(select(User).where(User.full_name == "Sam Patel")).one()
        justification = record_justification(
            session,
            sam,
            case,
            JustificationForm(
                purpose="A colleague showed me a public post that names me and my address.",
                necessity="I need an exact record to decide with my manager what to do next.",
                legal_basis="staff_safety",
                subject="Parent C (fictional)",
                how_seen="shown_to_me",
                viewed_before=False,
            ),
        )
        item = capture_evidence(
            session,
            sam,
            case,
            justification,
            Capture(
                kind="screenshot",
                content=content,
                text=text,
                text_source="ocr",
                filename="post.png",
                media_type="image/png",
                platform="Facebook",
                author_handle="@parent_c_demo",
            ),
            example_check(),
        )
        session.flush()
        return item.id


class Page(HTMLParser):
    """The parts of the page that matter here: ids, the SVG's links and its image."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.svg_links: list[str] = []
        self.svg_images: list[str] = []
        self.in_svg = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "svg":
            self.in_svg += 1
        elif self.in_svg and tag == "a" and found.get("href"):
            self.svg_links.append(str(found["href"]))
        elif self.in_svg and tag == "image":
            self.svg_images.append(str(found.get("href")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.in_svg -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.in_svg -= 1


def test_the_screenshot_is_shown_with_a_link_from_each_flag_box_to_its_explanation(
    database: Database, signed_in: Callable[[str], TestClient]
) -> None:
    shot = screenshot()
    item = add_screenshot(database, shot)
    response = signed_in("practitioner").get(f"/cases/1/evidence/{item}")
    assert response.status_code == 200
    page = Page(response.text)

    # The image: a re-encoded copy of the original, inline (works offline, CSP img-src data:).
    assert len(page.svg_images) == 1
    uri = page.svg_images[0]
    assert uri.startswith("data:image/png;base64,")
    shown = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert shown.size == Image.open(io.BytesIO(shot)).size

    # One link per flag, each to an element that exists lower on the page.
    assert page.svg_links == ["#flag-1", "#flag-2", "#flag-3"]
    for link in page.svg_links:
        assert link[1:] in page.ids
        position = response.text.index(f'id="{link[1:]}"')
        assert position > response.text.index("</svg>")
    text = visible_text(response.text)
    assert "Flag 1: “where you live”" in text and "Threat of violence or harm" in text
    assert "Flag 2: “Kayden”" in text and "Flag 3: “Hillside Primary”" in text
    assert "Not found among the words" not in text


def test_a_flag_missing_from_the_image_is_listed_and_says_so(
    database: Database, signed_in: Callable[[str], TestClient]
) -> None:
    """Typed words that are not on the image: the flag is explained but has no box."""
    item = add_screenshot(
        database,
        screenshot(LINES[:2]),
        text="I know where you live. Kayden goes to Hillside Primary.",
    )
    html = signed_in("practitioner").get(f"/cases/1/evidence/{item}").text
    page = Page(html)
    assert page.svg_links == ["#flag-1"]  # "where you live" is on the image; the rest not
    assert {"flag-1", "flag-2", "flag-3"} <= page.ids
    text = visible_text(html)
    assert "Flag 2: “Kayden”" in text and "Flag 3: “Hillside Primary”" in text
    assert text.count("Not found among the words read from the image") == 2


def test_a_screenshot_that_is_not_an_image_is_still_shown_as_an_item(
    database: Database, signed_in: Callable[[str], TestClient]
) -> None:
    item = add_screenshot(database, b"not an image", text="I know where you live")
    response = signed_in("practitioner").get(f"/cases/1/evidence/{item}")
    assert response.status_code == 200
    assert Page(response.text).svg_images == []
    assert "Threat of violence or harm" in visible_text(response.text)


def test_without_the_ocr_module_the_image_is_shown_and_the_flags_listed(
    database: Database,
    signed_in: Callable[[str], TestClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shot = screenshot(("I know where you live.", "Written without OCR."))  # not cached
    item = add_screenshot(database, shot, text="I know where you live.")
    monkeypatch.setitem(sys.modules, "safeside.ocr", None)  # import now fails
    html = signed_in("practitioner").get(f"/cases/1/evidence/{item}").text
    page = Page(html)
    assert len(page.svg_images) == 1 and page.svg_links == []
    assert "flag-1" in page.ids
    assert "the words on it could not be read" in visible_text(html)
    assert "Not found among the words" not in visible_text(html)


@pytest.mark.browser
def test_in_a_browser_the_flag_boxes_are_reached_by_keyboard(
    database: Database,
    live_url: str,
    browser,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """Tab reaches each box, which then shows GOV.UK's yellow focus highlight; Enter
    moves to its explanation. The page has no serious accessibility violation."""
    item = add_screenshot(database, screenshot())
    page = browser.new_page(viewport={"width": 1100, "height": 900})  # under the app's CSP
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text))
    sign_in_by_keyboard(page, live_url, "practitioner")
    page.goto(f"{live_url}/cases/1/evidence/{item}")
    assert page.locator("svg image").bounding_box()["height"] > 100  # the image is drawn
    highlight = "getComputedStyle(document.querySelector('#flagbox{} rect')).visibility"

    def shows(box: int, state: str) -> None:
        # SVG animation events apply on a later animation frame: wait for it, briefly
        for _ in range(40):
            if page.evaluate(highlight.format(box)) == state:
                return
            page.wait_for_timeout(50)
        assert page.evaluate(highlight.format(box)) == state

    shows(1, "hidden")
    page.locator("#flagbox1").focus()
    assert page.evaluate("document.activeElement.id") == "flagbox1"
    shows(1, "visible")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "flagbox2"
    shows(2, "visible")
    # Known issue (open): the SVG animation's end="flagboxN.blur" does not always fire in
    # headless Chromium under load, so box 1's highlight can linger after focus moves on;
    # a stylesheet :focus rule would not depend on it.
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**#flag-1")
    assert page.locator("#flag-1").is_visible()
    assert not [text for text in blocked if "Content Security Policy" in text]

    context = browser.new_context(bypass_csp=True)  # lets the test inject axe-core
    checked = context.new_page()
    sign_in_by_keyboard(checked, live_url, "practitioner")
    checked.goto(f"{live_url}/cases/1/evidence/{item}")
    assert axe_violations(checked) == []
    context.close()
