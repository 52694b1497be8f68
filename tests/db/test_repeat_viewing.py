"""Repeat viewing, single-use justifications and four eyes, in the service layer.

Last round's bypasses: naming the demo subject "Parent A" or "@parent_a_demo" instead of
"Parent A (fictional)" skipped the manager; a justification stayed usable for any number
of captures; a manager could authorise their own repeat viewing. Each now fails.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from safeside.access.errors import AccessDenied, NotReady
from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.audit_log.models import AuditEvent
from safeside.audit_log.verify import verify_database
from safeside.cases.models import Case, Justification
from safeside.cases.service import (
    Capture,
    JustificationForm,
    capture_evidence,
    correct_evidence,
    decide_viewing,
    previous_viewings,
    record_justification,
)
from safeside.cases.viewing import (
    USE_WITHIN,
    AlreadyDecided,
    AnotherSubjectsContent,
    JustificationExpired,
    JustificationUsed,
    OwnRequest,
    usability,
    waiting_count,
    waiting_requests,
)
from safeside.db.base import utcnow
from safeside.db.session import Database
from safeside.testing import example_check

#: The demo data: Sam recorded "Parent A (fictional)" and captured a post by @parent_a_demo.
DEMO_SUBJECT = "Parent A (fictional)"


def answers(subject: str, *, before: bool = False) -> JustificationForm:
    return JustificationForm(
        purpose="A post about a hearing was reported to me by a colleague.",
        necessity="Needed to assess risk to the child; only the one post is viewed.",
        legal_basis="care_proceedings",
        subject=subject,
        how_seen="public_post",
        viewed_before=before,
        purpose_kind="child_protection",
    )


def person(session: Session, name: str) -> User:
    return session.scalars(select(User).where(User.full_name == name)).one()


def first_case(session: Session) -> Case:
    return session.scalars(select(Case).where(Case.reference == "EA-2026-0142")).one()


def east_case(session: Session) -> tuple[User, Case, User]:
    """Sam (practitioner), the first demo case, and Jo (Sam's manager)."""
    return person(session, "Sam Patel"), first_case(session), person(session, "Jo Reid")


def text_capture(words: str = "I know where you live.", handle: str = "", url: str = "") -> Capture:
    return Capture(
        "text", words.encode(), words, "pasted", author_handle=handle, url=url, platform="Facebook"
    )


def second_manager(session: Session) -> User:
    """Another manager in the East team (the demo has one per team)."""
    jo = person(session, "Jo Reid")
    pat = User(
        email="pat.example@northshire.example",
        full_name="Pat Example",
        role="manager",
        team_id=jo.team_id,
        password_hash=jo.password_hash,
    )
    session.add(pat)
    append_event(session, "created_user", record=pat, team_id=pat.team_id)
    return pat


@pytest.mark.parametrize(
    "subject",
    [
        "Parent A",  # last round's bypass: the note "(fictional)" left off
        "@parent_a_demo",  # last round's bypass: the handle of the captured post
        "parent a",
        "PARENT-A.",
        "Pärent Á",
        "A, Parent",
        "Mr Parent A",
        "Parent A (second post)",
        "https://www.facebook.com/parent.a.demo/?ref=share",
        "instagram.com/parent_a_demo/",
        "x.com/Parent_A_Demo?s=20",
        "https://twitter.com/parent_a_demo/status/1234",
        "tiktok.com/@parent_a_demo",
        "@Parent.A.Demo",
    ],
)
def test_the_same_person_written_another_way_needs_a_manager(
    sqlite_database: Database, subject: str
) -> None:
    with sqlite_database.session() as session:
        sam, case = person(session, "Sam Patel"), first_case(session)
        justification = record_justification(session, sam, case, answers(subject))
        assert justification.needs_authorisation, f"{subject!r} skipped the manager"
        assert justification.status == "awaiting"
        with pytest.raises(NotReady):
            capture_evidence(session, sam, case, justification, text_capture(), example_check())
        assert previous_viewings(session, case.team_id, subject) >= 1


@pytest.mark.parametrize("subject", ["Parent Q", "Kayden Smith", "@someone_new", "Grandparent E"])
def test_a_new_person_is_ready_at_once(sqlite_database: Database, subject: str) -> None:
    with sqlite_database.session() as session:
        sam, case = person(session, "Sam Patel"), first_case(session)
        justification = record_justification(session, sam, case, answers(subject))
    assert not justification.needs_authorisation
    assert justification.status == "ready"


def test_a_near_match_goes_to_a_manager_with_same_person_asked(sqlite_database: Database) -> None:
    with sqlite_database.session() as session:
        sam, case = person(session, "Sam Patel"), first_case(session)
        first = record_justification(session, sam, case, answers("Kayden Smith"))
        assert first.status == "ready"
        near = record_justification(session, sam, case, answers("Kaiden Smith"))
        assert near.status == "awaiting", "a near match must not pass silently"
        (waiting,) = [
            r
            for r in waiting_requests(session, case.team_id, person(session, "Jo Reid"), utcnow())
            if r.justification.id == near.id
        ]
        assert waiting.reasons == ["similar_subject"]
        assert [(m.earlier.justification_id, m.same) for m in waiting.matches] == [
            (first.id, False)
        ]
        jo = person(session, "Jo Reid")
        decision = decide_viewing(session, jo, near, True, "Different child", same_person="no")
        assert decision.same_person == "no"
        assert near.status == "ready"


def test_a_request_that_waits_is_announced_to_the_team(sqlite_database: Database) -> None:
    with sqlite_database.session() as session:
        sam, case = person(session, "Sam Patel"), first_case(session)
        jo = person(session, "Jo Reid")
        before = waiting_count(session, case.team_id, decider=jo)
        justification = record_justification(session, sam, case, answers("Parent A"))
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None and event.action == "requested_authorisation"
        assert event.team_id == case.team_id and event.case_id == case.id
        assert event.detail["justification"] == justification.id
        assert event.detail["reasons"] == ["same_subject"]
        assert waiting_count(session, case.team_id, decider=jo) == before + 1
        assert waiting_count(session, case.team_id, decider=sam) == before  # not their own


def test_a_justification_covers_one_capture(sqlite_database: Database) -> None:
    with sqlite_database.session() as session:
        sam, case = person(session, "Sam Patel"), first_case(session)
        justification = record_justification(session, sam, case, answers("Someone new"))
        item = capture_evidence(session, sam, case, justification, text_capture(), example_check())
        with pytest.raises(JustificationUsed, match="covers one capture"):
            capture_evidence(
                session, sam, case, justification, text_capture("Again."), example_check()
            )
        state = usability(session, justification, utcnow())
        assert (state.status, state.used_item_id) == ("used", item.id)
        # A correction of what was captured is not a new viewing.
        fixed = correct_evidence(
            session, sam, case, item, "I know where you live!", "typo", example_check()
        )
        assert fixed.corrects_id == item.id


def test_a_justification_expires_a_day_after_it_is_ready(sqlite_database: Database) -> None:
    with sqlite_database.session() as session:
        sam, case = person(session, "Sam Patel"), first_case(session)
        justification = record_justification(session, sam, case, answers("Someone new"))
        later = justification.created_at + USE_WITHIN + timedelta(seconds=1)
        assert usability(session, justification, later).status == "expired"
        with pytest.raises(JustificationExpired, match="within 24 hours"):
            capture_evidence(
                session, sam, case, justification, text_capture(), example_check(), now=later
            )
        state = usability(session, justification, justification.created_at)
        assert state.status == "ready"
        assert state.expires_at == justification.created_at + USE_WITHIN


def test_an_authorised_viewing_is_usable_for_a_day_from_the_decision(
    sqlite_database: Database,
) -> None:
    with sqlite_database.session() as session:
        sam, case, jo = east_case(session)
        justification = record_justification(session, sam, case, answers("Parent A"))
        decision = decide_viewing(session, jo, justification, True, "RIPA ref 2026/7")
        state = usability(session, justification, decision.decided_at)
        assert state.status == "ready"
        assert state.ready_at == decision.decided_at
        assert state.expires_at == decision.decided_at + USE_WITHIN


def test_no_one_authorises_their_own_request(sqlite_database: Database) -> None:
    with sqlite_database.session() as session:
        jo, case = person(session, "Jo Reid"), first_case(session)
        own = record_justification(session, jo, case, answers("Parent A"))
        assert own.status == "awaiting"
        with pytest.raises(OwnRequest, match="cannot authorise it"):
            decide_viewing(session, jo, own, True, "Looks fine to me")
        assert isinstance(OwnRequest("x"), AccessDenied)
        assert own.status == "awaiting"
        assert waiting_count(session, case.team_id, decider=jo) == 0

        pat = second_manager(session)
        decide_viewing(session, pat, own, True, "Checked: proportionate")
        assert own.status == "ready"


def test_a_request_is_decided_once(sqlite_database: Database) -> None:
    with sqlite_database.session() as session:
        sam, case, jo = east_case(session)
        pat = second_manager(session)
        justification = record_justification(session, sam, case, answers("Parent A"))
        decide_viewing(session, jo, justification, False, "Not proportionate")
        with pytest.raises(AlreadyDecided):
            decide_viewing(session, pat, justification, True, "I disagree")
        assert justification.status == "refused"


def test_content_from_someone_viewed_before_is_refused_under_a_new_name(
    sqlite_database: Database,
) -> None:
    """Naming the subject "Parent Q" but capturing @parent_a_demo's post is refused."""
    with sqlite_database.session() as session:
        sam, case = person(session, "Sam Patel"), first_case(session)
        justification = record_justification(session, sam, case, answers("Parent Q"))
        assert justification.status == "ready"
        with pytest.raises(AnotherSubjectsContent, match="@parent_a_demo") as refused:
            capture_evidence(
                session,
                sam,
                case,
                justification,
                text_capture(handle="@parent_a_demo"),
                example_check(),
            )
        assert refused.value.via == "@parent_a_demo"
        with pytest.raises(AnotherSubjectsContent):
            capture_evidence(
                session,
                sam,
                case,
                justification,
                text_capture(url="https://www.facebook.com/parent.a.demo/posts/99"),
                example_check(),
            )
        # The person it names is fine.
        capture_evidence(
            session, sam, case, justification, text_capture(handle="@parent_q"), example_check()
        )


def test_new_records_verify_and_older_ones_still_do(database: Database) -> None:
    """purpose_kind and same_person are sealed when set; rows from before migration 0006
    (empty) keep the hash they were sealed with."""
    with database.session() as session:
        sam, case, jo = east_case(session)
        justification = record_justification(session, sam, case, answers("Kayden Smith"))
        near = record_justification(session, sam, case, answers("Kaiden Smith"))
        decide_viewing(session, jo, near, True, "Different child", same_person="no")
        assert "purpose_kind" in justification.integrity_fields()
        demo = session.get_one(Justification, 1)
        assert demo.purpose_kind == "" and "purpose_kind" not in demo.integrity_fields()
    with database.session() as session:
        assert verify_database(session).ok
    with database.engine.begin() as connection:
        connection.execute(
            text("UPDATE justifications SET purpose_kind = 'other' WHERE id IN (1, :id)"),
            {"id": justification.id},
        )
    with database.session() as session:
        found = [str(p) for p in verify_database(session).problems]
    for altered in (1, justification.id):  # filling in a legacy row is caught too
        assert any(p.startswith(f"justifications {altered}: was altered") for p in found), found


def test_filling_in_a_decisions_same_person_answer_is_caught(sqlite_database: Database) -> None:
    with sqlite_database.session() as session:
        sam, case, jo = east_case(session)
        justification = record_justification(session, sam, case, answers("Parent A"))
        decision = decide_viewing(session, jo, justification, True, "Same risk, proportionate")
        assert "same_person" not in decision.integrity_fields()
    with sqlite_database.engine.begin() as connection:
        connection.execute(
            text("UPDATE viewing_decisions SET same_person = 'yes' WHERE id = :id"),
            {"id": decision.id},
        )
    with sqlite_database.session() as session:
        found = [str(p) for p in verify_database(session).problems]
    assert any(p.startswith(f"viewing_decisions {decision.id}: was altered") for p in found), found
