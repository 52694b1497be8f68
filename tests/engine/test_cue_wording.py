"""Wording the cue rules read, checked on the rule itself (the model may still overrule a
cue in context: that is the arbiter's job, tested in test_arbiter.py)."""

from __future__ import annotations

import pytest

from safeside.detectors.concerns import builtin_cues


def fires(cue_id: str, text: str) -> bool:
    cue = next(c for c in builtin_cues() if c.id == cue_id)
    return cue.regex.search(text.lower()) is not None


@pytest.mark.parametrize(
    "text",
    [
        "he said not to tell mum, its our thing",
        "don't show your mum the card",
        "thank u for the lifts and for keeping our secret",
        "keep it from your foster carers ok",
        "never tell ur dad we talked",
    ],
)
def test_secrecy_from_parents_and_carers_is_a_grooming_sign(text: str) -> None:
    assert fires("grooming.secrecy", text)


@pytest.mark.parametrize(
    "text",
    ["don't tell me the ending!!", "we told mum about the party", "tell your mum I said hi"],
)
def test_ordinary_telling_is_not_secrecy(text: str) -> None:
    assert not fires("grooming.secrecy", text)


@pytest.mark.parametrize(
    "text",
    [
        "I've put everything in order for my sister",
        "not that it matters much longer",
        "sorted all my affairs in order today",
    ],
)
def test_settling_affairs_is_a_final_arrangement(text: str) -> None:
    assert fires("self_harm.final_arrangements", text)
