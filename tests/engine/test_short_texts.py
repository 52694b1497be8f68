"""Too short to read: the model alone raises nothing on one word, and on two only what
it is sure of (no "possible" band).

Found on the Instagram sample export: captions "bla" and "hola" came back as concerns.
The cue rules still read every text, however short."""

from __future__ import annotations

import pytest

from safeside.pipeline.analyzer import Analyzer


@pytest.mark.parametrize(
    "text", ["bla", "hola", "lol", "ok x", "😂😂", "Nice one", "ok thanks", "see ya", "nice pic"]
)
@pytest.mark.parametrize("mode", ["own", "review"])
def test_a_word_or_two_raises_nothing(analyzer: Analyzer, text: str, mode: str) -> None:
    assert analyzer.analyze(text, mode).concerns == []


def test_the_cues_still_read_short_texts(analyzer: Analyzer) -> None:
    labels = {c.label for c in analyzer.analyze("kys", "review").concerns}
    assert labels & {"harassment", "threat", "self_harm"}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "bye forever",
            marks=pytest.mark.xfail(
                strict=True,
                reason="engine v2.16: the model reads a bare 'bye forever' at 63% self-harm, "
                "under its flag threshold (our writers use it as a joke 6 times in 6)",
            ),
        ),
        "goodbye everyone",
        "watch yourself",
    ],
)
def test_two_words_the_model_is_sure_of_are_still_reported(analyzer: Analyzer, text: str) -> None:
    assert {c.label for c in analyzer.analyze(text, "review").concerns} & {"self_harm", "threat"}
