"""Pattern detectors: a regular expression, an optional validator, and an explanation.

In the spirit of Presidio's ``PatternRecognizer``: each recognizer is data, and an
organisation can add its own in config (``patterns:`` in its YAML) without code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from safeside.engine.doc import Doc
from safeside.engine.registry import Detector, registry
from safeside.text.prefilter import Requirement, requirement

Validator = Callable[[str], float | None]
"""Returns a score for a matched string, or ``None`` to reject it."""


@dataclass(slots=True)
class PatternRecognizer:
    """Finds one entity label with a regex over the clean view of the text.

    ``group`` picks the regex group that is the entity (0 = the whole match, -1 = whichever
    group took part in the match, for alternations with one group each).
    ``context`` words near the match raise the score by ``context_boost``.
    """

    name: str
    label: str
    regex: re.Pattern[str]
    score: float
    explanation: str
    validator: Validator | None = None
    group: int | str = 0
    context: tuple[str, ...] = ()
    context_boost: float = 0.15
    min_score: float = 0.0
    _context_re: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _requirement: Requirement | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._requirement = requirement(self.regex, "clean")
        if self.context:
            words = "|".join(re.escape(w) for w in self.context)
            self._context_re = re.compile(rf"\b(?:{words})\b", re.IGNORECASE)

    def __call__(self, doc: Doc) -> None:
        if not doc.may_match(self._requirement):
            return  # cannot match: skip the regex scan
        text = doc.clean.text
        for m in self.regex.finditer(text):
            group = (m.lastindex or 0) if self.group == -1 else self.group
            start, end = m.span(group)
            if start < 0 or start == end:
                continue
            value = text[start:end]
            score = self.score
            if self.validator is not None:
                checked = self.validator(value)
                if checked is None:
                    continue
                score = checked
            if self._context_re is not None:
                window = text[max(0, start - 40) : min(len(text), end + 20)]
                if self._context_re.search(window):
                    score = min(1.0, score + self.context_boost)
            if score < self.min_score:
                continue
            doc.add_entity(self.label, doc.clean, start, end, score, self.name, self.explanation)


def compile_pattern(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    """Compile an organisation's pattern, with a clear error if it is invalid."""
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None


@dataclass(frozen=True, slots=True)
class PatternOptions:
    """Options every pattern detector accepts: its confidence ``score`` (0-1)."""

    score: float | None = None


def register_pattern(
    name: str, label: str, regex: re.Pattern[str], score: float, explanation: str, **kw: Any
) -> None:
    """Register a :class:`PatternRecognizer` by name; config may override its ``score``."""

    @registry.register(name, options=PatternOptions)
    def factory(options: PatternOptions) -> Detector:
        chosen = score if options.score is None else float(options.score)
        return PatternRecognizer(name, label, regex, chosen, explanation, **kw)
