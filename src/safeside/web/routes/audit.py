"""Audit: who viewed, created, changed or exported what, and when (own team only).

The list can be filtered by person, case, event and a date range (query parameters, so a
filtered list can be bookmarked), and the filtered events downloaded as CSV. Dates are
days in the UK (Europe/London), and times are shown in UK time.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.log import ACTION_TITLES, append_event
from safeside.audit_log.models import AuditEvent
from safeside.cases.models import Case
from safeside.spreadsheet import safe_row
from safeside.uktime import UK
from safeside.web.deps import MAX_ID, SessionDep, clock, signed_in
from safeside.web.forms import Form
from safeside.web.render import content_disposition, render

router = APIRouter()
PAGE_SIZE = 100
#: Pages past this are refused (400) rather than asking the database for a huge offset.
MAX_PAGE = 100_000
#: The most events one CSV download holds; more asks the reader to narrow the filters.
MAX_EXPORT = 50_000
CSV_HEADER = (
    "Event",
    "When (UK time)",
    "Who",
    "What",
    "Event name",
    "Case",
    "Record",
    "Detail",
    "Event hash",
)

#: A filter value in the address: short text (a longer one is a 400 page).
Filter = Annotated[str, Query(max_length=100)]
Viewer = Annotated[User, Depends(signed_in("view_audit"))]


@dataclass(slots=True)
class Filters:
    """The filters asked for, checked: each problem is a GOV.UK error on its field."""

    person: User | None = None
    case: Case | None = None
    event: str = ""
    start: date | None = None
    end: date | None = None
    form: Form = field(default_factory=Form)
    #: the values as typed, to show again in the form
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def query(self) -> dict[str, str]:
        """The filters as query parameters (empty ones left out)."""
        values = {
            "person": str(self.person.id) if self.person else "",
            "case": self.case.reference if self.case else "",
            "event": self.event,
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
        }
        return {k: v for k, v in values.items() if v}

    @property
    def detail(self) -> dict[str, Any]:
        """The filters for the audit event (ids and names of events, no free text)."""
        out: dict[str, Any] = dict(self.query)
        if self.person:
            out["person"] = self.person.id
        if self.case:
            out["case"] = self.case.id
        return out


def _day(form: Form, name: str, label: str, raw: str) -> date | None:
    if not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        form.errors[name] = f"{label} must be a real date, like 2026-03-14"
        return None


def _person(session: Session, actor: User, raw: str) -> User | None:
    """The user ``raw`` names, if they are in the actor's team or acted in its events
    (anyone else is "not in the list", so other teams' people are not revealed)."""
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_ID):
        return None
    user = session.get(User, int(raw))
    if user is None or user.team_id == actor.team_id:
        return user
    acted = session.scalar(
        select(AuditEvent.id)
        .where(AuditEvent.team_id == actor.team_id, AuditEvent.actor_id == user.id)
        .limit(1)
    )
    return user if acted is not None else None


def read_filters(
    session: Session,
    actor: User,
    person: str,
    case: str,
    event: str,
    start: str,
    end: str,
) -> Filters:
    """Check the filters: a person of the actor's team (or one named in its events), one
    of the team's cases, an event name, and real dates in order."""
    form = Form()
    found = Filters(form=form)
    if person.strip():
        found.person = _person(session, actor, person.strip())
        if found.person is None:
            form.errors["person"] = "Select a person from the list"
    if case.strip():
        found.case = session.scalars(
            select(Case).where(Case.reference == case.strip(), Case.team_id == actor.team_id)
        ).first()
        if found.case is None:
            form.errors["case"] = "Select a case from the list"
    if event.strip():
        if event.strip() in ACTION_TITLES:
            found.event = event.strip()
        else:
            form.errors["event"] = "Select an event from the list"
    found.start = _day(form, "from", "The date from", start)
    found.end = _day(form, "to", "The date to", end)
    if found.start and found.end and found.end < found.start:
        form.errors["to"] = "The date to must be the same as or after the date from"
    return found


def uk_day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the UK, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=UK)


def filtered(actor: User, filters: Filters) -> Select[AuditEvent]:
    """The actor's team's events that pass ``filters``, newest first."""
    query = select(AuditEvent).where(AuditEvent.team_id == actor.team_id)
    if filters.person is not None:
        query = query.where(AuditEvent.actor_id == filters.person.id)
    if filters.case is not None:
        query = query.where(AuditEvent.case_id == filters.case.id)
    if filters.event:
        query = query.where(AuditEvent.action == filters.event)
    if filters.start is not None:
        query = query.where(AuditEvent.at >= uk_day_start(filters.start))
    if filters.end is not None:
        query = query.where(AuditEvent.at < uk_day_start(filters.end + timedelta(days=1)))
    return query.order_by(AuditEvent.id.desc())


def case_references(session: Session, actor: User, events: list[AuditEvent]) -> dict[int, Case]:
    """The team's cases named by ``events``, by id (a case of another team is left out)."""
    ids = {e.case_id for e in events if e.case_id is not None}
    if not ids:
        return {}
    cases = session.scalars(select(Case).where(Case.id.in_(ids), Case.team_id == actor.team_id))
    return {c.id: c for c in cases}


def page_context(
    session: Session, actor: User, filters: Filters, events: list[AuditEvent]
) -> dict[str, Any]:
    people = list(
        session.scalars(select(User).where(User.team_id == actor.team_id).order_by(User.full_name))
    )
    if filters.person is not None and filters.person not in people:
        people.append(filters.person)
    return {
        "events": events,
        "cases": case_references(session, actor, events),
        "filters": filters,
        "form": filters.form,
        "people": people,
        "team_cases": list(
            session.scalars(
                select(Case).where(Case.team_id == actor.team_id).order_by(Case.reference)
            )
        ),
        "event_names": sorted(ACTION_TITLES.items(), key=lambda item: item[1]),
        "query": urlencode(filters.query),
        "raw": {},
    }


def asked_filters(
    session: SessionDep,
    actor: Viewer,
    person: Filter = "",
    case: Filter = "",
    event: Filter = "",
    start: Annotated[str, Query(alias="from", max_length=100)] = "",
    end: Annotated[str, Query(alias="to", max_length=100)] = "",
) -> Filters:
    """The filters in the query string, checked (a dependency of the page and the CSV)."""
    filters = read_filters(session, actor, person, case, event, start, end)
    filters.raw = {"person": person, "case": case, "event": event, "from": start, "to": end}
    return filters


Asked = Annotated[Filters, Depends(asked_filters)]


def _refused(request: Request, session: Session, actor: User, filters: Filters) -> Response:
    """The audit page again, with the filters' errors and no events (400)."""
    context = page_context(session, actor, filters, [])
    context.update(page=1, more=False, raw=filters.raw)
    return render(request, "pages/audit/list.html", context, actor=actor, status_code=400)


@router.get("/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    actor: Viewer,
    filters: Asked,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    if not filters.form.ok:
        return _refused(request, session, actor, filters)
    append_event(session, "viewed_audit", actor=actor, detail={"page": page, **filters.detail})
    events = list(
        session.scalars(
            filtered(actor, filters).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
        )
    )
    context = page_context(session, actor, filters, events[:PAGE_SIZE])
    context.update(page=page, more=len(events) > PAGE_SIZE, raw=filters.raw)
    return render(request, "pages/audit/list.html", context, actor=actor)


def csv_rows(events: list[AuditEvent], cases: dict[int, Case]) -> str:
    """The events as CSV, every cell through :func:`safeside.spreadsheet.safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(safe_row(CSV_HEADER))
    for event in events:
        case = cases.get(event.case_id) if event.case_id is not None else None
        detail = json.loads(event.detail_json or "{}")
        writer.writerow(
            safe_row(
                (
                    event.id,
                    event.at.astimezone(UK).strftime("%Y-%m-%d %H:%M:%S %Z"),
                    event.actor_name or "Unknown or system",
                    ACTION_TITLES.get(event.action, event.action),
                    event.action,
                    case.reference if case else (event.case_id or ""),
                    f"{event.record_type} {event.record_id}" if event.record_type else "",
                    json.dumps(detail, sort_keys=True, ensure_ascii=False) if detail else "",
                    event.event_hash,
                )
            )
        )
    return out.getvalue()


@router.get("/audit/download")
def audit_download(
    request: Request, session: SessionDep, actor: Viewer, filters: Asked
) -> Response:
    events: list[AuditEvent] = []
    if filters.form.ok:
        events = list(session.scalars(filtered(actor, filters).limit(MAX_EXPORT + 1)))
        if len(events) > MAX_EXPORT:
            filters.form.errors["from"] = (
                f"There are more than {MAX_EXPORT:,} events to download. Choose a shorter "
                "date range, a person, a case or an event, then download again"
            )
    if not filters.form.ok:
        return _refused(request, session, actor, filters)
    body = csv_rows(events, case_references(session, actor, events))
    today = clock(request).astimezone(UK).date().isoformat()
    response = Response(
        content=("\ufeff" + body).encode("utf-8"),  # the BOM tells Excel it is UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": content_disposition(f"safeside-audit-{today}.csv")},
    )
    append_event(
        session,
        "exported_audit",
        actor=actor,
        detail={"events": len(events), **filters.detail},
    )
    return response
