"""Scoring a run through a scenario, saving it, and turning it into a CPD record::

    completion = complete(session, actor, scenario, {"1": "b", "2": "a", "3": "c"})
    scenario, decisions = review(completion)   # each answer with its feedback
    record = make_cpd_record(session, actor, completion, "What I will do...", check)

Answers map each step number (as text) to the id of the option chosen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.check import Check
from safeside.learning.cpd.models import CpdRecord
from safeside.learning.cpd.service import CpdFields, create_record
from safeside.learning.scenarios import get_scenario
from safeside.learning.scenarios.models import ScenarioCompletion
from safeside.learning.scenarios.scenario import Option, Scenario, ScenarioError, Step

#: Left in a CPD record made without a reflection, so it stays a draft until written.
IMPACT_PROMPT = "[How will this change your practice? Write it in your own words.]"

Answers = dict[str, str]


def score(scenario: Scenario, answers: Answers) -> int:
    """Points for ``answers`` (step number as text → option id); unanswered steps score 0."""
    total = 0
    for step in scenario.steps:
        option = step.option(answers.get(str(step.number), ""))
        total += option.score if option else 0
    return total


def first_unanswered(scenario: Scenario, answers: Answers) -> int | None:
    """The first step number without a valid answer, or None when all are answered."""
    for step in scenario.steps:
        if step.option(answers.get(str(step.number), "")) is None:
            return step.number
    return None


def complete(
    session: Session, actor: User, scenario: Scenario, answers: Answers
) -> ScenarioCompletion:
    """Save a finished run (every step answered) for ``actor``, scored and audited."""
    if first_unanswered(scenario, answers) is not None:
        raise ScenarioError(f"{scenario.id}: every decision point needs an answer")
    kept = {str(step.number): answers[str(step.number)] for step in scenario.steps}
    completion = ScenarioCompletion(
        user_id=actor.id,
        scenario_id=scenario.id,
        scenario_version=scenario.version,
        answers_json=json.dumps(kept),
        score=score(scenario, kept),
        max_score=scenario.max_score,
    )
    session.add(completion)
    session.flush()
    append_event(
        session,
        "completed_scenario",
        actor=actor,
        detail={
            "scenario": scenario.id,
            "version": scenario.version,
            "completion": completion.id,
            "score": completion.score,
            "max_score": completion.max_score,
        },
    )
    return completion


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision point of a completed run: the answer given and the best one."""

    step: Step
    chosen: Option | None  # None when the scenario has changed since the run

    @property
    def best(self) -> Option:
        return self.step.best

    @property
    def was_best(self) -> bool:
        return self.chosen is not None and self.chosen.id == self.best.id


def review(completion: ScenarioCompletion) -> tuple[Scenario | None, list[Decision]]:
    """The scenario and each decision of ``completion``, for the results page.

    A run of an earlier version of the scenario still shows its score; its answers are
    matched to the current steps only while the version is the same.
    """
    scenario = get_scenario(completion.scenario_id)
    if scenario is None:
        return None, []
    same = scenario.version == completion.scenario_version
    answers = completion.answers
    return scenario, [
        Decision(step, step.option(str(answers.get(str(step.number), ""))) if same else None)
        for step in scenario.steps
    ]


def best_scores(session: Session, actor: User) -> dict[str, tuple[int, int]]:
    """Scenario id → (best score, out of) over ``actor``'s completed runs."""
    rows = session.execute(
        select(
            ScenarioCompletion.scenario_id,
            func.max(ScenarioCompletion.score),
            func.max(ScenarioCompletion.max_score),
        )
        .where(ScenarioCompletion.user_id == actor.id)
        .group_by(ScenarioCompletion.scenario_id)
    )
    return {scenario_id: (int(best), int(out_of)) for scenario_id, best, out_of in rows}


def cpd_fields(
    completion: ScenarioCompletion,
    scenario: Scenario,
    reflection: str = "",
    today: date | None = None,
) -> CpdFields:
    """A CPD record of ``completion``; a draft (with a prompt) unless ``reflection`` is given."""
    reflection = reflection.strip()
    points = "\n".join(f"- {point}" for point in scenario.learning_points)
    learning = f"Key learning points from the scenario:\n{points}"
    if reflection:
        learning += f"\n\nMy reflection:\n{reflection}"
    # The title and topics, not the situation: a CPD record leaves Safeside in a
    # portfolio, and even a fictional "13-year-old" reads as a reference to a child.
    description = (
        f"Completed the Safeside training scenario “{scenario.title}” (version "
        f"{scenario.version}), on {_listed(scenario.tags)}. I made {len(scenario.steps)} "
        f"decisions and scored {completion.score} out of {completion.max_score}, then read "
        "the feedback on each answer and the guidance it cites."
    )
    return CpdFields(
        activity_type="Scenario-based training",
        title=f"Scenario: {scenario.title}"[:200],
        activity_date=today or date.today(),
        description=description,
        learning=learning,
        impact=reflection or IMPACT_PROMPT,
        standards=list(scenario.standards),
        pcf_domains=list(scenario.pcf_domains),
        source_kind="scenario",
        source_ref=f"scenario:{scenario.id}:v{completion.scenario_version}:completion:{completion.id}",
    )


def existing_record(session: Session, completion: ScenarioCompletion) -> CpdRecord | None:
    """The CPD record already made from ``completion``, if it still exists."""
    if completion.cpd_record_id is None:
        return None
    return session.get(CpdRecord, completion.cpd_record_id)


def make_cpd_record(
    session: Session,
    actor: User,
    completion: ScenarioCompletion,
    reflection: str,
    check: Check,
) -> CpdRecord:
    """The CPD record of ``completion`` (made once: a second call returns the first)."""
    record = existing_record(session, completion)
    if record is not None:
        return record
    scenario = get_scenario(completion.scenario_id)
    if scenario is None:
        raise ScenarioError(f"scenario {completion.scenario_id!r} is no longer available")
    completion.reflection = reflection.strip()
    record = create_record(session, actor, cpd_fields(completion, scenario, reflection), check)
    completion.cpd_record_id = record.id
    return record


def _listed(words: tuple[str, ...]) -> str:
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else "".join(words)
