"""At 375 px (a small phone) no page is wider than the screen: tables stack, or scroll
inside a labelled region that a keyboard can reach. Saves docs/screenshots/narrow-*.png."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from safeside.db.session import Database
from safeside.settings import Settings
from safeside.testing import FakeCheck
from safeside.web import create_app

from .browser import axe_violations, serving, shoot, sign_in_by_keyboard
from .test_case_actions import CHECK, record

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 375, "height": 812}
#: The innermost element that reaches past the right edge, to name in a failure.
WIDEST = """() => {
  let found = '';
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.ss-table-scroll') && !el.classList.contains('ss-table-scroll')) continue;
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1) found = el.tagName + '.' + el.className + ': ' +
      (el.textContent || '').trim().slice(0, 60);
  }
  return found;
}"""
PAGES = {
    "manager": ["/cases/1", "/actions", "/audit", "/cases"],
    "practitioner": ["/cases/1", "/actions", "/learning/cpd", "/learning"],
}


@pytest.fixture
def narrow_url(settings: Settings, database: Database) -> Iterator[str]:
    """The app on a real port, with a busy case 1: an act-now step, repeated actions,
    a concern set aside, a long handle (the stand-in engine keeps it quick)."""
    record(database, "I know where you live and will meet the kids.", "Marlowe", targets=["worker"])
    record(database, "Tonight, with a knife.", "Underhill")
    record(database, "I know where you live " + "x" * 60, "Averyveryveryverylonghandlename" * 2)
    app = create_app(settings, database=database, check=FakeCheck(CHECK))
    with serving(app) as url:
        yield url


@pytest.mark.parametrize("who", list(PAGES))
def test_no_page_is_wider_than_a_phone(narrow_url: str, browser, who: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in_by_keyboard(page, narrow_url, who)
    for path in PAGES[who]:
        page.goto(narrow_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        widest = page.evaluate(WIDEST)
        assert width <= 375, f"{path} as {who} is {width} px wide at 375 px ({widest})"
        if who == "manager" and path != "/cases":
            name = {"/cases/1": "case", "/actions": "actions", "/audit": "audit"}[path]
            shoot(page, f"narrow-{name}")
    context.close()


def test_stacked_tables_label_every_cell_and_wide_ones_scroll_in_a_region(
    narrow_url: str,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # to inject axe-core
    page = context.new_page()
    sign_in_by_keyboard(page, narrow_url, "manager")

    page.goto(narrow_url + "/actions")
    label = page.evaluate(
        """() => getComputedStyle(document.querySelector(
             '.ss-table--stack td[data-label="Due"]'), '::before').content"""
    )
    assert label == '"Due"'
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.ss-table--stack tr')).display")
        == "block"
    )
    assert axe_violations(page) == []

    page.goto(narrow_url + "/cases/1")
    assert page.is_visible("#act-now")
    assert axe_violations(page) == []

    page.goto(narrow_url + "/audit")
    region = page.locator(".ss-table-scroll")
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("tabindex") == "0"
    assert page.locator("#" + str(region.get_attribute("aria-labelledby"))).inner_text()
    scrolls = page.evaluate(
        "(() => { const r = document.querySelector('.ss-table-scroll');"
        " return r.scrollWidth > r.clientWidth; })()"
    )
    assert scrolls, "the audit table scrolls inside its region, not the page"
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "document.querySelector('.ss-table-scroll').scrollLeft > 0", timeout=3000
    )
    context.close()
