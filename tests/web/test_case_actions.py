"""Actions in a case: routed by who is at risk, one task per action, act-now steps on top,
reassigning within the team, and form errors in the GOV.UK error summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from safeside.access.models import User
from safeside.audit_log.models import AuditEvent
from safeside.audit_log.verify import verify_database
from safeside.cases.models import Case, Task, TaskEvidence
from safeside.cases.service import Capture, JustificationForm, capture_evidence
from safeside.cases.service import record_justification as justify_in_db
from safeside.db.session import Database
from safeside.engine.results import Action, Concern
from safeside.guidance.playbook import load_playbook
from safeside.settings import Settings
from safeside.taxonomy import Severity
from safeside.testing import NAME, FakeCheck, Find, Raise
from safeside.web import create_app

from .support import SignedInClients, TestClient, csrf, visible_text
from .test_record_a_concern import capture, justify

BOOK = load_playbook("uk-default")


def prescribed(label: str, severity: str) -> tuple[Action, ...]:
    """The actions the engine would give this concern (its usual target)."""
    found = Concern(label, 0.9, Severity.parse(severity), [], "", ["test"])
    return tuple(BOOK.actions_for([found], "review"))


#: "where you live": a threat; "meet the kids": a contact breach; "with a knife": critical.
CHECK = {
    NAME: Find("PERSON"),
    "where you live": Raise("threat", "high", actions=prescribed("threat", "high")),
    "meet the kids": Raise(
        "contact_breach", "medium", actions=prescribed("contact_breach", "medium")
    ),
    "with a knife": Raise("threat", "critical", actions=prescribed("threat", "critical")),
}
PLACEMENT = "Inform the child's social worker and the placement"


@pytest.fixture
def app(settings: Settings, database: Database) -> FastAPI:
    return create_app(settings, database=database, check=FakeCheck(CHECK))


@pytest.fixture
def signed_in(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    clients = SignedInClients(app)
    yield clients.make
    clients.close()


def read(response_text: str) -> str:
    """The page's words, with the space a link leaves before a comma or colon removed."""
    return visible_text(response_text).replace(" ,", ",").replace(" :", ":")


def user(session, name: str) -> User:  # type: ignore[no-untyped-def]
    return session.scalars(select(User).where(User.full_name == name)).one()


def record(
    database: Database,
    text: str,
    person: str,
    *,
    targets: list[str] | None = None,
    legal_basis: str = "staff_safety",
) -> int:
    """Justify and capture ``text`` on case 1 as Sam (one justification per capture)."""
    with database.session() as session:
        sam = user(session, "Sam Patel")
        case = session.scalars(select(Case).where(Case.reference == "EA-2026-0142")).one()
        answers = JustificationForm(
            purpose="A post about my visit was shown to me by a colleague.",
            necessity="I need a record to decide with my manager what to do about it.",
            legal_basis=legal_basis,
            subject=person,
            how_seen="shown_to_me",
            viewed_before=False,
        )
        justification = justify_in_db(session, sam, case, answers)
        item = capture_evidence(
            session,
            sam,
            case,
            justification,
            Capture("text", text.encode(), text, "pasted", author_handle=f"@{person.lower()}"),
            FakeCheck(CHECK),
            targets=targets,
        )
        session.commit()
        return item.id


def tasks(database: Database) -> list[Task]:
    with database.session() as session:
        found = list(session.scalars(select(Task).where(Task.case_id == 1).order_by(Task.id)))
        for task in found:
            _ = task.evidence_ids  # loaded before the session closes
        return found


def test_a_threat_to_the_worker_raises_no_child_placement_task(
    database: Database, signed_in: Callable[[str], TestClient]
) -> None:
    item = record(
        database,
        "I know where you live and I'll meet the kids at school.",
        "Marlowe",
        targets=["worker"],
    )
    page = read(signed_in("practitioner").get("/cases/1").text)
    assert "Report this to your manager today." in page
    assert PLACEMENT not in page
    assert f"Item {item}: signs of contact with a child that bypasses an order" in page
    assert "Its actions are for someone other than you or a colleague" in page

    record(database, "He said he will meet the kids on Saturday.", "Quennell", targets=["child"])
    page = visible_text(signed_in("practitioner").get("/cases/1").text)
    assert PLACEMENT in page


def test_a_child_at_risk_from_a_threat_gets_safeguarding_not_a_report_to_the_manager(
    database: Database,
) -> None:
    record(database, "I know where you live, Kayden.", "Orchardson", targets=["child"])
    raised = [t.action_id for t in tasks(database)]
    assert "threat.safeguard_child" in raised and "threat.police" in raised
    assert raised.count("threat.report_manager") == 1  # the demo's own threat to Sam only


def test_one_task_per_action_linked_to_every_item_that_raised_it(
    database: Database, signed_in: Callable[[str], TestClient]
) -> None:
    before = {t.action_id for t in tasks(database)}
    second = record(database, "I know where you live.", "Ravensworth")
    third = record(database, "Still know where you live.", "Stainforth")

    found = tasks(database)
    actions = [t.action_id for t in found]
    assert len(actions) == len(set(actions)), "each action is one task"
    report = next(t for t in found if t.action_id == "threat.report_manager")
    assert report.evidence_ids == [1, second, third]
    assert {t.action_id for t in found} == before | {"threat.police"}
    page = read(signed_in("practitioner").get("/cases/1").text)
    assert f"Raised by item 1, item {second}, item {third}" in page
    with database.session() as session:
        links = session.scalars(select(TaskEvidence)).all()
        linked = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "linked_task_evidence")
        ).all()
        assert len(links) == len(linked) == 3  # report_manager twice, police once
        assert verify_database(session).problems == []


def test_a_closed_task_raised_again_is_opened_again(
    database: Database, signed_in: Callable[[str], TestClient]
) -> None:
    sam = signed_in("practitioner")
    data = {"status": "done", "outcome_note": "Told Jo.", "csrf_token": csrf(sam, "/cases/1")}
    assert sam.post("/actions/1", data=data).status_code == 303
    record(database, "I know where you live.", "Thorogood")
    (report,) = [t for t in tasks(database) if t.action_id == "threat.report_manager"]
    assert report.status == "open" and report.outcome_note == "Told Jo."


def test_emergency_steps_are_instructions_at_the_top_not_tasks(
    database: Database, signed_in: Callable[[str], TestClient]
) -> None:
    item = record(database, "Tonight, with a knife.", "Underhill")
    assert "threat.imminent" not in {t.action_id for t in tasks(database)}
    html = signed_in("practitioner").get("/cases/1").text
    page = read(html)
    assert "Act now" in page and "Call 999 if anyone is in immediate danger" in page
    assert f"From item {item}: threat of violence or harm, critical severity" in page
    assert html.index('id="act-now"') < html.index('id="evidence"')
    actions = signed_in("manager").get("/actions").text
    assert "Call 999" not in actions


def test_a_task_can_be_given_to_someone_else_on_the_team(
    database: Database, signed_in: Callable[[str], TestClient]
) -> None:
    sam = signed_in("practitioner")
    with database.session() as session:
        jo, alex, kim = (user(session, n) for n in ("Jo Reid", "Alex Morgan", "Kim Lowe"))
    page = sam.get("/cases/1").text
    assert f'<option value="{jo.id}">Jo Reid (Manager)</option>' in page
    assert f'value="{alex.id}"' not in page  # not on this case, so could not work on it

    for outsider in (alex, kim):
        data = {"status": "open", "owner_id": str(outsider.id), "csrf_token": csrf(sam, "/cases/1")}
        refused = sam.post("/actions/1", data=data)
        assert refused.status_code == 400
        assert "Select someone on the case's team to own this action" in read(refused.text)
        assert 'href="#owner-1"' in refused.text

    data = {"status": "open", "owner_id": str(jo.id), "csrf_token": csrf(sam, "/cases/1")}
    done = sam.post("/actions/1", data=data)
    assert done.status_code == 303
    assert "Action given to Jo Reid." in visible_text(sam.get("/cases/1").text)
    (report,) = [t for t in tasks(database) if t.id == 1]
    assert report.owner_id == jo.id and report.status == "open"
    with database.session() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "reassigned_task")
        ).one()
        sam_id = user(session, "Sam Patel").id
        assert event.detail == {"from": sam_id, "to": jo.id} and event.actor_name == "Sam Patel"
        assert verify_database(session).problems == []
    assert "Your actions (1)" in visible_text(signed_in("manager").get("/actions").text)


def test_action_form_errors_are_in_the_error_summary(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    data = {"status": "finished", "outcome_note": "", "csrf_token": csrf(sam, "/cases/1")}
    response = sam.post("/actions/1", data=data)
    assert response.status_code == 400
    assert response.text.count("Select the status of this action") == 2  # summary and field
    summary = response.text.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert 'href="#status-1"' in summary
    assert "<title>Error:" in response.text
    assert "govuk-notification-banner--success" not in response.text
    assert "govuk-select--error" in response.text


def test_the_capture_form_asks_who_could_be_harmed(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    client = signed_in("practitioner")
    _, location, _ = justify(client, subject="Wetherall")  # staff safety: the worker
    form = client.get(location).text
    assert "Who could be harmed by this content?" in form
    assert 'value="worker" checked' in form and 'value="child" checked' not in form

    missing = capture(client, location, text="I know where you live", targets_asked="yes")
    assert missing.status_code == 400
    assert "Select who could be harmed by this content" in visible_text(missing.text)

    done = capture(
        client, location, text="I know where you live", targets_asked="yes", targets="child"
    )
    assert done.status_code == 303, visible_text(done.text)[:400]
    raised = {t.action_id for t in tasks(database)}
    assert "threat.safeguard_child" in raised
    with database.session() as session:
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "captured_evidence")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event is not None and event.detail["targets"] == ["child"]


def test_a_date_posted_is_read_in_uk_time(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    client = signed_in("practitioner")
    _, location, _ = justify(client, subject="Yardley")
    response = capture(client, location, text="hello", posted_at="2026-07-01T09:30")
    assert response.status_code == 303
    with database.session() as session:
        from safeside.evidence.models import EvidenceItem

        item = session.scalars(select(EvidenceItem).order_by(EvidenceItem.id.desc())).first()
        assert item is not None
        assert item.posted_at == datetime(2026, 7, 1, 8, 30, tzinfo=UTC)  # 09:30 BST
        assert item.posted_at - datetime(2026, 7, 1, 9, 30, tzinfo=UTC) == timedelta(hours=-1)
    page = visible_text(client.get(response.headers["location"]).text)
    assert "1 July 2026 at 09:30 BST" in page
