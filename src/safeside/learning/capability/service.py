"""Submitting a self-assessment, and reading back a person's latest answers.

A response records the person's team and role as they were when they answered, so a
report counts them where they were. The audit event says that someone submitted, never
what they answered: managers can read their team's audit log.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.db.base import utcnow
from safeside.errors import InputError
from safeside.learning.capability.models import CapabilityResponse
from safeside.learning.capability.questionnaire import questionnaire


class AnswerError(InputError):
    """The answers are incomplete or not the questionnaire's choices; ``errors`` says which."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))


def submit(
    session: Session,
    actor: User,
    answers: Mapping[str, object],
    *,
    at: datetime | None = None,
) -> CapabilityResponse:
    """Check and store ``actor``'s answers to the whole questionnaire, and audit it.

    Raises:
        AnswerError: a question is unanswered, or an answer is not one of its choices.
    """
    current = questionnaire()
    clean, errors = current.check(answers)
    if errors:
        raise AnswerError(errors)
    response = CapabilityResponse(
        user_id=actor.id,
        team_id=actor.team_id,
        role=actor.role,
        questionnaire_id=current.id,
        questionnaire_version=current.version,
        answers_json=json.dumps(clean, sort_keys=True, ensure_ascii=False),
        submitted_at=at or utcnow(),
    )
    session.add(response)
    session.flush()
    append_event(
        session,
        "submitted_self_assessment",
        actor=actor,
        detail={"questionnaire": current.id, "version": current.version},
    )
    return response


def latest_for(session: Session, user: User) -> CapabilityResponse | None:
    """``user``'s latest response to the current questionnaire, or None."""
    current = questionnaire()
    return session.scalars(
        select(CapabilityResponse)
        .where(
            CapabilityResponse.user_id == user.id,
            CapabilityResponse.questionnaire_id == current.id,
            CapabilityResponse.questionnaire_version == current.version,
        )
        .order_by(CapabilityResponse.submitted_at.desc(), CapabilityResponse.id.desc())
        .limit(1)
    ).first()


def latest_responses(session: Session, team_id: int | None = None) -> list[CapabilityResponse]:
    """Each person's latest response to the current questionnaire (of one team, if given).

    Someone who answered twice counts once, with their later answers.
    """
    current = questionnaire()
    query = select(CapabilityResponse).where(
        CapabilityResponse.questionnaire_id == current.id,
        CapabilityResponse.questionnaire_version == current.version,
    )
    latest: dict[int, CapabilityResponse] = {}
    for response in session.scalars(query.order_by(CapabilityResponse.id)):
        held = latest.get(response.user_id)
        if held is None or (response.submitted_at, response.id) > (held.submitted_at, held.id):
            latest[response.user_id] = response
    responses = sorted(latest.values(), key=lambda r: r.id)
    if team_id is not None:
        # The team a person was in when they last answered: one person, one team.
        responses = [r for r in responses if r.team_id == team_id]
    return responses
