"""Audit: who viewed, created, changed or exported what, and when (own team only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.audit_log.models import AuditEvent
from safeside.web.deps import SessionDep, signed_in
from safeside.web.render import render

router = APIRouter()
PAGE_SIZE = 100
#: Pages past this are refused (400) rather than asking the database for a huge offset.
MAX_PAGE = 100_000


@router.get("/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    actor: Annotated[User, Depends(signed_in("view_audit"))],
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    append_event(session, "viewed_audit", actor=actor, detail={"page": page})
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.team_id == actor.team_id)
            .order_by(AuditEvent.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    )
    return render(
        request,
        "pages/audit/list.html",
        {"events": events[:PAGE_SIZE], "page": page, "more": len(events) > PAGE_SIZE},
        actor=actor,
    )
