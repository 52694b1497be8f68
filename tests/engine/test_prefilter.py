"""The literal pre-check may skip a regex only when the regex cannot match."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from safeside.detectors.concerns import builtin_cues
from safeside.engine.doc import Doc
from safeside.text.prefilter import may_match, required_literals

ROOT = Path(__file__).resolve().parents[2]


def test_alternatives_each_contribute_a_literal() -> None:
    found = required_literals(re.compile(r"\b(?:kill|stab|hurt)\w*\b"))
    assert found == {"kill", "stab", "hurt"}
    assert not may_match(found, "lovely day at the park")
    assert may_match(found, "i will stab")


def test_optional_parts_and_short_literals_give_no_filter() -> None:
    assert required_literals(re.compile(r"(?:knife)?\d+")) is None
    assert required_literals(re.compile(r"a|bc")) is None


def test_case_blind_patterns_compare_case_folded() -> None:
    found = required_literals(re.compile(r"\bcase no\b", re.IGNORECASE))
    assert found == {"case no"}
    assert may_match(found, "CASE NO 4471".casefold())


def test_every_builtin_cue_is_never_skipped_when_it_matches() -> None:
    texts = [
        json.loads(line)["text"]
        for line in (ROOT / "training/data/inhouse_train.jsonl").read_text("utf-8").splitlines()
    ]
    for cue in builtin_cues():
        literals = required_literals(cue.regex)
        for text in texts:
            view = Doc.make(text, "review").cue.text
            if cue.regex.search(view):
                assert may_match(literals, view), (cue.id, text)


@given(st.text(alphabet="kilstabhurt yu!\n", max_size=40))
def test_skipping_is_exact_on_random_text(text: str) -> None:
    regex = re.compile(r"\b(?:i(?:'ll| will) (?:kill|stab)|hurt (?:you|u))\b")
    if regex.search(text):
        assert may_match(required_literals(regex), text)
