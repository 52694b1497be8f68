"""Actions: playbook actions tracked as tasks, and the manager's dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from safeside.access.models import User
from safeside.access.policy import can
from safeside.audit_log.log import append_event
from safeside.cases.models import TASK_STATUS_TITLES, Case, Task
from safeside.cases.tasks import (
    assignees,
    open_serious_tasks,
    reassign_task,
    tasks_for,
    update_task,
)
from safeside.web.deps import CsrfDep, FormDep, SessionDep, case_record, signed_in
from safeside.web.forms import Form
from safeside.web.render import render
from safeside.web.routes.cases import show_case

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
    """Change an action's status, outcome and owner. Problems are shown on the case page
    in the error summary, each linked to the field of this action's form."""
    case = session.get_one(Case, task.case_id)
    form = Form(form_data)
    errors: dict[str, str] = {}
    status = form.text("status")
    if status not in TASK_STATUS_TITLES:
        errors[f"status-{task.id}"] = "Select the status of this action"
    note = form.text("outcome_note")[:5000]
    if status in ("done", "not_needed") and not note:
        errors[f"outcome-{task.id}"] = "Enter what happened before you mark this action " + (
            "done" if status == "done" else "not needed"
        )
    new_owner = None
    owner_id = form.text("owner_id")
    if owner_id and owner_id != str(task.owner_id):
        choices = {str(u.id): u for u in assignees(session, case)}
        new_owner = choices.get(owner_id)
        if new_owner is None:
            errors[f"owner-{task.id}"] = "Select someone on the case's team to own this action"
    if errors:
        form.errors.update(errors)
        page = show_case(request, session, case, actor, form=form, status_code=400)
        session.commit()  # the view of the case is audited
        return page
    changes = []
    if (status, note) != (task.status, task.outcome_note):
        update_task(session, actor, task, status, note)
        changes.append("updated")
    if new_owner is not None:
        reassign_task(session, actor, case, task, new_owner)
        changes.append(f"given to {new_owner.full_name}")
    session.commit()
    request.session["flash"] = (
        "Action " + " and ".join(changes) + "." if changes else "Nothing was changed."
    )
    return RedirectResponse(f"/cases/{task.case_id}#task-{task.id}", status_code=303)
