"""Court talk on a post kept anonymous: not a disclosure unless it still identifies a child."""

from __future__ import annotations

import pytest

import safeside


def proceedings(text: str) -> list[safeside.Concern]:
    result = safeside.analyze(text, mode="review")
    return [c for c in result.concerns if c.label == "proceedings_disclosure"]


@pytest.mark.parametrize(
    "text",
    [
        "Anonymous parent here: our final hearing is next month and my kids are 7 and 9. Any "
        "advice for preparing them? Not giving names or places for obvious reasons.",
        "A brilliant, humane judgment from the family court today, rightly anonymised. More of "
        "this please.",
        "Court reporter here: the story reads oddly because the judgment is anonymised. The "
        "judge was actually quite critical of the council.",
        "7 years clean. Got my daughter back under a supervision order last year and it's just "
        "ended. There IS hope. I'm not naming anything but if you need someone to talk to, I'm "
        "here.",
    ],
)
def test_anonymous_court_talk_is_not_a_disclosure(text: str) -> None:
    assert proceedings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "day 3 of telling my story. the judge is a woman, the guardian is a man, my son is 7 and "
        "he's autistic. hearing is next friday. no names but if you know you know 🤐",
        "I've anonymised the guardian's report so here it is: Kayden is 7 and goes to Oakfield "
        "Primary",
    ],
)
def test_a_post_that_says_anonymous_but_identifies_a_child_still_counts(text: str) -> None:
    found = proceedings(text)
    assert found
    assert "anonymous" not in found[0].explanation  # saying so is no evidence of disclosure
