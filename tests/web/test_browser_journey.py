"""Browser journey on Debian's chromium: sign in, record a concern with a screenshot,
export a bundle, verify it; plus an axe-core check of the main pages.

Screenshots of the main pages are saved under docs/screenshots/. Run
``scripts/setup-browser`` first; without /usr/bin/chromium these tests skip loudly.
"""

from __future__ import annotations

import io
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from PIL import Image, ImageDraw

from safeside.db.session import Database
from safeside.demo.fakes import fake_analyze
from safeside.demo.seed import DEMO_PASSWORD
from safeside.evidence.verify_bundle import verify_bundle
from safeside.settings import Settings
from safeside.web import create_app

from .support import EMAILS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
AXE = Path(__file__).with_name("axe.min.js")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def live_url(settings: Settings, database: Database) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(
            "!!! Browser tests SKIPPED: /usr/bin/chromium is missing; run scripts/setup-browser !!!"
        )
    app = create_app(settings, database=database, analyze=fake_analyze)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://localhost:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def screenshot_png() -> bytes:
    image = Image.new("RGB", (480, 120), "white")
    ImageDraw.Draw(image).text((10, 40), "I know where you live", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in_by_keyboard(page, base: str, who: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/sign-in")
    page.focus("#email")
    page.keyboard.type(EMAILS[who])
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def test_record_a_concern_with_a_screenshot_then_export_and_verify(
    live_url: str,
    browser,
    tmp_path: Path,
    database: Database,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(f"{live_url}/sign-in")
    shoot(page, "01-sign-in")
    sign_in_by_keyboard(page, live_url, "practitioner")

    page.fill("#text", "Kayden says I know where you live.")
    page.check("#mode-2")
    page.click("button:has-text('Check')")
    page.wait_for_selector("mark.ss-mark--concern")
    shoot(page, "02-check-a-post")

    page.click("a:has-text('Cases')")
    page.click("a:has-text('EA-2026-0142')")
    page.click("a:has-text('Record a concern')")
    page.fill("#purpose", "A parent's post about me was shown to me by a colleague.")
    page.fill("#necessity", "Needed to assess a possible threat; one post only.")
    page.check("input[name=legal_basis][value=staff_safety]")
    page.fill("#subject", "Parent R (fictional)")
    page.check("input[name=how_seen][value=shown_to_me]")
    page.check("input[name=viewed_before][value=no]")
    shoot(page, "03-justification")
    page.click("button:has-text('Continue')")

    page.check("input[name=kind][value=screenshot]")
    shot = tmp_path / "post.png"
    shot.write_bytes(screenshot_png())
    page.set_input_files("#upload", str(shot))
    page.fill("#text", "I know where you live")
    page.select_option("#platform", "Facebook")
    page.fill("#author_handle", "@parent_r_demo")
    shoot(page, "04-capture")
    page.click("button:has-text('Save and analyse')")
    page.wait_for_selector("text=Evidence recorded.")
    assert page.is_visible("text=Threat of violence or harm")
    shoot(page, "05-evidence")

    page.click("a:has-text('Back to case')")
    shoot(page, "06-case")
    page.click("a:has-text('Export evidence bundle')")
    with page.expect_download() as download_info:
        page.click("button:has-text('Download bundle')")
    bundle = tmp_path / "bundle.zip"
    download_info.value.save_as(str(bundle))
    zipfile.ZipFile(bundle).extractall(tmp_path / "bundle")
    with database.session() as session:
        report = verify_bundle(tmp_path / "bundle" / "manifest.json", session)
    assert report.ok, report.problems
    assert len(report.problems) == 0 and report.records == 3  # pdf + 2 originals

    manager = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    sign_in_by_keyboard(manager, live_url, "manager")
    manager.goto(f"{live_url}/actions")
    shoot(manager, "07-actions-dashboard")
    manager.goto(f"{live_url}/audit")
    shoot(manager, "08-audit")
    context.close()


MAIN_PAGES = [
    "/",
    "/cases",
    "/cases/1",
    "/cases/1/concerns/new",
    "/cases/1/evidence/1",
    "/actions",
    "/audit",
]


def test_main_pages_have_no_serious_accessibility_violations(live_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    if not AXE.exists():
        pytest.skip(
            "!!! axe-core check SKIPPED: tests/web/axe.min.js missing; run scripts/build-assets !!!"
        )
    context = browser.new_context(bypass_csp=True)  # lets the test inject axe-core
    page = context.new_page()
    sign_in_by_keyboard(page, live_url, "manager")
    found: dict[str, list[str]] = {}
    for path in ["/sign-in", *MAIN_PAGES]:
        page.goto(live_url + path)
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
        )
        if violations:
            found[path] = violations
    context.close()
    assert found == {}
