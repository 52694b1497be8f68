"""A CPD portfolio for a date range: PDF to read or send, CSV and JSON to keep or import.

Only records that pass the own-mode safety check go in. The check runs again at export
time (the engine or the organisation's playbook may have changed since the record was
saved); a record it flags is left out and named, so the practitioner can rewrite it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.check import Check
from safeside.db.base import utcnow
from safeside.learning.cpd.models import SOURCE_KINDS, CpdRecord
from safeside.learning.cpd.service import CpdError, fields_of, record_dict, safety_flags
from safeside.learning.standards import (
    REQUIRED_RECORDS,
    REQUIRED_WITH_PEER_REFLECTION,
    standard_title,
)
from safeside.pdf import new_pdf
from safeside.spreadsheet import safe_cell

SCHEMA: Final = "safeside.cpd-portfolio/1"
FORMATS: Final = {
    "pdf": ("application/pdf", "PDF, to read or send"),
    "csv": ("text/csv; charset=utf-8", "CSV, for a spreadsheet"),
    "json": ("application/json", "JSON, to keep or import elsewhere"),
}
CSV_COLUMNS: Final = (
    "id",
    "status",
    "activity_date",
    "activity_type",
    "title",
    "description",
    "learning",
    "impact",
    "peer_reflection_with",
    "peer_reflection",
    "standards",
    "pcf_domains",
    "source_kind",
    "source_ref",
    "source_url",
)


@dataclass(slots=True)
class Selection:
    """Which records go into a portfolio, and which were left out and why."""

    start: date
    end: date
    included: list[CpdRecord] = field(default_factory=list)
    left_out: list[tuple[CpdRecord, str]] = field(default_factory=list)


def select_records(
    records: list[CpdRecord],
    start: date,
    end: date,
    check: Check,
    *,
    include_drafts: bool = False,
) -> Selection:
    """The records dated ``start``..``end``, oldest first, re-checked in own mode."""
    chosen = Selection(start, end)
    for record in sorted(records, key=lambda r: (r.activity_date, r.id)):
        if not start <= record.activity_date <= end:
            continue
        if record.status != "complete" and not include_drafts:
            chosen.left_out.append((record, "it is a draft"))
            continue
        flags = safety_flags(fields_of(record), check)
        record.safety_json = json.dumps(flags)
        if flags:
            chosen.left_out.append((record, "it may identify someone you support"))
            continue
        chosen.included.append(record)
    return chosen


@dataclass(frozen=True, slots=True)
class Portfolio:
    data: bytes
    filename: str
    media_type: str


def export_portfolio(session: Session, owner: User, selection: Selection, fmt: str) -> Portfolio:
    """Render ``selection`` as ``fmt`` (``pdf``, ``csv`` or ``json``) and audit the export."""
    if fmt not in FORMATS:
        raise CpdError(f"unknown portfolio format {fmt!r}; choose pdf, csv or json")
    exported_at = utcnow()
    if fmt == "pdf":
        data = render_pdf(owner, selection, exported_at)
    elif fmt == "csv":
        data = render_csv(selection)
    else:
        data = render_json(owner, selection, exported_at)
    append_event(
        session,
        "exported_cpd_portfolio",
        actor=owner,
        detail={
            "format": fmt,
            "from": selection.start.isoformat(),
            "to": selection.end.isoformat(),
            "records": [r.id for r in selection.included],
        },
    )
    name = f"cpd-portfolio-{selection.start:%Y%m%d}-{selection.end:%Y%m%d}.{fmt}"
    return Portfolio(data, name, FORMATS[fmt][0])


def render_json(owner: User, selection: Selection, exported_at: datetime) -> bytes:
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "practitioner": owner.full_name,
        "period": {"start": selection.start.isoformat(), "end": selection.end.isoformat()},
        "exported_at": exported_at.isoformat(),
        "records": [record_dict(r) for r in selection.included],
        "left_out": [{"id": r.id, "title": r.title, "why": why} for r, why in selection.left_out],
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


def render_csv(selection: Selection) -> bytes:
    """One row per record; list fields joined with "; ". Cells that a spreadsheet would
    run as a formula (starting ``= + - @``) are prefixed with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in selection.included:
        row = record_dict(record)
        writer.writerow(
            safe_cell("; ".join(row[c]) if isinstance(row[c], list) else str(row[c]))
            for c in CSV_COLUMNS
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render_pdf(owner: User, selection: Selection, exported_at: datetime) -> bytes:
    """A cover sheet with the year's summary, then one page per record (a long record
    runs on, each further page headed with its title). Every answer wraps inside the
    margins (see :mod:`safeside.pdf`)."""
    records = selection.included
    pdf = new_pdf(f"CPD portfolio of {owner.full_name}")
    pdf.add_page()
    pdf.heading("CPD portfolio", 22)
    pdf.field("Practitioner", owner.full_name)
    pdf.field("Period", f"{selection.start:%-d %B %Y} to {selection.end:%-d %B %Y}")
    pdf.field("Exported", f"{exported_at:%-d %B %Y at %H:%M UTC} from Safeside")
    peer = sum(1 for r in records if r.has_peer_reflection)
    pdf.field(
        "Records",
        f"{len(records)} record{'s' if len(records) != 1 else ''}, {peer} with peer "
        f"reflection. Social Work England asks for at least {REQUIRED_RECORDS} each "
        f"registration year, at least {REQUIRED_WITH_PEER_REFLECTION} with peer reflection.",
    )
    pdf.para(
        "Every record was checked by Safeside in 'think before you post' mode before export: "
        "none contains details that could identify a person the practitioner supports."
    )
    if selection.left_out:
        pdf.field(
            "Not included",
            "; ".join(f"{r.title} ({why})" for r, why in selection.left_out),
        )
    pdf.heading("Contents", 14)
    for number, record in enumerate(records, start=1):
        pdf.para(f"{number}. {record.activity_date:%-d %b %Y}  {record.title}")
    for number, record in enumerate(records, start=1):
        pdf.running_head = ""
        pdf.add_page()
        pdf.running_head = f"{number}. {record.title} (continued)"
        pdf.heading(f"{number}. {record.title}", 16)
        pdf.field("Date", f"{record.activity_date:%-d %B %Y}")
        pdf.field("Type of activity", record.activity_type)
        pdf.field("What did you do?", record.description)
        pdf.field("What did you learn?", record.learning)
        pdf.field("What difference will it make to your practice?", record.impact)
        pdf.field("Peer reflection with", record.peer_reflection_with, "None recorded")
        if record.peer_reflection:
            pdf.field("What did you reflect on together?", record.peer_reflection)
        pdf.field(
            "Social Work England standards",
            "; ".join(standard_title(code) for code in record.standards),
            "None tagged",
        )
        pdf.field("PCF domains", "; ".join(record.pcf_domains), "None tagged")
        source = SOURCE_KINDS.get(record.source_kind, record.source_kind)
        details = ", ".join(part for part in (record.source_ref, record.source_url) if part)
        pdf.field("Source", f"{source}" + (f": {details}" if details else ""))
    return bytes(pdf.output())
