"""The rules around viewing someone's content (RIPA 2000, Article 8).

- **What a justification must say**: a purpose from :data:`PURPOSES` and, in the
  practitioner's own words, why (at least :data:`MIN_EXPLANATION` characters, not filler
  such as "x", "n/a" or repeated letters).
- **One use**: a justification covers one capture, made within :data:`USE_WITHIN` of it
  becoming usable (when recorded, or when a manager authorised it). Corrections of
  what was captured are not new viewings.
- **Repeat viewing**: a subject whose key matches one the team recorded before (see
  :mod:`safeside.cases.subjects`; the handles and addresses of what was captured count
  too) is a repeat viewing; a near match is sent to a manager with "Same person?".
- **Four eyes**: nobody decides on their own request.
- **The queue**: what waits for a manager of a team, oldest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from safeside.access.errors import AccessDenied, NotReady
from safeside.access.models import User
from safeside.cases.models import Case, Justification, ViewingDecision
from safeside.cases.subjects import Identity, identity, similar
from safeside.evidence.models import EvidenceItem

#: Why content is being viewed (the practitioner explains in their own words as well).
PURPOSES = {
    "child_protection": "To assess a risk of harm to a child",
    "adult_safeguarding": "To assess a risk to an adult with care and support needs",
    "staff_safety": "To assess a threat to, or abuse of, staff",
    "court_evidence": "To provide evidence for court proceedings",
    "check_information": "To check information given to the service",
    "other": "Another purpose",
}
#: How long a justification can be used for, once it is ready.
USE_WITHIN = timedelta(hours=24)
#: The fewest characters an explanation (purpose, necessity) may have.
MIN_EXPLANATION = 20

#: Answers that say nothing (compared letters and digits only, lower case).
FILLER = frozenset(
    {
        "x",
        "xx",
        "na",
        "na na",
        "none",
        "nil",
        "no",
        "yes",
        "ok",
        "okay",
        "test",
        "testing",
        "tbc",
        "tba",
        "tbd",
        "todo",
        "asdf",
        "qwerty",
        "blah",
        "nothing",
        "unknown",
        "notknown",
        "notapplicable",
        "seeabove",
        "asabove",
        "same",
        "sameasabove",
        "dunno",
        "idk",
        "anon",
        "someone",
        "person",
        "loremipsum",
    }
)

STATUS_TITLES = {
    "awaiting": "Waiting for authorisation",
    "refused": "Declined",
    "ready": "Ready to capture",
    "used": "Used",
    "expired": "Expired",
}
STATUS_TAGS = {
    "awaiting": "govuk-tag--yellow",
    "refused": "govuk-tag--red",
    "ready": "govuk-tag--green",
    "used": "govuk-tag--grey",
    "expired": "govuk-tag--grey",
}
REASON_TITLES = {
    "declared": "The practitioner said this person's content was viewed before",
    "same_subject": "Your team has viewed this person's content before",
    "similar_subject": "Same person? Your team has viewed someone with a similar name or handle",
}
OWN_REQUEST = (
    "You asked for this viewing, so you cannot authorise it. "
    "Another manager in your team must decide."
)


class JustificationUsed(NotReady):
    """The justification has already been used for a capture."""


class JustificationExpired(NotReady):
    """The justification was not used in time."""


class AnotherSubjectsContent(NotReady):
    """What is being captured comes from someone the team viewed before under another name.

    ``via`` is the author handle or address given that matched.
    """

    def __init__(self, message: str, via: str) -> None:
        super().__init__(message)
        self.via = via


class AlreadyDecided(NotReady):
    """A manager has already decided on this request."""


class OwnRequest(AccessDenied):
    """Four eyes: the person who asked cannot decide."""


# -- What a justification must say -------------------------------------------------------


def _compact(text: str) -> str:
    return re.sub(r"[^\w]|_", "", text.casefold())


def _repeats_a_short_unit(compact: str) -> bool:
    """``asdfasdf``, ``ababab``, ``xxxx``: one to four characters over and over."""
    return any(
        len(compact) >= 2 * size and compact == (compact[:size] * len(compact))[: len(compact)]
        for size in range(1, 5)
    )


def is_filler(text: str) -> bool:
    """Whether ``text`` says nothing: "x", "n/a", "tbc", "xxxxxxx", "asdf asdf", "test test"."""
    compact = _compact(text)
    if not compact or compact in FILLER or "loremipsum" in compact:
        return True
    if len(set(compact)) <= 2 or _repeats_a_short_unit(compact):
        return True
    found = re.findall(r"\w+", text.casefold())
    return len(found) > 1 and len(set(found)) == 1


def explanation_problem(text: str) -> str:
    """``""`` if ``text`` explains enough, else ``missing``, ``short`` or ``filler``."""
    if not text.strip():
        return "missing"
    if is_filler(text):
        return "filler"
    if len(text.strip()) < MIN_EXPLANATION:
        return "short"
    if len(set(re.findall(r"\w+", text.casefold()))) < 3:
        return "filler"  # one or two words, however long
    return ""


def subject_problem(text: str) -> str:
    """``""`` if ``text`` names someone, else ``missing`` or ``filler``."""
    if not text.strip():
        return "missing"
    compact = _compact(text)
    if len(compact) < 2 or compact in FILLER or _repeats_a_short_unit(compact):
        return "filler"
    return "" if identity(text).keys else "filler"


# -- Whether a justification can be used -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Usability:
    """Where a justification stands: ``awaiting`` a manager, ``refused``, ``ready`` to
    capture (until ``expires_at``), ``used`` (by ``used_item_id``) or ``expired``."""

    status: str
    ready_at: datetime | None = None
    expires_at: datetime | None = None
    used_at: datetime | None = None
    used_item_id: int | None = None

    @property
    def title(self) -> str:
        return STATUS_TITLES[self.status]

    @property
    def tag(self) -> str:
        return STATUS_TAGS[self.status]


def ready_at(justification: Justification) -> datetime | None:
    """When the justification became usable: when recorded, or when a manager authorised it."""
    if not justification.needs_authorisation:
        return justification.created_at
    if justification.decisions and justification.decisions[-1].authorised:
        return justification.decisions[-1].decided_at
    return None


def first_captures(session: Session, ids: list[int]) -> dict[int, EvidenceItem]:
    """The first capture (not a correction) made under each justification in ``ids``."""
    if not ids:
        return {}
    found: dict[int, EvidenceItem] = {}
    items = session.scalars(
        select(EvidenceItem)
        .where(EvidenceItem.justification_id.in_(ids))
        .where(EvidenceItem.corrects_id.is_(None))
        .order_by(EvidenceItem.id)
    )
    for item in items:
        found.setdefault(item.justification_id, item)
    return found


def _usability(justification: Justification, used: EvidenceItem | None, now: datetime) -> Usability:
    if justification.status != "ready":
        return Usability(justification.status)
    start = ready_at(justification)
    expires = start + USE_WITHIN if start else None
    if used is not None:
        return Usability("used", start, expires, used.captured_at, used.id)
    if expires is not None and now >= expires:
        return Usability("expired", start, expires)
    return Usability("ready", start, expires)


def usability(session: Session, justification: Justification, now: datetime) -> Usability:
    """Where ``justification`` stands at ``now``."""
    used = first_captures(session, [justification.id]).get(justification.id)
    return _usability(justification, used, now)


def usabilities(
    session: Session, justifications: list[Justification], now: datetime
) -> dict[int, Usability]:
    """:func:`usability` for many justifications, by id (one query)."""
    used = first_captures(session, [j.id for j in justifications])
    return {j.id: _usability(j, used.get(j.id), now) for j in justifications}


def check_usable(session: Session, justification: Justification, now: datetime) -> None:
    """Raise unless ``justification`` may be used for a capture now.

    Raises:
        NotReady: a manager has not authorised it (or declined it).
        JustificationUsed: it was used for a capture already.
        JustificationExpired: it was not used within :data:`USE_WITHIN`.
    """
    state = usability(session, justification, now)
    if state.status == "used":
        raise JustificationUsed(
            "This justification has already been used to capture evidence. A justification "
            "covers one capture: record a new justification to view or capture anything else."
        )
    if state.status == "expired":
        raise JustificationExpired(
            "This justification has expired: it had to be used within 24 hours. Record a "
            "new justification if you still need to view this content."
        )
    if state.status != "ready":
        raise NotReady("A manager must authorise this repeat viewing before anything is captured.")


# -- Who the team has viewed before -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Earlier:
    """A justification the team recorded, with every way its subject was written down:
    the subject itself and the author handles and addresses of what was captured."""

    justification_id: int
    case_id: int
    case_reference: str
    subject: str
    created_at: datetime
    names: tuple[str, ...]

    @property
    def identities(self) -> list[tuple[str, Identity]]:
        return [(name, identity(name)) for name in self.names]


@dataclass(frozen=True, slots=True)
class Match:
    """An earlier justification about the same subject (``same``) or maybe the same."""

    earlier: Earlier
    same: bool
    via: str


def team_viewings(session: Session, team_id: int) -> list[Earlier]:
    """Every justification the team has recorded (any outcome), oldest first."""
    rows = session.execute(
        select(
            Justification.id,
            Justification.case_id,
            Case.reference,
            Justification.subject,
            Justification.created_at,
        )
        .join(Case, Case.id == Justification.case_id)
        .where(Case.team_id == team_id)
        .order_by(Justification.id)
    ).all()
    seen: dict[int, list[str]] = {}
    captured = session.execute(
        select(EvidenceItem.justification_id, EvidenceItem.author_handle, EvidenceItem.url)
        .join(Case, Case.id == EvidenceItem.case_id)
        .where(Case.team_id == team_id)
    ).all()
    for justification_id, handle, url in captured:
        names = seen.setdefault(justification_id, [])
        names += [n for n in (handle.strip(), url.strip()) if n and n not in names]
    return [
        Earlier(
            justification_id=jid,
            case_id=case_id,
            case_reference=reference,
            subject=subject,
            created_at=created_at,
            names=(subject, *seen.get(jid, [])),
        )
        for jid, case_id, reference, subject, created_at in rows
    ]


def matches(subject: str, viewings: list[Earlier], *, before: int | None = None) -> list[Match]:
    """The earlier justifications about ``subject``: the same key, or a near match.

    Args:
        before: only justifications recorded before this one (by id).
    """
    wanted = identity(subject)
    found: list[Match] = []
    for earlier in viewings:
        if before is not None and earlier.justification_id >= before:
            continue
        same = next((n for n, i in earlier.identities if wanted.keys & i.keys), None)
        if same is not None:
            found.append(Match(earlier, True, same))
            continue
        near = next((n for n, i in earlier.identities if similar(wanted, i)), None)
        if near is not None:
            found.append(Match(earlier, False, near))
    return found


def reasons(viewed_before: bool, found: list[Match]) -> list[str]:
    """Why a manager must decide (keys of :data:`REASON_TITLES`); empty when none must."""
    out = ["declared"] if viewed_before else []
    if any(m.same for m in found):
        out.append("same_subject")
    elif found:
        out.append("similar_subject")
    return out


def someone_else_viewed_before(
    session: Session, justification: Justification, team_id: int, names: list[str]
) -> Match | None:
    """An earlier viewing of another subject whose key the captured content's author
    handle or address shares (content captured under a new name from someone viewed
    before), unless a manager authorised this justification as a repeat viewing."""
    if justification.needs_authorisation:
        return None
    own = identity(justification.subject).keys
    given = [(n, identity(n)) for n in names if n.strip()]
    for earlier in team_viewings(session, team_id):
        if earlier.justification_id == justification.id:
            continue
        for name, found in given:
            if found.keys & own:
                continue
            if any(found.keys & i.keys for _, i in earlier.identities):
                return Match(earlier, True, name)
    return None


# -- Four eyes and the queue --------------------------------------------------------------


def may_decide(actor: User, justification: Justification) -> bool:
    """Four eyes: the person who recorded the justification never decides on it."""
    return actor.id != justification.created_by_id


@dataclass(frozen=True, slots=True)
class WaitingRequest:
    """A repeat viewing waiting for a manager's decision."""

    justification: Justification
    case: Case
    waiting: timedelta
    reasons: list[str]
    matches: list[Match]
    own: bool


def waiting_requests(
    session: Session, team_id: int, viewer: User, now: datetime
) -> list[WaitingRequest]:
    """The team's requests waiting for a decision, oldest first."""
    decided = exists().where(ViewingDecision.justification_id == Justification.id)
    query = (
        select(Justification, Case)
        .join(Case, Case.id == Justification.case_id)
        .where(Case.team_id == team_id)
        .where(Justification.needs_authorisation.is_(True))
        .where(~decided)
        .order_by(Justification.created_at, Justification.id)
    )
    rows = session.execute(query).all()
    viewings = team_viewings(session, team_id) if rows else []
    out = []
    for justification, case in rows:
        found = matches(justification.subject, viewings, before=justification.id)
        out.append(
            WaitingRequest(
                justification=justification,
                case=case,
                waiting=max(now - justification.created_at, timedelta(0)),
                reasons=reasons(justification.viewed_before, found),
                matches=found,
                own=not may_decide(viewer, justification),
            )
        )
    return out


def waiting_count(session: Session, team_id: int, *, decider: User | None = None) -> int:
    """How many of the team's requests wait for a decision (that ``decider`` may take)."""
    decided = exists().where(ViewingDecision.justification_id == Justification.id)
    query = (
        select(func.count(Justification.id))
        .join(Case, Case.id == Justification.case_id)
        .where(Case.team_id == team_id)
        .where(Justification.needs_authorisation.is_(True))
        .where(~decided)
    )
    if decider is not None:
        query = query.where(Justification.created_by_id != decider.id)
    return int(session.scalar(query) or 0)


def deciders(session: Session, team_id: int, requester_id: int) -> list[User]:
    """The managers of the team who may decide on a request by ``requester_id``."""
    return list(
        session.scalars(
            select(User)
            .where(User.team_id == team_id)
            .where(User.role == "manager")
            .where(User.disabled_at.is_(None))
            .where(User.id != requester_id)
            .order_by(User.full_name)
        )
    )


def waited(delta: timedelta) -> str:
    """``less than an hour``, ``3 hours``, ``2 days``, ``1 day 4 hours``."""
    hours = int(delta.total_seconds() // 3600)
    if hours < 1:
        return "less than an hour"
    days, hours = divmod(hours, 24)
    parts = []
    if days:
        parts.append(f"{days} day" + ("s" if days != 1 else ""))
    if hours and days < 7:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    return " ".join(parts)
