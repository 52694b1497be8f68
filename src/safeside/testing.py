"""A stand-in for the engine, for tests and demos that must not depend on the detectors.

In the spirit of httpx's ``MockTransport``: a :class:`FakeCheck` is a
:data:`~safeside.check.Check` (call it with a text and a mode, get a real
:class:`~safeside.engine.results.Analysis`) built from either a *handler* you write or a
fixed *table* of phrases::

    check = FakeCheck({"where you live": Raise("threat", "high"), "Kayden": Find("PERSON")})
    check("I know where you live", "review").concern_labels     # ["threat"]

    check = FakeCheck(lambda text, mode: analysis(text, mode))  # finds nothing
    check = FakeCheck(raising=RuntimeError("model file missing"))   # a broken engine

Every call is recorded in ``check.calls``. :data:`EXAMPLE` is the table the web, database
and learning tests use: "where you live" is a high-severity threat with one playbook
action, "Kayden" a name and "Hillside Primary" a school.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from safeside.check import Check
from safeside.engine.results import Action, Analysis, Concern, Entity, Evidence, Source
from safeside.taxonomy import Mode, Severity


@dataclass(frozen=True, slots=True)
class Find:
    """A table rule: the phrase is an entity with this ``label`` (case-sensitive match)."""

    label: str
    explanation: str = ""
    score: float = 0.9


@dataclass(frozen=True, slots=True)
class Raise:
    """A table rule: the phrase is evidence for ``concern`` (matched ignoring case),
    with the playbook ``actions`` a real playbook would add for it."""

    concern: str
    severity: str = "high"
    explanation: str = ""
    confidence: float = 0.9
    actions: tuple[Action, ...] = ()


Rule = Find | Raise
Handler = Callable[[str, Mode], Analysis]


def analysis(
    text: str,
    mode: Mode = "own",
    *,
    entities: Iterable[Entity] = (),
    concerns: Iterable[Concern] = (),
    actions: Iterable[Action] = (),
) -> Analysis:
    """A real :class:`Analysis`; its severity is the highest concern's (low for entities
    alone, none for nothing found), as the engine reports it."""
    found, raised = list(entities), list(concerns)
    severity = max((c.severity for c in raised), default=Severity.NONE)
    if found and severity is Severity.NONE:
        severity = Severity.LOW
    return Analysis(text, mode, found, raised, severity, list(actions))


def action(
    id: str, concern: str, text: str, urgency: str = "today", source: str = "Test playbook"
) -> Action:
    """A playbook action, citing one source."""
    return Action(id, concern, text, urgency, [Source(source)])


class FakeCheck:
    """A :data:`~safeside.check.Check` from a ``handler`` or a fixed ``table``.

    Args:
        rules: a handler ``(text, mode) -> Analysis``, or a table ``{phrase: Find | Raise}``;
            nothing (the default) finds nothing in any text.
        raising: raise this on every call instead (an engine that fails).
    """

    def __init__(
        self,
        rules: Handler | Mapping[str, Rule] | None = None,
        *,
        raising: BaseException | None = None,
    ) -> None:
        self.handler: Handler = rules if callable(rules) else _table_handler(dict(rules or {}))
        self.raising = raising
        self.calls: list[tuple[str, Mode]] = []

    def __call__(self, text: str, mode: Mode) -> Analysis:
        self.calls.append((text, mode))
        if self.raising is not None:
            raise self.raising
        return self.handler(text, mode)

    @property
    def texts(self) -> list[str]:
        """The texts checked so far, in order."""
        return [text for text, _ in self.calls]


def _table_handler(table: dict[str, Rule]) -> Handler:
    def handle(text: str, mode: Mode) -> Analysis:
        entities: list[Entity] = []
        concerns: dict[str, Concern] = {}
        actions: list[Action] = []
        for phrase, rule in table.items():
            if isinstance(rule, Find):
                at = text.find(phrase)
                if at >= 0:
                    entities.append(
                        Entity(
                            rule.label,
                            at,
                            at + len(phrase),
                            phrase,
                            rule.score,
                            "fake",
                            rule.explanation,
                        )
                    )
                continue
            at = text.lower().find(phrase.lower())
            if at < 0:
                continue
            evidence = Evidence(at, at + len(phrase), text[at : at + len(phrase)], phrase)
            if rule.concern in concerns:
                concerns[rule.concern].evidence.append(evidence)
                continue
            concerns[rule.concern] = Concern(
                label=rule.concern,
                confidence=rule.confidence,
                severity=Severity.parse(rule.severity),
                evidence=[evidence],
                explanation=rule.explanation or f"Matched “{phrase}”.",
                detectors=["fake"],
            )
            actions.extend(rule.actions)
        return analysis(text, mode, entities=entities, concerns=concerns.values(), actions=actions)

    return handle


THREAT_CUE = "where you live"
NAME = "Kayden"
SCHOOL = "Hillside Primary"

#: The table the web, database and learning tests (and their demo data) use.
EXAMPLE: Mapping[str, Rule] = {
    NAME: Find("PERSON", "A first name."),
    SCHOOL: Find("SCHOOL", "A school's name."),
    THREAT_CUE: Raise(
        "threat",
        "high",
        "Says they know where someone lives: a veiled threat.",
        actions=(
            Action(
                "threat.report_manager",
                "threat",
                "Report this to your manager today.",
                "today",
                [Source("Lone working policy", "", "s.4")],
            ),
        ),
    ),
}


def example_check() -> FakeCheck:
    """A fresh :class:`FakeCheck` over :data:`EXAMPLE`."""
    return FakeCheck(EXAMPLE)


__all__ = [
    "EXAMPLE",
    "NAME",
    "SCHOOL",
    "THREAT_CUE",
    "Check",
    "FakeCheck",
    "Find",
    "Raise",
    "action",
    "analysis",
    "example_check",
]
