"""Cases: the list of cases a user may see, opening a case, and the case page."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.audit_log.models import AuditEvent
from safeside.cases.models import Case
from safeside.cases.service import (
    case_evidence,
    case_justifications,
    case_tasks,
    create_case,
    reference_taken,
    visible_cases,
)
from safeside.cases.tasks import TARGET_CHOICES, act_now, assignees
from safeside.cases.viewing import usabilities
from safeside.web.deps import CsrfDep, FormDep, SessionDep, case_for, clock, signed_in
from safeside.web.forms import Form
from safeside.web.render import render

router = APIRouter()

REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/\-]{2,39}$")


@router.get("/cases")
def case_list(
    request: Request, session: SessionDep, actor: Annotated[User, Depends(signed_in("list_cases"))]
) -> Response:
    cases = visible_cases(session, actor)
    append_event(session, "viewed_cases", actor=actor, detail={"count": len(cases)})
    return render(request, "pages/cases/list.html", {"cases": cases}, actor=actor)


@router.get("/cases/new")
def new_case_page(
    request: Request, actor: Annotated[User, Depends(signed_in("create_case"))]
) -> Response:
    return render(request, "pages/cases/new.html", {"form": Form()}, actor=actor)


@router.post("/cases/new", dependencies=[CsrfDep])
def new_case(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    actor: Annotated[User, Depends(signed_in("create_case"))],
) -> Response:
    form = Form(form_data)
    reference = form.require("reference", "Enter the case reference", max_length=40)
    title = form.require("title", "Enter a short description of the case", max_length=200)
    if reference and "reference" not in form.errors:
        if not REFERENCE.match(reference):
            form.errors["reference"] = (
                "Case reference must use only letters, numbers, hyphens and slashes"
            )
        elif reference_taken(session, reference):
            form.errors["reference"] = "A case with this reference already exists"
    if not form.ok:
        return render(request, "pages/cases/new.html", {"form": form}, actor=actor, status_code=400)
    case = create_case(session, actor, reference, title)
    session.commit()
    request.session["flash"] = f"Case {case.reference} opened."
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.get("/cases/{case_id}")
def case_page(
    request: Request,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("view_case"))],
    actor: Annotated[User, Depends(signed_in("list_cases"))],
) -> Response:
    return show_case(request, session, case, actor)


def show_case(
    request: Request,
    session: Session,
    case: Case,
    actor: User,
    *,
    form: Form | None = None,
    status_code: int = 200,
) -> Response:
    """The case page (audited as a view); ``form`` holds an action form's errors, keyed
    by the ids of its fields, for the error summary."""
    append_event(session, "viewed_case", actor=actor, case_id=case.id)
    justifications = case_justifications(session, case)
    evidence = case_evidence(session, case)
    instructions, set_aside = act_now(session, evidence)
    timeline = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.case_id == case.id)
            .order_by(AuditEvent.id.desc())
            .limit(50)
        )
    )
    return render(
        request,
        "pages/cases/case.html",
        {
            "case": case,
            "evidence": evidence,
            "justifications": justifications,
            "viewing_states": usabilities(session, justifications, clock(request)),
            "tasks": case_tasks(session, case),
            "act_now": instructions,
            "set_aside": set_aside,
            "assignees": assignees(session, case),
            "target_titles": TARGET_CHOICES,
            "timeline": timeline,
            "form": form,
        },
        actor=actor,
        status_code=status_code,
    )
