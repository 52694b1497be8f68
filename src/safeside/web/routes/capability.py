"""The digital-capability self-assessment, the learning plan from it, team and
organisation reports, and the anonymised research export.

The questionnaire is one section per page. Answers are kept in the session until the
last section, then submitted together; nothing is stored in the database before that.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.learning.capability import (
    MIN_GROUP,
    AnswerError,
    NotEnoughAnswers,
    latest_for,
    learning_plan,
    questionnaire,
    reports_for,
    research_csv,
    submit,
)
from safeside.learning.capability.questionnaire import Questionnaire
from safeside.web.deps import CsrfDep, FormDep, NotFound, Position, SessionDep, signed_in
from safeside.web.forms import Form
from safeside.web.render import content_disposition, render

router = APIRouter()

Taker = Annotated[User, Depends(signed_in("take_self_assessment"))]
TeamViewer = Annotated[User, Depends(signed_in("view_team_capability"))]
Exporter = Annotated[User, Depends(signed_in("export_capability_research"))]

START = "/learning/self-assessment"
PLAN = "/learning/self-assessment/plan"
#: The session key holding answers given so far: {"questionnaire": ..., "answers": {...}}.
DRAFT = "self_assessment"


def _section_url(number: int) -> str:
    return f"{START}/sections/{number}"


def _draft(request: Request, current: Questionnaire) -> dict[str, Any]:
    """Answers given so far in this session, for the current questionnaire only."""
    draft = request.session.get(DRAFT)
    if not isinstance(draft, dict) or draft.get("questionnaire") != _key(current):
        return {}
    answers = draft.get("answers")
    return dict(answers) if isinstance(answers, dict) else {}


def _key(current: Questionnaire) -> str:
    return f"{current.id}:{current.version}"


def _first_unanswered(current: Questionnaire, answers: dict[str, Any]) -> int | None:
    """The number of the first section with a missing answer, or None when all are done."""
    for part in current.sections:
        _, errors = current.check(answers, [part])
        if errors:
            return part.number
    return None


def _chosen(answers: dict[str, Any]) -> dict[str, list[str]]:
    """Answers as the form's checked values (strings)."""
    return {
        name: [str(v) for v in value] if isinstance(value, list) else [str(value)]
        for name, value in answers.items()
    }


@router.get("/learning/self-assessment")
def start(request: Request, session: SessionDep, actor: Taker) -> Response:
    current = questionnaire()
    answers = _draft(request, current)
    resume = _first_unanswered(current, answers) if answers else None
    return render(
        request,
        "pages/capability/start.html",
        {
            "questionnaire": current,
            "latest": latest_for(session, actor),
            "resume": resume,
            "min_group": MIN_GROUP,
        },
        actor=actor,
    )


def _section_page(
    request: Request,
    actor: User,
    current: Questionnaire,
    number: int,
    form: Form,
    chosen: dict[str, list[str]],
    status_code: int = 200,
) -> Response:
    part = current.section(number)
    return render(
        request,
        "pages/capability/section.html",
        {
            "questionnaire": current,
            "part": part,
            "total": len(current.sections),
            "form": form,
            "chosen": chosen,
            "back": _section_url(number - 1) if number > 1 else START,
        },
        actor=actor,
        status_code=status_code,
    )


@router.get("/learning/self-assessment/sections/{section}")
def section_form(request: Request, actor: Taker, section: Position) -> Response:
    current = questionnaire()
    if current.section(section) is None:
        raise NotFound("Page not found")
    answers = _draft(request, current)
    first = _first_unanswered(current, answers)
    if first is not None and section > first:
        return RedirectResponse(_section_url(first), status_code=303)
    return _section_page(request, actor, current, section, Form(), _chosen(answers))


@router.post("/learning/self-assessment/sections/{section}", dependencies=[CsrfDep])
def section_answers(
    request: Request, form_data: FormDep, session: SessionDep, actor: Taker, section: Position
) -> Response:
    current = questionnaire()
    part = current.section(section)
    if part is None:
        raise NotFound("Page not found")
    form = Form(form_data)
    given = {q.id: form.values(q.id) for q in part.questions}
    clean, errors = current.check(given, [part])
    if errors:
        form.errors.update(errors)
        return _section_page(request, actor, current, section, form, given, status_code=400)

    answers = _draft(request, current) | clean
    request.session[DRAFT] = {"questionnaire": _key(current), "answers": answers}
    if section < len(current.sections):
        return RedirectResponse(_section_url(section + 1), status_code=303)
    first = _first_unanswered(current, answers)
    if first is not None:
        return RedirectResponse(_section_url(first), status_code=303)
    try:
        submit(session, actor, answers)
    except AnswerError:  # answers from an older session that no longer fit: start again
        request.session.pop(DRAFT, None)
        return RedirectResponse(_section_url(1), status_code=303)
    session.commit()
    request.session.pop(DRAFT, None)
    request.session["flash"] = "Your answers have been saved. This is your learning plan."
    return RedirectResponse(PLAN, status_code=303)


@router.get("/learning/self-assessment/plan")
def plan(request: Request, session: SessionDep, actor: Taker) -> Response:
    latest = latest_for(session, actor)
    current = questionnaire()
    return render(
        request,
        "pages/capability/plan.html",
        {
            "latest": latest,
            "plan": learning_plan(latest.answers, current) if latest else None,
            "questionnaire": current,
        },
        actor=actor,
    )


@router.get("/learning/capability")
def report(request: Request, session: SessionDep, actor: TeamViewer) -> Response:
    organisation = request.app.state.settings.organisation
    reports = reports_for(session, actor, organisation)
    groups = ([reports.organisation] if reports.organisation else []) + list(reports.teams)
    append_event(
        session,
        "viewed_capability_report",
        actor=actor,
        detail={
            "scope": "organisation" if reports.organisation else "team",
            "groups_shown": sum(1 for g in groups if g.shown),
        },
    )
    return render(
        request,
        "pages/capability/report.html",
        {"reports": reports, "min_group": MIN_GROUP},
        actor=actor,
    )


@router.get("/learning/capability/research-export")
def research_export(request: Request, session: SessionDep, actor: Exporter) -> Response:
    try:
        data = research_csv(session)
    except NotEnoughAnswers as error:
        return render(
            request,
            "pages/capability/export_unavailable.html",
            {"message": str(error), "min_group": MIN_GROUP},
            actor=actor,
            status_code=409,
        )
    rows = data.count("\r\n") - 1
    append_event(session, "exported_capability_research", actor=actor, detail={"rows": rows})
    session.commit()
    filename = f"safeside-capability-survey-{date.today().isoformat()}.csv"
    return Response(
        content=data.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": content_disposition(filename)},
    )
