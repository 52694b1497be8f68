"""The tagger: greedy left-to-right BIO decoding with averaged-perceptron weights.

Pure Python at run time. Weights and word lists live in one JSON file written by
``training/ner/train.py``; see ``docs/models/ner.md``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from safeside.ner.features import (
    SUFFIX_CLASSES,
    Lexicon,
    Sentence,
    dynamic_features,
    needs_model,
    static_features,
)
from safeside.ner.tokens import TOKEN_PATTERN

#: Where the shipped model lives.
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "ner" / "model.json"
#: The ages model: numbers and phrases read as a person's age from the words around them.
AGES_PATH = MODEL_PATH.with_name("ages.json")
LABELS = ("PERSON", "LOCATION", "ORG", "SCHOOL")
_GENERIC = frozenset({"title", *SUFFIX_CLASSES})

#: A line of text (a chat turn, a list item): the tagger's unit.
_LINE = re.compile(r"[^\n\r\u2028\u2029]+")

#: feature -> one weight per tag
Weights = Mapping[str, Sequence[float]]


@dataclass(frozen=True, slots=True)
class NerSpan:
    """A name, place, school or organisation: ``text[start:end]`` (code points)."""

    start: int
    end: int
    label: str
    score: float
    reason: str


class Tagger:
    """Tags PERSON, LOCATION, ORG and SCHOOL spans in short social-media texts."""

    def __init__(self, tags: Sequence[str], weights: Weights, lexicon: Lexicon, temperature: float):
        self.tags = tuple(tags)
        self.weights = weights
        self.lexicon = lexicon
        self.temperature = temperature
        self._o = self.tags.index("O")
        # allowed[p] = tag indices that may follow tag p (I-X only after B-X or I-X)
        self._allowed = {p: self._follow(p) for p in (*self.tags, "<s>")}

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Tagger:
        """Read a model file written by the training script."""
        data = json.loads(path.read_text(encoding="utf-8"))
        lists = data["lexicon"]
        lexicon = Lexicon.build(
            lists["classes"],
            lists["common"],
            lists["starters"],
            lists.get("coarse", ()),
            lists.get("brands", ()),
        )
        return cls(data["tags"], data["weights"], lexicon, float(data["temperature"]))

    def _follow(self, prev: str) -> tuple[int, ...]:
        return tuple(
            k
            for k, t in enumerate(self.tags)
            if not t.startswith("I-") or (prev[2:] == t[2:] and prev != "O")
        )

    def tag(self, text: str) -> list[NerSpan]:
        """Names, places, schools and organisations in ``text``, in order.

        Each line is read on its own: a chat's "Tia:" starts a line the way a name starts
        a sentence, and no name runs across a line break.
        """
        spans: list[NerSpan] = []
        for line in _LINE.finditer(text):
            spans += self._tag_line(text, line.start(), line.end())
        return spans

    def _tag_line(self, text: str, lo: int, hi: int) -> list[NerSpan]:
        tokens = list(TOKEN_PATTERN.finditer(text, lo, hi))
        if not tokens:
            return []
        sent = Sentence.of([t.group() for t in tokens], self.lexicon)
        tagged = self.decode(sent)
        spans: list[NerSpan] = []
        coarse, brands = self.lexicon.coarse, self.lexicon.brands
        for label, i, j, score in _chunks(tagged):
            if j == i + 1 and sent.gaz[i] in _GENERIC:
                continue  # a bare "Judge", "team" or "Lane" is not a name
            start, end = tokens[i].start(), tokens[j - 1].end()
            surface = text[start:end].lower()
            if surface in (coarse if label == "LOCATION" else brands):
                continue  # cities are coarser than a LOCATION; apps and brands are not ORG
            reason = self.explain(sent, i, j, label)
            spans.append(NerSpan(start, end, label, score, reason))
        return spans

    def tag_batch(self, texts: Iterable[str]) -> list[list[NerSpan]]:
        """:meth:`tag` for each text."""
        return [self.tag(text) for text in texts]

    def tag_words(self, words: Sequence[str]) -> list[str]:
        """BIO tags for already tokenised words (used for evaluation)."""
        if not words:
            return []
        return [t for t, _ in self.decode(Sentence.of(words, self.lexicon))]

    def decode(self, sent: Sentence) -> list[tuple[str, float]]:
        """Greedy BIO decoding: (tag, probability of that tag) for each token."""
        tags, weights, lex, n_tags, o = (
            self.tags,
            self.weights,
            self.lexicon,
            len(self.tags),
            self._o,
        )
        out: list[tuple[str, float]] = []
        prev, prev2 = "O", "O"
        for i in range(len(sent.words)):
            if not needs_model(sent, i, prev, lex):
                out.append(("O", 1.0))
                prev, prev2 = "O", prev
                continue
            feats = static_features(sent, i, lex) + dynamic_features(sent, i, prev, prev2)
            rows = [row for row in map(weights.get, feats) if row is not None]
            scores = [sum(col) for col in zip(*rows, strict=True)] if rows else [0.0] * n_tags
            allowed = self._allowed[prev]
            best = max(allowed, key=scores.__getitem__)
            p = 1.0 if best == o else self._probability(scores, allowed, best)
            out.append((tags[best], p))
            prev, prev2 = tags[best], prev
        return out

    def _probability(self, scores: list[float], allowed: Sequence[int], best: int) -> float:
        top, t = scores[best], self.temperature
        return 1.0 / sum(math.exp((scores[k] - top) / t) for k in allowed)

    def explain(self, sent: Sentence, i: int, j: int, label: str) -> str:
        """A short human-readable reason for the span of tokens ``[i, j)``."""
        words, gaz = sent.words, sent.gaz
        before = words[i - 1] if i > 0 and sent.kinds[i - 1] == "word" else ""
        if label == "AGE":
            phrase = " ".join(w for w in (before, *words[i:j]) if w)
            return f"read as an age from the words around it ('{phrase}')"
        if label != "PERSON" and gaz[j - 1] in SUFFIX_CLASSES:
            return f"ends in '{words[j - 1]}'"
        if label == "ORG" and "korg" in gaz[i:j]:
            return "known organisation name"
        if label == "PERSON":
            if gaz[i] == "title" and j > i + 1:
                return f"name after the title '{words[i]}'"
            if before and gaz[i - 1] == "title":
                return f"word after '{before}'"
            if before.lower() == "the" and words[j - 1].endswith("s"):
                return "family name after 'the'"
            if gaz[i] == "first":
                context = f" in context '{before} ...'" if before else ""
                return f"known first name{context}"
            if gaz[j - 1] == "sur":
                return "known surname"
        shape = "capitalised" if words[i][:1].isupper() else "lower-case"
        context = f" after '{before}'" if before else " at the start"
        return f"{shape} word{context}"


def _chunks(tagged: Sequence[tuple[str, float]]) -> list[tuple[str, int, int, float]]:
    """(label, first token, end token, score) for each BIO chunk; score = lowest token probability."""
    chunks: list[tuple[str, int, int, float]] = []
    start, label, low = -1, "", 1.0
    for k, (tag, p) in enumerate([*tagged, ("O", 1.0)]):
        if start >= 0 and not (tag.startswith("I-") and tag[2:] == label):
            chunks.append((label, start, k, round(low, 3)))
            start = -1
        if tag.startswith("B-"):
            start, label, low = k, tag[2:], p
        elif start >= 0:
            low = min(low, p)
    return chunks
