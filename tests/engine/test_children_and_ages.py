"""Child references and ages as our writers and the annotation conventions mark them."""

from __future__ import annotations

import safeside


def found(text: str) -> list[tuple[str, str]]:
    return [(e.label, e.text) for e in safeside.analyze(text, "review").entities]


def test_parenting_forum_shorthand_is_a_child_reference() -> None:
    spans = found("DS (7) is clingy since DD2 arrived and LO won't settle")
    assert ("CHILD_REF", "DS") in spans
    assert ("CHILD_REF", "DD2") in spans
    assert ("CHILD_REF", "LO") in spans


def test_a_console_or_a_police_rank_is_not_a_child() -> None:
    assert ("CHILD_REF", "DS") not in found("my DS game is broken again")
    assert ("PERSON", "DS Patel") in found("Police: DS Patel attended the house")


def test_aged_gives_the_number_and_turned_keeps_its_verb() -> None:
    spans = found("She was aged 14 when it started and turned 15 last week")
    assert ("AGE", "14") in spans
    assert ("AGE", "turned 15") in spans
