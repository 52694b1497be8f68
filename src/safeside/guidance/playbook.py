"""Load a guidance playbook (YAML) and pick the actions for an analysis's concerns.

Each action has a human ``urgency`` ("within 2 working days") and a typed ``due``
(``{working_days: 2}``) from which a tracked task's due date is worked out, in the UK
working days of the playbook's ``calendar`` (bank holidays from the ``holidays``
package; ``england-and-wales`` unless the playbook says ``scotland`` or
``northern-ireland``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from safeside.engine.results import Action, Concern, Source
from safeside.errors import ContentError
from safeside.taxonomy import CONCERNS, Severity

_URGENCY_ORDER = {
    "now": 0,
    "before posting": 1,
    "today": 2,
    "within 2 working days": 3,
    "this week": 4,
}


class PlaybookError(ContentError):
    """A playbook file cannot be used; the message says what to fix."""


#: The UK bank-holiday calendars a playbook may name, and their ``holidays`` subdivision.
CALENDARS: dict[str, str] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}
DEFAULT_CALENDAR = "england-and-wales"


@lru_cache(maxsize=64)
def bank_holidays(calendar: str, year: int) -> frozenset[date]:
    """The bank holidays of one year in one of :data:`CALENDARS` (substitute days included)."""
    import holidays  # about 0.3 s to import: only when a due date is worked out

    subdiv = CALENDARS[calendar]
    return frozenset(holidays.country_holidays("GB", subdiv=subdiv, years=year))


def is_working_day(day: date, calendar: str = DEFAULT_CALENDAR) -> bool:
    """Monday to Friday, and not a bank holiday in ``calendar``."""
    return day.weekday() < 5 and day not in bank_holidays(calendar, day.year)


def add_working_days(start: date, count: int, calendar: str = DEFAULT_CALENDAR) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself never counts)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day, calendar):
            count -= 1
    return day


DueKind = Literal["now", "today", "working_days", "days"]


@dataclass(frozen=True, slots=True)
class Due:
    """When an action is due: ``now``, ``today``, in N ``working_days`` or in N ``days``.

    In a playbook: ``due: {now: true}``, ``{today: true}``, ``{working_days: 2}`` or
    ``{days: 7}``.
    """

    kind: DueKind
    count: int = 0

    @classmethod
    def parse(cls, raw: object, where: str) -> Due:
        """From a playbook's ``due:`` mapping; raises :class:`PlaybookError` naming ``where``."""
        hint = "use {now: true}, {today: true}, {working_days: N} or {days: N}"
        if not isinstance(raw, dict) or len(raw) != 1:
            raise PlaybookError(f"{where}: due must have exactly one entry; {hint}")
        ((key, value),) = raw.items()
        if key in ("now", "today"):
            if value is not True:
                raise PlaybookError(f"{where}: due: {{{key}: true}} is the only form; {hint}")
            return cls(key)
        if key in ("working_days", "days"):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
                raise PlaybookError(f"{where}: due: {key} must be a whole number from 1 to 365")
            return cls(key, value)
        raise PlaybookError(f"{where}: due has unknown entry {key!r}; {hint}")

    def date_from(self, today: date, calendar: str = DEFAULT_CALENDAR) -> date:
        """The due date for an action raised on ``today``."""
        if self.kind == "working_days":
            return add_working_days(today, self.count, calendar)
        if self.kind == "days":
            return today + timedelta(days=self.count)
        return today

    def to_dict(self) -> dict[str, int | bool]:
        return {self.kind: self.count if self.count else True}


#: The due of each urgency the default playbook uses, for an action that gives no ``due``.
STANDARD_DUES: Mapping[str, Due] = {
    "now": Due("now"),
    "before posting": Due("now"),
    "today": Due("today"),
    "within 2 working days": Due("working_days", 2),
    "this week": Due("days", 7),
}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    concern: str
    min_severity: Severity
    urgency: str
    text: str
    sources: tuple[Source, ...]
    modes: tuple[str, ...]
    due: Due = Due("today")


@dataclass(frozen=True, slots=True)
class Playbook:
    name: str
    version: str
    rules: tuple[Rule, ...]
    #: Every source the playbook lists, by id (``ca1989_s97``), cited by a rule or not.
    sources: Mapping[str, Source] = field(default_factory=dict)
    #: Whose bank holidays make working days (a key of :data:`CALENDARS`).
    calendar: str = DEFAULT_CALENDAR

    def due_for(self, action: Action) -> Due | None:
        """The typed due of an action this playbook prescribed (by id, else by its
        urgency), or None for an action it does not know."""
        for rule in self.rules:
            if rule.id == action.id:
                return rule.due
        for rule in self.rules:
            if rule.urgency == action.urgency:
                return rule.due
        return STANDARD_DUES.get(action.urgency)

    def due_date(self, action: Action, today: date) -> date | None:
        """When ``action``, raised on ``today``, is due (None if the playbook cannot say)."""
        due = self.due_for(action)
        return due.date_from(today, self.calendar) if due else None

    def actions_for(self, concerns: list[Concern], mode: str) -> list[Action]:
        """Actions for each concern at or above each rule's minimum severity, most urgent first."""
        actions = []
        for concern in concerns:
            for rule in self.rules:
                if (
                    rule.concern == concern.label
                    and concern.severity >= rule.min_severity
                    and mode in rule.modes
                ):
                    actions.append(
                        Action(rule.id, rule.concern, rule.text, rule.urgency, list(rule.sources))
                    )
        actions.sort(key=lambda a: _URGENCY_ORDER.get(a.urgency, 9))
        return actions


def load_playbook(name_or_path: str) -> Playbook:
    """A built-in playbook by name (``uk-default``) or an organisation's YAML file by path."""
    if "/" not in name_or_path and not name_or_path.endswith((".yaml", ".yml")):
        res = resources.files("safeside.guidance").joinpath("playbooks", f"{name_or_path}.yaml")
        if not res.is_file():
            raise PlaybookError(
                f"no built-in playbook called {name_or_path!r}; give a path to a YAML file"
            )
        return parse_playbook(yaml.safe_load(res.read_text("utf-8")), name_or_path)
    path = Path(name_or_path)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise PlaybookError(f"cannot read playbook {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise PlaybookError(f"playbook {path} is not valid YAML: {exc}") from None
    return parse_playbook(data, str(path))


def parse_playbook(data: Any, where: str) -> Playbook:
    if not isinstance(data, dict) or not isinstance(data.get("actions"), list):
        raise PlaybookError(f"{where}: a playbook needs 'sources' and a list of 'actions'")
    sources: dict[str, Source] = {}
    for key, raw in (data.get("sources") or {}).items():
        if not isinstance(raw, dict) or "title" not in raw:
            raise PlaybookError(f"{where}: source {key!r} needs a title")
        sources[str(key)] = Source(
            str(raw["title"]), str(raw.get("url") or ""), str(raw.get("reference") or "")
        )
    rules = []
    for i, raw in enumerate(data["actions"]):
        where_i = f"{where}: actions[{i}]"
        if not isinstance(raw, dict):
            raise PlaybookError(f"{where_i} must be a mapping")
        missing = {"id", "concern", "text", "sources"} - set(raw)
        if missing:
            raise PlaybookError(f"{where_i} is missing {', '.join(sorted(missing))}")
        if raw["concern"] not in CONCERNS:
            raise PlaybookError(f"{where_i} has unknown concern {raw['concern']!r}")
        cited = []
        for key in raw["sources"]:
            if key not in sources:
                raise PlaybookError(f"{where_i} cites {key!r}, which is not under 'sources'")
            cited.append(sources[key])
        if not cited:
            raise PlaybookError(f"{where_i} must cite at least one source")
        try:
            severity = Severity.parse(str(raw.get("min_severity", "low")))
        except ValueError as exc:
            raise PlaybookError(f"{where_i}: {exc}") from None
        urgency = str(raw.get("urgency", "today"))
        if "due" in raw:
            due = Due.parse(raw["due"], where_i)
        elif urgency in STANDARD_DUES:
            due = STANDARD_DUES[urgency]
        else:
            raise PlaybookError(
                f"{where_i}: urgency {urgency!r} needs a 'due' "
                "({now: true}, {today: true}, {working_days: N} or {days: N})"
            )
        rules.append(
            Rule(
                id=str(raw["id"]),
                concern=str(raw["concern"]),
                min_severity=severity,
                urgency=urgency,
                text=str(raw["text"]).strip(),
                sources=tuple(cited),
                modes=tuple(raw.get("modes") or ("own", "review")),
                due=due,
            )
        )
    calendar = str(data.get("calendar") or DEFAULT_CALENDAR)
    if calendar not in CALENDARS:
        raise PlaybookError(
            f"{where}: unknown calendar {calendar!r}; use one of {', '.join(CALENDARS)}"
        )
    return Playbook(
        str(data.get("name", where)),
        str(data.get("version", "1")),
        tuple(rules),
        sources,
        calendar,
    )


@cache
def default_sources() -> Mapping[str, Source]:
    """The sources of the built-in ``uk-default`` playbook, by id (read and checked once)."""
    return load_playbook("uk-default").sources
