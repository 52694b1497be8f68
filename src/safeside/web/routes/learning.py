"""The Learning hub: this registration year's CPD, and the way into digests, scenarios,
guidance and the self-assessment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from safeside.access.models import User
from safeside.learning.cpd.service import records_for, year_progress
from safeside.web.deps import SessionDep, signed_in
from safeside.web.render import render

router = APIRouter()


@router.get("/learning")
def hub(
    request: Request,
    session: SessionDep,
    actor: Annotated[User, Depends(signed_in("view_learning"))],
) -> Response:
    records = records_for(session, actor)
    return render(
        request,
        "pages/learning/hub.html",
        {"progress": year_progress(records), "recent": records[:3]},
        actor=actor,
    )
