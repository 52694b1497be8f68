"""Authorisation requests: the repeat viewings waiting for a manager of the team."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.cases.viewing import waiting_requests
from safeside.web.deps import SessionDep, clock, signed_in
from safeside.web.render import render

router = APIRouter()

#: A request waiting longer than this is marked as overdue in the list.
OVERDUE_HOURS = 24


@router.get("/authorisations")
def authorisation_requests(
    request: Request,
    session: SessionDep,
    actor: Annotated[User, Depends(signed_in("view_authorisations"))],
) -> Response:
    requests = waiting_requests(session, actor.team_id, actor, clock(request))
    append_event(
        session,
        "viewed_authorisations",
        actor=actor,
        detail={"waiting": len(requests)},
    )
    return render(
        request,
        "pages/authorisations/list.html",
        {
            "requests": requests,
            "to_decide": sum(1 for r in requests if not r.own),
            "overdue_hours": OVERDUE_HOURS,
        },
        actor=actor,
    )
