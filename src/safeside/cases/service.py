"""What practitioners and managers do to cases: the functions the web app and CLI call.

Each function authorises nothing itself (the caller has already asked
:func:`safeside.access.policy.can`) but audits everything it creates or changes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.errors import ViewingRefused
from safeside.access.models import Team, User
from safeside.access.policy import sees_all_team_cases
from safeside.audit_log.log import append_event
from safeside.cases.models import Case, CaseMember, Justification, ViewingDecision
from safeside.cases.tasks import SERIOUS as SERIOUS
from safeside.cases.tasks import case_tasks as case_tasks
from safeside.cases.tasks import due_date_for as due_date_for
from safeside.cases.tasks import open_serious_tasks as open_serious_tasks
from safeside.cases.tasks import open_task as open_task
from safeside.cases.tasks import raise_tasks, stated_targets, targets_from_justification
from safeside.cases.tasks import tasks_for as tasks_for
from safeside.cases.tasks import update_task as update_task
from safeside.cases.viewing import (
    OWN_REQUEST,
    AlreadyDecided,
    AnotherSubjectsContent,
    OwnRequest,
    check_usable,
    matches,
    may_decide,
    reasons,
    someone_else_viewed_before,
    team_viewings,
)
from safeside.check import Check
from safeside.db.base import utcnow
from safeside.db.session import lock_for_write
from safeside.engine.results import Analysis
from safeside.evidence.models import EvidenceItem
from safeside.guidance.playbook import Playbook
from safeside.taxonomy import Mode
from safeside.uktime import uk_today as uk_today

log = logging.getLogger("safeside.cases")

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
    """The answers given on the 'Why are you viewing this?' step.

    ``purpose_kind`` is one of ``safeside.cases.viewing.PURPOSES`` (the web form requires
    it); ``purpose`` is the practitioner's own explanation.
    """

    purpose: str
    necessity: str
    legal_basis: str
    subject: str
    how_seen: str
    viewed_before: bool
    purpose_kind: str = ""


def previous_viewings(
    session: Session, team_id: int, subject: str, *, before: int | None = None
) -> int:
    """How many times this team has recorded viewing content about ``subject`` (the same
    person however written: see :mod:`safeside.cases.subjects`), before justification
    ``before`` if given."""
    found = matches(subject, team_viewings(session, team_id), before=before)
    return sum(1 for match in found if match.same)


def record_justification(
    session: Session, actor: User, case: Case, form: JustificationForm
) -> Justification:
    """Record why content is being viewed; refuse fake profiles and friend requests.

    A repeat viewing of the same person (declared, or found in this team's records under
    any spelling, handle or profile address) needs a manager's authorisation before
    anything can be captured; so does a near match ("Same person?"). A request that waits
    is announced in the audit log (``requested_authorisation``, on the case's team) and
    in the managers' queue.

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
    # Two requests about one person cannot both look first: SQLite's write lock, and on
    # PostgreSQL the team's row (recording is serialised per team).
    lock_for_write(session)
    session.execute(select(Team.id).where(Team.id == case.team_id).with_for_update())
    found = matches(form.subject, team_viewings(session, case.team_id))
    why = reasons(form.viewed_before, found)
    justification = Justification(
        case_id=case.id,
        created_by_id=actor.id,
        purpose=form.purpose.strip(),
        necessity=form.necessity.strip(),
        legal_basis=form.legal_basis,
        subject=form.subject.strip(),
        how_seen=form.how_seen,
        viewed_before=form.viewed_before,
        needs_authorisation=bool(why),
        purpose_kind=form.purpose_kind,
    )
    session.add(justification)
    append_event(
        session, "recorded_justification", actor=actor, record=justification, case_id=case.id
    )
    if why:
        append_event(
            session,
            "requested_authorisation",
            actor=actor,
            case_id=case.id,
            team_id=case.team_id,
            detail={
                "justification": justification.id,
                "reasons": why,
                "earlier": [m.earlier.justification_id for m in found],
            },
        )
    return justification


def decide_viewing(
    session: Session,
    manager: User,
    justification: Justification,
    authorised: bool,
    note: str,
    *,
    same_person: str = "",
) -> ViewingDecision:
    """A manager authorises or declines a repeat viewing (once; never their own request).

    Args:
        same_person: the manager's answer to "Same person?" (``yes``, ``no``,
            ``not_sure``) when the subject only resembled an earlier one.

    Raises:
        OwnRequest: ``manager`` recorded the justification (four eyes).
        AlreadyDecided: a decision was recorded already (by anyone).
    """
    if not may_decide(manager, justification):
        raise OwnRequest(OWN_REQUEST)
    lock_for_write(session)
    session.execute(
        select(Justification.id).where(Justification.id == justification.id).with_for_update()
    )
    session.refresh(justification, ["decisions"])
    if justification.status != "awaiting":
        raise AlreadyDecided("A decision has already been recorded")
    decision = ViewingDecision(
        justification_id=justification.id,
        decided_by_id=manager.id,
        authorised=authorised,
        note=note.strip(),
        same_person=same_person,
    )
    session.add(decision)
    action = "authorised_viewing" if authorised else "declined_viewing"
    detail = {"same_person": same_person} if same_person else None
    append_event(
        session,
        action,
        actor=manager,
        record=decision,
        case_id=justification.case_id,
        detail=detail,
    )
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
    now: datetime | None = None,
    targets: Sequence[str] | None = None,
) -> EvidenceItem:
    """Store a capture unchanged with its SHA-256, analyse its text (review mode), and
    open a task for each playbook action, due as ``playbook`` (default: the engine's) says.

    ``targets`` is who is at risk (keys of ``safeside.guidance.playbook.TARGETS``; empty:
    each concern's usual target; None: as the justification says). Only the actions for
    them are raised, one task per action per case (:mod:`safeside.cases.tasks`).

    A justification covers one capture, within a day of becoming usable
    (:func:`safeside.cases.viewing.check_usable`); a correction is not a new viewing.

    Raises:
        NotReady: the justification still needs (or was refused) a manager's authorisation.
        JustificationUsed, JustificationExpired: it was used already, or not in time.
        AnotherSubjectsContent: the author's handle or address is someone the team viewed
            before under another name (record a justification naming them).
    """
    if corrects is None:
        # One capture per justification, even from two requests at once.
        lock_for_write(session)
        session.execute(
            select(Justification.id).where(Justification.id == justification.id).with_for_update()
        )
        session.refresh(justification, ["decisions"])
        check_usable(session, justification, now or utcnow())
        earlier = someone_else_viewed_before(
            session, justification, case.team_id, [capture.author_handle, capture.url]
        )
        if earlier is not None:
            raise AnotherSubjectsContent(
                f"Your team has viewed content from {earlier.via} before, under another "
                "justification. Record a new justification naming them: a manager must "
                "authorise a repeat viewing.",
                earlier.via,
            )
    analysis = _analyse_safely(check, capture.text) if capture.text.strip() else None
    at_risk = list(targets) if targets is not None else targets_from_justification(justification)
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
        detail={"sha256": item.sha256, "kind": item.kind, "targets": at_risk},
    )
    if analysis:
        raise_tasks(session, actor, case, item, analysis, at_risk, playbook=playbook)
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
        targets=stated_targets(session, [original]).get(original.id),
    )


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
