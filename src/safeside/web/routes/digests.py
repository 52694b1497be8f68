"""Chat and thread digests: upload an export, read the digest, make a CPD draft from it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from safeside.access.models import User
from safeside.errors import SafesideError
from safeside.learning.cpd.models import LearningDigest
from safeside.learning.cpd.service import CpdFields, create_record
from safeside.learning.digest.store import digest_upload, digests_for, save_digest
from safeside.web.deps import CheckDep, CsrfDep, FormDep, SessionDep, owned, signed_in
from safeside.web.forms import Form
from safeside.web.render import render

router = APIRouter()

Builder = Annotated[User, Depends(signed_in("build_digest"))]
Mine = Annotated[LearningDigest, Depends(owned(LearningDigest, "view_own_record", "digest_id"))]

#: Chat archives are larger than screenshots; a 2,000-post X archive is a few MB.
MAX_DIGEST_UPLOAD = 50 * 1024 * 1024


@router.get("/learning/digests")
def digest_list(request: Request, session: SessionDep, actor: Builder) -> Response:
    return render(
        request,
        "pages/digests/list.html",
        {"digests": digests_for(session, actor), "form": Form()},
        actor=actor,
    )


@router.post("/learning/digests", dependencies=[CsrfDep])
def build(
    request: Request, form_data: FormDep, session: SessionDep, actor: Builder, check: CheckDep
) -> Response:
    form = Form(form_data)
    upload = form.file("upload")
    hashtag = form.text("hashtag")[:100] or None
    content = b""
    if upload is None:
        form.errors["upload"] = "Select an export file to digest"
    else:
        content = upload.file.read(MAX_DIGEST_UPLOAD + 1)
        if len(content) > MAX_DIGEST_UPLOAD:
            form.errors["upload"] = "The file must be smaller than 50MB"
        elif not content:
            form.errors["upload"] = "The selected file is empty"
    saved = None
    if form.ok and upload is not None:
        name = upload.filename or "upload"
        try:
            digest, _ = digest_upload(content, name, hashtag)
            saved = save_digest(session, actor, digest, name, check)
        except SafesideError as error:
            form.errors["upload"] = str(error)
    if saved is None:
        return render(
            request,
            "pages/digests/list.html",
            {"digests": digests_for(session, actor), "form": form},
            actor=actor,
            status_code=400,
        )
    session.commit()
    return RedirectResponse(f"/learning/digests/{saved.id}", status_code=303)


@router.get("/learning/digests/{digest_id}")
def digest_page(request: Request, saved: Mine, actor: Builder) -> Response:
    return render(request, "pages/digests/digest.html", {"saved": saved}, actor=actor)


@router.post("/learning/digests/{digest_id}/cpd", dependencies=[CsrfDep])
def make_cpd(
    request: Request, session: SessionDep, saved: Mine, actor: Builder, check: CheckDep
) -> Response:
    """One step from a digest to a draft CPD record (refused while the digest is flagged)."""
    if not saved.safe_to_share:
        request.session["flash"] = (
            "This digest may identify someone you support, so it cannot become a CPD record. "
            "Write the record by hand instead."
        )
        return RedirectResponse(f"/learning/digests/{saved.id}", status_code=303)
    fields = CpdFields.from_draft(saved.cpd_draft)
    record = create_record(session, actor, fields, check)
    session.commit()
    request.session["flash"] = "Draft CPD record made from the digest. Finish it in your own words."
    return RedirectResponse(f"/learning/cpd/{record.id}/edit", status_code=303)
