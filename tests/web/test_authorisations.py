"""Casebook: what a justification must say, one use each, repeat viewing however the person
is written, four eyes, and the managers' authorisation requests (issue #13, item 3).

Each of last round's bypasses is here and now fails: "Parent A" or "@parent_a_demo" for
the demo's "Parent A (fictional)"; a second capture with one justification; "x" in every
box; a manager authorising their own repeat viewing; managers not told.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.audit_log.models import AuditEvent
from safeside.cases.models import Justification
from safeside.db.session import Database
from safeside.demo.seed import DEMO_PASSWORD

from .support import Clock, TestClient, csrf, new_client, try_sign_in, visible_text
from .test_page_invariants import test_page_follows_the_design_system_basics as follows_basics
from .test_record_a_concern import JUSTIFICATION, capture, justify

STATUS_PAGE = re.compile(r"/cases/1/justifications/(\d+)")


def decide(client: TestClient, location: str, **fields: str):  # type: ignore[no-untyped-def]
    page = location + "/decision"
    data = {"decision": "authorise", "note": "RIPA ref 2026/7", **fields}
    data["csrf_token"] = csrf(client, "/")
    return client.post(page, data=data)


def last_event(database: Database) -> AuditEvent:
    with database.session() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None
        return event


def second_east_manager(database: Database, app: FastAPI) -> TestClient:
    """Pat Example, another manager in the East team, signed in."""
    with database.session() as session:
        jo = session.scalars(select(User).where(User.full_name == "Jo Reid")).one()
        pat = User(
            email="pat.example@northshire.example",
            full_name="Pat Example",
            role="manager",
            team_id=jo.team_id,
            password_hash=jo.password_hash,
        )
        session.add(pat)
        append_event(session, "created_user", record=pat, team_id=pat.team_id)
    client = new_client(app)
    client.__enter__()
    status, page = try_sign_in(client, "pat.example@northshire.example", DEMO_PASSWORD)
    assert status == 303, page
    return client


# -- What a justification must say ---------------------------------------------------------


def test_x_in_every_box_is_refused_with_messages_that_say_how_to_fix_it(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    boxes = ("purpose_kind", "purpose", "necessity", "legal_basis", "subject")
    status, location, html = justify(sam, **dict.fromkeys(boxes, "x"), how_seen="x")
    page = visible_text(html)
    assert status == 400 and not location
    assert "<title>Error:" in html and "There is a problem" in page
    for message in (
        "Select the purpose of viewing this content",
        "Explain in your own words why you need to view this content, not just x, n/a or "
        "repeated letters",
        "Explain in your own words why viewing is necessary and proportionate",
        "Select the legal basis",
        "Enter the name, @handle or profile address of the person the content is about",
        "Select how you came to see the content",
    ):
        assert message in page
    summary = re.findall(r'href="#(\w+)"', html.split("govuk-error-summary__list")[1])
    assert summary[:5] == ["purpose_kind", "purpose", "necessity", "legal_basis", "subject"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"purpose": "Risk to child"}, "Enter at least 20 characters explaining why you need "),
        ({"purpose": "n/a"}, "not just x, n/a or repeated letters"),
        ({"purpose": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, "not just x, n/a or repeated letters"),
        ({"necessity": "aaaaaaaaaaaaaaaaaaaaaaaaa"}, "why viewing is necessary and proportionate"),
        ({"necessity": "Needed."}, "Enter at least 20 characters explaining why viewing is"),
        ({"necessity": JUSTIFICATION["purpose"]}, "not the purpose again"),
        ({"subject": "n/a"}, "Enter the name, @handle or profile address"),
        ({"subject": "unknown"}, "Enter the name, @handle or profile address"),
        ({"purpose_kind": ""}, "Select the purpose of viewing this content"),
    ],
)
def test_each_content_rule_has_its_own_message(
    signed_in: Callable[[str], TestClient], changes: dict[str, str], message: str
) -> None:
    status, _, html = justify(signed_in("practitioner"), **changes)
    assert status == 400
    assert message in visible_text(html)


def test_the_purpose_is_chosen_from_a_list_and_shown(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    form = visible_text(sam.get("/cases/1/concerns/new").text)
    assert "To assess a risk of harm to a child" in form
    assert "covers one capture" in form and "made within 24 hours" in form
    _, location, _ = justify(sam, purpose_kind="child_protection")
    status_page = visible_text(sam.get(location.removesuffix("/capture")).text)
    assert "To assess a risk of harm to a child: A parent's post about me" in status_page
    assert "Use by" in status_page and ("GMT" in status_page or "BST" in status_page)


# -- Repeat viewing, however the person is written ----------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "Parent A",
        "@parent_a_demo",
        "parent a.",
        "https://www.facebook.com/parent_a_demo?ref=1",
        "tiktok.com/@parent_a_demo",
    ],
)
def test_last_rounds_bypasses_now_wait_for_a_manager(
    signed_in: Callable[[str], TestClient], subject: str
) -> None:
    sam = signed_in("practitioner")
    status, location, _ = justify(sam, subject=subject)  # "no, not viewed before"
    assert status == 303
    assert STATUS_PAGE.fullmatch(location), f"{subject!r} went straight to capture: {location}"
    assert sam.get(location + "/capture").headers["location"] == location


def test_the_practitioner_sees_who_it_is_waiting_for(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    _, location, _ = justify(sam, subject="Parent A")
    page = visible_text(sam.get(location).text)
    assert "Waiting for authorisation Waiting for authorisation from your manager" in page
    assert "It has been waiting less than an hour" in page
    assert "Your team has viewed this person's content before" in page
    assert "Jo Reid can see this request in their list of authorisation requests" in page
    assert "A manager must authorise it" in page
    assert "Ask your manager to open this page" not in page
    assert "Decide on this request" not in page


def test_content_from_someone_viewed_before_cannot_be_captured_under_a_new_name(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    sam = signed_in("practitioner")
    _, location, _ = justify(sam, subject="Parent Q")
    response = capture(sam, location, text="Watch your back.", author_handle="@parent_a_demo")
    assert response.status_code == 400
    page = visible_text(response.text)
    assert "Your team has viewed content from @parent_a_demo before" in page
    assert "Record a new justification naming them" in page
    assert last_event(database).action == "refused_capture"


# -- One use, for a day --------------------------------------------------------------------


def test_a_justification_is_used_once(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    sam = signed_in("practitioner")
    _, location, _ = justify(sam)
    assert capture(sam, location, text="I know where you live.").status_code == 303

    again = capture(sam, location, text="And another post.")
    assert again.status_code == 409
    page = visible_text(again.text)
    assert "This justification has already been used" in page
    assert "A justification covers one capture" in page
    assert "Record a new justification" in page
    assert last_event(database).action == "refused_capture"
    assert last_event(database).detail["reason"] == "used"

    shown = sam.get(location)
    assert shown.status_code == 200
    assert "This justification has already been used" in visible_text(shown.text)
    status_page = visible_text(sam.get(location.removesuffix("/capture")).text)
    assert "Used" in status_page and "record a new justification" in status_page


def test_an_unused_justification_expires_after_24_hours(
    signed_in: Callable[[str], TestClient], clock: Clock
) -> None:
    sam = signed_in("practitioner")
    _, location, _ = justify(sam)
    assert "Use it by" in visible_text(sam.get(location).text)
    clock.advance(hours=24, minutes=1)
    sam = signed_in("practitioner")  # the old session ran out too
    assert "This justification has expired" in visible_text(sam.get(location).text)
    response = capture(sam, location, text="Too late.")
    assert response.status_code == 409
    assert "It had to be used by" in visible_text(response.text)


# -- Four eyes -----------------------------------------------------------------------------


def test_a_manager_cannot_authorise_their_own_request(
    signed_in: Callable[[str], TestClient], database: Database, app: FastAPI
) -> None:
    jo = signed_in("manager")
    _, location, _ = justify(jo, subject="@parent_a_demo")
    assert STATUS_PAGE.fullmatch(location)

    status_page = visible_text(jo.get(location).text)
    assert "Waiting for authorisation from another manager" in status_page
    assert "There is no other manager in your team" in status_page
    assert "Decide on this request" not in status_page

    forbidden = jo.get(location + "/decision")
    assert forbidden.status_code == 403
    assert "You asked for this viewing, so you cannot authorise it" in visible_text(forbidden.text)
    assert decide(jo, location).status_code == 403

    inbox = visible_text(jo.get("/authorisations").text)
    assert "Your request: another manager must decide" in inbox
    assert "0 requests waiting for your decision" in inbox
    assert "waiting for your decision" not in visible_text(jo.get("/").text)

    pat = second_east_manager(database, app)
    assert "1 repeat viewing request is waiting for your decision" in visible_text(
        pat.get("/").text
    )
    assert decide(pat, location).status_code == 303
    assert "Authorised by Pat Example" in visible_text(jo.get(location).text)
    pat.__exit__(None, None, None)


@pytest.mark.parametrize("who", ["practitioner", "legal", "admin", "other_team_manager"])
def test_only_the_teams_managers_decide(
    signed_in: Callable[[str], TestClient], database: Database, who: str
) -> None:
    _, location, _ = justify(signed_in("practitioner"), subject="Parent A")
    client = signed_in(who)
    assert client.get(location + "/decision").status_code in (403, 404)
    assert decide(client, location).status_code in (403, 404)
    with database.session() as session:
        justification_id = int(location.rsplit("/", 1)[1])
        assert session.get_one(Justification, justification_id).status == "awaiting"


def test_a_request_is_decided_once(signed_in: Callable[[str], TestClient]) -> None:
    _, location, _ = justify(signed_in("practitioner"), subject="Parent A")
    jo = signed_in("manager")
    assert decide(jo, location, decision="decline", note="Not proportionate").status_code == 303
    assert jo.get(location + "/decision").headers["location"] == location
    again = decide(jo, location)
    assert again.status_code == 400
    assert "A decision has already been recorded" in visible_text(again.text)


def test_a_managers_reason_must_say_something(signed_in: Callable[[str], TestClient]) -> None:
    _, location, _ = justify(signed_in("practitioner"), subject="Parent A")
    response = decide(signed_in("manager"), location, note="x")
    assert response.status_code == 400
    assert "Enter the reason for your decision in words" in visible_text(response.text)


# -- Same person? --------------------------------------------------------------------------


def test_a_near_match_asks_the_manager_same_person(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    sam = signed_in("practitioner")
    _, first, _ = justify(sam, subject="Kayden Smith")
    assert first.endswith("/capture")
    _, location, _ = justify(sam, subject="Kaiden Smith")
    assert STATUS_PAGE.fullmatch(location), "a near match must not pass silently"
    assert "Same person? Your team has viewed someone with a similar name" in visible_text(
        sam.get(location).text
    )

    jo = signed_in("manager")
    page = visible_text(jo.get(location + "/decision").text)
    assert "Same person?" in page
    assert "“Kaiden Smith” is not written the same way" in page
    assert "“Kayden Smith”, case EA-2026-0142" in page
    assert "Is this the same person as one your team viewed before?" in page

    missing = decide(jo, location)
    assert missing.status_code == 400
    assert "Select whether this is the same person" in visible_text(missing.text)
    assert decide(jo, location, same_person="no").status_code == 303
    assert "(same person: No, it is a different person)" in visible_text(jo.get(location).text)
    event = last_event(database)
    assert event.action == "authorised_viewing" and event.detail == {"same_person": "no"}


# -- The managers' queue -------------------------------------------------------------------


def test_managers_see_waiting_requests_oldest_first_with_how_long_they_waited(
    signed_in: Callable[[str], TestClient], clock: Clock
) -> None:
    sam = signed_in("practitioner")
    _, older, _ = justify(sam, subject="Parent A")
    _, newer, _ = justify(sam, subject="New person", viewed_before="yes")
    jo = signed_in("manager")

    assert "2 repeat viewing requests are waiting for your decision" in visible_text(
        jo.get("/").text
    )
    inbox = jo.get("/authorisations")
    assert inbox.status_code == 200
    page = visible_text(inbox.text)
    assert "2 requests waiting for your decision" in page
    assert page.index("Parent A") < page.index("New person"), "oldest first"
    assert "less than an hour" in page and "EA-2026-0142" in page and "Sam Patel" in page
    assert f'href="{older}/decision"' in inbox.text and f'href="{newer}/decision"' in inbox.text
    assert "The practitioner said this person's content was viewed before" in page

    clock.advance(hours=30, minutes=10)
    jo = signed_in("manager")
    later = visible_text(jo.get("/authorisations").text)
    assert "1 day 6 hours" in later and "Over 24 hours" in later


def test_only_managers_have_the_requests_page(signed_in: Callable[[str], TestClient]) -> None:
    for who in ("practitioner", "legal", "admin"):
        client = signed_in(who)
        assert client.get("/authorisations").status_code == 403
        assert "Authorisations" not in visible_text(client.get("/").text)
    assert 'href="/authorisations"' in signed_in("manager").get("/").text


def test_another_teams_requests_are_not_listed(signed_in: Callable[[str], TestClient]) -> None:
    justify(signed_in("practitioner"), subject="Parent A")
    ro = signed_in("other_team_manager")
    page = visible_text(ro.get("/authorisations").text)
    assert "There are no requests waiting for a decision" in page
    assert "EA-2026-0142" not in page


def test_viewing_the_requests_is_audited(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    signed_in("manager").get("/authorisations")
    assert last_event(database).action == "viewed_authorisations"


# -- The new pages follow the Design System basics ----------------------------------------


def test_the_new_pages_follow_the_design_system_basics(
    signed_in: Callable[[str], TestClient], client: TestClient
) -> None:
    sam = signed_in("practitioner")
    _, ready, _ = justify(sam, subject="Kayden Smith")
    _, similar, _ = justify(sam, subject="Kaiden Smith")
    _, waiting, _ = justify(sam, subject="Parent A")
    pages = [
        ("practitioner", ready),  # the capture form
        ("practitioner", ready.removesuffix("/capture")),
        ("practitioner", waiting),
        ("practitioner", similar),
        ("practitioner", "/cases/1/justifications/1/capture"),  # used: the closed page
        ("manager", "/"),
        ("manager", "/authorisations"),
        ("manager", waiting + "/decision"),
        ("manager", similar + "/decision"),
    ]
    for who, path in pages:
        follows_basics(who, path, signed_in, client)
