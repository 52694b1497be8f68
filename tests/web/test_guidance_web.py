"""The guidance library in the web app: browse, search, read a page with its sources."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI

from safeside.db.session import Database
from safeside.learning.scenarios import get_scenario
from safeside.settings import Settings
from safeside.testing import example_check
from safeside.web import create_app

from .support import SignedInClients, TestClient, visible_text


@pytest.fixture
def local_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "lone-working.md").write_text(
        "---\ntitle: Lone working on home visits\nsummary: Ring the duty desk before each visit.\n"
        "sources: [staff_safety]\n---\nUse the **buddy system** on every visit.\n",
        encoding="utf-8",
    )
    (folder / "work-phones.md").write_text(
        "# Work phones\n\nMessage families only from your work phone. <script>alert(1)</script>\n",
        encoding="utf-8",
    )
    (folder / "broken.md").write_bytes(b"# Broken \xff\xfe page\n")
    return folder


@pytest.fixture
def local_app(settings: Settings, database: Database, local_dir: Path) -> FastAPI:
    return create_app(
        replace(settings, guidance_dir=local_dir), database=database, check=example_check()
    )


@pytest.fixture
def local_client(local_app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    clients = SignedInClients(local_app)
    yield clients.make
    clients.close()


def test_a_practitioner_sees_every_page_with_its_summary(
    signed_in: Callable[[str], TestClient],
) -> None:
    page = signed_in("practitioner").get("/learning/guidance")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "Guidance library" in text
    assert "Children in family court proceedings" in text
    assert 'href="/learning/guidance/children-in-proceedings"' in page.text
    assert len(re.findall(r'href="/learning/guidance/[a-z0-9-]+"', page.text)) >= 14
    assert '<label class="govuk-label govuk-label--s" for="q">' in page.text
    assert "Your organisation's policies" not in text, "no local pages configured"


def test_a_page_shows_its_rule_sources_related_pages_and_scenarios(
    signed_in: Callable[[str], TestClient],
) -> None:
    page = signed_in("practitioner").get("/learning/guidance/children-in-proceedings")
    assert page.status_code == 200
    html = page.text
    assert re.search(r"<h1[^>]*>Children in family court proceedings</h1>", html)
    assert "<title>Children in family court proceedings" in html
    text = visible_text(html)
    assert "Sources" in text
    assert "Children Act 1989, section 97(2)" in text
    assert 'href="https://www.legislation.gov.uk/ukpga/1989/41/section/97"' in html
    assert "No publication of material intended or likely to identify a child" in text
    assert 'href="/learning/guidance/confidentiality-and-jigsaw-identification"' in html
    assert 'href="/learning/scenarios/parent-posts-about-proceedings"' in html
    scenario = get_scenario("parent-posts-about-proceedings")
    assert scenario is None or scenario.title in text, "the scenario's own title"
    assert "Local policy" not in text


def test_search_marks_the_matched_words(signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("practitioner").get("/learning/guidance", params={"q": "repeat viewing"})
    assert page.status_code == 200
    html = page.text
    first = re.search(r'href="/learning/guidance/([a-z0-9-]+)"', html.split("pages match", 1)[1])
    assert first and first.group(1) == "viewing-service-users-social-media"
    assert "<mark>Repeat</mark>" in html or "<mark>repeat</mark>" in html
    assert 'value="repeat viewing"' in html
    assert "<title>Guidance library: results for “repeat viewing”" in html


def test_a_search_for_markup_is_escaped(signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("practitioner").get("/learning/guidance", params={"q": "<script>x</script>"})
    assert page.status_code == 200
    assert "<script>x" not in page.text
    assert "No guidance matches “&lt;script&gt;x&lt;/script&gt;”" in page.text


def test_a_search_with_no_results_says_so_and_gives_advice(
    signed_in: Callable[[str], TestClient],
) -> None:
    text = visible_text(
        signed_in("practitioner").get("/learning/guidance", params={"q": "xyzzy plugh"}).text
    )
    assert "No guidance matches “xyzzy plugh”" in text
    assert "checking your spelling" in text
    assert "See all guidance" in text


def test_an_unknown_page_is_not_found(signed_in: Callable[[str], TestClient]) -> None:
    page = signed_in("practitioner").get("/learning/guidance/no-such-page")
    assert page.status_code == 404
    assert "Page not found" in page.text


@pytest.mark.parametrize("who", ["manager", "legal", "admin"])
def test_every_role_may_read_the_guidance(who: str, signed_in: Callable[[str], TestClient]) -> None:
    assert signed_in(who).get("/learning/guidance/self-harm-and-suicide-risk").status_code == 200


def test_local_pages_are_listed_searchable_and_tagged(
    local_client: Callable[[str], TestClient],
) -> None:
    client = local_client("practitioner")
    listing = client.get("/learning/guidance")
    text = visible_text(listing.text)
    assert "Your organisation's policies" in text
    assert "Lone working on home visits" in text and "Work phones" in text
    assert "could not be loaded" not in text, "problems are for administrators"
    assert "broken.md" not in text

    results = client.get("/learning/guidance", params={"q": "buddy system"}).text
    assert 'href="/learning/guidance/lone-working"' in results
    assert "<mark>buddy</mark>" in results

    page = client.get("/learning/guidance/work-phones")
    assert page.status_code == 200
    assert "Local policy" in visible_text(page.text)
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "Your organisation&#39;s local policy" in page.text


def test_administrators_see_which_local_pages_could_not_be_loaded(
    local_client: Callable[[str], TestClient],
) -> None:
    text = visible_text(local_client("admin").get("/learning/guidance").text)
    assert "could not be loaded" in text
    assert "broken.md: not UTF-8 text" in text


def test_a_page_added_to_the_folder_appears_without_a_restart(
    local_client: Callable[[str], TestClient], local_dir: Path
) -> None:
    client = local_client("practitioner")
    assert client.get("/learning/guidance/new-policy").status_code == 404
    (local_dir / "new-policy.md").write_text("# New policy\n\nText.\n", encoding="utf-8")
    assert client.get("/learning/guidance/new-policy").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/learning/guidance",
        "/learning/guidance?q=friend+request",
        "/learning/guidance?q=xyzzy",
        "/learning/guidance/viewing-service-users-social-media",
        "/learning/guidance/video-calls-and-remote-contact",
    ],
)
def test_guidance_pages_follow_the_design_system_basics(
    path: str, signed_in: Callable[[str], TestClient]
) -> None:
    html = signed_in("practitioner").get(path).text
    h1s = re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)
    assert len(h1s) == 1
    title = re.search(r"<title>(.*?)</title>", html, flags=re.S)
    assert title and title.group(1).strip().startswith(re.sub(r"<[^>]+>", "", h1s[0]).strip())
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for field in re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', html):
        if not re.search(rf'<input[^>]*type="hidden"[^>]*id="{field}"', html):
            assert f'for="{field}"' in html
    assert all(' action="' in form for form in re.findall(r"<form[^>]*>", html))
    assert not [s for s in re.findall(r"<script([^>]*)>", html) if "src=" not in s]
    assert 'aria-current="page"' in html or "govuk-service-navigation__item--active" in html
