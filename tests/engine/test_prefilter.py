"""The literal pre-check may skip a regex only when the regex cannot match."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from safeside.detectors.concerns import builtin_cues
from safeside.engine.doc import Doc
from safeside.text.prefilter import (
    LiteralIndex,
    folds,
    key_text,
    may_match,
    required_literals,
)

ROOT = Path(__file__).resolve().parents[2]


def test_alternatives_each_contribute_a_literal() -> None:
    found = required_literals(re.compile(r"\b(?:kill|stab|hurt)\w*\b"))
    assert found == {"kill", "stab", "hurt"}
    assert not may_match(found, "lovely day at the park")
    assert may_match(found, "i will stab")


def test_optional_parts_and_short_literals_give_no_filter() -> None:
    assert required_literals(re.compile(r"(?:knife)?\w+")) is None
    assert required_literals(re.compile(r"a|bc")) is None


def test_digits_read_as_zero() -> None:
    found = required_literals(re.compile(r"\b\d{1,2}/\d{2}\b|\bage [1-9]\b"))
    assert found == {"0/00", "age 0"}
    assert key_text("born 12/05, now age 7", fold=False) == "born 00/00, now age 0"
    assert may_match(found, key_text("on 3/11/2024", fold=False))
    assert not may_match(found, key_text("on the third", fold=False))


def test_case_blind_patterns_compare_lower_cased() -> None:
    regex = re.compile(r"\bcase no\b", re.IGNORECASE)
    assert folds(regex)
    assert required_literals(regex) == {"case no"}
    assert may_match(required_literals(regex), key_text("CASE NO 4471", fold=True))
    # characters the regex engine matches case-blind with ASCII letters
    assert re.search("ski", "\u017fKİ", re.IGNORECASE)
    assert may_match(required_literals(re.compile("ski", re.I)), key_text("\u017fKİ", fold=True))


def test_scoped_case_blind_parts_fold_the_whole_pattern() -> None:
    regex = re.compile(r"Court (?i:order)")
    assert folds(regex)
    assert may_match(required_literals(regex), key_text("COURT ORDER", fold=True))


def test_the_index_finds_every_literal_present_in_one_scan() -> None:
    index = LiteralIndex(["kill", "killer", "ill", "il", "knife", "😂"])
    assert index.present("the killer 😂") == {"kill", "killer", "ill", "il", "😂"}
    assert index.present("a knif") == frozenset()
    assert LiteralIndex([]).present("anything") == frozenset()


@given(
    st.lists(st.text(alphabet="abk0", min_size=1, max_size=4), max_size=8),
    st.text(alphabet="abk0 ", max_size=30),
)
def test_the_index_agrees_with_substring_checks(literals: list[str], text: str) -> None:
    assert LiteralIndex(literals).present(text) == {w for w in literals if w in text}


def test_every_builtin_cue_is_never_skipped_when_it_matches() -> None:
    texts = [
        json.loads(line)["text"]
        for line in (ROOT / "training/data/inhouse_train.jsonl").read_text("utf-8").splitlines()
    ]
    views = [Doc.make(text, "review").cue.text for text in texts]
    for cue in builtin_cues():
        literals = required_literals(cue.regex)
        fold = folds(cue.regex)
        for view in views:
            if cue.regex.search(view):
                assert may_match(literals, key_text(view, fold)), (cue.id, view)


@given(st.text(alphabet="kilstabhurt yu!\n", max_size=40))
def test_skipping_is_exact_on_random_text(text: str) -> None:
    regex = re.compile(r"\b(?:i(?:'ll| will) (?:kill|stab)|hurt (?:you|u))\b")
    if regex.search(text):
        assert may_match(required_literals(regex), key_text(text, fold=False))


@given(st.text(alphabet="aB1٣/ \u0130\u017f", max_size=30))
def test_skipping_is_exact_with_digits_repeats_and_case(text: str) -> None:
    for regex in (
        re.compile(r"\b\d{1,2}/\d{2}\b"),
        re.compile(r"a{2,3}b\d", re.IGNORECASE),
        re.compile(r"(?:ab|b1)\s?\d{5}", re.IGNORECASE),
    ):
        if regex.search(text):
            assert may_match(required_literals(regex), key_text(text, folds(regex))), regex


def test_every_builtin_pattern_is_never_skipped_when_it_matches() -> None:
    import safeside
    from safeside.detectors.patterns import PatternRecognizer

    recognizers = [
        d for d in safeside.get_analyzer().entity_detectors if isinstance(d, PatternRecognizer)
    ]
    texts = [
        json.loads(line)["text"]
        for line in (ROOT / "training/data/inhouse_train.jsonl").read_text("utf-8").splitlines()
    ]
    for text in texts:
        doc = Doc.make(text, "review")
        for rec in recognizers:
            if rec.regex.search(doc.clean.text):
                assert doc.may_match(rec._requirement), (rec.name, text)
