"""Load a guidance playbook (YAML) and pick the actions for an analysis's concerns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from safeside.engine.results import Action, Concern, Source
from safeside.taxonomy import CONCERNS, Severity

_URGENCY_ORDER = {
    "now": 0,
    "before posting": 1,
    "today": 2,
    "within 2 working days": 3,
    "this week": 4,
}


class PlaybookError(ValueError):
    """A playbook file cannot be used; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    concern: str
    min_severity: Severity
    urgency: str
    text: str
    sources: tuple[Source, ...]
    modes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Playbook:
    name: str
    version: str
    rules: tuple[Rule, ...]
    #: Every source the playbook lists, by id (``ca1989_s97``), cited by a rule or not.
    sources: Mapping[str, Source] = field(default_factory=dict)

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
        rules.append(
            Rule(
                id=str(raw["id"]),
                concern=str(raw["concern"]),
                min_severity=severity,
                urgency=str(raw.get("urgency", "today")),
                text=str(raw["text"]).strip(),
                sources=tuple(cited),
                modes=tuple(raw.get("modes") or ("own", "review")),
            )
        )
    return Playbook(
        str(data.get("name", where)), str(data.get("version", "1")), tuple(rules), sources
    )


@cache
def default_sources() -> Mapping[str, Source]:
    """The sources of the built-in ``uk-default`` playbook, by id (read and checked once)."""
    return load_playbook("uk-default").sources
