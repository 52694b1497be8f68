"""Check a post: paste, choose own/review, see highlights, concerns, actions; nothing stored."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from sqlalchemy import func, select

from safeside.audit_log.models import AuditEvent
from safeside.check import engine_check
from safeside.db.session import Database
from safeside.evidence.models import EvidenceItem

from .support import TestClient, csrf, visible_text


def check(client: TestClient, text: str, mode: str = "review") -> tuple[int, str]:
    response = client.post("/", data={"text": text, "mode": mode, "csrf_token": csrf(client, "/")})
    return response.status_code, response.text


def counts(database: Database) -> tuple[int, int]:
    with database.session() as session:
        return (
            int(session.scalar(select(func.count(AuditEvent.id))) or 0),
            int(session.scalar(select(func.count(EvidenceItem.id))) or 0),
        )


def test_the_landing_page_asks_for_a_post(signed_in: Callable[[str], TestClient]) -> None:
    page = visible_text(signed_in("practitioner").get("/").text)
    assert "Check a post" in page
    assert "Nothing you paste here is stored" in page


def test_a_threat_is_highlighted_explained_and_has_an_action(
    signed_in: Callable[[str], TestClient],
) -> None:
    status, html = check(signed_in("practitioner"), "Kayden says I know where you live.")
    page = visible_text(html)

    assert status == 200
    assert '<mark class="ss-mark ss-mark--concern">where you live' in html
    assert "(highlighted: Threat of violence or harm)" in page
    assert "Says they know where someone lives: a veiled threat." in page
    assert "Today: Report this to your manager today." in page
    assert "Lone working policy (s.4)" in page


def test_a_concern_shows_the_training_example_it_reads_like(
    app: FastAPI, signed_in: Callable[[str], TestClient]
) -> None:
    app.state.check = engine_check  # the real engine: its model finds the nearest example
    status, html = check(
        signed_in("practitioner"),
        "sorted out who gets the cat, posted the keys back, won't need them after tomorrow",
    )
    page = visible_text(html)

    assert status == 200
    assert "It reads like this example Safeside learned from (invented for training):" in page
    assert html.count('class="govuk-inset-text"') >= 1


def test_a_harmless_post_says_so(signed_in: Callable[[str], TestClient]) -> None:
    status, html = check(signed_in("manager"), "Lovely team lunch today!", mode="own")
    assert status == 200
    assert "Safeside found nothing to worry about" in visible_text(html)


def test_checking_stores_nothing(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    client = signed_in("practitioner")
    before = counts(database)
    check(client, "I know where you live")
    assert counts(database) == before


def test_an_empty_check_shows_an_error_summary(signed_in: Callable[[str], TestClient]) -> None:
    status, html = check(signed_in("practitioner"), "   ")
    page = visible_text(html)
    assert status == 400
    assert "There is a problem" in page
    assert 'href="#text"' in html
    assert "<title>Error: Check a post" in html
