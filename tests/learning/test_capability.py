"""The digital-capability self-assessment: questions, plans, reports of five or more,
and the anonymised research export."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.errors import AccessDenied
from safeside.access.models import Team, User
from safeside.audit_log.models import AuditEvent
from safeside.db.migrate import upgrade
from safeside.db.session import Database
from safeside.learning.capability import (
    MIN_GROUP,
    AnswerError,
    NotEnoughAnswers,
    QuestionnaireError,
    latest_for,
    learning_plan,
    organisation_report,
    questionnaire,
    reports_for,
    research_csv,
    seed_capability_demo,
    submit,
    team_report,
)
from safeside.learning.capability.demo import demo_answers
from safeside.learning.capability.plan import QUESTION_STEPS, TOPIC_STEPS
from safeside.learning.capability.questionnaire import load_questionnaire
from safeside.learning.capability.research import generalise

from .linked_ids import GUIDANCE_IDS, SCENARIO_IDS

GUIDANCE = set(GUIDANCE_IDS)
SCENARIOS = set(SCENARIO_IDS)
ALLOWED_LINKS = {f"/learning/guidance/{g}" for g in GUIDANCE} | {
    f"/learning/scenarios/{s}" for s in SCENARIOS
}

SHIPPED = Path(__file__).parents[2] / "src/safeside/learning/capability/questionnaire.yaml"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    database = Database(f"sqlite:///{tmp_path / 'capability.db'}")
    upgrade(database.engine)
    with database.session() as session:
        yield session
    database.dispose()


def team(session: Session, name: str) -> Team:
    made = Team(name=name)
    session.add(made)
    session.flush()
    return made


def people(session: Session, where: Team, *roles: str) -> list[User]:
    made = []
    for role in roles:
        number = session.query(User).count() + 1
        user = User(
            email=f"person{number}@council.example",
            full_name=f"Person Number{number}",
            role=role,
            team_id=where.id,
            password_hash="-",
        )
        session.add(user)
        session.flush()
        made.append(user)
    return made


def answers(confidence: int = 4, **changes: Any) -> dict[str, Any]:
    """A complete answer set: every confidence question at ``confidence``."""
    given: dict[str, Any] = {q.id: confidence for q in questionnaire().questions}
    given |= {
        "social-media-work": "weekly",
        "messaging-work": "never",
        "social-media-personal": "daily",
        "training-topics": ["none"],
        "organisation-policy": "yes",
        "had-training": "employer",
    }
    return given | {k.replace("_", "-"): v for k, v in changes.items()}


def area_questions(area_id: str) -> list[str]:
    return [q.id for a in questionnaire().areas if a.id == area_id for q in a.questions]


# --- the questionnaire ---------------------------------------------------------------


def test_the_questionnaire_loads_with_its_areas_scale_and_survey() -> None:
    q = questionnaire()
    assert (q.id, q.version) == ("digital-capability", 1)
    assert 5 <= len(q.areas) <= 7
    assert all(2 <= len(a.questions) <= 4 for a in q.areas)
    assert (q.scale[0].text, q.scale[-1].text) == ("Not at all confident", "Very confident")
    kinds = [s.kind for s in q.sections]
    assert {"use", "training", "survey"} <= set(kinds)
    assert {question.kind for question in q.questions} == {"confidence", "choice", "multi"}
    topics = q.question("training-topics")
    assert topics is not None and topics.exclusive == "none"
    policy = q.question("organisation-policy")
    assert policy is not None and [o.value for o in policy.options] == ["yes", "no", "not-sure"]


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SHIPPED.read_text("utf-8"))
    return data


def broken(change: str) -> dict[str, Any]:
    data = shipped()
    first = data["sections"][0]
    if change == "free text":
        first["questions"].append({"id": "tell-us", "kind": "text", "text": "Tell us more"})
    elif change == "one question":
        first["questions"] = first["questions"][:1]
    elif change == "four areas":
        sections = data["sections"]
        data["sections"] = [s for s in sections if s["kind"] == "area"][:4] + [
            s for s in sections if s["kind"] != "area"
        ]
    elif change == "repeated id":
        first["questions"][1]["id"] = first["questions"][0]["id"]
    elif change == "unquoted yes":
        data["option_sets"]["yes-no-not-sure"][0]["value"] = True
    elif change == "missing option set":
        data["sections"][-1]["questions"][0]["options"] = "yes-or-no"
    elif change == "four-point scale":
        data["scale"] = data["scale"][:4]
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("free text", "section 1 (identity-and-wellbeing), question 5 (tell-us): free-text"),
        ("one question", "an area needs 2 to 4 questions, not 1"),
        ("four areas", "needs 5 to 7 capability areas, not 4"),
        ("repeated id", "used more than once: footprint"),
        ("unquoted yes", "put quotes around yes and no"),
        ("missing option set", "there is no option set called ‘yes-or-no’"),
        ("four-point scale", "scale: must have exactly the points 1, 2, 3, 4 and 5"),
    ],
)
def test_a_broken_questionnaire_file_says_what_to_fix(change: str, message: str) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(yaml.safe_dump(broken(change), allow_unicode=True), "mine.yaml")
    assert str(caught.value).startswith("mine.yaml: ")
    assert message in str(caught.value)


def test_missing_and_wrong_answers_get_a_message_each() -> None:
    q = questionnaire()
    _, errors = q.check({})
    assert list(errors) == [question.id for question in q.questions]
    assert errors["footprint"] == (
        "Select how confident you are at checking and managing what others can find out "
        "about you online"
    )
    assert errors["social-media-work"] == "Select how often you use social media for work"

    _, errors = q.check(
        answers(
            footprint=6,
            messaging_work="hourly",
            training_topics=["none", "boundaries"],
            favourite_colour="blue",
        )
    )
    assert errors == {
        "footprint": "Select how confident you are at checking and managing what others can "
        "find out about you online",
        "messaging-work": "Select how often you use messaging apps or texts to contact people "
        "you support",
        "training-topics": "Select ‘None of these’ on its own, or select the topics you want",
        "favourite-colour": "There is no question ‘favourite-colour’ in this questionnaire",
    }


def test_form_strings_are_read_as_the_stored_answers() -> None:
    q = questionnaire()
    area = q.areas[0]
    clean, errors = q.check({question.id: ["2"] for question in area.questions}, [area])
    assert not errors
    assert set(clean.values()) == {2}


def test_submit_refuses_an_incomplete_set_and_stores_a_complete_one(session: Session) -> None:
    east = team(session, "East")
    (sam,) = people(session, east, "practitioner")
    incomplete = answers()
    del incomplete["wellbeing"]
    with pytest.raises(AnswerError) as caught:
        submit(session, sam, incomplete)
    assert list(caught.value.errors) == ["wellbeing"]
    assert latest_for(session, sam) is None

    response = submit(session, sam, answers(3))
    assert (response.questionnaire_id, response.questionnaire_version) == ("digital-capability", 1)
    assert (response.team_id, response.role) == (east.id, "practitioner")
    assert response.answers["footprint"] == 3
    assert latest_for(session, sam) is response
    event = session.scalars(select(AuditEvent)).one()
    assert event.action == "submitted_self_assessment"
    assert "footprint" not in event.detail_json  # the audit log never holds the answers


# --- the learning plan ---------------------------------------------------------------


def test_the_plan_puts_the_least_confident_areas_first_with_known_links_only() -> None:
    low = dict.fromkeys(area_questions("online-safeguarding"), 1)
    lower_ish = dict.fromkeys(area_questions("professional-boundaries"), 3)
    plan = learning_plan(answers(4) | low | lower_ish)

    assert [p.area_id for p in plan.priorities] == [
        "online-safeguarding",
        "professional-boundaries",
    ]
    assert not plan.all_confident
    first = plan.priorities[0]
    assert "1.0 out of 5" in first.reason
    assert first.focus[0].startswith("Knowing when it is lawful")
    assert [s.id for s in first.steps][:2] == [
        "viewing-service-users-social-media",
        "searching-family-profiles-without-reason",
    ]
    assert plan.steps and {s.href for s in plan.steps} <= ALLOWED_LINKS
    scores = {s.id: s.score for s in plan.scores}
    assert scores["online-safeguarding"] == 1.0 and scores["digital-learning"] == 4.0


def test_a_confident_person_still_gets_their_two_lowest_areas() -> None:
    learning = dict.fromkeys(area_questions("digital-learning"), 4)
    plan = learning_plan(answers(5) | learning)
    assert plan.all_confident
    assert len(plan.priorities) == 2
    assert plan.priorities[0].area_id == "digital-learning"
    assert "two lowest" in plan.priorities[0].reason


def test_training_topics_asked_for_become_plan_items() -> None:
    plan = learning_plan(answers(5, training_topics=["grooming-and-exploitation", "cpd-online"]))
    assert [item.title for item in plan.training] == [
        "Grooming and exploitation online",
        "Learning online and recording CPD",
    ]
    assert [s.id for s in plan.training[0].steps] == [
        "grooming-and-exploitation",
        "grooming-signs-in-messages",
        "county-lines-exploitation-post",
    ]
    assert learning_plan(answers(5)).training == ()  # "None of these"


def test_not_knowing_the_organisations_policy_adds_a_step() -> None:
    plan = learning_plan(answers(5, organisation_policy="not-sure"))
    assert [item.title for item in plan.other] == ["Find your organisation's social media policy"]
    assert learning_plan(answers(5)).other == ()


def test_every_question_and_topic_has_steps_and_they_are_known_pages() -> None:
    q = questionnaire()
    confidence = {question.id for question in q.questions if question.kind == "confidence"}
    assert set(QUESTION_STEPS) == confidence
    topics = q.question("training-topics")
    assert topics is not None
    assert set(TOPIC_STEPS) == {o.value for o in topics.options} - {"none"}
    every = [*QUESTION_STEPS.values(), *TOPIC_STEPS.values()]
    for kind, item_id in (pair for steps in every for pair in steps):
        assert item_id in (GUIDANCE if kind == "guidance" else SCENARIOS), (kind, item_id)


# --- reports ---------------------------------------------------------------------------


def test_a_team_report_has_no_numbers_until_five_people_answer(session: Session) -> None:
    east = team(session, "East")
    staff = people(session, east, "practitioner", "practitioner", "manager", "legal", "admin")
    for person in staff[:4]:
        submit(session, person, answers(2))
    report = team_report(session, east)
    assert not report.shown
    assert report.message == (
        "Not enough people have answered yet to show this team's results (4 of 5 needed)"
    )
    assert (report.areas, report.training, report.choices) == ((), (), ())

    submit(session, staff[4], answers(4, training_topics=["boundaries", "cpd-online"]))
    report = team_report(session, east)
    assert report.shown and report.respondents == 5 and report.message == ""
    boundaries = next(a for a in report.areas if a.id == "professional-boundaries")
    assert boundaries.mean == 2.4  # (2 + 2 + 2 + 2 + 4) / 5
    assert [(c.text, c.count) for c in boundaries.levels] == [
        ("Not yet confident", 4),
        ("Developing", 0),
        ("Confident", 1),
    ]
    training = {c.text: c.count for c in report.training}
    assert training["None of these"] == 4
    assert training["Professional boundaries and friend requests"] == 1
    policy = next(c for c in report.choices if c.id == "organisation-policy")
    assert [(c.text, c.count) for c in policy.counts] == [("Yes", 5), ("No", 0), ("Not sure", 0)]
    # Questions with the same options are shown together, one row each.
    use, *survey = report.choice_tables
    assert use.caption == "How you use social media and messaging"
    assert [len(use.rows), use.options[0]] == [3, "Every day or most days"]
    assert [t.caption for t in survey] == [
        "Does your organisation have a social media policy for staff?",
        "Have you had any training on social media in social work in the last 2 years?",
    ]


def test_someone_who_answers_twice_counts_once_with_their_latest_answers(
    session: Session,
) -> None:
    east = team(session, "East")
    staff = people(session, east, *["practitioner"] * 4)
    for person in staff:
        submit(session, person, answers(2), at=datetime(2026, 1, 5, tzinfo=UTC))
    again = staff[0]
    submit(session, again, answers(2), at=datetime(2026, 2, 5, tzinfo=UTC))
    assert team_report(session, east).message.endswith("(4 of 5 needed)")
    submit(session, again, answers(5), at=datetime(2026, 3, 5, tzinfo=UTC))
    assert not team_report(session, east).shown

    (fifth,) = people(session, east, "practitioner")
    submit(session, fifth, answers(5))
    report = team_report(session, east)
    assert report.respondents == 5
    assert report.areas[0].mean == 3.2  # (5 + 2 + 2 + 2 + 5) / 5: the latest answers only


def test_managers_see_their_own_team_and_administrators_everyone(session: Session) -> None:
    east, west = team(session, "East"), team(session, "West")
    east_staff = people(session, east, "practitioner", "practitioner", "manager", "legal", "admin")
    west_staff = people(session, west, "practitioner", "manager")
    for person in east_staff + west_staff:
        submit(session, person, answers(3))
    east_manager, west_manager, admin = east_staff[2], west_staff[1], east_staff[4]

    mine = reports_for(session, east_manager)
    assert mine.organisation is None
    assert [(t.name, t.shown) for t in mine.teams] == [("East", True)]
    theirs = reports_for(session, west_manager)
    assert [(t.name, t.shown, t.areas) for t in theirs.teams] == [("West", False, ())]
    with pytest.raises(AccessDenied):
        reports_for(session, east_staff[0])

    everyone = reports_for(session, admin, "Northshire")
    assert everyone.organisation is not None and everyone.organisation.respondents == 7
    # East (5) beside the organisation (7) would give away West's two people by subtraction.
    east_report, west_report = everyone.teams
    assert (east_report.status, west_report.status) == ("withheld", "too_few")
    assert "fewer than 5 people in other teams" in east_report.message

    more_west = people(session, west, "practitioner", "practitioner", "practitioner")
    for person in more_west:
        submit(session, person, answers(3))
    everyone = reports_for(session, admin)
    assert [t.shown for t in everyone.teams] == [True, True]
    assert organisation_report(session).respondents == 10


# --- the research export ---------------------------------------------------------------


def test_the_research_export_needs_five_people(session: Session) -> None:
    east = team(session, "East")
    for person in people(session, east, *["practitioner"] * 4):
        submit(session, person, answers())
    with pytest.raises(NotEnoughAnswers, match="Only 4 of the 5 people needed"):
        research_csv(session)


def test_the_research_export_is_anonymised(session: Session) -> None:
    east, west = team(session, "East Locality"), team(session, "West Locality")
    staff = people(session, east, *["practitioner"] * 5, *["manager"] * 3) + people(
        session, west, "manager", "manager", "legal", "admin"
    )
    for number, person in enumerate(staff):
        submit(session, person, answers(1 + number % 5), at=datetime(2026, 3, 2, tzinfo=UTC))

    text = research_csv(session, random.Random(7))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(staff)
    header = list(rows[0])
    assert header[:5] == [
        "respondent",
        "role_group",
        "month_submitted",
        "questionnaire_id",
        "questionnaire_version",
    ]
    assert header[5:] == [q.id for q in questionnaire().questions]
    for person in staff:
        assert person.full_name not in text and person.email not in text
    assert "Locality" not in text
    assert not {"user_id", "name", "email", "team"} & set(header)

    numbers = [int(r["respondent"]) for r in rows]
    assert numbers == list(range(1, len(staff) + 1))  # rows in respondent order...
    by_answer = [int(r["footprint"]) for r in rows]
    in_user_order = [1 + n % 5 for n in range(len(staff))]
    assert by_answer != in_user_order  # ...which is not the order people answered in
    assert Counter(by_answer) == Counter(in_user_order)
    # 5 practitioners and 5 managers; legal (1) and admin (1) are too few, and would still
    # be too few together, so the next smallest role joins them in "other".
    assert Counter(r["role_group"] for r in rows) == {"practitioner": 5, "other": 7}
    assert {r["month_submitted"] for r in rows} == {"2026-03"}
    assert {r["training-topics"] for r in rows} == {"none"}


def test_a_month_with_few_answers_is_withheld(session: Session) -> None:
    east = team(session, "East")
    months = [3] * 5 + [4] * 5 + [6, 7]
    for person, month in zip(people(session, east, *["practitioner"] * 12), months, strict=True):
        submit(session, person, answers(), at=datetime(2026, month, 2, tzinfo=UTC))
    rows = list(csv.DictReader(io.StringIO(research_csv(session))))
    # June and July (one each) are too few even together, so March joins them.
    assert Counter(r["month_submitted"] for r in rows) == {"2026-04": 5, "withheld": 7}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["a"] * 5 + ["b"] * 2, {"a": "other", "b": "other"}),
        (["a"] * 5 + ["b"] * 5 + ["c"], {"a": "other", "b": "b", "c": "other"}),
        (["a"] * 6 + ["b"] * 3 + ["c"] * 2, {"a": "a", "b": "other", "c": "other"}),
        (["a"] * 5, {"a": "a"}),
    ],
)
def test_rare_values_are_folded_until_the_folded_group_is_five(
    values: list[str], expected: dict[str, str]
) -> None:
    assert generalise(values, "other") == expected
    folded = [expected[v] for v in values]
    assert all(n >= MIN_GROUP for n in Counter(folded).values())


# --- the demo ----------------------------------------------------------------------------


def test_demo_seeding_gives_five_varied_responses(session: Session) -> None:
    east = team(session, "East")
    staff = people(session, east, "practitioner", "practitioner", "manager", "legal", "admin")
    responses = seed_capability_demo(session, staff)
    assert len(responses) == 5
    assert [r.user_id for r in responses] == [p.id for p in staff]
    assert len({r.answers_json for r in responses}) == 5
    assert responses[0].answers == demo_answers(0)  # the same answers every time
    assert team_report(session, east).shown
    plans = [learning_plan(r.answers) for r in responses]
    assert len({p.priorities[0].area_id for p in plans}) >= 3
