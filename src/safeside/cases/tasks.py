"""Tracked actions in a case: who is at risk, one task per action, act-now instructions.

The guidance playbook turns an analysis's concerns into actions (see
:mod:`safeside.guidance.playbook`). In a case:

* **Who is at risk** decides which actions apply. The capture form asks (worker, child,
  adult at risk, the public, or "not sure"), pre-filled from the viewing justification by
  :func:`targets_from_justification`. "Not sure" (or nothing known) falls back to each
  concern's usual target in the playbook. What was decided is kept in the capture's
  audit event (``detail.targets``), so a correction and the case page use it again.
* **One task per action per case.** The first evidence item that raises an action opens
  the task; every later item that raises it is linked to it (:class:`TaskEvidence`), the
  task keeps the higher severity and the earlier due date, and a closed task is reopened.
* **Emergency actions** ("Call 999") are never tasks: :func:`act_now` lists them for
  the top of the case page.
* A task can be **reassigned** to anyone on the case's team who may work on it
  (:func:`assignees`); the change is audited.

Nothing here authorises: the caller has asked :func:`safeside.access.policy.can`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.access.policy import can
from safeside.audit_log.log import append_event
from safeside.audit_log.models import AuditEvent
from safeside.cases.models import Case, Justification, Task, TaskEvidence
from safeside.db.base import utcnow
from safeside.engine.results import Action, Analysis
from safeside.errors import InputError
from safeside.evidence.models import EvidenceItem
from safeside.guidance.playbook import TARGETS, Playbook, Routed
from safeside.pipeline.config import configured_playbook
from safeside.taxonomy import Severity
from safeside.uktime import uk_today

#: Who is at risk, as the capture form offers it (keys of the playbook's targets).
TARGET_CHOICES = dict(TARGETS)
#: The capture form's exclusive answer: use each concern's usual target.
NOT_SURE = "not_sure"

#: Who a justification's legal basis says is at risk.
_BY_LEGAL_BASIS = {
    "staff_safety": "worker",
    "children_act_s47": "child",
    "children_act_s17": "child",
    "care_proceedings": "child",
    "care_act_s42": "adult",
}
#: Content posted to or about the worker on their work account puts the worker at risk.
_BY_HOW_SEEN = {"own_account": "worker"}

#: Statuses in which a task still needs doing.
OPEN_STATUSES = ("open", "in_progress")


def targets_from_justification(justification: Justification) -> list[str]:
    """Who is at risk, as the viewing justification says it (the capture form's default).

    The legal basis names them: staff safety → the worker; a Children Act basis or care
    proceedings → a child; a Care Act s.42 enquiry → an adult at risk. Content posted to
    or about the worker on their work account → the worker. Consent says nothing (empty).
    """
    found = {
        _BY_LEGAL_BASIS.get(justification.legal_basis),
        _BY_HOW_SEEN.get(justification.how_seen),
    }
    return [target for target in TARGETS if target in found]


def targets_from_answers(
    answers: Sequence[str], asked: bool, justification: Justification
) -> tuple[list[str], str]:
    """Who is at risk from the capture form's answers, and an error message ('' if none).

    ``asked`` is whether the form showed the question; when it did not (an older form, a
    script), the justification's answer is used. "Not sure" means each concern's usual
    target (an empty list).
    """
    if not asked:
        return targets_from_justification(justification), ""
    chosen = [a for a in answers if a in TARGET_CHOICES or a == NOT_SURE]
    if not chosen or len(chosen) != len(answers):
        return [], "Select who could be harmed by this content, or select ‘I am not sure’"
    if NOT_SURE in chosen:
        if len(chosen) > 1:
            return [], "Select who could be harmed, or ‘I am not sure’, not both"
        return [], ""
    return [t for t in TARGETS if t in chosen], ""


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


def _higher(one: str, other: str) -> str:
    try:
        return max(Severity.parse(one), Severity.parse(other)).label
    except ValueError:
        return one or other


def link_evidence(
    session: Session,
    actor: User,
    task: Task,
    item: EvidenceItem,
    severity: str,
    due_on: date | None,
) -> TaskEvidence | None:
    """Record that ``item`` raised ``task`` again (None if it is already linked).

    The task keeps the higher severity and the earlier due date; a task that was done or
    not needed is opened again, due as the new item's action is.
    """
    if item.id in task.evidence_ids:
        return None
    link = TaskEvidence(task_id=task.id, evidence_id=item.id, added_by_id=actor.id)
    session.add(link)
    append_event(
        session,
        "linked_task_evidence",
        actor=actor,
        record=link,
        case_id=task.case_id,
        detail={"task": task.id, "evidence": item.id},
    )
    before = (task.status, task.severity, task.due_on)
    task.severity = _higher(task.severity, severity)
    if task.status in OPEN_STATUSES:
        if due_on is not None and (task.due_on is None or due_on < task.due_on):
            task.due_on = due_on
    else:
        task.status, task.due_on = "open", due_on
    if (task.status, task.severity, task.due_on) != before:
        _audit_update(
            session, actor, task, before[0], why=f"raised again by evidence item {item.id}"
        )
    session.refresh(task, ["links"])
    return link


def raise_tasks(
    session: Session,
    actor: User,
    case: Case,
    item: EvidenceItem,
    analysis: Analysis,
    targets: Sequence[str],
    *,
    playbook: Playbook | None = None,
    today: date | None = None,
) -> Routed:
    """Open (or link ``item`` to) one task per action for the people in ``targets``
    (empty: each concern's usual target). Emergency actions open no task."""
    book = playbook or configured_playbook()
    routed = book.route(analysis.actions, analysis.concerns, "review", list(targets) or None)
    first: dict[str, Task] = {}
    for task in case_tasks(session, case):
        first.setdefault(task.action_id, task)
    severity = analysis.severity.label
    for action in routed.tasks:
        existing = first.get(action.id)
        if existing is None:
            first[action.id] = open_task(
                session, actor, case, item, action, severity, today=today, playbook=book
            )
        else:
            due = due_date_for(action, today, book)
            link_evidence(session, actor, existing, item, severity, due)
    return routed


def update_task(session: Session, actor: User, task: Task, status: str, outcome_note: str) -> Task:
    """Change a task's status and outcome; the change is audited with the new hash."""
    before = task.status
    task.status = status
    task.outcome_note = outcome_note.strip()
    _audit_update(session, actor, task, before)
    return task


def _audit_update(session: Session, actor: User, task: Task, before: str, **detail: str) -> None:
    """Stamp ``task`` as changed and audit it with its new hash (status from -> to)."""
    task.updated_at = utcnow()
    append_event(
        session,
        "updated_task",
        actor=actor,
        record=task,
        case_id=task.case_id,
        detail={"from": before, "to": task.status, **detail},
    )


def assignees(session: Session, case: Case) -> list[User]:
    """Who may own a task on ``case``: the people of its team who may work on its tasks
    (its practitioners and the team's managers), not disabled, by name."""
    people = session.scalars(
        select(User).where(User.team_id == case.team_id).order_by(User.full_name, User.id)
    )
    return [u for u in people if not u.disabled and can(u, "update_task", case)]


class NotOnTheTeam(InputError):
    """The new owner is not someone on the case's team who may work on its tasks."""


def reassign_task(session: Session, actor: User, case: Case, task: Task, new_owner: User) -> Task:
    """Give ``task`` to ``new_owner`` (audited with the old and new owner).

    Raises:
        NotOnTheTeam: ``new_owner`` is not one of :func:`assignees`.
    """
    if new_owner.id not in {u.id for u in assignees(session, case)}:
        raise NotOnTheTeam("Select someone on the case's team to own this action")
    before = task.owner_id
    task.owner_id = new_owner.id
    task.updated_at = utcnow()
    append_event(
        session,
        "reassigned_task",
        actor=actor,
        record=task,
        case_id=task.case_id,
        detail={"from": before, "to": new_owner.id},
    )
    session.refresh(task, ["owner"])
    return task


def stated_targets(session: Session, items: Iterable[EvidenceItem]) -> dict[int, list[str]]:
    """Who each item's capture said was at risk (from its audit event), by item id.

    Items captured before this was recorded are left out; use
    :func:`targets_for_item` for a value for every item.
    """
    wanted = {item.id for item in items}
    if not wanted:
        return {}
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.record_type == EvidenceItem.record_type)
        .where(AuditEvent.record_id.in_(wanted))
        .where(AuditEvent.action.in_(("captured_evidence", "corrected_evidence")))
        .order_by(AuditEvent.id)
    )
    out: dict[int, list[str]] = {}
    for event in events:
        raw = event.detail.get("targets")
        if event.record_id is not None and isinstance(raw, list):
            out[event.record_id] = [str(t) for t in raw if t in TARGETS]
    return out


def targets_for_item(
    session: Session, item: EvidenceItem, known: dict[int, list[str]] | None = None
) -> list[str]:
    """Who is at risk from ``item``: as its capture said, else as its justification says
    (empty: each concern's usual target)."""
    stated = (known if known is not None else stated_targets(session, [item])).get(item.id)
    if stated is not None:
        return stated
    justification = session.get(Justification, item.justification_id)
    return targets_from_justification(justification) if justification else []


@dataclass(frozen=True, slots=True)
class Instruction:
    """An act-now step for the top of a case page, and the item that raised it."""

    action: Action
    evidence_id: int
    severity: str


@dataclass(frozen=True, slots=True)
class SetAside:
    """A concern found in an item whose actions are all for someone else at risk."""

    concern: str
    evidence_id: int
    targets: list[str]


def act_now(
    session: Session, items: Sequence[EvidenceItem], playbook: Playbook | None = None
) -> tuple[list[Instruction], list[SetAside]]:
    """The emergency instructions raised by a case's evidence (one per action, first item
    that raised it), and the concerns no action was raised for because the capture named
    someone else as at risk. Corrected items give way to their corrections."""
    book = playbook or configured_playbook()
    corrected = {item.corrects_id for item in items if item.corrects_id}
    known = stated_targets(session, items)
    instructions: dict[str, Instruction] = {}
    set_aside: list[SetAside] = []
    for item in items:
        analysis = item.analysis
        if analysis is None or item.id in corrected:
            continue
        targets = targets_for_item(session, item, known)
        routed = book.route(analysis.actions, analysis.concerns, "review", targets or None)
        for action in routed.emergency:
            instructions.setdefault(
                action.id, Instruction(action, item.id, analysis.severity.label)
            )
        if targets:
            set_aside += [SetAside(label, item.id, targets) for label in routed.set_aside]
    return list(instructions.values()), set_aside


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
        .where(Task.status.in_(OPEN_STATUSES))
        .order_by(Task.due_on, Task.id)
    )
    return list(session.scalars(query))


def tasks_for(session: Session, actor: User) -> list[Task]:
    """Tasks owned by ``actor``, soonest due first."""
    query = select(Task).where(Task.owner_id == actor.id).order_by(Task.due_on, Task.id)
    return list(session.scalars(query))
