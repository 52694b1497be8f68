"""The shipped name/place/school/organisation tagger, used as the engine uses it."""

from __future__ import annotations

import pytest

from safeside.ner import LABELS, NerSpan, Tagger, load_tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


def found(tagger: Tagger, text: str) -> list[tuple[str, str]]:
    """(span text, label) pairs, the way a reviewer reads the output."""
    return [(text[s.start : s.end], s.label) for s in tagger.tag(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Home visit to Kayden and his mum this morning", "Kayden"),
        ("Shout out to Mrs Okafor, best foster carer I know", "Mrs Okafor"),
        ("that vid of mr jones falling off the chair 😂", "mr jones"),
        ("Judge Harlow was fair today", "Judge Harlow"),
        ("Can't believe the Hendersons are back on my caseload", "Hendersons"),
        ("met up with jayden at the park", "jayden"),
        ("Congratulations to Aisha Begum on her promotion", "Aisha Begum"),
    ],
)
def test_finds_people(tagger: Tagger, text: str, name: str) -> None:
    assert (name, "PERSON") in found(tagger, text)


def test_possessive_s_stays_outside_the_name(tagger: Tagger) -> None:
    assert ("Frank", "PERSON") in found(tagger, "Just read Frank's chronology, wow")


@pytest.mark.parametrize(
    ("text", "span", "label"),
    [
        ("She's at St Mary's Primary now", "St Mary's Primary", "SCHOOL"),
        ("He got a place at Oakfield Academy", "Oakfield Academy", "SCHOOL"),
        ("excluded from Castlegate High again", "Castlegate High", "SCHOOL"),
        ("Kids are at Larkspur Nursery till 3", "Larkspur Nursery", "SCHOOL"),
        ("lives on the Hillside estate with no support", "Hillside estate", "LOCATION"),
        ("Party at the Rowan Centre on Elm Road", "Elm Road", "LOCATION"),
        ("Final hearing at Northdale Family Court next week", "Northdale Family Court", "ORG"),
        ("Proud to work for Northdale Council", "Northdale Council", "ORG"),
        ("Waiting for Cafcass to call back", "Cafcass", "ORG"),
        ("still waiting on CAMHS", "CAMHS", "ORG"),
        ("my years at Kingsmoor youth offending team", "Kingsmoor youth offending team", "ORG"),
    ],
)
def test_finds_schools_places_and_organisations(
    tagger: Tagger, text: str, span: str, label: str
) -> None:
    assert (span, label) in found(tagger, text)


@pytest.mark.parametrize(
    ("text", "not_a_name"),
    [
        ("Summer holidays start Friday, can't wait", "Summer"),
        ("Will you be around later for a chat?", "Will"),
        ("Follow @jess_b_2009 for more", "@jess_b_2009"),
        ("Great chat tonight #socialwork #SWChat", "#socialwork"),
        ("email amy.clarke@example.org if you need me", "amy.clarke@example.org"),
        ("Judge says I can't post about it", "Judge"),
    ],
)
def test_ordinary_words_handles_and_emails_are_not_people(
    tagger: Tagger, text: str, not_a_name: str
) -> None:
    assert all(span != not_a_name for span, _ in found(tagger, text))


def test_names_that_are_words_are_names_only_in_context(tagger: Tagger) -> None:
    assert found(tagger, "Summer holidays start Friday, can't wait") == []
    text = "Autumn and Summer are at nursery today"
    assert [s.start for s in tagger.tag(text) if s.label == "PERSON"] == [0, text.index("Summer")]


def test_each_line_is_read_on_its_own(tagger: Tagger) -> None:
    text = "Kacey added Amelia\nTia: again again\nmax: says who"
    names = [text[s.start : s.end] for s in tagger.tag(text) if s.label == "PERSON"]
    assert names == ["Kacey", "Amelia", "Tia", "max"]


def test_generic_services_and_cities_are_not_flagged(tagger: Tagger) -> None:
    assert found(tagger, "I hate the council and social services") == []
    assert found(tagger, "Moving to Leeds next year") == []


def test_each_span_carries_a_score_and_a_reason(tagger: Tagger) -> None:
    (span,) = tagger.tag("She's at St Mary's Primary now")
    assert span == NerSpan(span.start, span.end, "SCHOOL", span.score, "ends in 'Primary'")
    assert 0.5 < span.score <= 1.0
    (person,) = tagger.tag("Shout out to Mrs Okafor")
    assert "Mrs" in person.reason


def test_offsets_are_code_points_into_the_original_text(tagger: Tagger) -> None:
    text = "😂😂 omg\u200b Mrs Okafor 🙄 said so"
    (span,) = tagger.tag(text)
    assert text[span.start : span.end] == "Mrs Okafor"
    assert span.label in LABELS


def test_tag_batch_matches_tag(tagger: Tagger) -> None:
    texts = ["Thanks Kayden", "", "Elm Road is shut"]
    assert tagger.tag_batch(texts) == [tagger.tag(t) for t in texts]


def test_load_tagger_is_cached() -> None:
    assert load_tagger() is load_tagger()


def test_the_ages_model_reads_ages_the_patterns_miss() -> None:
    from safeside.ner import load_ages

    ages = load_ages()
    text = "im 14 and my mum wont let me go to the U12s match"
    found_ages = [(text[s.start : s.end], s.label) for s in ages.tag(text)]
    assert found_ages == [("14", "AGE"), ("U12s", "AGE")]
    assert "'im 14'" in ages.tag(text)[0].reason
    assert ages.tag("got 14 messages and 3 missed calls") == []


def test_a_code_with_a_number_in_it_is_not_an_age() -> None:
    import safeside

    for text in ("parents may ask their solicitor (PD12G)", "the M62 was shut", "room B12"):
        assert [e for e in safeside.analyze(text).entities if e.label == "AGE"] == [], text
    ages = [e.text for e in safeside.analyze("the U12s coach").entities if e.label == "AGE"]
    assert ages == ["U12s"]
