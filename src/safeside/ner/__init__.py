"""Small, fast, offline tagger for names, places, schools and organisations.

>>> from safeside.ner import load_tagger
>>> [(s.label, s.reason) for s in load_tagger().tag("Shout out to Mrs Okafor")]
[('PERSON', "name after the title 'Mrs'")]
"""

from __future__ import annotations

from functools import cache

from safeside.ner.tagger import AGES_PATH, LABELS, MODEL_PATH, NerSpan, Tagger

__all__ = ["AGES_PATH", "LABELS", "MODEL_PATH", "NerSpan", "Tagger", "load_ages", "load_tagger"]


@cache
def load_tagger() -> Tagger:
    """The shipped tagger, loaded once per process."""
    return Tagger.load(MODEL_PATH)


@cache
def load_ages() -> Tagger:
    """The shipped ages model (AGE only), loaded once per process."""
    return Tagger.load(AGES_PATH)
