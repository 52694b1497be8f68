"""CPD records: write one, from a post or by hand; read, change, delete; export a portfolio."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from safeside.access.models import User
from safeside.check import Check
from safeside.learning.cpd.models import CpdRecord
from safeside.learning.cpd.portfolio import FORMATS, export_portfolio, select_records
from safeside.learning.cpd.service import (
    CpdError,
    CpdFields,
    by_registration_year,
    check_before_saving,
    create_record,
    delete_record,
    fields_of,
    has_prompt,
    records_for,
    update_record,
    year_progress,
)
from safeside.learning.standards import (
    ACTIVITY_TYPES,
    PCF_DOMAINS,
    SWE_STANDARDS,
    registration_year,
)
from safeside.web.deps import CheckDep, CsrfDep, FormDep, SessionDep, owned, signed_in
from safeside.web.forms import Form
from safeside.web.render import content_disposition, render

router = APIRouter()

Writer = Annotated[User, Depends(signed_in("record_cpd"))]
Viewed = Annotated[CpdRecord, Depends(owned(CpdRecord, "view_own_record", "record_id"))]
Edited = Annotated[CpdRecord, Depends(owned(CpdRecord, "edit_own_record", "record_id"))]

#: Sub-standards offered as tags, beside the six headline standards.
STANDARD_CHOICES = {
    **{code: f"{code}. {title}" for code, title in SWE_STANDARDS.items()},
    "2.7": "2.7 Consider where conflicts of interest may arise, declare them",
    "3.2": "3.2 Use information from a range of appropriate sources",
    "4.3": "4.3 Keep my practice up to date and record how I use research and learning",
    "4.6": "4.6 Reflect on my learning activities and evidence what impact it has",
    "4.7": "4.7 Record my learning and reflection on a regular basis",
    "5.6": "5.6 Not use technology or social media unlawfully or unethically",
}


def _read_fields(form: Form, *, source_kind: str = "manual") -> CpdFields | None:
    """The record in ``form``, or None with ``form.errors`` filled in."""
    activity = form.choice("activity_type", ACTIVITY_TYPES, "Select the type of activity")
    title = form.require("title", "Enter a title for this CPD", max_length=200)
    day = form.day("activity_date", "Enter the date of the activity, for example 2026-11-27")
    if day is not None and day > date.today():
        form.errors["activity_date"] = "The date of the activity must be today or in the past"
    description = form.require("description", "Enter what you did", max_length=10_000)
    learning, impact = form.text("learning")[:10_000], form.text("impact")[:10_000]
    peer_with = form.text("peer_reflection_with")[:300]
    peer = form.text("peer_reflection")[:10_000]
    if peer and not peer_with:
        form.errors["peer_reflection_with"] = "Enter who you reflected with"
    standards = [s for s in form.values("standards") if s in STANDARD_CHOICES]
    domains = [d for d in form.values("pcf_domains") if d in PCF_DOMAINS]
    if not form.ok or day is None:
        return None
    return CpdFields(
        activity_type=activity,
        title=title,
        activity_date=day,
        description=description,
        learning=learning,
        impact=impact,
        peer_reflection_with=peer_with,
        peer_reflection=peer,
        standards=standards,
        pcf_domains=domains,
        source_kind=source_kind,
        source_ref=form.text("source_ref")[:300],
        source_url=form.text("source_url")[:2000],
    )


def _form_context(form: Form, values: CpdFields | None = None) -> dict[str, Any]:
    return {
        "form": form,
        "values": values,
        "activity_types": ACTIVITY_TYPES,
        "standard_choices": STANDARD_CHOICES,
        "pcf_domains": PCF_DOMAINS,
        "today": date.today().isoformat(),
    }


@router.get("/learning/cpd")
def record_list(request: Request, session: SessionDep, actor: Writer) -> Response:
    """Every record, grouped by registration year: the counts beside the list are this
    year's, and this year's records are listed under them, so the two always agree."""
    records = records_for(session, actor)
    progress = year_progress(records)
    years = by_registration_year(records)
    this_year = next((y for y in years if y.start == progress.start), None)
    earlier = [y for y in years if y.start != progress.start]
    return render(
        request,
        "pages/cpd/list.html",
        {"records": records, "progress": progress, "this_year": this_year, "earlier": earlier},
        actor=actor,
    )


def _checked_first(form: Form, fields: CpdFields, check: Check) -> list[dict[str, Any]]:
    """What the safety check finds in ``fields`` before they are saved, unless the
    practitioner has seen the result and chose to save the record as it is."""
    if form.text("confirm_flagged") == "yes":
        return []
    return check_before_saving(fields, check)


@router.get("/learning/cpd/new")
def new_record(request: Request, actor: Writer) -> Response:
    return render(request, "pages/cpd/form.html", _form_context(Form()), actor=actor)


@router.post("/learning/cpd/new", dependencies=[CsrfDep])
def create(
    request: Request, form_data: FormDep, session: SessionDep, actor: Writer, check: CheckDep
) -> Response:
    form = Form(form_data)
    kind = "post" if form.text("source_kind") == "post" else "manual"
    fields = _read_fields(form, source_kind=kind)
    if fields is None:
        return render(
            request, "pages/cpd/form.html", _form_context(form), actor=actor, status_code=400
        )
    flags = _checked_first(form, fields, check)
    if flags:  # nothing is saved until the practitioner edits it or confirms
        context = _form_context(form) | {"flags": flags, "source_kind": kind}
        return render(request, "pages/cpd/form.html", context, actor=actor)
    record = create_record(session, actor, fields, check)
    session.commit()
    request.session["flash"] = _saved_message(record)
    return RedirectResponse(f"/learning/cpd/{record.id}", status_code=303)


@router.get("/learning/cpd/from-post")
def from_post(request: Request, actor: Writer) -> Response:
    """Step 1 of a record from a post: paste what you read."""
    return render(request, "pages/cpd/from_post.html", {"form": Form()}, actor=actor)


@router.post("/learning/cpd/from-post", dependencies=[CsrfDep])
def from_post_draft(request: Request, form_data: FormDep, actor: Writer) -> Response:
    """Step 2: the CPD form, filled in from the post, for the practitioner to finish."""
    form = Form(form_data)
    text = form.require("post_text", "Enter the post, or the part of it you learnt from")
    url = form.text("post_url")[:2000]
    author = form.text("post_author")[:200]
    if not form.ok:
        return render(
            request, "pages/cpd/from_post.html", {"form": form}, actor=actor, status_code=400
        )
    by = f" by {author}" if author else ""
    draft = CpdFields(
        activity_type="Reading a blog, article or research",
        title=(text.splitlines()[0][:80] if text else "A post I learnt from"),
        activity_date=date.today(),
        description=f"Read a post{by}" + (f" ({url})" if url else "") + f":\n“{text[:1500]}”",
        learning="[What did you learn from it? Write it in your own words.]",
        impact="[How will this change your practice?]",
        standards=["4.3"],
        pcf_domains=["Knowledge"],
        source_kind="post",
        source_url=url,
    )
    context = _form_context(Form(), draft) | {"source_kind": "post"}
    return render(request, "pages/cpd/form.html", context, actor=actor)


@router.get("/learning/cpd/export")
def export_form(request: Request, session: SessionDep, actor: Writer) -> Response:
    start, end = registration_year(date.today())
    return render(
        request,
        "pages/cpd/export.html",
        {"form": Form(), "start": start, "end": end, "formats": FORMATS},
        actor=actor,
    )


@router.post("/learning/cpd/export", dependencies=[CsrfDep])
def export(
    request: Request, form_data: FormDep, session: SessionDep, actor: Writer, check: CheckDep
) -> Response:
    form = Form(form_data)
    start = form.day("start", "Enter the first day, for example 2025-12-01")
    end = form.day("end", "Enter the last day, for example 2026-11-30")
    fmt = form.choice("format", tuple(FORMATS), "Select a file format")
    if start and end and end < start:
        form.errors["end"] = "The last day must be the same as or after the first day"
    selection = None
    if form.ok and start and end:
        records = records_for(session, actor, start, end)
        drafts = form.text("include_drafts") == "yes"
        selection = select_records(records, start, end, check, include_drafts=drafts)
        if not selection.included:
            why = "; ".join(f"“{r.title}” ({reason})" for r, reason in selection.left_out)
            form.errors["start"] = "There are no records to export in these dates" + (
                f". Left out: {why}" if why else ""
            )
    if selection is None or not form.ok:
        session.commit()  # keep any refreshed safety flags
        default_start, default_end = registration_year(date.today())
        return render(
            request,
            "pages/cpd/export.html",
            {"form": form, "start": default_start, "end": default_end, "formats": FORMATS},
            actor=actor,
            status_code=400,
        )
    portfolio = export_portfolio(session, actor, selection, fmt)
    session.commit()
    return Response(
        content=portfolio.data,
        media_type=portfolio.media_type,
        headers={"content-disposition": content_disposition(portfolio.filename)},
    )


@router.get("/learning/cpd/{record_id}")
def record_page(request: Request, record: Viewed, actor: Writer) -> Response:
    prompts = [
        name for name in ("description", "learning", "impact") if has_prompt(getattr(record, name))
    ]
    return render(
        request,
        "pages/cpd/record.html",
        {"record": record, "prompts": prompts, "standard_choices": STANDARD_CHOICES},
        actor=actor,
    )


@router.get("/learning/cpd/{record_id}/edit")
def edit_form(request: Request, record: Edited, actor: Writer) -> Response:
    context = _form_context(Form(), fields_of(record)) | {"record": record}
    return render(request, "pages/cpd/form.html", context, actor=actor)


@router.post("/learning/cpd/{record_id}/edit", dependencies=[CsrfDep])
def edit(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    record: Edited,
    actor: Writer,
    check: CheckDep,
) -> Response:
    form = Form(form_data)
    fields = _read_fields(form, source_kind=record.source_kind)
    if fields is None:
        context = _form_context(form) | {"record": record}
        return render(request, "pages/cpd/form.html", context, actor=actor, status_code=400)
    flags = _checked_first(form, fields, check)
    if flags:  # the record is not changed until the practitioner edits it or confirms
        context = _form_context(form) | {"record": record, "flags": flags}
        return render(request, "pages/cpd/form.html", context, actor=actor)
    try:
        update_record(session, actor, record, fields, check)
    except CpdError as error:
        form.errors["title"] = str(error)
        context = _form_context(form) | {"record": record}
        return render(request, "pages/cpd/form.html", context, actor=actor, status_code=400)
    session.commit()
    request.session["flash"] = _saved_message(record)
    return RedirectResponse(f"/learning/cpd/{record.id}", status_code=303)


@router.get("/learning/cpd/{record_id}/delete")
def delete_form(request: Request, record: Edited, actor: Writer) -> Response:
    return render(request, "pages/cpd/delete.html", {"record": record}, actor=actor)


@router.post("/learning/cpd/{record_id}/delete", dependencies=[CsrfDep])
def delete(request: Request, session: SessionDep, record: Edited, actor: Writer) -> Response:
    title = record.title
    delete_record(session, actor, record)
    session.commit()
    request.session["flash"] = f"Deleted “{title}”."
    return RedirectResponse("/learning/cpd", status_code=303)


def _saved_message(record: CpdRecord) -> str:
    if record.safety:
        return "Saved. Some of it may identify someone you support: see below before you export."
    if record.status == "draft":
        return "Saved as a draft. Answer every question in your own words to complete it."
    return "Saved. This record is complete."
