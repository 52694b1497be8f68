"""Appending to the audit log. Every view, create, change and export goes through here."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.models import GENESIS, AuditEvent
from safeside.audit_log.sealing import DELETING_ACTIONS, take_pending
from safeside.db.base import ChainedRecord, utcnow
from safeside.db.session import lock_for_write

#: A fixed key for PostgreSQL's advisory lock, so concurrent writers cannot fork the chain.
_CHAIN_LOCK = 727_1001

#: What each action means, for the Audit page and docs/evidence-and-audit.md.
ACTION_TITLES = {
    "signed_in": "Signed in",
    "sign_in_failed": "Sign-in failed",
    "signed_out": "Signed out",
    "sign_in_locked": "Sign-in locked after wrong attempts",
    "session_ended": "Session ended without signing out (inactive or time limit)",
    "changed_password": "Changed own password",
    "issued_password_reset": "Made a password reset link",
    "reset_password": "Set a new password with a reset link",
    "unlocked_account": "Unlocked an account",
    "disabled_user": "Disabled an account",
    "enabled_user": "Enabled an account",
    "created_team": "Created team",
    "created_user": "Created user",
    "created_case": "Created case",
    "added_case_member": "Added case member",
    "viewed_cases": "Viewed case list",
    "viewed_case": "Viewed case",
    "recorded_justification": "Recorded viewing justification",
    "refused_viewing": "Refused a viewing (fake profile or friend request)",
    "requested_authorisation": "Asked a manager to authorise a repeat viewing",
    "authorised_viewing": "Authorised repeat viewing",
    "declined_viewing": "Declined repeat viewing",
    "refused_capture": "Refused a capture (justification used, expired or about someone else)",
    "viewed_authorisations": "Viewed authorisation requests",
    "captured_evidence": "Captured evidence",
    "corrected_evidence": "Recorded a correction",
    "viewed_evidence": "Viewed evidence",
    "downloaded_original": "Downloaded original file",
    "created_task": "Created task",
    "updated_task": "Updated task",
    "reassigned_task": "Reassigned task",
    "linked_task_evidence": "Linked more evidence to a task",
    "viewed_tasks": "Viewed actions",
    "exported_bundle": "Exported evidence bundle",
    "viewed_audit": "Viewed audit log",
    "exported_audit": "Downloaded audit events (CSV)",
    "created_cpd_record": "Created CPD record",
    "updated_cpd_record": "Updated CPD record",
    "deleted_cpd_record": "Deleted CPD record",
    "exported_cpd_portfolio": "Exported CPD portfolio",
    "created_digest": "Built a chat digest",
    "completed_scenario": "Completed a training scenario",
    "submitted_self_assessment": "Submitted digital-capability self-assessment",
    "viewed_capability_report": "Viewed capability report",
    "exported_capability_research": "Exported anonymised survey data",
    "changed_role": "Changed a user's role",
    "registered_signing_key": "Registered the organisation's signing key",
    "sealed_records": "Sealed existing records (upgrade)",
}

#: ``session.info`` key: the id of the newest event this session appended (for checkpoints).
HEAD = "safeside.head"


def append_event(
    session: Session,
    action: str,
    *,
    actor: User | None = None,
    record: ChainedRecord | None = None,
    case_id: int | None = None,
    team_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Seal ``record`` (if given) and append one event to the chain.

    Event-sealed rows (CPD records, self-assessments, digests) flushed since the last
    event are sealed by this one too (see :mod:`safeside.audit_log.sealing`); an action
    in :data:`~safeside.audit_log.sealing.DELETING_ACTIONS` records the deletion.

    Args:
        session: the open session; the event is committed with the caller's work.
        action: one of :data:`ACTION_TITLES`.
        actor: who did it (None for the system or an unknown sign-in name).
        record: the record created or changed; its hash is stored in the event.
        case_id: the case the event belongs to, for the case timeline and access checks.
        team_id: the team whose managers may read the event (defaults to the actor's).
        detail: a small JSON-able dict of extra facts (never the captured content).
    """
    if action not in ACTION_TITLES:
        raise ValueError(f"Unknown audit action {action!r}")
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    else:
        lock_for_write(session)  # SQLite: read the chain head with the write lock held
    session.flush()
    record_type, record_id, record_hash = "", None, ""
    detail = dict(detail or {})
    if record is not None:
        record_type = record.record_type
        record_id = record.id
        record_hash = record.seal()
    elif action in DELETING_ACTIONS:
        record_type, key = DELETING_ACTIONS[action]
        record_id = int(detail[key])
    seals = take_pending(session, skip=(record_type, record_id) if record_id else None)
    if seals and not record_type:
        record_type, record_id, record_hash = seals.pop(0)
    if seals:
        detail["also_sealed"] = [list(seal) for seal in seals]
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()
    event = AuditEvent(
        id=(last.id + 1) if last else 1,
        at=utcnow(),
        actor_id=actor.id if actor else None,
        actor_name=actor.full_name if actor else "",
        team_id=team_id if team_id is not None else (actor.team_id if actor else None),
        action=action,
        case_id=case_id,
        record_type=record_type,
        record_id=record_id,
        record_hash=record_hash,
        detail_json=json.dumps(detail, sort_keys=True, ensure_ascii=False),
        prev_hash=last.event_hash if last else GENESIS,
    )
    event.event_hash = event.compute_hash()
    session.add(event)
    session.flush()
    session.info[HEAD] = event.id
    return event
