"""The tagger takes any string without raising and stays fast."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeside.ner import LABELS, Tagger, load_tagger
from safeside.ner.tokens import tokenize


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", "😂" * 50, "\x00\x01\x7f\ufeff", "\ud800 lone surrogate", "@", "#", "'s"],
)
def test_odd_inputs_do_not_raise(tagger: Tagger, text: str) -> None:
    for span in tagger.tag(text):
        assert 0 <= span.start < span.end <= len(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_valid_spans(text: str) -> None:
    spans = load_tagger().tag(text)
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start
    for span in spans:
        assert span.label in LABELS
        assert 0.0 <= span.score <= 1.0
        assert text[span.start : span.end].strip() == text[span.start : span.end]


def test_a_megabyte_of_text_is_tagged(tagger: Tagger) -> None:
    text = ("Visited Kayden on Elm Road today, all fine. " * 25_000)[:1_000_000]
    spans = tagger.tag(text)
    assert len(spans) > 40_000


@pytest.mark.parametrize("unit", ["a.", "@a.", "#a.", "a@", "x", "http://"])
def test_pathological_text_stays_linear(unit: str) -> None:
    start = time.perf_counter()
    tokenize(unit * 20_000)
    assert time.perf_counter() - start < 1.0  # a quadratic regex would take minutes


def test_tokens_keep_offsets_and_split_possessives() -> None:
    text = "Frank's mum @kez_81 #care amy@x.org"
    assert [(t.text, text[t.start : t.end]) for t in tokenize(text)][:3] == [
        ("Frank", "Frank"),
        ("'s", "'s"),
        ("mum", "mum"),
    ]
    assert [t.text for t in tokenize(text)][3:] == ["@kez_81", "#care", "amy@x.org"]


def test_short_texts_are_tagged_quickly(tagger: Tagger) -> None:
    texts = ["Home visit to Kayden on the Hillside estate, mum kicked off again"] * 500
    start = time.perf_counter()
    tagger.tag_batch(texts)
    assert time.perf_counter() - start < 1.0  # about 0.05 s on the dev machine
