"""The encoder reads meaningful emoji as words, with evidence on the emoji itself."""

from __future__ import annotations

import safeside
from safeside.detectors.encoder import load_encoder
from safeside.text.emoji_words import EMOJI_WORDS


def test_the_encoder_reads_a_knife_emoji_as_the_word_knife_on_the_emojis_span() -> None:
    model = load_encoder()
    assert model is not None
    text = "by the bike sheds 🔪"
    pieces = model.tokenizer.tokenize(text)
    knife = model.tokenizer.tokenize("knife")
    assert [p.id for p in pieces[-len(knife) :]] == [p.id for p in knife]
    assert all(text[p.start : p.end] == "🔪" for p in pieces[-len(knife) :])


def test_emoji_outside_the_table_stay_unknown_and_variation_selectors_give_nothing() -> None:
    model = load_encoder()
    assert model is not None
    assert "🦄" not in EMOJI_WORDS
    assert [p.id for p in model.tokenizer.tokenize("🦄")] == [model.tokenizer.unk]
    assert model.tokenizer.tokenize("❤️") == model.tokenizer.tokenize("❤")


def test_every_emoji_word_is_in_the_vocabulary() -> None:
    model = load_encoder()
    assert model is not None
    for emoji, words in EMOJI_WORDS.items():
        ids = [p.id for p in model.tokenizer.tokenize(emoji)]
        assert ids and model.tokenizer.unk not in ids, (emoji, words)


def test_a_threat_with_knife_emoji_is_still_a_threat() -> None:
    text = "meet me behind the leisure centre after school tmrw 🔪🔪 u know what happens"
    analysis = safeside.analyze(text, mode="review")
    assert "threat" in {c.label for c in analysis.concerns}
