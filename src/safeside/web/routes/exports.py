"""Export an evidence bundle: a whole case or chosen items, as PDF + originals + manifest."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from safeside.access.models import User
from safeside.audit_log.checkpoint import anchor_for
from safeside.cases.models import Case
from safeside.cases.service import case_evidence
from safeside.evidence.bundle import build_bundle
from safeside.web.deps import CsrfDep, FormDep, SessionDep, case_for, signed_in
from safeside.web.forms import Form
from safeside.web.render import content_disposition, render

router = APIRouter()


@router.get("/cases/{case_id}/export")
def export_page(
    request: Request,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("export_case"))],
    actor: Annotated[User, Depends(signed_in("list_cases"))],
) -> Response:
    items = case_evidence(session, case)
    return render(
        request,
        "pages/exports/choose.html",
        {"case": case, "items": items, "form": Form()},
        actor=actor,
    )


@router.post("/cases/{case_id}/export", dependencies=[CsrfDep])
def export(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("export_case"))],
    actor: Annotated[User, Depends(signed_in("list_cases"))],
) -> Response:
    form = Form(form_data)
    chosen = {
        value
        for value in (form.data.getlist("items") if form.data else [])
        if isinstance(value, str)
    }
    items = [item for item in case_evidence(session, case) if str(item.id) in chosen]
    if not items:
        form.errors["items"] = "Select at least one item to include in the bundle"
        return render(
            request,
            "pages/exports/choose.html",
            {"case": case, "items": case_evidence(session, case), "form": form},
            actor=actor,
            status_code=400,
        )
    anchor = anchor_for(request.app.state.settings, request.app.state.database.engine)
    bundle = build_bundle(session, actor, case, items, anchor)
    session.commit()
    return Response(
        content=bundle.data,
        media_type="application/zip",
        headers={"content-disposition": content_disposition(bundle.filename)},
    )
