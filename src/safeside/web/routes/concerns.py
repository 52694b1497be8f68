"""Record a concern: justification first, then capture, then the analysis of what was captured."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from safeside.access.errors import NotReady, ViewingRefused
from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.cases.models import Case, Justification
from safeside.cases.service import (
    HOW_SEEN,
    LEGAL_BASES,
    Capture,
    JustificationForm,
    analysed_once,
    capture_evidence,
    correct_evidence,
    decide_viewing,
    previous_viewings,
    record_justification,
)
from safeside.evidence.models import EvidenceItem
from safeside.evidence.ocr import read_screenshot
from safeside.settings import Settings
from safeside.web.deps import (
    CheckDep,
    CsrfDep,
    FormDep,
    SessionDep,
    case_for,
    case_record,
    get_settings,
    signed_in,
    too_large_message,
)
from safeside.web.forms import Form
from safeside.web.render import content_disposition, render

router = APIRouter()

PLATFORMS = ("Facebook", "Instagram", "X (Twitter)", "TikTok", "Snapchat", "WhatsApp", "Other")
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}

Actor = Annotated[User, Depends(signed_in("list_cases"))]


# The path's justification or evidence item, on the path's case, for an action (or 404).
JustificationToView = Annotated[
    Justification, Depends(case_record(Justification, "view_case", "justification_id"))
]
JustificationToDecide = Annotated[
    Justification, Depends(case_record(Justification, "authorise_viewing", "justification_id"))
]
JustificationToCapture = Annotated[
    Justification, Depends(case_record(Justification, "record_concern", "justification_id"))
]
ItemToView = Annotated[EvidenceItem, Depends(case_record(EvidenceItem, "view_case", "item_id"))]
ItemToCorrect = Annotated[
    EvidenceItem, Depends(case_record(EvidenceItem, "correct_evidence", "item_id"))
]


@router.get("/cases/{case_id}/concerns/new")
def justification_page(
    request: Request, case: Annotated[Case, Depends(case_for("record_concern"))], actor: Actor
) -> Response:
    return render(
        request,
        "pages/concerns/justify.html",
        {"case": case, "form": Form(), "how_seen": HOW_SEEN, "legal_bases": LEGAL_BASES},
        actor=actor,
    )


@router.post("/cases/{case_id}/concerns/new", dependencies=[CsrfDep])
def justify(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("record_concern"))],
    actor: Actor,
) -> Response:
    form = Form(form_data)
    purpose = form.require("purpose", "Enter why you need to view this content")
    necessity = form.require("necessity", "Enter why viewing is necessary and proportionate")
    legal_basis = form.choice("legal_basis", LEGAL_BASES, "Select the legal basis")
    subject = form.require("subject", "Enter who the content is about", max_length=200)
    how_seen = form.choice("how_seen", HOW_SEEN, "Select how you came to see the content")
    viewed_before = form.choice(
        "viewed_before",
        ("yes", "no"),
        "Select whether you have viewed this person's content before",
    )
    context = {"case": case, "form": form, "how_seen": HOW_SEEN, "legal_bases": LEGAL_BASES}
    if not form.ok:
        return render(request, "pages/concerns/justify.html", context, actor=actor, status_code=400)
    answers = JustificationForm(
        purpose, necessity, legal_basis, subject, how_seen, viewed_before == "yes"
    )
    try:
        justification = record_justification(session, actor, case, answers)
    except ViewingRefused as refusal:
        session.commit()
        form.errors["how_seen"] = str(refusal)
        return render(request, "pages/concerns/justify.html", context, actor=actor, status_code=400)
    session.commit()
    if justification.status == "ready":
        return RedirectResponse(
            f"/cases/{case.id}/justifications/{justification.id}/capture", status_code=303
        )
    return RedirectResponse(f"/cases/{case.id}/justifications/{justification.id}", status_code=303)


@router.get("/cases/{case_id}/justifications/{justification_id}")
def justification_status(
    request: Request,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("view_case"))],
    actor: Actor,
    justification: JustificationToView,
) -> Response:
    return render(
        request,
        "pages/concerns/status.html",
        {
            "case": case,
            "justification": justification,
            "viewings": previous_viewings(session, case.team_id, justification.subject),
            "form": Form(),
        },
        actor=actor,
    )


@router.post("/cases/{case_id}/justifications/{justification_id}/decision", dependencies=[CsrfDep])
def decide(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("authorise_viewing"))],
    actor: Actor,
    justification: JustificationToDecide,
) -> Response:
    form = Form(form_data)
    decision = form.choice(
        "decision", ("authorise", "decline"), "Select whether you authorise this viewing"
    )
    note = form.require("note", "Enter the reason for your decision")
    if not form.ok or justification.status != "awaiting":
        if justification.status != "awaiting":
            form.errors["decision"] = "A decision has already been recorded"
        return render(
            request,
            "pages/concerns/status.html",
            {
                "case": case,
                "justification": justification,
                "viewings": previous_viewings(session, case.team_id, justification.subject),
                "form": form,
            },
            actor=actor,
            status_code=400,
        )
    decide_viewing(session, actor, justification, decision == "authorise", note)
    session.commit()
    request.session["flash"] = (
        "Repeat viewing authorised." if decision == "authorise" else "Repeat viewing declined."
    )
    return RedirectResponse(f"/cases/{case.id}/justifications/{justification.id}", status_code=303)


@router.get("/cases/{case_id}/justifications/{justification_id}/capture")
def capture_page(
    request: Request,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("record_concern"))],
    actor: Actor,
    justification: JustificationToCapture,
) -> Response:
    if justification.status != "ready":
        return RedirectResponse(
            f"/cases/{case.id}/justifications/{justification.id}", status_code=303
        )
    return render(
        request,
        "pages/concerns/capture.html",
        {"case": case, "justification": justification, "form": Form(), "platforms": PLATFORMS},
        actor=actor,
    )


@router.post("/cases/{case_id}/justifications/{justification_id}/capture", dependencies=[CsrfDep])
def capture(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("record_concern"))],
    actor: Actor,
    justification: JustificationToCapture,
    check: CheckDep,
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    form = Form(form_data)
    kind = form.choice("kind", ("text", "screenshot", "file"), "Select what you are capturing")
    pasted = form.text("text")
    upload = form.file("upload")
    platform = form.text("platform")
    url = form.text("url")
    if url and not url.startswith(("https://", "http://")):
        form.errors["url"] = (
            "Enter the web address in the correct format, like https://www.example.com/post/123"
        )
    posted_at = form.optional_datetime(
        "posted_at", "Enter the date and time it was posted, like 2026-03-14 09:30"
    )
    content, media_type, filename, text, text_source = b"", "text/plain", "", pasted, "pasted"
    ocr_problem = ""
    if kind == "text":
        if not pasted:
            form.errors["text"] = "Enter the text of the post or message"
        content = pasted.encode("utf-8")
    elif kind in ("screenshot", "file"):
        if upload is None:
            form.errors["upload"] = "Select a file to upload"
        else:
            # Spooled to disk while parsing; never read more than the limit (+1 byte, to tell).
            too_big = upload.size is not None and upload.size > settings.max_upload_bytes
            content = b"" if too_big else upload.file.read(settings.max_upload_bytes + 1)
            filename = upload.filename or ""
            media_type = upload.content_type or "application/octet-stream"
            if too_big or len(content) > settings.max_upload_bytes:
                content = b""
                form.errors["upload"] = too_large_message(settings)
            elif not content:
                form.errors["upload"] = "The selected file is empty"
            elif kind == "screenshot" and media_type not in IMAGE_TYPES:
                form.errors["upload"] = "The screenshot must be a PNG, JPG, WebP or GIF"
            elif kind == "screenshot" and not pasted:
                result = read_screenshot(content)
                text, text_source, ocr_problem = (
                    result.text,
                    "ocr" if result.text else "none",
                    result.problem,
                )
            elif kind == "file" and not pasted:
                try:
                    text, text_source = content.decode("utf-8"), "file"
                except UnicodeDecodeError:
                    text, text_source = "", "none"
    context = {"case": case, "justification": justification, "form": form, "platforms": PLATFORMS}
    if not form.ok:
        return render(request, "pages/concerns/capture.html", context, actor=actor, status_code=400)
    details = Capture(
        kind=kind,
        content=content,
        text=text,
        text_source=text_source,
        filename=filename,
        media_type=media_type,
        platform=platform[:60],
        url=url[:2000],
        author_handle=form.text("author_handle")[:200],
        posted_at=posted_at,
    )
    # Analyse with no transaction open: the engine takes CPU time, and no transaction (nor
    # the audit chain's lock) may wait on it. Then re-read the justification and capture.
    session.commit()
    prepared = analysed_once(check, details.text)
    session.refresh(justification)
    try:
        item = capture_evidence(session, actor, case, justification, details, prepared)
    except NotReady:
        return RedirectResponse(
            f"/cases/{case.id}/justifications/{justification.id}", status_code=303
        )
    session.commit()
    request.session["flash"] = (
        "Evidence recorded. " + ocr_problem if ocr_problem else "Evidence recorded."
    )
    return RedirectResponse(f"/cases/{case.id}/evidence/{item.id}", status_code=303)


@router.get("/cases/{case_id}/evidence/{item_id}")
def evidence_page(
    request: Request,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("view_case"))],
    actor: Actor,
    item: ItemToView,
) -> Response:
    append_event(
        session, "viewed_evidence", actor=actor, case_id=case.id, detail={"evidence": item.id}
    )
    justification = session.get_one(Justification, item.justification_id)
    corrections = list(
        session.scalars(select(EvidenceItem).where(EvidenceItem.corrects_id == item.id))
    )
    return render(
        request,
        "pages/evidence/item.html",
        {
            "case": case,
            "item": item,
            "justification": justification,
            "corrections": corrections,
            "form": Form(),
        },
        actor=actor,
    )


@router.get("/cases/{case_id}/evidence/{item_id}/original")
def original_file(
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("view_case"))],
    actor: Actor,
    item: ItemToView,
) -> Response:
    name = item.filename or f"evidence-{item.id}.txt"
    response = Response(
        content=item.content,
        media_type="application/octet-stream",
        headers={"content-disposition": content_disposition(name)},
    )
    # Logged only once the response exists; committed (by SessionDep) before it is sent.
    append_event(
        session, "downloaded_original", actor=actor, case_id=case.id, detail={"evidence": item.id}
    )
    return response


@router.post("/cases/{case_id}/evidence/{item_id}/correction", dependencies=[CsrfDep])
def correct(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("correct_evidence"))],
    actor: Actor,
    item: ItemToCorrect,
    check: CheckDep,
) -> Response:
    form = Form(form_data)
    text = form.require("text", "Enter the corrected text", max_length=20_000)
    reason = form.require("reason", "Enter why the correction is needed")
    if not form.ok:
        justification = session.get_one(Justification, item.justification_id)
        return render(
            request,
            "pages/evidence/item.html",
            {
                "case": case,
                "item": item,
                "justification": justification,
                "corrections": [],
                "form": form,
            },
            actor=actor,
            status_code=400,
        )
    new_item = correct_evidence(session, actor, case, item, text, reason, check)
    session.commit()
    request.session["flash"] = "Correction recorded as a new item. The original is unchanged."
    return RedirectResponse(f"/cases/{case.id}/evidence/{new_item.id}", status_code=303)
