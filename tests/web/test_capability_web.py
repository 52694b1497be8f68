"""The self-assessment in the web app: one section a page, the learning plan, team
reports only for five or more people, and the anonymised research download."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, select

from safeside.access.models import User
from safeside.audit_log.models import AuditEvent
from safeside.learning.capability import questionnaire, seed_capability_demo
from safeside.learning.capability.demo import demo_answers
from safeside.learning.capability.models import CapabilityResponse

from .browser import AXE, axe_violations, sign_in_by_keyboard
from .support import EMAILS, TestClient, csrf, visible_text
from .test_page_invariants import test_page_follows_the_design_system_basics as check_page

EAST = ["practitioner", "practitioner_not_member", "manager", "legal", "admin"]
SECTIONS = "/learning/self-assessment/sections"


@pytest.fixture(autouse=True)
def nobody_has_answered(database: Any) -> None:
    """The demo seeds five East answers; these tests start from none and add their own."""
    with database.session() as session:
        session.execute(delete(CapabilityResponse))


def seed(app: FastAPI, *who: str) -> None:
    """Demo self-assessments for these demo users, in this order."""
    emails = [EMAILS[w] for w in who]
    with app.state.database.session() as session:
        found = {u.email: u for u in session.scalars(select(User).where(User.email.in_(emails)))}
        seed_capability_demo(session, [found[e] for e in emails])


def section_form(answers: dict[str, Any], number: int) -> dict[str, Any]:
    part = questionnaire().section(number)
    assert part is not None
    return {
        q.id: [str(v) for v in answers[q.id]]
        if isinstance(answers[q.id], list)
        else str(answers[q.id])
        for q in part.questions
        if q.id in answers
    }


def answer_all(client: TestClient, answers: dict[str, Any]) -> Any:
    """Answer every section through the forms; the last response."""
    total = len(questionnaire().sections)
    response = None
    for number in range(1, total + 1):
        token = csrf(client, f"{SECTIONS}/{number}")
        data = section_form(answers, number) | {"csrf_token": token}
        response = client.post(f"{SECTIONS}/{number}", data=data)
        assert response.status_code == 303, visible_text(response.text)[:400]
        if number < total:
            assert response.headers["location"] == f"{SECTIONS}/{number + 1}"
    return response


def actions(app: FastAPI) -> list[str]:
    with app.state.database.session() as session:
        return list(session.scalars(select(AuditEvent.action)))


def test_a_practitioner_answers_every_section_and_gets_a_plan(
    signed_in: Callable[[str], TestClient], app: FastAPI
) -> None:
    sam = signed_in("practitioner")
    start = visible_text(sam.get("/learning/self-assessment").text)
    assert "It takes about 10 minutes" in start
    assert "only once at least 5 people have answered" in start

    page = sam.get(f"{SECTIONS}/1").text
    assert "Self-assessment: section 1 of 9" in visible_text(page)
    assert "Not at all confident" in page and "Very confident" in page

    done = answer_all(sam, demo_answers(0))
    assert done.headers["location"] == "/learning/self-assessment/plan"
    plan = sam.get("/learning/self-assessment/plan").text
    words = visible_text(plan)
    assert "Your answers have been saved" in words
    assert "Your priorities" in words
    # Sam's lowest area is information governance (2.3), then safeguarding (2.7).
    assert words.index("1. Confidentiality, information and records") < words.index(
        "2. Safeguarding online"
    )
    links = re.findall(r'href="(/learning/(?:guidance|scenarios)/[^"]+)"', plan)
    assert "/learning/guidance/recording-evidence-from-social-media" in links
    assert "/learning/scenarios/repeat-viewing-for-evidence" in links
    assert "Training you asked for" in words and "Threats and abuse towards staff" in words

    with app.state.database.session() as session:
        response = session.scalars(select(CapabilityResponse)).one()
        assert response.answers == demo_answers(0)
    assert "submitted_self_assessment" in actions(app)
    assert "See your learning plan" in visible_text(sam.get("/learning/self-assessment").text)


def test_a_missing_answer_is_shown_in_an_error_summary(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    data = section_form(demo_answers(0), 1)
    del data["wellbeing"]
    data["csrf_token"] = csrf(sam, f"{SECTIONS}/1")
    response = sam.post(f"{SECTIONS}/1", data=data)
    assert response.status_code == 400
    words = visible_text(response.text)
    assert "There is a problem" in words
    message = "Select how confident you are at looking after your wellbeing"
    assert words.count(message) == 2  # in the summary and beside the question
    assert 'href="#wellbeing"' in response.text
    assert re.search(r"<title>Error: ", response.text)
    assert 'value="4" checked' in response.text  # what was chosen stays chosen


def test_skipping_ahead_goes_back_to_the_first_unanswered_section(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    response = sam.get(f"{SECTIONS}/4")
    assert (response.status_code, response.headers["location"]) == (303, f"{SECTIONS}/1")
    assert sam.get(f"{SECTIONS}/99").status_code == 404


def test_the_plan_page_before_any_answers_offers_a_start(
    signed_in: Callable[[str], TestClient],
) -> None:
    words = visible_text(signed_in("practitioner").get("/learning/self-assessment/plan").text)
    assert "You have not taken the digital-capability self-assessment yet" in words
    assert "Start the self-assessment" in words


@pytest.mark.parametrize("who", ["practitioner", "legal", "other_team_practitioner"])
def test_only_managers_and_administrators_see_capability_reports(
    who: str, signed_in: Callable[[str], TestClient]
) -> None:
    client = signed_in(who)
    assert client.get("/learning/capability").status_code == 403
    assert client.get("/learning/capability/research-export").status_code == 403


def test_a_manager_sees_no_numbers_until_five_have_answered(
    signed_in: Callable[[str], TestClient], app: FastAPI
) -> None:
    seed(app, *EAST[:3])
    jo = signed_in("manager")
    response = jo.get("/learning/capability")
    assert response.status_code == 200
    words = visible_text(response.text)
    assert (
        "Not enough people have answered yet to show this team's results (3 of 5 needed)" in words
    )
    assert "Average (out of 5)" not in words and "people have answered." not in words
    assert "viewed_capability_report" in actions(app)

    seed(app, *EAST[3:])
    words = visible_text(jo.get("/learning/capability").text)
    assert "5 people have answered." in words
    assert "Your team's digital capability" in words
    # Profiles 0, 1, 2, then 0 and 1 again: (8/3 + 11/3 + 4 + 8/3 + 11/3) / 5
    assert "Safeguarding online 3.3 0 2 3" in words  # the mean, then people by level
    assert "Training people asked for" in words


def test_another_teams_manager_never_sees_their_numbers(
    signed_in: Callable[[str], TestClient], app: FastAPI
) -> None:
    seed(app, *EAST)
    words = visible_text(signed_in("other_team_manager").get("/learning/capability").text)
    assert "(0 of 5 needed)" in words
    assert "East" not in words and "people have answered." not in words


def test_an_administrator_sees_the_organisation_and_downloads_the_research_file(
    signed_in: Callable[[str], TestClient], app: FastAPI
) -> None:
    ash = signed_in("admin")
    refused = ash.get("/learning/capability/research-export")
    assert refused.status_code == 409
    assert "There is not enough data to export yet" in visible_text(refused.text)
    assert "Only 0 of the 5 people needed" in visible_text(refused.text)

    seed(app, *EAST)
    words = visible_text(ash.get("/learning/capability").text)
    assert "Digital capability across the organisation" in words
    assert words.count("5 people have answered.") == 2  # the organisation and East
    assert "West Locality" in words and "(0 of 5 needed)" in words

    response = ash.get("/learning/capability/research-export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert re.fullmatch(
        r"attachment; filename=\"([a-z0-9-]+\.csv)\"; filename\*=UTF-8''\1",
        response.headers["content-disposition"],
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(int(r["respondent"]) for r in rows) == [1, 2, 3, 4, 5]
    assert {r["role_group"] for r in rows} == {"other"}  # no role has five people
    for email in EMAILS.values():
        assert email not in response.text
    for name in ("Sam Patel", "Jo Reid", "Ash Kowalski", "Locality"):
        assert name not in response.text
    assert "exported_capability_research" in actions(app)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("practitioner", "/learning/self-assessment"),
        *[("practitioner", f"{SECTIONS}/{n}") for n in range(1, 10)],
        ("practitioner", "/learning/self-assessment/plan"),
        ("manager", "/learning/capability"),
        ("admin", "/learning/capability"),
        ("admin", "/learning/capability/research-export"),
    ],
)
def test_the_pages_follow_the_design_system_basics(
    who: str, path: str, signed_in: Callable[[str], TestClient], client: TestClient, app: FastAPI
) -> None:
    if path in ("/learning/capability", "/learning/self-assessment/plan"):
        seed(app, *EAST)  # the research export stays below five: its page explains why
    if path.startswith(SECTIONS) and not path.endswith("/1"):
        # Later sections need the earlier ones answered first.
        number = int(path.rsplit("/", 1)[1])
        person = signed_in(who)
        for earlier in range(1, number):
            data = section_form(demo_answers(1), earlier)
            data["csrf_token"] = csrf(person, f"{SECTIONS}/{earlier}")
            assert person.post(f"{SECTIONS}/{earlier}", data=data).status_code == 303
        assert person.get(path).status_code == 200
        check_page(who, path, lambda _who: person, client)
        return
    check_page(who, path, signed_in, client)


@pytest.mark.browser
@pytest.mark.slow
def test_the_self_assessment_in_a_browser_has_no_serious_accessibility_violations(
    live_url: str,
    browser: Any,
    database: Any,
) -> None:
    if not AXE.exists():
        pytest.skip("!!! axe-core check SKIPPED: tests/web/axe.min.js missing !!!")
    context = browser.new_context(bypass_csp=True)  # lets the test inject axe-core
    page = context.new_page()
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        if violations := axe_violations(page):
            found[name] = violations

    sign_in_by_keyboard(page, live_url, "practitioner")
    page.goto(f"{live_url}/learning/self-assessment")
    check("start")
    page.click("text=Start now")
    page.click("button:has-text('Continue')")  # nothing chosen: the error summary
    page.wait_for_selector(".govuk-error-summary")
    check("section 1 with errors")
    answers = demo_answers(0)
    for number in range(1, len(questionnaire().sections) + 1):
        check(f"section {number}")
        for name, value in section_form(answers, number).items():
            for one in value if isinstance(value, list) else [value]:
                page.check(f"input[name='{name}'][value='{one}']")
        if number == 8:  # "None of these" clears the topics (GOV.UK Frontend's script)
            page.check("input[name='training-topics'][value='none']")
            assert not page.is_checked("input[name='training-topics'][value='threats-and-abuse']")
            page.check("input[name='training-topics'][value='threats-and-abuse']")
            assert not page.is_checked("input[name='training-topics'][value='none']")
        page.click("button.govuk-button")
    page.wait_for_url(f"{live_url}/learning/self-assessment/plan")
    check("plan")
    context.close()

    with database.session() as session:
        emails = [EMAILS[w] for w in EAST[1:]]
        users = {u.email: u for u in session.scalars(select(User).where(User.email.in_(emails)))}
        seed_capability_demo(session, [users[e] for e in emails])
    for who in ("manager", "admin"):
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        sign_in_by_keyboard(page, live_url, who)
        page.goto(f"{live_url}/learning/capability")
        assert "5 people have answered." in page.inner_text("main")
        check(f"report ({who})")
        context.close()
    assert not found, found
