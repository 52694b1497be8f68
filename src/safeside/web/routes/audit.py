"""Audit: who viewed, created, changed or exported what, and when (own team only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.audit_log.models import AuditEvent
from safeside.web.deps import SessionDep, signed_in
from safeside.web.render import render

router = APIRouter()
PAGE_SIZE = 100


@router.get("/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    actor: Annotated[User, Depends(signed_in("view_audit"))],
    page: int = 1,
) -> Response:
    page = max(1, page)
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
