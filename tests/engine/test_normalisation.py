"""Evasion: zero-width characters, homoglyphs, leetspeak and stretched letters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from safeside.pipeline.analyzer import Analyzer
from safeside.text import clean_view, cue_view


def test_cue_view_undoes_common_evasion() -> None:
    view = cue_view(clean_view("I w\u200bill k1ll yоu"))  # zero-width space, Cyrillic о
    assert view.text == "i will kill you"


def test_leetspeak_is_not_applied_to_references_ages_or_handles() -> None:
    assert cue_view(clean_view("ND22C00417 13yo @j3ss")).text == "nd22c00417 13yo @j3ss"


def test_stretched_letters_are_shortened() -> None:
    assert cue_view(clean_view("pleeeeease sooooo")).text == "please so"
    assert cue_view(clean_view("xxxxx zzzz")).text == "xx zz"  # no word: two letters


@given(st.text(max_size=200))
def test_every_view_offset_maps_back_inside_the_original(text: str) -> None:
    view = cue_view(clean_view(text))
    for i in range(len(view.text)):
        start, end = view.to_original(i, i + 1)
        assert 0 <= start < end <= len(text)


def test_threat_hidden_with_homoglyphs_and_zero_width_is_found(analyzer: Analyzer) -> None:
    text = "i kn\u200bow where yоu l1ve and u will regret this"
    result = analyzer.analyze(text, "review")
    threat = next(c for c in result.concerns if c.label == "threat")
    assert all(text[e.start : e.end] == e.text for e in threat.evidence)
    assert any("kn\u200bow where" in e.text for e in threat.evidence)
