"""Creating, changing and listing CPD records, with the own-mode safety check on every save.

A CPD record is the practitioner's own writing and may end up in a portfolio sent to
Social Work England or an employer. Every save runs each free-text field through the
engine in own mode (as if it were being posted): anything that could identify a person
they support is stored on the record as a flag, shown on the record's page, and keeps
the record out of portfolio exports until it is rewritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.check import Check
from safeside.db.base import utcnow
from safeside.errors import InputError
from safeside.learning.cpd.models import SOURCE_KINDS, CpdRecord
from safeside.learning.sharing import reasons
from safeside.learning.standards import (
    ACTIVITY_TYPES,
    PCF_DOMAINS,
    REQUIRED_RECORDS,
    REQUIRED_WITH_PEER_REFLECTION,
    is_standard,
    registration_year,
)

#: Concerns that keep a CPD text out of a portfolio: those about identifying people
#: someone supports. (A reflection may well describe a threat or a hard visit; that is
#: what reflection is for, and it is not a reason to withhold it.)
PORTFOLIO_CONCERNS = frozenset({"confidentiality", "proceedings_disclosure"})

#: The free-text fields the safety check reads, with the question each answers.
CHECKED_FIELDS = {
    "title": "Title",
    "description": "What did you do?",
    "learning": "What did you learn?",
    "impact": "What difference will it make to your practice?",
    "peer_reflection": "What did you reflect on together?",
}

#: A prompt in square brackets, left by a draft for the practitioner to replace.
PROMPT = re.compile(r"\[[^\]\n]*\?[^\]\n]*\]")


class CpdError(InputError):
    """A CPD record cannot be saved or exported; the message says what to fix."""


@dataclass(slots=True)
class CpdFields:
    """What a practitioner writes in a CPD record (Social Work England's questions)."""

    activity_type: str
    title: str
    activity_date: date
    description: str = ""
    learning: str = ""
    impact: str = ""
    peer_reflection_with: str = ""
    peer_reflection: str = ""
    standards: list[str] = field(default_factory=list)
    pcf_domains: list[str] = field(default_factory=list)
    source_kind: str = "manual"
    source_ref: str = ""
    source_url: str = ""

    @classmethod
    def from_draft(cls, draft: dict[str, Any]) -> CpdFields:
        """From a draft dict (``Digest.cpd_draft()``, a scenario, a saved post)."""
        raw_day = draft.get("activity_date")
        day = date.fromisoformat(raw_day) if isinstance(raw_day, str) else raw_day
        return cls(
            activity_type=str(draft.get("activity_type") or "Other"),
            title=str(draft.get("title") or "Untitled CPD")[:200],
            activity_date=day or date.today(),
            description=str(draft.get("description") or ""),
            learning=str(draft.get("learning") or ""),
            impact=str(draft.get("impact") or ""),
            peer_reflection_with=str(draft.get("peer_reflection_with") or "")[:300],
            peer_reflection=str(draft.get("peer_reflection") or ""),
            standards=[str(s) for s in draft.get("standards") or []],
            pcf_domains=[str(d) for d in draft.get("pcf_domains") or []],
            source_kind=str(draft.get("source_kind") or "manual"),
            source_ref=str(draft.get("source_ref") or "")[:300],
            source_url=str(draft.get("source_url") or "")[:2000],
        )

    def problems(self) -> dict[str, str]:
        """Field → message, in GOV.UK wording, for anything that cannot be saved."""
        out: dict[str, str] = {}
        if self.activity_type not in ACTIVITY_TYPES:
            out["activity_type"] = "Select the type of activity"
        if not self.title.strip():
            out["title"] = "Enter a title for this CPD"
        unknown = [s for s in self.standards if not is_standard(s)]
        if unknown:
            out["standards"] = f"{', '.join(unknown)} is not a Social Work England standard"
        if any(d not in PCF_DOMAINS for d in self.pcf_domains):
            out["pcf_domains"] = "Select PCF domains from the list"
        if self.source_kind not in SOURCE_KINDS:
            out["source_kind"] = "Choose where this CPD came from"
        if self.peer_reflection.strip() and not self.peer_reflection_with.strip():
            out["peer_reflection_with"] = "Enter who you reflected with"
        return out


def is_complete(fields: CpdFields | CpdRecord) -> bool:
    """Every question answered in the practitioner's own words (no ``[prompts]`` left)."""
    answers = (fields.description, fields.learning, fields.impact)
    return all(a.strip() and not has_prompt(a) for a in answers)


def has_prompt(text: str) -> bool:
    """Whether ``text`` still holds a draft's bracketed prompt, e.g. ``[What did you learn?]``."""
    return PROMPT.search(text) is not None


def safety_flags(fields: CpdFields, check: Check) -> list[dict[str, Any]]:
    """Own-mode check of each free-text field: ``[{"field", "question", "text", "reasons"}]``
    (the reasons of :func:`safeside.learning.sharing.reasons`, for portfolio concerns)."""
    out = []
    for name, question in CHECKED_FIELDS.items():
        text = str(getattr(fields, name))
        if not text.strip():
            continue
        why = reasons(check(text, "own"), PORTFOLIO_CONCERNS)
        if why:
            out.append({"field": name, "question": question, "text": text, "reasons": why})
    return out


def _apply(record: CpdRecord, fields: CpdFields, check: Check) -> None:
    problems = fields.problems()
    if problems:
        raise CpdError("; ".join(problems.values()))
    record.activity_type = fields.activity_type
    record.title = fields.title.strip()[:200]
    record.activity_date = fields.activity_date
    record.description = fields.description.strip()
    record.learning = fields.learning.strip()
    record.impact = fields.impact.strip()
    record.peer_reflection_with = fields.peer_reflection_with.strip()[:300]
    record.peer_reflection = fields.peer_reflection.strip()
    record.standards_json = json.dumps(sorted(set(fields.standards), key=_standard_key))
    record.pcf_json = json.dumps([d for d in PCF_DOMAINS if d in fields.pcf_domains])
    record.source_kind = fields.source_kind
    record.source_ref = fields.source_ref
    record.source_url = fields.source_url
    record.safety_json = json.dumps(safety_flags(fields, check))
    record.status = "complete" if is_complete(fields) else "draft"
    record.updated_at = utcnow()


def _standard_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split(".") if part.isdigit())


def create_record(session: Session, owner: User, fields: CpdFields, check: Check) -> CpdRecord:
    """Save a new record for ``owner`` (checked, audited); raises :class:`CpdError`."""
    record = CpdRecord(owner_id=owner.id)
    _apply(record, fields, check)
    session.add(record)
    session.flush()
    append_event(
        session,
        "created_cpd_record",
        actor=owner,
        detail={"cpd_record": record.id, "source": fields.source_kind},
    )
    return record


def update_record(
    session: Session, owner: User, record: CpdRecord, fields: CpdFields, check: Check
) -> CpdRecord:
    """Change ``record`` (its owner only; the caller has authorised). Re-runs the check."""
    # Where a record came from does not change when it is edited.
    fields.source_kind, fields.source_ref = record.source_kind, record.source_ref
    fields.source_url = fields.source_url or record.source_url
    _apply(record, fields, check)
    append_event(session, "updated_cpd_record", actor=owner, detail={"cpd_record": record.id})
    return record


def delete_record(session: Session, owner: User, record: CpdRecord) -> None:
    append_event(session, "deleted_cpd_record", actor=owner, detail={"cpd_record": record.id})
    session.delete(record)


def fields_of(record: CpdRecord) -> CpdFields:
    """A record's fields, for an edit form."""
    return CpdFields(
        activity_type=record.activity_type,
        title=record.title,
        activity_date=record.activity_date,
        description=record.description,
        learning=record.learning,
        impact=record.impact,
        peer_reflection_with=record.peer_reflection_with,
        peer_reflection=record.peer_reflection,
        standards=record.standards,
        pcf_domains=record.pcf_domains,
        source_kind=record.source_kind,
        source_ref=record.source_ref,
        source_url=record.source_url,
    )


def records_for(
    session: Session, owner: User, start: date | None = None, end: date | None = None
) -> list[CpdRecord]:
    """``owner``'s records, newest activity first, optionally within ``start``..``end``."""
    query = select(CpdRecord).where(CpdRecord.owner_id == owner.id)
    if start is not None:
        query = query.where(CpdRecord.activity_date >= start)
    if end is not None:
        query = query.where(CpdRecord.activity_date <= end)
    query = query.order_by(CpdRecord.activity_date.desc(), CpdRecord.id.desc())
    return list(session.scalars(query))


@dataclass(frozen=True, slots=True)
class YearProgress:
    """Progress towards Social Work England's CPD requirement in one registration year."""

    start: date
    end: date
    complete: int
    with_peer_reflection: int
    drafts: int
    #: Records dated before this registration year (they count towards their own year).
    earlier: int = 0

    @property
    def met(self) -> bool:
        return (
            self.complete >= REQUIRED_RECORDS
            and self.with_peer_reflection >= REQUIRED_WITH_PEER_REFLECTION
        )

    @property
    def still_needed(self) -> list[str]:
        """What is left, in plain words (empty when met)."""
        out = []
        if self.complete < REQUIRED_RECORDS:
            gap = REQUIRED_RECORDS - self.complete
            out.append(f"{gap} more completed record{'s' if gap > 1 else ''}")
        if self.with_peer_reflection < REQUIRED_WITH_PEER_REFLECTION:
            out.append("a completed record with peer reflection")
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"met": self.met, "still_needed": self.still_needed}


def year_progress(records: Iterable[CpdRecord], today: date | None = None) -> YearProgress:
    """Progress in the registration year holding ``today`` (1 December to 30 November)."""
    start, end = registration_year(today or date.today())
    this_year = [r for r in records if start <= r.activity_date <= end]
    complete = [r for r in this_year if r.status == "complete"]
    return YearProgress(
        start=start,
        end=end,
        complete=len(complete),
        with_peer_reflection=sum(1 for r in complete if r.has_peer_reflection),
        drafts=len(this_year) - len(complete),
        earlier=sum(1 for r in records if r.activity_date < start),
    )


@dataclass(frozen=True, slots=True)
class YearOfRecords:
    """One registration year's records, as the CPD list shows them."""

    start: date
    end: date
    records: list[CpdRecord]

    @property
    def complete(self) -> int:
        return sum(1 for r in self.records if r.status == "complete")


def by_registration_year(records: Iterable[CpdRecord]) -> list[YearOfRecords]:
    """``records`` grouped by the registration year of their activity date, newest year
    first (each year's records in the order given)."""
    years: dict[date, YearOfRecords] = {}
    for record in records:
        start, end = registration_year(record.activity_date)
        years.setdefault(start, YearOfRecords(start, end, [])).records.append(record)
    return [years[start] for start in sorted(years, reverse=True)]


def check_before_saving(fields: CpdFields, check: Check) -> list[dict[str, Any]]:
    """What the safety check would flag in ``fields``, before anything is saved: the
    same flags :func:`create_record` stores (see :func:`safety_flags`)."""
    return safety_flags(fields, check)


def record_dict(record: CpdRecord) -> dict[str, Any]:
    """A record as JSON (the portfolio's ``records``)."""
    return {
        "id": record.id,
        "status": record.status,
        "activity_type": record.activity_type,
        "title": record.title,
        "activity_date": record.activity_date.isoformat(),
        "description": record.description,
        "learning": record.learning,
        "impact": record.impact,
        "peer_reflection_with": record.peer_reflection_with,
        "peer_reflection": record.peer_reflection,
        "standards": record.standards,
        "pcf_domains": record.pcf_domains,
        "source_kind": record.source_kind,
        "source_ref": record.source_ref,
        "source_url": record.source_url,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
    }
