"""Load a guidance playbook (YAML) and pick the actions for an analysis's concerns.

Each action has a human ``urgency`` ("within 2 working days") and a typed ``due``
(``{working_days: 2}``) from which a tracked task's due date is worked out, in the UK
working days of the playbook's ``calendar`` (bank holidays from the ``holidays``
package; ``england-and-wales`` unless the playbook says ``scotland`` or
``northern-ireland``).

Actions are routed by **who is at risk** (the concern's *target*, one of
:data:`TARGETS`): an action may list the ``targets`` it is for (none listed: anyone).
A capture in a case says who is at risk (:meth:`Playbook.route`); without that, each
concern is taken to be about its ``usual_targets`` entry (a threat: the worker; grooming:
a child). An ``emergency: true`` action ("Call 999") is an instruction to act now, shown
at the top of a case, never a task with a due date.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
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


#: Who a concern puts at risk, and how the capture form names them.
TARGETS: Mapping[str, str] = {
    "worker": "You or a colleague (a member of staff)",
    "child": "A child or young person",
    "adult": "An adult at risk",
    "public": "Someone else, or the public",
}


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
    #: Who the action is for (keys of :data:`TARGETS`); empty: whoever is at risk.
    targets: tuple[str, ...] = ()
    #: An instruction to act now (call 999), shown at the top of a case, not a task.
    emergency: bool = False

    def applies_to(self, targets: Collection[str] | None, usual: str | None = None) -> bool:
        """Whether this action is for someone in ``targets`` (None: the concern's
        ``usual`` target; an action for everyone, or a concern with no usual target,
        always applies)."""
        if not self.targets:
            return True
        if targets is None:
            return usual is None or usual in self.targets
        return any(target in self.targets for target in targets)


@dataclass(frozen=True, slots=True)
class Routed:
    """An analysis's actions for the people at risk in one capture (:meth:`Playbook.route`)."""

    #: Actions that become tracked tasks, most urgent first.
    tasks: list[Action]
    #: Act-now instructions (``emergency: true``), shown at the top of the case.
    emergency: list[Action]
    #: Concerns found whose actions are all for someone else (so none were raised).
    set_aside: list[str]


@dataclass(frozen=True, slots=True)
class Playbook:
    name: str
    version: str
    rules: tuple[Rule, ...]
    #: Every source the playbook lists, by id (``ca1989_s97``), cited by a rule or not.
    sources: Mapping[str, Source] = field(default_factory=dict)
    #: Whose bank holidays make working days (a key of :data:`CALENDARS`).
    calendar: str = DEFAULT_CALENDAR
    #: Who each concern is about when a capture does not say (concern → target).
    usual_targets: Mapping[str, str] = field(default_factory=dict)

    def rule(self, action_id: str) -> Rule | None:
        """The rule with this id, or None (an action from another playbook or a test)."""
        return next((rule for rule in self.rules if rule.id == action_id), None)

    def is_emergency(self, action: Action) -> bool:
        """Whether ``action`` is an act-now instruction: its rule says ``emergency: true``
        (an action this playbook does not know: its urgency is ``now``)."""
        rule = self.rule(action.id)
        return rule.emergency if rule is not None else action.urgency == "now"

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

    def actions_for(
        self, concerns: list[Concern], mode: str, targets: Collection[str] | None = None
    ) -> list[Action]:
        """Actions for each concern at or above each rule's minimum severity, most urgent
        first, for the people in ``targets`` (None: each concern's usual target)."""
        actions = []
        for concern in concerns:
            usual = self.usual_targets.get(concern.label)
            for rule in self.rules:
                if (
                    rule.concern == concern.label
                    and concern.severity >= rule.min_severity
                    and mode in rule.modes
                    and rule.applies_to(targets, usual)
                ):
                    actions.append(
                        Action(rule.id, rule.concern, rule.text, rule.urgency, list(rule.sources))
                    )
        actions.sort(key=lambda a: _URGENCY_ORDER.get(a.urgency, 9))
        return actions

    def route(
        self,
        actions: list[Action],
        concerns: list[Concern],
        mode: str,
        targets: Collection[str] | None,
    ) -> Routed:
        """Split an analysis's ``actions`` into tasks and act-now instructions for the
        people at risk in ``targets`` (None: each concern's usual target, as the engine
        chose them).

        The engine picks actions for each concern's usual target; for the people a capture
        names, its actions meant for someone else are dropped and this playbook's actions
        for them are added. An action this playbook does not know is kept.
        """
        chosen = list(actions)
        if targets is not None:
            wanted = set(targets)
            chosen = []
            for action in actions:
                rule = self.rule(action.id)
                if rule is None or rule.applies_to(wanted):
                    chosen.append(action)
            usual = {a.id for a in self.actions_for(concerns, mode)}
            have = {a.id for a in chosen}
            for action in self.actions_for(concerns, mode, wanted):
                if action.id not in usual and action.id not in have:
                    chosen.append(action)
                    have.add(action.id)
            chosen.sort(key=lambda a: _URGENCY_ORDER.get(a.urgency, 9))
        raised = {a.concern for a in chosen}
        possible = {a.concern for a in actions} | {
            a.concern for a in self.actions_for(concerns, mode, TARGETS)
        }
        set_aside = [c.label for c in concerns if c.label in possible and c.label not in raised]
        return Routed(
            tasks=[a for a in chosen if not self.is_emergency(a)],
            emergency=[a for a in chosen if self.is_emergency(a)],
            set_aside=set_aside,
        )


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
        targets = _targets(raw.get("targets"), where_i)
        emergency = raw.get("emergency", False)
        if not isinstance(emergency, bool):
            raise PlaybookError(f"{where_i}: emergency must be true or false")
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
                targets=targets,
                emergency=emergency,
            )
        )
    ids = [rule.id for rule in rules]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise PlaybookError(
            f"{where}: action ids must be different; repeated: {', '.join(repeated)}"
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
        _usual_targets(data.get("usual_targets"), where),
    )


def _targets(raw: object, where: str) -> tuple[str, ...]:
    """A rule's ``targets`` list (none: for anyone at risk)."""
    if raw is None:
        return ()
    hint = f"use a list of {', '.join(TARGETS)}"
    if not isinstance(raw, list) or not raw:
        raise PlaybookError(f"{where}: targets must be a list; {hint}")
    unknown = [str(t) for t in raw if t not in TARGETS]
    if unknown:
        raise PlaybookError(f"{where}: unknown target {unknown[0]!r}; {hint}")
    return tuple(str(t) for t in raw)


def _usual_targets(raw: object, where: str) -> dict[str, str]:
    """The playbook's ``usual_targets`` mapping (concern → target)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PlaybookError(f"{where}: usual_targets must map a concern to a target")
    out = {}
    for concern, target in raw.items():
        if concern not in CONCERNS:
            raise PlaybookError(f"{where}: usual_targets names unknown concern {concern!r}")
        if target not in TARGETS:
            raise PlaybookError(
                f"{where}: usual_targets: {concern}: unknown target {target!r}; "
                f"use one of {', '.join(TARGETS)}"
            )
        out[str(concern)] = str(target)
    return out


@cache
def default_sources() -> Mapping[str, Source]:
    """The sources of the built-in ``uk-default`` playbook, by id (read and checked once)."""
    return load_playbook("uk-default").sources
