"""Actions: playbook actions become tasks; managers see the team's open serious items."""

from __future__ import annotations

from collections.abc import Callable

from .support import TestClient, csrf, visible_text


def update(client: TestClient, status: str, note: str = ""):  # type: ignore[no-untyped-def]
    token = csrf(client, "/cases/1")
    return client.post(
        "/actions/1", data={"status": status, "outcome_note": note, "csrf_token": token}
    )


def test_the_demo_threat_became_a_task_on_the_case(signed_in: Callable[[str], TestClient]) -> None:
    page = visible_text(signed_in("practitioner").get("/cases/1").text)
    assert "Report this to your manager today." in page
    assert "Owner Sam Patel" in page


def test_a_manager_sees_open_high_and_critical_items(
    signed_in: Callable[[str], TestClient],
) -> None:
    page = visible_text(signed_in("manager").get("/actions").text)
    assert "Your team's open high and critical actions (1)" in page
    assert "EA-2026-0142" in page


def test_closing_a_task_needs_an_outcome(signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("practitioner")
    refused = update(client, "done")
    assert refused.status_code == 400
    summary = refused.text.split('class="govuk-error-summary"')[1].split("</div>")[0]
    assert "Enter what happened before you mark this action done" in summary
    assert 'href="#outcome-1"' in summary
    assert "govuk-notification-banner--success" not in refused.text

    assert update(client, "done", "Discussed with Jo; police informed.").status_code == 303
    page = visible_text(client.get("/cases/1").text)
    assert "Status Done" in page and "police informed" in page
    dashboard = visible_text(signed_in("manager").get("/actions").text)
    assert "Your team's open high and critical actions" in dashboard
    assert "There are none." in dashboard


def test_legal_cannot_change_tasks(signed_in: Callable[[str], TestClient]) -> None:
    assert update(signed_in("legal"), "done", "x").status_code == 403
