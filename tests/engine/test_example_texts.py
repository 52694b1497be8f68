"""The training examples behind "reads like: ..." are stored compactly and read back whole."""

from __future__ import annotations

import numpy as np

from safeside.detectors.encoder import load_encoder, pack_texts, unpack_texts

TEXTS = ["", "plain", "emoji 😭 and accents é", "two\nlines", "’curly’ quotes", "x" * 3000]


def test_texts_come_back_exactly_as_stored() -> None:
    assert unpack_texts(pack_texts(TEXTS)) == TEXTS


def test_an_older_file_with_a_string_array_still_reads() -> None:
    assert unpack_texts({"texts": np.array(TEXTS)}) == TEXTS


def test_the_shipped_examples_line_up_with_their_vectors_and_labels() -> None:
    model = load_encoder()
    assert model is not None
    n = len(model.example_vectors)
    assert n > 10_000
    assert len(model.example_texts) == len(model.example_concerns) == n
    assert all(model.example_texts[:100]) and all(model.example_texts[-100:])
