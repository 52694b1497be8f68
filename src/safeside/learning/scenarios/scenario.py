"""Training scenarios: what one is made of, and the loader that checks every file.

A scenario is one YAML file in ``content/`` (see ``docs/scenarios.md`` for the format).
The loader refuses a file it cannot trust: every option's feedback must cite sources
from the default playbook, every decision point must have exactly one best answer, and
every standard and PCF domain must be real. The error names the file and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from safeside.errors import ContentError
from safeside.guidance.playbook import default_sources
from safeside.learning.standards import PCF_DOMAINS, is_standard

#: Points for an option: the best answer, a partly right one, an unsafe one.
SCORES = {2: "Best answer", 1: "Partly right", 0: "Unsafe"}
BEST = 2

#: The playbook whose ``sources:`` the feedback cites.
PLAYBOOK = "uk-default"

_OPTION_IDS = "abcd"


class ScenarioError(ContentError):
    """A scenario file cannot be used; the message names the file and the field to fix."""


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A source from the playbook, as cited in feedback."""

    id: str
    title: str
    reference: str
    url: str


@dataclass(frozen=True, slots=True)
class Option:
    """One answer to a decision point, with its score and the feedback explaining it."""

    id: str
    text: str
    score: int
    feedback: str
    sources: tuple[SourceRef, ...]

    @property
    def verdict(self) -> str:
        return SCORES[self.score]


@dataclass(frozen=True, slots=True)
class Step:
    """A decision point: what has happened (``context``), the question and its options."""

    number: int
    question: str
    context: str
    options: tuple[Option, ...]

    @property
    def best(self) -> Option:
        return next(o for o in self.options if o.score == BEST)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True, slots=True)
class Scenario:
    """A situation from practice, worked through one decision at a time."""

    id: str
    version: int
    title: str
    summary: str
    situation: str
    tags: tuple[str, ...]
    standards: tuple[str, ...]
    pcf_domains: tuple[str, ...]
    steps: tuple[Step, ...]
    learning_points: tuple[str, ...]
    order: int = 1000

    @property
    def max_score(self) -> int:
        return BEST * len(self.steps)

    def step(self, number: int) -> Step | None:
        """Decision point ``number`` (counting from 1), or None."""
        return self.steps[number - 1] if 1 <= number <= len(self.steps) else None

    @property
    def sources(self) -> tuple[SourceRef, ...]:
        """Every source the feedback cites, once each, in order of first citation."""
        seen: dict[str, SourceRef] = {}
        for step in self.steps:
            for option in step.options:
                for source in option.sources:
                    seen.setdefault(source.id, source)
        return tuple(seen.values())


# --- loading ------------------------------------------------------------------------------


@cache
def playbook_sources() -> Mapping[str, SourceRef]:
    """The ``sources:`` of the default playbook, by id."""
    return {
        key: SourceRef(id=key, title=source.title, reference=source.reference, url=source.url)
        for key, source in default_sources().items()
    }


def content_dir() -> Traversable:
    """Where the shipped scenarios live."""
    return resources.files("safeside.learning.scenarios").joinpath("content")


def load_scenarios(
    directory: Traversable | Path, sources: Mapping[str, SourceRef] | None = None
) -> dict[str, Scenario]:
    """Every ``*.yaml`` scenario in ``directory``, checked, by id, in display order.

    Raises:
        ScenarioError: a file is not valid YAML or breaks a rule; the message says which
            file and which field.
    """
    sources = playbook_sources() if sources is None else sources
    files = sorted(
        (f for f in directory.iterdir() if f.name.endswith((".yaml", ".yml")) and f.is_file()),
        key=lambda f: f.name,
    )
    found: dict[str, Scenario] = {}
    for file in files:
        try:
            data = yaml.safe_load(file.read_text("utf-8"))
        except yaml.YAMLError as exc:
            raise ScenarioError(f"{file.name}: not valid YAML: {exc}") from None
        scenario = parse_scenario(data, file.name, sources)
        if scenario.id in found:
            raise ScenarioError(f"{file.name}: id {scenario.id!r} is already used by another file")
        found[scenario.id] = scenario
    ordered = sorted(found.values(), key=lambda s: (s.order, s.title))
    return {s.id: s for s in ordered}


def parse_scenario(data: Any, where: str, sources: Mapping[str, SourceRef]) -> Scenario:
    """One scenario from its YAML mapping; ``where`` names the file in errors."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: a scenario file must be a mapping of fields")
    scenario_id = _text(data, "id", where)
    if not all(part.isalnum() and part.islower() for part in scenario_id.split("-")):
        raise ScenarioError(f"{where}: id {scenario_id!r} must be lower-case words joined by -")
    if Path(where).stem != scenario_id:
        raise ScenarioError(f"{where}: the file must be named after its id ({scenario_id}.yaml)")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ScenarioError(f"{where}: version must be a whole number, 1 or more")
    order = data.get("order", 1000)
    if not isinstance(order, int) or isinstance(order, bool):
        raise ScenarioError(f"{where}: order must be a whole number")

    standards = _texts(data, "standards", where)
    for code in standards:
        if not is_standard(code):
            raise ScenarioError(
                f"{where}: standards: {code!r} is not a Social Work England standard"
            )
    domains = _texts(data, "pcf_domains", where)
    for domain in domains:
        if domain not in PCF_DOMAINS:
            raise ScenarioError(f"{where}: pcf_domains: {domain!r} is not a PCF domain")

    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not 2 <= len(raw_steps) <= 4:
        raise ScenarioError(f"{where}: steps must be a list of 2 to 4 decision points")
    steps = tuple(
        _parse_step(raw, number, f"{where}: step {number}", sources)
        for number, raw in enumerate(raw_steps, start=1)
    )
    return Scenario(
        id=scenario_id,
        version=version,
        title=_text(data, "title", where),
        summary=_text(data, "summary", where),
        situation=_text(data, "situation", where),
        tags=_texts(data, "tags", where),
        standards=standards,
        pcf_domains=domains,
        steps=steps,
        learning_points=_texts(data, "learning_points", where),
        order=order,
    )


def _parse_step(raw: Any, number: int, where: str, sources: Mapping[str, SourceRef]) -> Step:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: a decision point must be a mapping")
    raw_options = raw.get("options")
    if not isinstance(raw_options, list) or not 3 <= len(raw_options) <= len(_OPTION_IDS):
        raise ScenarioError(f"{where}: options must be a list of 3 or 4 answers")
    options = tuple(
        _parse_option(item, _OPTION_IDS[i], f"{where}, option {i + 1}", sources)
        for i, item in enumerate(raw_options)
    )
    best = sum(1 for o in options if o.score == BEST)
    if best != 1:
        raise ScenarioError(f"{where}: exactly one option must score {BEST} (found {best})")
    context = raw.get("context") or ""
    if not isinstance(context, str):
        raise ScenarioError(f"{where}: context must be text")
    return Step(
        number=number,
        question=_text(raw, "question", where),
        context=context.strip(),
        options=options,
    )


def _parse_option(raw: Any, option_id: str, where: str, sources: Mapping[str, SourceRef]) -> Option:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: an option must be a mapping")
    score = raw.get("score")
    if score not in SCORES or isinstance(score, bool):
        raise ScenarioError(f"{where}: score must be 2 (best), 1 (partly right) or 0 (unsafe)")
    cited = _texts(raw, "sources", where)
    unknown = [key for key in cited if key not in sources]
    if unknown:
        raise ScenarioError(
            f"{where}: sources: {', '.join(map(repr, unknown))} is not a source in the "
            f"{PLAYBOOK} playbook"
        )
    return Option(
        id=option_id,
        text=_text(raw, "text", where),
        score=int(score),
        feedback=_text(raw, "feedback", where),
        sources=tuple(sources[key] for key in cited),
    )


def _text(data: dict[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"{where}: {name} is missing or empty")
    return value.strip()


def _texts(data: dict[str, Any], name: str, where: str) -> tuple[str, ...]:
    value = data.get(name)
    if not isinstance(value, list) or not value:
        raise ScenarioError(f"{where}: {name} must be a non-empty list")
    for item in value:
        if isinstance(item, int | float) and not isinstance(item, bool):
            # YAML reads an unquoted 2.10 as the number 2.1: ask for quotes instead.
            raise ScenarioError(f"{where}: {name}: write {item!r} in quotes, as text")
        if not isinstance(item, str) or not item.strip():
            raise ScenarioError(f"{where}: {name} must be a list of text")
    return tuple(item.strip() for item in value)
