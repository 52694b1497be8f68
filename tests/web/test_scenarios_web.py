"""Training scenarios in the web app: take one a question at a time, see the feedback,
and turn it into a CPD record."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from safeside.audit_log.models import AuditEvent
from safeside.learning.cpd.models import CpdRecord
from safeside.learning.scenarios import Scenario, all_scenarios, get_scenario
from safeside.learning.scenarios.models import ScenarioCompletion
from safeside.web.routes.cpd import STANDARD_CHOICES

from . import test_page_invariants as invariants
from .browser import AXE, axe_violations, sign_in_by_keyboard
from .support import TestClient, csrf, visible_text

FRIEND_REQUEST = "friend-request-from-service-user"


def scenario(scenario_id: str = FRIEND_REQUEST) -> Scenario:
    found = get_scenario(scenario_id)
    assert found is not None
    return found


def answer(client: TestClient, scenario_id: str, step: int, option: str) -> str:
    """Answer one question; where the app sends you next."""
    url = f"/learning/scenarios/{scenario_id}/steps/{step}"
    response = client.post(url, data={"answer": option, "csrf_token": csrf(client, url)})
    assert response.status_code == 303, visible_text(response.text)[:500]
    return response.headers["location"]


def take(client: TestClient, taken: Scenario, choose: Callable[[int], str]) -> int:
    """Answer every question (``choose(step number)`` gives the option); the completion id."""
    location = ""
    for step in taken.steps:
        location = answer(client, taken.id, step.number, choose(step.number))
    match = re.fullmatch(r"/learning/scenarios/results/(\d+)", location)
    assert match, location
    return int(match.group(1))


def best(taken: Scenario) -> Callable[[int], str]:
    return lambda number: taken.steps[number - 1].best.id


def test_a_practitioner_takes_a_scenario_and_makes_a_cpd_record(
    signed_in: Callable[[str], TestClient], app: FastAPI
) -> None:
    sam = signed_in("practitioner")
    taken = scenario()

    listing = visible_text(sam.get("/learning/scenarios").text)
    assert taken.title in listing and "Not started" in listing
    intro = visible_text(sam.get(f"/learning/scenarios/{taken.id}").text)
    assert "The situation" in intro and "Start" in intro
    first = visible_text(sam.get(f"/learning/scenarios/{taken.id}/steps/1").text)
    assert "Question 1 of 3" in first and taken.steps[0].question in first

    completion_id = take(sam, taken, best(taken))

    results = visible_text(sam.get(f"/learning/scenarios/results/{completion_id}").text)
    assert "Scenario complete" in results and "6 out of 6" in results
    assert taken.steps[0].best.feedback in results
    assert "Local-authority procedure, use of social media by social care staff" in results
    assert "Key learning points" in results and taken.learning_points[0] in results
    listing = visible_text(sam.get("/learning/scenarios").text)
    assert "Completed: best score 6 out of 6" in listing

    results_url = f"/learning/scenarios/results/{completion_id}"
    response = sam.post(
        f"{results_url}/cpd",
        data={
            "reflection": "I will check my privacy settings.",
            "csrf_token": csrf(sam, results_url),
        },
    )
    assert response.status_code == 303
    match = re.fullmatch(r"/learning/cpd/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    record_id = int(match.group(1))

    with app.state.database.session() as session:
        record = session.get(CpdRecord, record_id)
        assert record is not None
        assert record.source_kind == "scenario"
        assert record.source_ref == f"scenario:{taken.id}:v1:completion:{completion_id}"
        assert record.activity_type == "Scenario-based training"
        assert record.title == f"Scenario: {taken.title}"
        assert record.standards == sorted(taken.standards)
        assert "I will check my privacy settings." in record.learning
        assert record.status == "complete"
        completion = session.get(ScenarioCompletion, completion_id)
        assert completion is not None and completion.cpd_record_id == record_id
        assert completion.answers == {str(s.number): s.best.id for s in taken.steps}
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "completed_scenario" in actions and "created_cpd_record" in actions

    again = sam.post(f"{results_url}/cpd", data={"csrf_token": csrf(sam, results_url)})
    assert again.headers["location"] == f"/learning/cpd/{record_id}", "one record per run"
    assert "See your CPD record" in sam.get(results_url).text


def test_without_a_reflection_the_cpd_record_is_a_draft_to_finish(
    signed_in: Callable[[str], TestClient], app: FastAPI
) -> None:
    sam = signed_in("practitioner")
    taken = scenario("threats-to-worker-online")
    completion_id = take(sam, taken, lambda number: "a")
    results_url = f"/learning/scenarios/results/{completion_id}"
    page = visible_text(sam.get(results_url).text)
    assert "The best answer" in page, "a wrong answer shows the best one too"

    response = sam.post(f"{results_url}/cpd", data={"csrf_token": csrf(sam, results_url)})
    record_id = int(response.headers["location"].rsplit("/", 1)[1])
    with app.state.database.session() as session:
        record = session.get(CpdRecord, record_id)
        assert record is not None and record.status == "draft"
        assert record.impact.startswith("[How will this change your practice?")


def test_scenario_standards_are_ones_the_cpd_form_offers() -> None:
    """So that changing a CPD record made from a scenario keeps its standards."""
    for taken in all_scenarios().values():
        assert set(taken.standards) <= set(STANDARD_CHOICES), taken.id


def test_a_missing_answer_shows_the_error(signed_in: Callable[[str], TestClient]) -> None:
    sam = signed_in("practitioner")
    url = f"/learning/scenarios/{FRIEND_REQUEST}/steps/1"
    response = sam.post(url, data={"csrf_token": csrf(sam, url)})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert '<a href="#answer">Select an answer</a>' in response.text
    assert re.search(r"<title>Error: ", response.text)


def test_an_earlier_answer_is_kept_when_you_go_back(signed_in: Callable[[str], TestClient]) -> None:
    sam = signed_in("practitioner")
    answer(sam, FRIEND_REQUEST, 1, "c")
    page = sam.get(f"/learning/scenarios/{FRIEND_REQUEST}/steps/1").text
    assert re.search(r'value="c"\s+checked', page)
    assert "Question 2 of 3" in sam.get(f"/learning/scenarios/{FRIEND_REQUEST}/steps/2").text


def test_questions_out_of_order_go_back_to_the_first_unanswered(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    response = sam.get(f"/learning/scenarios/{FRIEND_REQUEST}/steps/3")
    assert response.status_code == 303
    assert response.headers["location"] == f"/learning/scenarios/{FRIEND_REQUEST}/steps/1"
    answer(sam, FRIEND_REQUEST, 1, "a")
    response = sam.get(f"/learning/scenarios/{FRIEND_REQUEST}/steps/3")
    assert response.headers["location"] == f"/learning/scenarios/{FRIEND_REQUEST}/steps/2"


def test_unknown_scenarios_and_steps_are_not_found(signed_in: Callable[[str], TestClient]) -> None:
    sam = signed_in("practitioner")
    assert sam.get("/learning/scenarios/no-such-scenario").status_code == 404
    assert sam.get(f"/learning/scenarios/{FRIEND_REQUEST}/steps/9").status_code == 404
    assert sam.get(f"/learning/scenarios/{FRIEND_REQUEST}/steps/first").status_code == 404
    assert sam.get("/learning/scenarios/results/999").status_code == 404


def test_only_the_practitioner_sees_their_results(
    signed_in: Callable[[str], TestClient], client: TestClient
) -> None:
    sam = signed_in("practitioner")
    taken = scenario()
    completion_id = take(sam, taken, best(taken))
    results_url = f"/learning/scenarios/results/{completion_id}"

    jo = signed_in("manager")
    assert jo.get(results_url).status_code == 404
    refused = jo.post(f"{results_url}/cpd", data={"csrf_token": csrf(jo, "/learning/scenarios")})
    assert refused.status_code == 404

    anonymous = client.get(results_url)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/sign-in")
    assert client.get("/learning/scenarios").status_code == 303


def test_scenario_pages_follow_the_design_system_basics(
    signed_in: Callable[[str], TestClient], client: TestClient
) -> None:
    sam = signed_in("practitioner")
    taken = scenario()
    completion_id = take(sam, taken, lambda number: "a")
    for path in (
        "/learning/scenarios",
        f"/learning/scenarios/{taken.id}",
        f"/learning/scenarios/{taken.id}/steps/1",
        f"/learning/scenarios/results/{completion_id}",
    ):
        invariants.test_page_follows_the_design_system_basics(
            "practitioner", path, signed_in, client
        )


@pytest.mark.browser
def test_a_scenario_by_keyboard_has_no_serious_accessibility_violations(
    live_url: str, browser: Any
) -> None:
    if not AXE.exists():
        pytest.skip("!!! axe-core check SKIPPED: tests/web/axe.min.js missing !!!")
    page = browser.new_context(bypass_csp=True).new_page()
    sign_in_by_keyboard(page, live_url, "practitioner")
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        if violations := axe_violations(page):
            found[name] = violations

    page.goto(f"{live_url}/learning/scenarios")
    check("list")
    page.click(f"a[href='/learning/scenarios/{FRIEND_REQUEST}']")
    check("situation")
    page.click("a:has-text('Start')")
    page.click("button:has-text('Continue')")
    page.wait_for_selector(".govuk-error-summary")
    check("question with an error")
    for number in (1, 2, 3):
        page.focus("input[name=answer]")  # the first option
        page.keyboard.press("Space")
        page.keyboard.press("Enter")
        if number < 3:
            page.wait_for_url(f"**/steps/{number + 1}")
            check(f"question {number + 1}")
    page.wait_for_url("**/results/*")
    page.wait_for_selector("text=Scenario complete")
    check("results")
    assert found == {}
