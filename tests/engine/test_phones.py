"""Phone numbers by libphonenumber (``phonenumbers``), plus Ofcom's drama ranges."""

from __future__ import annotations

import pytest

from safeside.detectors.identifiers import find_phones
from safeside.engine.doc import Entity
from safeside.pipeline.analyzer import Analyzer


def phones(analyzer: Analyzer, text: str) -> list[Entity]:
    return [e for e in analyzer.analyze(text).entities if e.label == "PHONE"]


@pytest.mark.parametrize(
    ("text", "number", "region"),
    [
        ("Ring the Paris office on +33 1 42 68 53 00 tomorrow", "+33 1 42 68 53 00", "FR"),
        ("her aunt in New York: +1 212 555 0123.", "+1 212 555 0123", "US"),
        ("US cell +1 (415) 555-2671 after 6", "+1 (415) 555-2671", "US"),
        ("Dublin +353 1 234 5678 or mobile +353 85 123 4567", "+353 1 234 5678", "IE"),
        ("Dublin +353 1 234 5678 or mobile +353 85 123 4567", "+353 85 123 4567", "IE"),
        ("call 0033 1 42 68 53 00", "0033 1 42 68 53 00", "FR"),
    ],
)
def test_international_numbers_are_found_with_their_country(
    analyzer: Analyzer, text: str, number: str, region: str
) -> None:
    found = {e.text: e for e in phones(analyzer, text)}
    assert number in found
    assert found[number].detector == "identifiers.intl_phone"
    assert f"({region})" in found[number].explanation


@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        ("text me on 07911 123456", "07911 123456", "mobile"),
        ("office 0113 496 0000", "0113 496 0000", "landline"),
        ("tel: 020-7946-0018", "020-7946-0018", "landline"),
        ("ring +44 (0)20 7946 0018", "+44 (0)20 7946 0018", "landline"),
        ("freephone 0808 157 0192", "0808 157 0192", "freephone"),
        # Ofcom's drama numbers, which libphonenumber does not count as valid
        ("ring me on 07700 900123 later", "07700 900123", "mobile"),
        ("call +44 7700 900123", "+44 7700 900123", "mobile"),
        ("or +44 (0)7700 900 123", "+44 (0)7700 900 123", "mobile"),
        ("desk 01632 960123", "01632 960123", "landline"),
        ("Nottingham 0115 496 0123", "0115 496 0123", "landline"),
    ],
)
def test_uk_numbers_say_whether_mobile_or_landline(
    analyzer: Analyzer, text: str, number: str, kind: str
) -> None:
    found = {e.text: e for e in phones(analyzer, text)}
    assert number in found, found
    assert found[number].detector == "identifiers.uk_phone"
    assert found[number].explanation == f"UK {kind} number"


@pytest.mark.parametrize(
    "text",
    [
        "NHS number 943 476 5919 on the form",
        "NHS no 999 412 7788",
        "update the diary on case no. 4471 please",
        "listed as LS21C00123 at court",
        "crime ref 46/123456/23 from the police",
        "claim number 1234567890 is closed",
        "ref 123 456 7890 on file",  # the old international regex took any 3-3-4 group
        "hearing on 12/03/2024 at 10:30",
        "born 01.02.2010",
        "invoice 20240312 paid",
        "£1,234,567 budget",
        "ring 07700 900 12",  # one digit short
        "Childline 0800 1111, any time",  # a service's short number, not someone's phone
    ],
)
def test_reference_numbers_nhs_numbers_and_dates_are_not_phones(
    analyzer: Analyzer, text: str
) -> None:
    assert phones(analyzer, text) == []


def test_offsets_are_exact_in_the_original_text(analyzer: Analyzer) -> None:
    text = "Ring 07700\u200b 900123, or +33 1 42 68 53 00, or ０１１３ ４９６ ００００."
    found = phones(analyzer, text)
    assert [e.text for e in found] == [
        "07700\u200b 900123",
        "+33 1 42 68 53 00",
        "０１１３ ４９６ ００００",
    ]
    for entity in found:
        assert text[entity.start : entity.end] == entity.text


def test_the_explanation_says_the_kind_and_country(analyzer: Analyzer) -> None:
    found = phones(analyzer, "Dublin +353 1 234 5678 or mobile +353 85 123 4567")
    assert [e.explanation for e in found] == ["landline number (IE)", "mobile number (IE)"]


def test_find_phones_reads_national_numbers_as_uk_numbers() -> None:
    text = "07911 123456 / +1 212 555 0123"
    assert [(p.uk, text[p.start : p.end]) for p in find_phones(text)] == [
        (True, "07911 123456"),
        (False, "+1 212 555 0123"),
    ]


def test_phone_scores_by_kind() -> None:
    assert [(p.uk, p.score) for p in find_phones("07911 123456")] == [(True, 0.95)]
    assert [(p.uk, p.score) for p in find_phones("0113 496 0000")] == [(True, 0.85)]
    assert [(p.uk, p.score) for p in find_phones("+33 1 42 68 53 00")] == [(False, 0.75)]
    assert find_phones("943 476 5919") == ()


def test_a_screenshot_number_with_a_letter_misread_for_a_digit_is_found() -> None:
    text = "ring me on 07700 9OO123, or 0770O 900l23 after 6"
    found = find_phones(text)
    assert [text[p.start : p.end] for p in found] == ["07700 9OO123", "0770O 900l23"]
    assert all("a letter read as a digit" in p.explanation for p in found)


def test_words_and_letters_alone_are_not_misread_numbers() -> None:
    assert find_phones("lol I100 likes, OOOOO IIIII lllll, ll0l0 l0l0l0") == ()
