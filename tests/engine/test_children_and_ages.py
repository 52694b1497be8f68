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


def test_a_parents_count_and_the_eldest_are_child_references() -> None:
    spans = found("The eldest starts at Oakfield Primary and my two are settling. Our three x")
    assert ("CHILD_REF", "The eldest") in spans
    assert ("CHILD_REF", "my two") in spans
    assert ("CHILD_REF", "Our three") in spans
    assert ("CHILD_REF", "the middle girl") in found("the middle girl is struggling")


def test_a_count_of_something_else_is_not_a_child() -> None:
    for text in (
        "my two brothers are idiots",
        "rating her 2/10 lol",
        "her 2-bed flat",
        "stuck in the middle of Tesco",
    ):
        assert not [t for label, t in found(text) if label == "CHILD_REF"], text


def test_age_teams_school_years_and_an_age_between_commas_are_ages() -> None:
    assert ("AGE", "U11s") in found("Coached the U11s tonight")
    assert ("AGE", "Y7") in found("my sons in Y7 at Holmwick Academy")
    assert ("AGE", "y11") in found("selling my y11 prom dress")
    spans = found("Grace Orme, 10, Carrowby Family Court")
    assert ("AGE", "10") in spans and ("ORG", "Carrowby Family Court") in spans


def test_a_foster_carers_our_fc_is_a_child_and_a_football_club_is_an_organisation() -> None:
    assert ("CHILD_REF", "Our FC") in found("Bit worried. Our FC keeps being dropped off late")
    spans = found("U9s training at Wrayford Juniors FC, then Castleburn RUFC minis")
    assert ("ORG", "Wrayford Juniors FC") in spans and ("ORG", "Castleburn RUFC") in spans


def test_a_possessive_without_its_apostrophe_leaves_the_s_outside() -> None:
    assert ("CHILD_REF", "my son") in found("Hi, my sons in Y7 at Holmwick Academy")
    assert ("CHILD_REF", "my daughter") in found("my daughters been sent home AGAIN")
    assert ("CHILD_REF", "my sons") in found("both my sons are grown up now")
