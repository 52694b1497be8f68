"""Concern cues: phrases that are evidence of a concern, read from YAML (``cues/*.yaml``).

Each cue is a regular expression over the lower-cased, de-obfuscated cue view, with a
weight, a severity, the context rules that can cancel it and a plain-English
explanation. Kinds:

* ``evidence`` — counts towards the concern on its own;
* ``context`` — supports a concern but never raises it alone (e.g. talk of court);
* ``escalate`` — raises the severity of a concern found by other evidence (e.g. a time
  and place attached to a threat).

An organisation adds its own phrases with ``terms:`` in its configuration file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from safeside.detectors.context import blocked
from safeside.engine.doc import Doc, Signal
from safeside.engine.registry import Detector, registry
from safeside.taxonomy import CONCERNS, Severity, concern_allowed
from safeside.text.prefilter import requirement

#: Shorthands usable in cue patterns as ``<name>``.
MACROS = {
    "you": r"(?:you|u|ya|yu|yous|youse)",
    "your": r"(?:your|ur|yr|yer)",
    "will": (
        r"(?:i'll|ill|i will|i'm gonna|im gonna|i am gonna|i'm going to|im going to|i am going to|"
        r"imma|ima|gonna|going to|we'll|we will|we're gonna|were gonna|we are going to|"
        r"i'd|id|i would|he'll|she'll|they'll|they will|he will|she will|i swear i'll|i swear ill)"
    ),
    #: moving a chat to another app: "add me on snap", "move this to telegram"
    "move_to_app": (
        r"(?:add|dm|msg|message|text|snap|inbox|pm|talk|chat|move|go|come|switch|get)"
        r"(?: (?:this|it|us|over|me|with me))? (?:on|to|onto|over to|over on) (?:snap(?:chat)?|"
        r"sc|telegram|whatsapp|wa|kik|discord|signal|wickr|insta(?:gram)?|ig|the other "
        r"(?:app|one)|my other (?:app|account|number)|another app|a different app)\b"
    ),
    #: someone else sees or reads the chat: "this app is watched", "my mum reads this one"
    "watched": (
        r"\b(?:is|it's|its|too|so|gets?|being) (?:watched|monitored|public|checked|read)\b|"
        r"\b(?:mum|mam|mom|dad|parents?|carers?|foster (?:mum|mam|dad|carers?)|teachers?|they|"
        r"she|he|someone|people|ur \w+|your \w+)(?: \w+){0,2} (?:reads?|checks?|sees?|can see|"
        r"looks? (?:at|through)|goes through|monitors?|spies on|snoops? on)\b|\b(?:nosey|nosy)\b"
    ),
}
_MACRO = re.compile(r"<(\w+)>")


def expand(pattern: str) -> str:
    return _MACRO.sub(lambda m: MACROS.get(m.group(1), m.group(0)), pattern)


@dataclass(frozen=True, slots=True)
class Cue:
    concern: str
    id: str
    kind: str
    regex: re.Pattern[str]
    weight: float
    severity: Severity
    context: tuple[str, ...]
    explain: str


def _parse_cue(concern: str, raw: dict[str, Any], where: str) -> Cue:
    try:
        regex = re.compile(expand(str(raw["pattern"])))
    except (KeyError, re.error) as exc:
        raise ValueError(f"{where}: cue {raw.get('id')!r} has a bad pattern: {exc}") from None
    kind = str(raw.get("kind", "evidence"))
    if kind not in {"evidence", "context", "escalate"}:
        raise ValueError(f"{where}: cue {raw.get('id')!r} has unknown kind {kind!r}")
    return Cue(
        concern=concern,
        id=f"{concern}.{raw['id']}",
        kind=kind,
        regex=regex,
        weight=float(raw.get("weight", 0.0)),
        severity=Severity.parse(str(raw.get("severity", "medium"))),
        context=tuple(raw.get("context") or ()),
        explain=str(raw.get("explain", "")),
    )


#: libyaml's safe loader when PyYAML has it (same result, about ten times faster to load).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def builtin_cues() -> tuple[Cue, ...]:
    """All cues shipped with Safeside."""
    cues: list[Cue] = []
    folder = resources.files("safeside.detectors").joinpath("cues")
    for concern in CONCERNS:
        path = folder.joinpath(f"{concern}.yaml")
        data = yaml.load(path.read_text("utf-8"), Loader=_YAML_LOADER)
        for raw in data.get("cues", []):
            cues.append(_parse_cue(concern, raw, f"cues/{concern}.yaml"))
    return tuple(cues)


def term_cues(terms: list[dict[str, Any]]) -> list[Cue]:
    """Cues from an organisation's ``terms:`` entries (plain phrases, matched as words)."""
    cues = []
    for i, entry in enumerate(terms):
        phrases = [str(t).lower() for t in entry["terms"]]
        pattern = r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b"
        cues.append(
            Cue(
                concern=str(entry["concern"]),
                id=f"{entry['concern']}.org_terms_{i}",
                kind=str(entry.get("kind", "evidence")),
                regex=re.compile(pattern),
                weight=float(entry.get("weight", 0.6)),
                severity=Severity.parse(str(entry.get("severity", "medium"))),
                context=tuple(entry.get("context") or ("negation",)),
                explain=str(entry.get("explanation") or "matches your organisation's term list"),
            )
        )
    return cues


class CueDetector:
    """Adds a :class:`Signal` for every cue that matches and is not cancelled by context."""

    name = "concerns.cues"

    def __init__(self, cues: list[Cue]) -> None:
        checks = {c.id: requirement(c.regex, "cue") for c in cues}
        self.by_mode = {
            mode: [(c, checks[c.id]) for c in cues if concern_allowed(c.concern, mode)]
            for mode in ("own", "review")
        }
        # Pre-check, inverted: which cues (by position) each literal lets run, per case mode;
        # cues without a pre-check always run.
        self._always: dict[str, list[int]] = {}
        self._by_literal: dict[str, dict[bool, dict[str, list[int]]]] = {}
        for mode, pairs in self.by_mode.items():
            self._always[mode] = [i for i, (_, check) in enumerate(pairs) if check is None]
            tables: dict[bool, dict[str, list[int]]] = {}
            for i, (_, check) in enumerate(pairs):
                if check is not None:
                    table = tables.setdefault(check.fold, {})
                    for literal in check.literals:
                        table.setdefault(literal, []).append(i)
            self._by_literal[mode] = tables

    def candidates(self, doc: Doc) -> list[Cue]:
        """The cues that may match ``doc``, in order: the others provably cannot."""
        pairs = self.by_mode.get(doc.mode, [])
        run = set(self._always.get(doc.mode, ()))
        for fold, table in self._by_literal.get(doc.mode, {}).items():
            for literal in doc.literals_present("cue", fold):
                hits = table.get(literal)
                if hits is not None:
                    run.update(hits)
        return [pairs[i][0] for i in sorted(run)]

    def __call__(self, doc: Doc) -> None:
        text = doc.cue.text
        cues = self.candidates(doc)
        jest_kept = _names_time_and_place(cues, text)
        for cue in cues:
            context = cue.context
            if jest_kept and cue.concern == "threat":
                # a laughing emoji does not clear a threat that names a time and a place
                # ("you're dead at 3pm behind the sports hall 😂"): the model reads it, and a
                # veto leaves it as "possible" (the taxonomy's safety floor)
                context = tuple(rule for rule in context if rule != "hyperbole")
            for m in cue.regex.finditer(text):
                if m.start() == m.end():
                    continue
                if context and blocked(text, m.start(), m.end(), context):
                    continue
                s, e = doc.cue.to_original(m.start(), m.end())
                doc.signals.append(
                    Signal(
                        concern=cue.concern,
                        weight=cue.weight,
                        severity=cue.severity,
                        start=s,
                        end=e,
                        cue=cue.id,
                        explanation=cue.explain,
                        detector=self.name,
                        kind=cue.kind,
                    )
                )


def _names_time_and_place(cues: list[Cue], text: str) -> bool:
    """Whether a threat's time and its place both appear (``threat.specific_when`` and
    ``threat.specific_where``, the escalators that make a threat critical together)."""
    wanted = {"threat.specific_when", "threat.specific_where"}
    found = {c.id for c in cues if c.id in wanted and c.regex.search(text)}
    return found == wanted


def make_cue_detector(terms: list[dict[str, Any]] | None = None) -> CueDetector:
    return CueDetector([*builtin_cues(), *term_cues(terms or [])])


@dataclass(frozen=True, slots=True)
class CueOptions:
    """``terms``: extra cue phrases, in the same shape as a configuration file's ``terms``."""

    terms: list[dict[str, Any]] | None = None


@registry.register("concerns.cues", options=CueOptions)
def _cues(options: CueOptions) -> Detector:
    return make_cue_detector(options.terms)
