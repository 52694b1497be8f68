"""RIPA and Article 8 rules on viewing, and evidence that is never edited in place."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from safeside.access.errors import NotReady, ViewingRefused
from safeside.access.models import User
from safeside.audit_log.models import AuditEvent
from safeside.cases.models import Case, Task
from safeside.cases.service import (
    Capture,
    JustificationForm,
    capture_evidence,
    correct_evidence,
    decide_viewing,
    record_justification,
    uk_today,
)
from safeside.db.session import Database
from safeside.engine.results import Action
from safeside.guidance.playbook import add_working_days
from safeside.testing import FakeCheck, Raise, example_check


def answers(
    subject: str = "Parent Z", how_seen: str = "public_post", before: bool = False
) -> JustificationForm:
    return JustificationForm(
        purpose="A post about a hearing was reported to me.",
        necessity="Needed to assess risk to the child; only the one post is viewed.",
        legal_basis="care_proceedings",
        subject=subject,
        how_seen=how_seen,
        viewed_before=before,
    )


def sam_and_case(session) -> tuple[User, Case]:  # type: ignore[no-untyped-def]
    sam = session.scalars(select(User).where(User.full_name == "Sam Patel")).one()
    case = session.scalars(select(Case).where(Case.reference == "EA-2026-0142")).one()
    return sam, case


@pytest.mark.parametrize("method", ["fake_profile", "friend_request"])
def test_fake_profiles_and_friend_requests_are_refused_and_audited(
    sqlite_database: Database, method: str
) -> None:
    with sqlite_database.session() as session:
        sam, case = sam_and_case(session)
        with pytest.raises(ViewingRefused, match="fake profile or a friend"):
            record_justification(session, sam, case, answers(how_seen=method))
        session.commit()
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last is not None and last.action == "refused_viewing"


def test_a_repeat_viewing_waits_for_a_manager_before_capture(sqlite_database: Database) -> None:
    with sqlite_database.session() as session:
        sam, case = sam_and_case(session)
        first = record_justification(session, sam, case, answers())
        assert first.status == "ready"

        second = record_justification(session, sam, case, answers(subject="parent z"))
        assert second.needs_authorisation, "the team has viewed Parent Z before"
        assert second.status == "awaiting"
        with pytest.raises(NotReady):
            capture_evidence(
                session, sam, case, second, Capture("text", b"hi", "hi", "pasted"), example_check()
            )

        jo = session.scalars(select(User).where(User.full_name == "Jo Reid")).one()
        decide_viewing(session, jo, second, authorised=True, note="RIPA ref 2026/7 approved")
        assert second.status == "ready"


def test_declaring_a_previous_viewing_also_needs_a_manager(sqlite_database: Database) -> None:
    with sqlite_database.session() as session:
        sam, case = sam_and_case(session)
        justification = record_justification(session, sam, case, answers("New person", before=True))
        assert justification.status == "awaiting"


def test_a_correction_is_a_new_record_and_the_original_is_unchanged(
    sqlite_database: Database,
) -> None:
    with sqlite_database.session() as session:
        sam, case = sam_and_case(session)
        justification = record_justification(session, sam, case, answers("Someone new"))
        original = capture_evidence(
            session,
            sam,
            case,
            justification,
            Capture("text", b"I know wher you live", "I know wher you live", "pasted"),
            example_check(),
        )
        before = (original.text, original.sha256, original.record_hash)
        fixed = correct_evidence(
            session, sam, case, original, "I know where you live", "typo", example_check()
        )

    assert fixed.id != original.id
    assert fixed.corrects_id == original.id
    assert (original.text, original.sha256, original.record_hash) == before
    assert fixed.sha256 == hashlib.sha256(b"I know wher you live").hexdigest()
    assert fixed.analysis is not None and fixed.analysis.severity.label == "high"


def test_a_failing_engine_never_loses_the_capture(sqlite_database: Database) -> None:
    broken = FakeCheck(raising=RuntimeError("model file missing"))
    with sqlite_database.session() as session:
        sam, case = sam_and_case(session)
        justification = record_justification(session, sam, case, answers("Another"))
        item = capture_evidence(
            session, sam, case, justification, Capture("text", b"x", "x", "pasted"), broken
        )
    assert item.id and item.analysis is None


def test_a_capture_opens_a_task_due_as_the_playbook_says(sqlite_database: Database) -> None:
    alert = Action(
        "proceedings.alert_court",
        "proceedings_disclosure",
        "Tell legal.",
        "within 2 working days",
        [],
    )
    check = FakeCheck({"hearing": Raise("proceedings_disclosure", "medium", actions=(alert,))})
    with sqlite_database.session() as session:
        sam, case = sam_and_case(session)
        justification = record_justification(session, sam, case, answers("Grandparent E"))
        item = capture_evidence(
            session,
            sam,
            case,
            justification,
            Capture("text", b"at the hearing", "at the hearing", "pasted"),
            check,
        )
        (task,) = session.scalars(select(Task).where(Task.evidence_id == item.id))
    assert check.calls == [("at the hearing", "review")]
    assert task.action_id == "proceedings.alert_court" and task.severity == "medium"
    assert task.due_on == add_working_days(uk_today(), 2)
