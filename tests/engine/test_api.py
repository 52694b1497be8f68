"""The public API: one call, JSON out, hostile input handled."""

from __future__ import annotations

import json

import numpy as np
import pytest

import safeside


def test_analyze_returns_a_versioned_json_serialisable_result() -> None:
    result = safeside.analyze(
        "Kayden (7) back from contact at the Hillside family centre", mode="own"
    )
    data = json.loads(json.dumps(result.to_dict()))
    assert data["schema"] == safeside.SCHEMA_VERSION
    assert data["mode"] == "own"
    assert {"entities", "concerns", "severity", "actions", "rewrite", "notes"} <= set(data)
    assert data["severity"] in ("none", "low", "medium", "high", "critical")


def test_own_mode_gives_a_safer_rewrite_that_drops_identifiers() -> None:
    result = safeside.analyze(
        "Lovely visit with the 6yo at 14 Elm Road today #socialwork", mode="own"
    )
    assert result.rewrite is not None
    assert "14 Elm Road" not in result.rewrite.text
    assert all(c.reason for c in result.rewrite.changes)


def test_actions_cite_their_sources() -> None:
    result = safeside.analyze("I know where you live, watch your back", mode="review")
    assert result.actions
    for action in result.actions:
        assert action.sources and all(s.title for s in action.sources)


def test_batch_matches_single_calls() -> None:
    texts = ["hello", "I know where you live", "call 07700 900123"]
    batch = safeside.analyze_batch(texts, mode="review")
    assert [a.to_dict() for a in batch] == [safeside.analyze(t, "review").to_dict() for t in texts]


def test_batches_on_several_threads_at_once_match_single_calls() -> None:
    """The model reads each batch on one shared background thread (while the detectors run
    on the caller's): requests from several threads each get their own texts' results."""
    from concurrent.futures import ThreadPoolExecutor

    groups = [
        ["I know where you live", "see you at pick up x"],
        ["call 07700 900123", "add me on snap, this app is watched"],
        ["hello", "ur dead after school behind the sports hall at 3"],
    ]
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda g: safeside.analyze_batch(g, mode="review"), groups))
    for group, batch in zip(groups, results, strict=True):
        assert [a.to_dict() for a in batch] == [
            safeside.analyze(t, "review").to_dict() for t in group
        ]


def test_a_texts_vector_does_not_depend_on_its_batch() -> None:
    """The int8 encoder scales its activations per call, so each text runs on its own."""
    encoder = safeside.get_analyzer().encoder
    assert encoder is not None
    texts = ["I know where you live", "see you at pick up x", "a much longer message " * 60]
    ids = [encoder.model.piece_ids(t) for t in texts]
    together = encoder.model.encode_ids(ids)
    for n, one in enumerate(ids):
        assert np.array_equal(encoder.model.encode_ids([one])[0], together[n])


def test_batch_without_explanations_finds_the_same_concerns() -> None:
    texts = [
        "sorted out who gets the cat, posted the keys back, won't need them after tomorrow",
        "funny how quickly a car can get scratched round here",
        "I know where you live, watch your back",
        "Lovely team day at the family centre",
        "you're the only one who gets me, don't tell your mum, I'll top up your game credit",
    ]
    full = safeside.analyze_batch(texts, mode="review")
    quick = safeside.analyze_batch(texts, mode="review", explain=False)
    assert any(c.detectors == ["concerns.encoder"] for a in full for c in a.concerns)
    for a, b in zip(full, quick, strict=True):
        assert [(c.label, c.severity, c.certainty) for c in a.concerns] == [
            (c.label, c.severity, c.certainty) for c in b.concerns
        ]
        for c in b.concerns:
            assert not c.similar  # no nearest examples looked up
            if c.detectors == ["concerns.encoder"]:
                assert not c.evidence  # no occlusion run


@pytest.mark.parametrize("text", ["", " ", "\x00\x01\x02", "\ud800 lone surrogate", "💀" * 1000])
def test_odd_text_gives_a_sane_result(text: str) -> None:
    result = safeside.analyze(text, mode="review")
    assert result.text == text


def test_a_megabyte_of_text_is_analysed_in_windows_with_correct_offsets() -> None:
    filler = "Nothing to see here, just a long post about the weather. " * 18_000
    text = filler + "I know where you live."
    result = safeside.analyze(text, mode="review")
    assert "threat" in result.concern_labels
    ev = result.concerns[0].evidence[0]
    assert text[ev.start : ev.end] == ev.text
    assert any("windows" in note for note in result.notes)


def test_bytes_and_bad_modes_are_refused_clearly() -> None:
    with pytest.raises(TypeError, match="decode it first"):
        safeside.analyze(b"hello", mode="own")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'own' or 'review'"):
        safeside.analyze("hello", mode="public")
