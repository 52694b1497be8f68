"""Concerns read like a practitioner would read them, including the context that clears them."""

from __future__ import annotations

import pytest

from safeside.engine.aggregate import _generic
from safeside.engine.doc import Doc, Signal
from safeside.pipeline.analyzer import Analyzer
from safeside.taxonomy import Severity


def concerns(analyzer: Analyzer, text: str, mode: str) -> dict[str, Severity]:
    return {c.label: c.severity for c in analyzer.analyze(text, mode).concerns}


@pytest.mark.parametrize(
    ("text", "mode", "concern"),
    [
        (
            "Kayden (7) back from contact at the Hillside family centre today, mum kicked off again",
            "own",
            "confidentiality",
        ),
        (
            "Our useless team manager couldn't organise a piss-up in a brewery",
            "own",
            "unprofessional",
        ),
        (
            "My eldest started at Fernbank Primary today, same drop-off time every morning from now on",
            "own",
            "self_exposure",
        ),
        ("I know where you live and you'll regret this", "review", "threat"),
        (
            "hey sweetie ur so mature for 13, delete this chat and add me on snap",
            "review",
            "grooming",
        ),
        (
            "I'm your real mum. Don't tell your carers, meet me after school",
            "review",
            "contact_breach",
        ),
        ("cant do this anymore, got the pills ready tonight", "review", "self_harm"),
        ("nobody likes u, ur out the group chat. such a loser 😂", "review", "bullying"),
        ("EASY MONEY 16-17s DM me, phone provided, £300 a day", "review", "exploitation"),
        (
            "SHARE! Our Noah (2) was taken into care. Final hearing on Monday, the judge said we lie",
            "review",
            "proceedings_disclosure",
        ),
        (
            "social worker Jenny Marsh is a useless lying cow, everyone go and comment on her page",
            "review",
            "harassment",
        ),
    ],
)
def test_each_concern_is_found(analyzer: Analyzer, text: str, mode: str, concern: str) -> None:
    assert concern in concerns(analyzer, text, mode)


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("this essay is killing me, I want to die 😂", "review"),
        ("I'm going to kill it at the presentation tomorrow", "own"),
        ("I would never hurt her, she's my world", "review"),
        ("Great #SWChat tonight on supporting young people who self-harm", "own"),
        ("Happy 10 years qualified to me! Still love this job", "own"),
        ("Proud that our council signed the safer recruitment pledge", "own"),
        ("could murder a brew right now", "own"),
        ("Training today on handling threats from parents, really useful", "own"),
        ("Thank you to our social worker Lisa who has been so supportive this year", "review"),
    ],
)
def test_ordinary_posts_raise_nothing(analyzer: Analyzer, text: str, mode: str) -> None:
    assert concerns(analyzer, text, mode) == {}


def test_a_threat_with_time_place_and_weapon_is_critical(analyzer: Analyzer) -> None:
    found = concerns(
        analyzer, "gonna batter that snitch after school tmrw by the bike sheds 🔪🔪", "review"
    )
    assert found["threat"] == Severity.CRITICAL


def test_a_denial_followed_by_a_threat_is_still_a_threat(analyzer: Analyzer) -> None:
    text = "I'd never hurt anyone. But if I see him near my kids again I won't be responsible for what happens."
    assert "threat" in concerns(analyzer, text, "review")


def test_concerns_only_appear_in_their_mode(analyzer: Analyzer) -> None:
    assert "grooming" not in concerns(analyzer, "ur so mature for 13, our little secret", "own")


def test_every_concern_has_evidence_inside_the_text_and_an_explanation(analyzer: Analyzer) -> None:
    text = "We've got people watching your house. Your kids finish at 3:15 don't they"
    result = analyzer.analyze(text, "review")
    assert result.concerns
    for concern in result.concerns:
        assert concern.explanation
        assert concern.evidence
        for ev in concern.evidence:
            assert text[ev.start : ev.end] == ev.text
            assert ev.cue


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        ("i really dont want to be alive anymore", "self_harm"),
        ("written my will and given my cat to my sister. at peace with it all", "self_harm"),
        ("been researching ways to end it all night", "self_harm"),
        ("Reece ur getting jumped after school, cant hide", "threat"),
        (
            "Leave my family alone or your windows won't be the only thing that gets smashed",
            "threat",
        ),
        ("I want to kill all of those people", "threat"),
        ("we made a song about her being smelly and everyone laughed", "bullying"),
        (
            "ur so mature 4 ur age. save my number under a girl's name so ur mum doesnt ask",
            "grooming",
        ),
        (
            "Looking for my grandson Kai, born 2015, taken into care in Leeds. Please share",
            "contact_breach",
        ),
    ],
)
def test_indirect_and_slang_wording_is_found(analyzer: Analyzer, text: str, concern: str) -> None:
    assert concern in concerns(analyzer, text, "review")


@pytest.mark.parametrize(
    "text",
    [
        "No child deserves to be hurt like that.",
        "He was banned for saying 'they should all be shot', and rightly so.",
        "Oh yes, I'll definitely kill him for being late /s",
        "Someone will get hurt on that roundabout one day.",
    ],
)
def test_negated_condemned_and_sarcastic_threats_are_not_flagged(
    analyzer: Analyzer, text: str
) -> None:
    assert "threat" not in concerns(analyzer, text, "review")


@pytest.mark.parametrize(
    "text",
    [
        "the dad at today's core group thought a chronology was a watch 🤣 you couldn't write it",
        "Still hungover from Friday and on duty all day, pray for me",
        "added one of my care leavers on my personal insta, she's 18 now so fine?",
        "our head of service is an absolute joke",
    ],
)
def test_unprofessional_posts_about_work_are_found(analyzer: Analyzer, text: str) -> None:
    assert "unprofessional" in concerns(analyzer, text, "own")


def test_telling_someone_to_die_is_abuse_not_the_writers_self_harm(analyzer: Analyzer) -> None:
    found = concerns(
        analyzer, "why are you even alive, no one would care if you disappeared", "review"
    )
    assert "harassment" in found
    assert "self_harm" not in found


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        ("my real mum added me on tiktok and wants to meet up", "contact_breach"),
        ("Mummy will find you one day, never forget that xx", "contact_breach"),
        ("no one sits with me at lunch, they all laugh when i walk past", "bullying"),
        ("took the whole box of my mum's sleeping tablets, sorry everyone", "self_harm"),
        ("Anyone know where that social worker Kate lives? Asking for reasons", "harassment"),
    ],
)
def test_reported_and_indirect_wording_is_found(
    analyzer: Analyzer, text: str, concern: str
) -> None:
    assert concern in concerns(analyzer, text, "review")


def test_an_overdose_already_taken_is_critical(analyzer: Analyzer) -> None:
    found = concerns(
        analyzer, "took the whole box of my mum's sleeping tablets, sorry everyone", "review"
    )
    assert found["self_harm"] == Severity.CRITICAL


def test_a_model_probability_counts_once_however_many_words_it_names() -> None:
    text = "Someone I support added me on Facebook; I told my manager."
    signals = [
        Signal("unprofessional", 0.74, Severity.MEDIUM, text.index(word),
               text.index(word) + len(word), "unprofessional.model", "statistical model (74%)",
               "concerns.classifier", "model")
        for word in ("added", "Facebook", "manager")  # the model's three strongest words
    ]  # fmt: skip
    concern = _generic("unprofessional")(Doc.make(text, "own"), signals)
    assert concern is not None
    assert concern.confidence == 0.74, "not inflated to ~0.9 by being shown at three words"
    assert [ev.text for ev in concern.evidence] == ["added", "Facebook", "manager"]
