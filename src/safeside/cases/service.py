"""What practitioners and managers do to cases: the functions the web app and CLI call.

Each function authorises nothing itself (the caller has already asked
:func:`safeside.access.policy.can`) but audits everything it creates or changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeside.access.errors import NotReady, ViewingRefused
from safeside.access.models import User
from safeside.access.policy import sees_all_team_cases
from safeside.audit_log.log import append_event
from safeside.cases.models import Case, CaseMember, Justification, Task, ViewingDecision
from safeside.check import Check
from safeside.db.base import utcnow
from safeside.engine.results import Action, Analysis
from safeside.evidence.models import EvidenceItem
from safeside.guidance.playbook import Playbook
from safeside.pipeline.config import configured_playbook
from safeside.taxonomy import Mode

log = logging.getLogger("safeside.cases")
UK = ZoneInfo("Europe/London")

HOW_SEEN = {
    "shown_to_me": "Someone showed or sent it to me",
    "public_post": "A public post or profile, viewed without signing in as anyone else",
    "own_account": "It was posted to me or about me on my work account",
    "fake_profile": "Using a made-up or undercover profile",
    "friend_request": "By sending a friend or follow request",
}
REFUSED_METHODS = {"fake_profile", "friend_request"}
REFUSAL_MESSAGE = (
    "You must not view anyone's content through a fake profile or a friend or follow "
    "request. This could be covert surveillance under RIPA 2000 and needs authorisation "
    "that casework cannot get. Speak to your manager."
)
LEGAL_BASES = {
    "children_act_s47": "Children Act 1989, section 47 (child protection enquiry)",
    "children_act_s17": "Children Act 1989, section 17 (child in need)",
    "care_proceedings": "Children Act 1989, Part IV (care proceedings)",
    "care_act_s42": "Care Act 2014, section 42 (safeguarding adults enquiry)",
    "staff_safety": "Employer's duty of care (abuse aimed at staff)",
    "consent": "The person's informed consent",
}


def visible_cases(session: Session, actor: User) -> list[Case]:
    """The cases ``actor`` may see, newest first."""
    query = select(Case).where(Case.team_id == actor.team_id)
    if not sees_all_team_cases(actor):
        if actor.role != "practitioner":
            return []
        query = query.join(CaseMember).where(CaseMember.user_id == actor.id)
    return list(session.scalars(query.order_by(Case.created_at.desc(), Case.id.desc())))


def create_case(session: Session, actor: User, reference: str, title: str) -> Case:
    """Open a case in the actor's team, with the actor as its first member."""
    case = Case(reference=reference, title=title, team_id=actor.team_id, created_by_id=actor.id)
    session.add(case)
    append_event(session, "created_case", actor=actor, record=case, case_id=None)
    add_member(session, actor, case, actor)
    return case


def add_member(session: Session, actor: User, case: Case, member: User) -> CaseMember:
    link = CaseMember(case_id=case.id, user_id=member.id)
    session.add(link)
    append_event(session, "added_case_member", actor=actor, record=link, case_id=case.id)
    session.refresh(case, ["members"])
    return link


def reference_taken(session: Session, reference: str) -> bool:
    return session.scalar(select(Case.id).where(Case.reference == reference)) is not None


@dataclass(frozen=True, slots=True)
class JustificationForm:
    """The answers given on the 'Why are you viewing this?' step."""

    purpose: str
    necessity: str
    legal_basis: str
    subject: str
    how_seen: str
    viewed_before: bool


def previous_viewings(session: Session, team_id: int, subject: str) -> int:
    """How many times this team has recorded viewing content about ``subject``."""
    return int(
        session.scalar(
            select(func.count(Justification.id))
            .join(Case, Case.id == Justification.case_id)
            .where(Case.team_id == team_id)
            .where(func.lower(Justification.subject) == subject.strip().lower())
        )
        or 0
    )


def record_justification(
    session: Session, actor: User, case: Case, form: JustificationForm
) -> Justification:
    """Record why content is being viewed; refuse fake profiles and friend requests.

    A repeat viewing of the same person (declared, or found in this team's records)
    needs a manager's authorisation before anything can be captured.

    Raises:
        ViewingRefused: the method is a fake profile or a friend request (also audited).
    """
    if form.how_seen in REFUSED_METHODS:
        append_event(
            session,
            "refused_viewing",
            actor=actor,
            case_id=case.id,
            detail={"how_seen": form.how_seen},
        )
        raise ViewingRefused(REFUSAL_MESSAGE)
    repeat = form.viewed_before or previous_viewings(session, actor.team_id, form.subject) > 0
    justification = Justification(
        case_id=case.id,
        created_by_id=actor.id,
        purpose=form.purpose.strip(),
        necessity=form.necessity.strip(),
        legal_basis=form.legal_basis,
        subject=form.subject.strip(),
        how_seen=form.how_seen,
        viewed_before=form.viewed_before,
        needs_authorisation=repeat,
    )
    session.add(justification)
    append_event(
        session, "recorded_justification", actor=actor, record=justification, case_id=case.id
    )
    return justification


def decide_viewing(
    session: Session, manager: User, justification: Justification, authorised: bool, note: str
) -> ViewingDecision:
    """A manager authorises or declines a repeat viewing."""
    decision = ViewingDecision(
        justification_id=justification.id,
        decided_by_id=manager.id,
        authorised=authorised,
        note=note.strip(),
    )
    session.add(decision)
    action = "authorised_viewing" if authorised else "declined_viewing"
    append_event(session, action, actor=manager, record=decision, case_id=justification.case_id)
    session.refresh(justification, ["decisions"])
    return decision


@dataclass(frozen=True, slots=True)
class Capture:
    """What was captured and where it came from."""

    kind: str
    content: bytes
    text: str
    text_source: str
    filename: str = ""
    media_type: str = "text/plain"
    platform: str = ""
    url: str = ""
    author_handle: str = ""
    posted_at: datetime | None = None


def capture_evidence(
    session: Session,
    actor: User,
    case: Case,
    justification: Justification,
    capture: Capture,
    check: Check,
    *,
    corrects: EvidenceItem | None = None,
    correction_reason: str = "",
    playbook: Playbook | None = None,
) -> EvidenceItem:
    """Store a capture unchanged with its SHA-256, analyse its text (review mode), and
    open a task for each playbook action, due as ``playbook`` (default: the engine's) says.

    Raises:
        NotReady: the justification still needs (or was refused) a manager's authorisation.
    """
    if justification.status != "ready":
        raise NotReady("A manager must authorise this repeat viewing before anything is captured.")
    analysis = _analyse_safely(check, capture.text) if capture.text.strip() else None
    item = EvidenceItem(
        case_id=case.id,
        justification_id=justification.id,
        kind=capture.kind,
        filename=capture.filename,
        media_type=capture.media_type,
        content=capture.content,
        sha256=hashlib.sha256(capture.content).hexdigest(),
        text=capture.text,
        text_source=capture.text_source,
        platform=capture.platform,
        url=capture.url,
        author_handle=capture.author_handle,
        posted_at=capture.posted_at,
        captured_at=utcnow(),
        captured_by_id=actor.id,
        analysis_json=(
            json.dumps(analysis.to_dict(), sort_keys=True, ensure_ascii=False) if analysis else ""
        ),
        severity=analysis.severity.label if analysis else "none",
        corrects_id=corrects.id if corrects else None,
        correction_reason=correction_reason.strip(),
    )
    session.add(item)
    event = "corrected_evidence" if corrects else "captured_evidence"
    append_event(
        session,
        event,
        actor=actor,
        record=item,
        case_id=case.id,
        detail={"sha256": item.sha256, "kind": item.kind},
    )
    if analysis:
        for action in analysis.actions:
            open_task(
                session, actor, case, item, action, analysis.severity.label, playbook=playbook
            )
    return item


def analysed_once(check: Check, text: str) -> Check:
    """A check that answers from one analysis of ``text`` made now (in review mode), so a
    caller can run the engine before opening a transaction; a failure is re-raised later,
    inside :func:`_analyse_safely`, which logs it and keeps the capture."""
    failure: Exception | None = None
    result: Analysis | None = None
    if text.strip():
        try:
            result = check(text, "review")
        except Exception as error:  # re-raised below, where it is logged
            failure = error

    def answer(_text: str, _mode: Mode) -> Analysis:
        if failure is not None:
            raise failure
        if result is None:
            raise RuntimeError("no analysis was prepared for this text")
        return result

    return answer


def _analyse_safely(check: Check, text: str) -> Analysis | None:
    """Analyse ``text``; a failing engine must never lose a capture, so log and go on."""
    try:
        return check(text, "review")
    except Exception as error:  # the engine is a separate component; the capture matters more
        log.warning(
            "Analysis failed (%s: %s); the capture is stored without one",
            type(error).__name__,
            error,
        )
        return None


def correct_evidence(
    session: Session,
    actor: User,
    case: Case,
    original: EvidenceItem,
    text: str,
    reason: str,
    check: Check,
) -> EvidenceItem:
    """Record a correction as a new item that references ``original`` (which stays as it was)."""
    justification = session.get_one(Justification, original.justification_id)
    capture = Capture(
        kind=original.kind,
        content=original.content,
        text=text,
        text_source="corrected",
        filename=original.filename,
        media_type=original.media_type,
        platform=original.platform,
        url=original.url,
        author_handle=original.author_handle,
        posted_at=original.posted_at,
    )
    return capture_evidence(
        session,
        actor,
        case,
        justification,
        capture,
        check,
        corrects=original,
        correction_reason=reason,
    )


def uk_today() -> date:
    """Today's date in the UK (after midnight BST it is already tomorrow there)."""
    return utcnow().astimezone(UK).date()


def due_date_for(
    action: Action, today: date | None = None, playbook: Playbook | None = None
) -> date | None:
    """When a task for ``action`` is due: the typed ``due`` its playbook rule gives
    (``{working_days: 2}`` counts UK working days, skipping bank holidays), from
    ``today`` (default: today in the UK). None for an action the playbook does not know."""
    return (playbook or configured_playbook()).due_date(action, today or uk_today())


def open_task(
    session: Session,
    actor: User,
    case: Case,
    item: EvidenceItem | None,
    action: Action,
    severity: str,
    *,
    today: date | None = None,
    playbook: Playbook | None = None,
) -> Task:
    """Turn one playbook action into a tracked task owned by ``actor``."""
    task = Task(
        case_id=case.id,
        evidence_id=item.id if item else None,
        action_id=action.id,
        concern=action.concern,
        text=action.text,
        urgency=action.urgency,
        severity=severity,
        owner_id=actor.id,
        due_on=due_date_for(action, today, playbook),
        status="open",
    )
    session.add(task)
    append_event(session, "created_task", actor=actor, record=task, case_id=case.id)
    return task


def update_task(session: Session, actor: User, task: Task, status: str, outcome_note: str) -> Task:
    """Change a task's status and outcome; the change is audited with the new hash."""
    before = task.status
    task.status = status
    task.outcome_note = outcome_note.strip()
    task.updated_at = utcnow()
    append_event(
        session,
        "updated_task",
        actor=actor,
        record=task,
        case_id=task.case_id,
        detail={"from": before, "to": status},
    )
    return task


def case_evidence(session: Session, case: Case) -> list[EvidenceItem]:
    return list(
        session.scalars(
            select(EvidenceItem).where(EvidenceItem.case_id == case.id).order_by(EvidenceItem.id)
        )
    )


def case_justifications(session: Session, case: Case) -> list[Justification]:
    return list(
        session.scalars(
            select(Justification).where(Justification.case_id == case.id).order_by(Justification.id)
        )
    )


def case_tasks(session: Session, case: Case) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.case_id == case.id).order_by(Task.id)))


SERIOUS = ("high", "critical")


def open_serious_tasks(session: Session, team_id: int) -> list[Task]:
    """The team's open high and critical tasks, most urgent first (manager's dashboard)."""
    query = (
        select(Task)
        .join(Case, Case.id == Task.case_id)
        .where(Case.team_id == team_id)
        .where(Task.severity.in_(SERIOUS))
        .where(Task.status.in_(("open", "in_progress")))
        .order_by(Task.due_on, Task.id)
    )
    return list(session.scalars(query))


def tasks_for(session: Session, actor: User) -> list[Task]:
    """Tasks owned by ``actor``, soonest due first."""
    query = select(Task).where(Task.owner_id == actor.id).order_by(Task.due_on, Task.id)
    return list(session.scalars(query))
