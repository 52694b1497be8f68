"""Record a concern: justification first, then capture, then the analysis of what was captured."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.errors import NotReady, ViewingRefused
from safeside.access.models import User
from safeside.access.policy import can
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
    record_justification,
)
from safeside.cases.tasks import targets_from_answers
from safeside.cases.viewing import (
    MIN_EXPLANATION,
    OWN_REQUEST,
    PURPOSES,
    USE_WITHIN,
    AlreadyDecided,
    AnotherSubjectsContent,
    JustificationExpired,
    JustificationUsed,
    OwnRequest,
    Usability,
    deciders,
    explanation_problem,
    is_filler,
    matches,
    may_decide,
    reasons,
    subject_problem,
    team_viewings,
    usability,
)
from safeside.db.session import outside_transaction
from safeside.evidence.filetypes import check_upload, stored_media_type
from safeside.evidence.marks import mark_for_page
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
    clock,
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


def decidable(actor: Actor, justification: JustificationToDecide) -> Justification:
    """The request to decide, if ``actor`` may decide it (four eyes: never their own)."""
    if not may_decide(actor, justification):
        raise OwnRequest(OWN_REQUEST)
    return justification


Decidable = Annotated[Justification, Depends(decidable)]
JustificationToCapture = Annotated[
    Justification, Depends(case_record(Justification, "record_concern", "justification_id"))
]
ItemToView = Annotated[EvidenceItem, Depends(case_record(EvidenceItem, "view_case", "item_id"))]
ItemToCorrect = Annotated[
    EvidenceItem, Depends(case_record(EvidenceItem, "correct_evidence", "item_id"))
]


#: What the practitioner is told when an explanation is missing, too short or filler.
EXPLANATIONS = {
    "purpose": {
        "missing": "Enter why you need to view this content",
        "short": f"Enter at least {MIN_EXPLANATION} characters explaining why you need to view "
        "this content",
        "filler": "Explain in your own words why you need to view this content, not just x, "
        "n/a or repeated letters",
    },
    "necessity": {
        "missing": "Enter why viewing is necessary and proportionate",
        "short": f"Enter at least {MIN_EXPLANATION} characters explaining why viewing is "
        "necessary and proportionate",
        "filler": "Explain in your own words why viewing is necessary and proportionate, not "
        "just x, n/a or repeated letters",
    },
}
SUBJECT_MESSAGES = {
    "missing": "Enter who the content is about",
    "filler": "Enter the name, @handle or profile address of the person the content is about, "
    "not n/a or unknown",
}
SAME_PERSON = {
    "yes": "Yes, it is the same person: this is a repeat viewing",
    "no": "No, it is a different person",
    "not_sure": "I am not sure",
}


def explanation(form: Form, name: str) -> str:
    """The explanation in field ``name``, with a message saying how to fix it if needed."""
    value = form.require(name, EXPLANATIONS[name]["missing"])
    if name not in form.errors and (problem := explanation_problem(value)):
        form.errors[name] = EXPLANATIONS[name][problem]
    return value


def justification_context(case: Case, form: Form) -> dict[str, Any]:
    return {
        "case": case,
        "form": form,
        "how_seen": HOW_SEEN,
        "legal_bases": LEGAL_BASES,
        "purposes": PURPOSES,
        "use_within_hours": int(USE_WITHIN.total_seconds() // 3600),
        "min_explanation": MIN_EXPLANATION,
    }


@router.get("/cases/{case_id}/concerns/new")
def justification_page(
    request: Request, case: Annotated[Case, Depends(case_for("record_concern"))], actor: Actor
) -> Response:
    return render(
        request, "pages/concerns/justify.html", justification_context(case, Form()), actor=actor
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
    purpose_kind = form.choice(
        "purpose_kind", PURPOSES, "Select the purpose of viewing this content"
    )
    purpose = explanation(form, "purpose")
    necessity = explanation(form, "necessity")
    if "necessity" not in form.errors and necessity.casefold() == purpose.casefold():
        form.errors["necessity"] = (
            "Explain why viewing is necessary and proportionate, not the purpose again"
        )
    legal_basis = form.choice("legal_basis", LEGAL_BASES, "Select the legal basis")
    subject = form.require("subject", SUBJECT_MESSAGES["missing"], max_length=200)
    if "subject" not in form.errors and (problem := subject_problem(subject)):
        form.errors["subject"] = SUBJECT_MESSAGES[problem]
    how_seen = form.choice("how_seen", HOW_SEEN, "Select how you came to see the content")
    viewed_before = form.choice(
        "viewed_before",
        ("yes", "no"),
        "Select whether you have viewed this person's content before",
    )
    context = justification_context(case, form)
    if not form.ok:
        return render(request, "pages/concerns/justify.html", context, actor=actor, status_code=400)
    answers = JustificationForm(
        purpose,
        necessity,
        legal_basis,
        subject,
        how_seen,
        viewed_before == "yes",
        purpose_kind=purpose_kind,
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


def request_context(
    session: Session, request: Request, case: Case, justification: Justification, actor: User
) -> dict[str, Any]:
    """What the justification and decision pages show about a request and its subject."""
    now = clock(request)
    found = matches(
        justification.subject, team_viewings(session, case.team_id), before=justification.id
    )
    earlier = {
        j.id: j
        for j in session.scalars(
            select(Justification).where(
                Justification.id.in_([m.earlier.justification_id for m in found])
            )
        )
    }
    return {
        "case": case,
        "justification": justification,
        "state": usability(session, justification, now),
        "matches": found,
        "earlier": earlier,
        "similar": [m for m in found if not m.same],
        "reasons": reasons(justification.viewed_before, found)
        if justification.needs_authorisation
        else [],
        "viewings": sum(1 for m in found if m.same),
        "deciders": deciders(session, case.team_id, justification.created_by_id),
        "waiting": max(now - justification.created_at, timedelta(0)),
        "may_decide": can(actor, "authorise_viewing", case) and may_decide(actor, justification),
        "own_request": actor.id == justification.created_by_id,
        "same_person": SAME_PERSON,
    }


@router.get("/cases/{case_id}/justifications/{justification_id}")
def justification_status(
    request: Request,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("view_case"))],
    actor: Actor,
    justification: JustificationToView,
) -> Response:
    context = request_context(session, request, case, justification, actor)
    return render(request, "pages/concerns/status.html", context, actor=actor)


@router.get("/cases/{case_id}/justifications/{justification_id}/decision")
def decision_page(
    request: Request,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("authorise_viewing"))],
    actor: Actor,
    justification: Decidable,
) -> Response:
    if justification.status != "awaiting":
        return RedirectResponse(
            f"/cases/{case.id}/justifications/{justification.id}", status_code=303
        )
    context = request_context(session, request, case, justification, actor)
    context["form"] = Form()
    return render(request, "pages/concerns/decision.html", context, actor=actor)


@router.post("/cases/{case_id}/justifications/{justification_id}/decision", dependencies=[CsrfDep])
def decide(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("authorise_viewing"))],
    actor: Actor,
    justification: Decidable,
) -> Response:
    context = request_context(session, request, case, justification, actor)
    form = Form(form_data)
    same_person = ""
    if context["similar"]:
        same_person = form.choice(
            "same_person", SAME_PERSON, "Select whether this is the same person"
        )
    decision = form.choice(
        "decision", ("authorise", "decline"), "Select whether you authorise this viewing"
    )
    note = form.require("note", "Enter the reason for your decision")
    if "note" not in form.errors and is_filler(note):
        form.errors["note"] = (
            "Enter the reason for your decision in words, such as the RIPA authorisation "
            "reference or why the viewing is not needed"
        )
    if justification.status != "awaiting":
        form.errors["decision"] = "A decision has already been recorded"
    if form.ok:
        try:
            decide_viewing(
                session,
                actor,
                justification,
                decision == "authorise",
                note,
                same_person=same_person,
            )
        except AlreadyDecided as error:
            form.errors["decision"] = str(error)
    if not form.ok:
        context = request_context(session, request, case, justification, actor)
        context["form"] = form
        return render(
            request, "pages/concerns/decision.html", context, actor=actor, status_code=400
        )
    session.commit()
    request.session["flash"] = (
        "Repeat viewing authorised." if decision == "authorise" else "Repeat viewing declined."
    )
    return RedirectResponse(f"/cases/{case.id}/justifications/{justification.id}", status_code=303)


def refuse_capture(
    request: Request,
    session: Session,
    actor: User,
    case: Case,
    justification: Justification,
    state: Usability,
    status_code: int,
) -> Response:
    """The page that says a justification cannot be used again, and why (audited on POST)."""
    if request.method == "POST":
        append_event(
            session,
            "refused_capture",
            actor=actor,
            case_id=case.id,
            detail={"justification": justification.id, "reason": state.status},
        )
        session.commit()
    return render(
        request,
        "pages/concerns/closed.html",
        {"case": case, "justification": justification, "state": state},
        actor=actor,
        status_code=status_code,
    )


@router.get("/cases/{case_id}/justifications/{justification_id}/capture")
def capture_page(
    request: Request,
    session: SessionDep,
    case: Annotated[Case, Depends(case_for("record_concern"))],
    actor: Actor,
    justification: JustificationToCapture,
) -> Response:
    state = usability(session, justification, clock(request))
    if state.status in ("used", "expired"):
        return refuse_capture(request, session, actor, case, justification, state, 200)
    if state.status != "ready":
        return RedirectResponse(
            f"/cases/{case.id}/justifications/{justification.id}", status_code=303
        )
    return render(
        request,
        "pages/concerns/capture.html",
        {
            "case": case,
            "justification": justification,
            "state": state,
            "form": Form(),
            "platforms": PLATFORMS,
        },
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
    state = usability(session, justification, clock(request))
    if state.status in ("used", "expired"):
        return refuse_capture(request, session, actor, case, justification, state, 409)
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
    targets, targets_problem = targets_from_answers(
        form.values("targets"), form.text("targets_asked") == "yes", justification
    )
    if targets_problem:
        form.errors["targets"] = targets_problem
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
            # What the file is comes from its bytes, not its name or the browser's word.
            found, wrong_type = check_upload(content, kind)
            media_type = stored_media_type(found, upload.content_type or "")
            if too_big or len(content) > settings.max_upload_bytes:
                content = b""
                form.errors["upload"] = too_large_message(settings)
            elif not content:
                form.errors["upload"] = "The selected file is empty"
            elif wrong_type:
                form.errors["upload"] = wrong_type
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
    context = {
        "case": case,
        "justification": justification,
        "state": state,
        "form": form,
        "platforms": PLATFORMS,
    }
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
        item = capture_evidence(
            session,
            actor,
            case,
            justification,
            details,
            prepared,
            now=clock(request),
            targets=targets,
        )
    except AnotherSubjectsContent as refusal:
        append_event(
            session,
            "refused_capture",
            actor=actor,
            case_id=case.id,
            detail={"justification": justification.id, "reason": "another_subject"},
        )
        session.commit()
        field = "url" if refusal.via == details.url else "author_handle"
        form.errors[field] = str(refusal)
        return render(request, "pages/concerns/capture.html", context, actor=actor, status_code=400)
    except (JustificationUsed, JustificationExpired):
        state = usability(session, justification, clock(request))
        return refuse_capture(request, session, actor, case, justification, state, 409)
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
    # A screenshot is shown with its flags boxed: reading its words (once per image, then
    # cached) is slow CPU work, done before this request writes anything.
    screenshot = (
        outside_transaction(session, lambda: mark_for_page(item.content, item.text, item.analysis))
        if item.kind == "screenshot"
        else None
    )
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
            "screenshot": screenshot,
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
