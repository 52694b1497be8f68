"""Training scenarios: one decision per page, results with feedback, and a CPD record.

Answers in progress live in the signed session cookie (``scenario:<id>``: step number →
option id), so nothing is stored until the last answer; the run is then saved as a
:class:`ScenarioCompletion`, audited, and shown on its results page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from safeside.access.models import User
from safeside.learning.cpd.models import CpdRecord
from safeside.learning.scenarios import Scenario, SourceRef, all_scenarios, get_scenario
from safeside.learning.scenarios.models import ScenarioCompletion
from safeside.learning.scenarios.scenario import SCORES, Step
from safeside.learning.scenarios.service import (
    Decision,
    best_scores,
    complete,
    existing_record,
    first_unanswered,
    make_cpd_record,
    review,
)
from safeside.learning.standards import standard_title
from safeside.web.deps import (
    CheckDep,
    CsrfDep,
    FormDep,
    NotFound,
    Position,
    SessionDep,
    owned,
    signed_in,
)
from safeside.web.forms import Form
from safeside.web.render import render
from safeside.web.routes.cpd import STANDARD_CHOICES

router = APIRouter()

Taker = Annotated[User, Depends(signed_in("take_scenario"))]
Viewed = Annotated[
    ScenarioCompletion, Depends(owned(ScenarioCompletion, "view_own_record", "completion_id"))
]
Edited = Annotated[
    ScenarioCompletion, Depends(owned(ScenarioCompletion, "edit_own_record", "completion_id"))
]

#: The most a reflection may hold (as for the CPD form's answers).
REFLECTION_LIMIT = 5000

#: Tag colours for an answer's score.
VERDICT_TAGS = {2: "govuk-tag--green", 1: "govuk-tag--yellow", 0: "govuk-tag--red"}


def _scenario(scenario_id: str) -> Scenario:
    scenario = get_scenario(scenario_id)
    if scenario is None:
        raise NotFound("Page not found")
    return scenario


def _key(scenario: Scenario) -> str:
    return f"scenario:{scenario.id}"


def _answers(request: Request, scenario: Scenario) -> dict[str, str]:
    """The answers given so far in this session (step number → option id)."""
    raw = request.session.get(_key(scenario))
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v) for k, v in raw.items() if isinstance(v, str)}


def _step_url(scenario: Scenario, number: int) -> str:
    return f"/learning/scenarios/{scenario.id}/steps/{number}"


@router.get("/learning/scenarios")
def scenario_list(request: Request, session: SessionDep, actor: Taker) -> Response:
    return render(
        request,
        "pages/scenarios/list.html",
        {"scenarios": list(all_scenarios().values()), "best": best_scores(session, actor)},
        actor=actor,
    )


@router.get("/learning/scenarios/results/{completion_id}")
def results(request: Request, session: SessionDep, completion: Viewed, actor: Taker) -> Response:
    record = existing_record(session, completion)
    return _results_page(request, completion, record, actor, Form())


@router.post("/learning/scenarios/results/{completion_id}/cpd", dependencies=[CsrfDep])
def make_record(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    completion: Edited,
    actor: Taker,
    check: CheckDep,
) -> Response:
    record = existing_record(session, completion)
    if record is not None:
        return RedirectResponse(f"/learning/cpd/{record.id}", status_code=303)
    if get_scenario(completion.scenario_id) is None:
        raise NotFound("Page not found")
    form = Form(form_data)
    reflection = form.text("reflection")
    if len(reflection) > REFLECTION_LIMIT:
        form.errors["reflection"] = (
            f"Your reflection must be {REFLECTION_LIMIT:,} characters or fewer"
        )
        return _results_page(request, completion, None, actor, form, status_code=400)
    record = make_cpd_record(session, actor, completion, reflection, check)
    session.commit()
    request.session["flash"] = _saved_message(record)
    return RedirectResponse(f"/learning/cpd/{record.id}", status_code=303)


@router.get("/learning/scenarios/{scenario_id}")
def scenario_page(request: Request, actor: Taker, scenario_id: str) -> Response:
    scenario = _scenario(scenario_id)
    return render(
        request,
        "pages/scenarios/scenario.html",
        {"scenario": scenario, "standards": [_standard(code) for code in scenario.standards]},
        actor=actor,
    )


@router.get("/learning/scenarios/{scenario_id}/steps/{step}")
def step_page(request: Request, actor: Taker, scenario_id: str, step: Position) -> Response:
    scenario, _, answers, earlier_gap = _at_step(request, scenario_id, step)
    if earlier_gap is not None:
        return earlier_gap
    return _step_page(request, actor, scenario, step, Form(), answers.get(str(step), ""))


@router.post("/learning/scenarios/{scenario_id}/steps/{step}", dependencies=[CsrfDep])
def answer_step(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    actor: Taker,
    scenario_id: str,
    step: Position,
) -> Response:
    scenario, decision, answers, earlier_gap = _at_step(request, scenario_id, step)
    if earlier_gap is not None:
        return earlier_gap
    form = Form(form_data)
    choice = form.choice("answer", tuple(o.id for o in decision.options), "Select an answer")
    if not form.ok:
        return _step_page(request, actor, scenario, step, form, "", status_code=400)
    answers[str(step)] = choice
    if step < len(scenario.steps):
        request.session[_key(scenario)] = answers
        return RedirectResponse(_step_url(scenario, step + 1), status_code=303)
    gap = first_unanswered(scenario, answers)
    if gap is not None:
        request.session[_key(scenario)] = answers
        return RedirectResponse(_step_url(scenario, gap), status_code=303)
    completion = complete(session, actor, scenario, answers)
    session.commit()
    request.session.pop(_key(scenario), None)
    return RedirectResponse(f"/learning/scenarios/results/{completion.id}", status_code=303)


def _at_step(
    request: Request, scenario_id: str, step: int
) -> tuple[Scenario, Step, dict[str, str], Response | None]:
    """The scenario, the decision at ``step``, the answers so far, and a redirect to the
    first unanswered question when it comes before ``step`` (else None)."""
    scenario = _scenario(scenario_id)
    decision = scenario.step(step)
    if decision is None:
        raise NotFound("Page not found")
    answers = _answers(request, scenario)
    gap = first_unanswered(scenario, answers)
    redirect = None
    if gap is not None and gap < step:
        redirect = RedirectResponse(_step_url(scenario, gap), status_code=303)
    return scenario, decision, answers, redirect


def _step_page(
    request: Request,
    actor: User,
    scenario: Scenario,
    number: int,
    form: Form,
    chosen: str,
    *,
    status_code: int = 200,
) -> Response:
    step = scenario.steps[number - 1]
    back = _step_url(scenario, number - 1) if number > 1 else f"/learning/scenarios/{scenario.id}"
    return render(
        request,
        "pages/scenarios/step.html",
        {
            "scenario": scenario,
            "step": step,
            "form": form,
            "chosen": chosen,
            "back": back,
            "last": number == len(scenario.steps),
        },
        actor=actor,
        status_code=status_code,
    )


def _results_page(
    request: Request,
    completion: ScenarioCompletion,
    record: CpdRecord | None,
    actor: User,
    form: Form,
    *,
    status_code: int = 200,
) -> Response:
    scenario, decisions = review(completion)
    return render(
        request,
        "pages/scenarios/results.html",
        {
            "completion": completion,
            "scenario": scenario,
            "decisions": [_decision(d) for d in decisions],
            "record": record,
            "form": form,
            "verdicts": SCORES,
            "verdict_tags": VERDICT_TAGS,
        },
        actor=actor,
        status_code=status_code,
    )


def _decision(decision: Decision) -> dict[str, Any]:
    """A decision with the sources its feedback cites (chosen answer's, then the best's)."""
    cited: dict[str, SourceRef] = {}
    for option in (decision.chosen, decision.best):
        for source in option.sources if option else ():
            cited.setdefault(source.id, source)
    return {"decision": decision, "sources": list(cited.values())}


def _standard(code: str) -> str:
    """A standard as the CPD form words it (sub-standards have their own words there)."""
    return (
        STANDARD_CHOICES[code] if "." in code and code in STANDARD_CHOICES else standard_title(code)
    )


def _saved_message(record: CpdRecord) -> str:
    if record.safety:
        return "Saved. Some of it may identify someone you support: see below before you export."
    if record.status == "draft":
        return (
            "Saved as a draft CPD record. Replace the prompt in square brackets with your own "
            "words to complete it."
        )
    return "Saved. This CPD record is complete."
