"""Actions: playbook actions tracked as tasks, and the manager's dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from safeside.access.models import User
from safeside.access.policy import can
from safeside.audit_log.log import append_event
from safeside.cases.models import TASK_STATUS_TITLES, Case, Task
from safeside.cases.service import open_serious_tasks, tasks_for, update_task
from safeside.web.deps import CsrfDep, FormDep, SessionDep, case_record, signed_in
from safeside.web.forms import Form
from safeside.web.render import render

router = APIRouter()

#: The path's task, its case's ``update_task`` authorised (or 404).
TaskToUpdate = Annotated[Task, Depends(case_record(Task, "update_task", "task_id"))]


@router.get("/actions")
def task_list(
    request: Request, session: SessionDep, actor: Annotated[User, Depends(signed_in("view_tasks"))]
) -> Response:
    dashboard = (
        open_serious_tasks(session, actor.team_id) if can(actor, "view_team_dashboard") else None
    )
    mine = [
        t
        for t in tasks_for(session, actor)
        if can(actor, "update_task", session.get(Case, t.case_id))
    ]
    append_event(session, "viewed_tasks", actor=actor)
    cases = {c.id: c for c in session.query(Case).filter(Case.team_id == actor.team_id)}
    return render(
        request,
        "pages/tasks/list.html",
        {"mine": mine, "dashboard": dashboard, "cases": cases, "statuses": TASK_STATUS_TITLES},
        actor=actor,
    )


@router.post("/actions/{task_id}", dependencies=[CsrfDep])
def change_task(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    actor: Annotated[User, Depends(signed_in("view_tasks"))],
    task: TaskToUpdate,
) -> Response:
    form = Form(form_data)
    status = form.choice("status", TASK_STATUS_TITLES, "Select the status of this action")
    note = form.text("outcome_note")[:5000]
    if status in ("done", "not_needed") and not note:
        form.errors["outcome_note"] = "Enter what happened, before you close this action"
    if not form.ok:
        request.session["flash"] = " ".join(form.errors.values())
        return RedirectResponse(f"/cases/{task.case_id}#actions", status_code=303)
    update_task(session, actor, task, status, note)
    session.commit()
    request.session["flash"] = "Action updated."
    return RedirectResponse(f"/cases/{task.case_id}#actions", status_code=303)
