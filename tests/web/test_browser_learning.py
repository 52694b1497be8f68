"""Browser journey through Learning, on Debian's chromium with the real engine:
take a scenario → make a CPD record from it → finish it → export the portfolio PDF.

Screenshots are saved under docs/screenshots/ (``learning-*.png``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdf
import pytest

from .browser import shoot, sign_in_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCENARIO = "parent-posts-about-proceedings"


def test_scenario_then_cpd_record_then_portfolio_export(
    live_url: str, browser: Any, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    sign_in_by_keyboard(page, live_url, "practitioner")

    page.click("a:has-text('Learning')")
    page.wait_for_url(f"{live_url}/learning")
    shoot(page, "learning-01-hub")
    page.click("a:has-text('Training scenarios')")
    page.click(f"a[href='/learning/scenarios/{SCENARIO}']")
    page.click("a:has-text('Start')")
    step = 1
    while "/steps/" in page.url:
        if step == 1:
            shoot(page, "learning-02-scenario-question")
        page.check("input[name=answer] >> nth=0")
        page.click("button:has-text('Continue'), button:has-text('Finish and see your results')")
        page.wait_for_load_state()
        step += 1
    page.wait_for_selector("text=Scenario complete")
    shoot(page, "learning-03-scenario-results")

    page.fill("#reflection", "I will check the court's reporting rules before I discuss a case.")
    page.click("button:has-text('Make a CPD record')")
    page.wait_for_url(f"{live_url}/learning/cpd/*")
    assert page.is_visible("text=Scenario-based training")
    record_url = page.url
    page.click("a:has-text('Change this record')")
    page.fill("#peer_reflection_with", "My practice supervisor")
    page.fill("#peer_reflection", "We compared what each of us would say to the parent.")
    page.click("button:has-text('Save record')")
    page.wait_for_url(record_url)
    assert page.is_visible("text=This record is complete")
    shoot(page, "learning-04-cpd-record")

    page.click("a:has-text('Back to your CPD records')")
    page.click("a:has-text('Export your portfolio')")
    shoot(page, "learning-05-portfolio-export")
    with page.expect_download() as download_info:
        page.click("button:has-text('Download portfolio')")
    pdf = tmp_path / "portfolio.pdf"
    download_info.value.save_as(str(pdf))
    reader = pypdf.PdfReader(io.BytesIO(pdf.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "CPD portfolio" in text and "Sam Patel" in text
    assert "Scenario-based training" in text
    assert "I will check the court's reporting rules" in text
    assert "We compared what each of us would say to the parent." in text
    assert "A completed training scenario: scenario:" + SCENARIO in text
    context.close()
