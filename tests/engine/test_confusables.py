"""Look-alike letters (UTS #39 confusables): Cyrillic, Greek and full-width disguises."""

from __future__ import annotations

import pytest

import safeside
from safeside.text.normalize import clean_view, cue_view
from safeside.text.tables import confusables


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("i will kιll yοu", "kιll"),  # Greek iota and omicron
        ("I WILL ΚΙLL YOU", "ΚΙLL"),  # Greek capital kappa and iota
        ("i will кіll уоu", "кіll"),  # Cyrillic ka, i, u and o
        ("i will ｋｉｌｌ ｙｏｕ", "ｋｉｌｌ"),  # full-width
        ("i will kіｌl yοu", "kіｌl"),  # Cyrillic, full-width and Latin in one word
    ],
)
def test_a_threat_disguised_with_look_alikes_is_found_on_the_written_word(
    text: str, word: str
) -> None:
    assert cue_view(clean_view(text)).text.endswith("kill you")
    result = safeside.analyze(text, mode="review")
    threat = next(c for c in result.concerns if c.label == "threat")
    assert any(word in e.text for e in threat.evidence)
    assert all(text[e.start : e.end] == e.text for e in threat.evidence)


def test_an_email_with_cyrillic_letters_is_found_as_written() -> None:
    text = "email jо.bloggs@exаmple.com now"  # Cyrillic о and а
    found = [(e.label, e.text) for e in safeside.analyze(text).entities]
    assert ("EMAIL", "jо.bloggs@exаmple.com") in found


@pytest.mark.parametrize("text", ["Καλημέρα φίλε", "Привет, как дела?", "Ελλάδα και Россия"])
def test_greek_and_russian_words_are_left_as_written(text: str) -> None:
    assert clean_view(text).text == text


def test_the_table_covers_what_nfkc_leaves() -> None:
    table = confusables()
    # Cyrillic and Greek letters whose UTS #39 prototype is a Latin letter
    assert {table[c] for c in "кнтв"} == {"k", "h", "t", "b"}
    assert table["κ"] == "k" and table["ϲ"] == "c"
    # small capitals and enclosed letters, which UTS #39 does not map to ASCII
    assert table["ᴋ"] == "k" and table["⒦"] == "k" and table["🅺"] == "K"
    # full-width and mathematical letters are left to NFKC
    assert "ｋ" not in table and "𝐤" not in table
