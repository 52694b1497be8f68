"""Names, places, schools, organisations and ages from our small statistical taggers.

The taggers (:mod:`safeside.ner`) are trained by us on public social-media NER data and
our writers' labelled texts, ship in the repo and run in pure Python (see
docs/models/ner.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from safeside.engine.doc import Doc
from safeside.engine.registry import Detector, registry

if TYPE_CHECKING:
    from safeside.ner.tagger import Tagger

_EXPLAIN = {
    "PERSON": "looks like a person's name",
    "LOCATION": "looks like a named place",
    "ORG": "looks like a named organisation",
    "SCHOOL": "looks like a named school",
    "AGE": "looks like someone's age",
}


class NameTagger:
    """Adds PERSON, LOCATION, ORG and SCHOOL spans found by the statistical tagger."""

    name = "names.model"

    def __init__(self, min_score: float = 0.5, tagger: Tagger | None = None) -> None:
        from safeside.ner import load_tagger

        self._tagger = tagger or load_tagger()
        self.min_score = min_score

    def keep(self, value: str) -> bool:
        """Whether a span the tagger found is reported: not one that starts at a
        possessive's apostrophe ("St Aidan's hall" read as "St Aidan" + "'s hall")."""
        return not value.startswith(("'", "’"))

    def __call__(self, doc: Doc) -> None:
        text = doc.clean.text
        for span in self._tagger.tag(text):
            if span.score < self.min_score or not self.keep(text[span.start : span.end]):
                continue
            why = _EXPLAIN.get(span.label, "named entity")
            reason = f"{why} (statistical model: {span.reason})" if span.reason else why
            doc.add_entity(
                span.label, doc.clean, span.start, span.end, span.score, self.name, reason
            )


class AgeTagger(NameTagger):
    """Adds AGE spans the phrase patterns miss ("ur 15", "U12s", "at 16"), read by a
    small tagger trained on our writers' texts; a pattern's span wins where both fire."""

    name = "names.ages"

    def __init__(self, min_score: float = 0.5) -> None:
        from safeside.ner import load_ages

        super().__init__(min_score, load_ages())

    def keep(self, value: str) -> bool:
        return _age_shaped(value)


#: A word that mixes letters and digits is an age only in these shapes ("U12s", "13yo",
#: "Y9", "yr9", Scottish "P6" and "S3", "16+"); "PD12G" or "M62" is a code, not an age.
_AGE_CODE = re.compile(r"[A-Za-z]+\d|\d[A-Za-z]")
_AGE_WORD = re.compile(
    r"(?:[Uu]|[Yy](?:(?:ea)?rs?)?\s?|[PpSs])\d{1,2}s?|\d{1,2}(?:yo|y/o|yrs?|s|\+|th|st|nd|rd)",
    re.IGNORECASE,
)


def _age_shaped(value: str) -> bool:
    return all(
        not _AGE_CODE.search(word) or _AGE_WORD.fullmatch(word) is not None
        for word in value.split()
    )


@dataclass(frozen=True, slots=True)
class NameOptions:
    """``min_score``: the tagger's lowest confidence (0-1) for a name to be reported."""

    min_score: float = 0.5


@registry.register("names.model", options=NameOptions)
def _names_model(options: NameOptions) -> Detector:
    return NameTagger(min_score=float(options.min_score))


@registry.register("names.ages", options=NameOptions)
def _names_ages(options: NameOptions) -> Detector:
    return AgeTagger(min_score=float(options.min_score))
