"""Averaged perceptron for greedy BIO tagging, trained with the run-time features."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from corpora import IGNORE, Example

from safeside.ner.features import Lexicon, Sentence, dynamic_features, needs_model, static_features

TAGS = (
    "O",
    "B-PERSON",
    "I-PERSON",
    "B-LOCATION",
    "I-LOCATION",
    "B-ORG",
    "I-ORG",
    "B-SCHOOL",
    "I-SCHOOL",
)


class Perceptron:
    """Weights as feature -> list of per-tag floats, with running sums for averaging."""

    def __init__(self, lexicon: Lexicon, tags: Sequence[str] = TAGS) -> None:
        self.lexicon = lexicon
        self.tags = tuple(tags)
        self.n = len(self.tags)
        self.w: dict[str, list[float]] = {}
        self.acc: dict[str, list[float]] = {}  # sum of step * update, for averaging
        self.step = 1
        self.allowed = {
            p: [
                k
                for k, t in enumerate(self.tags)
                if not t.startswith("I-") or (p != "O" and p[2:] == t[2:])
            ]
            for p in self.tags
        }

    def scores(self, feats: list[str], w: dict[str, list[float]]) -> list[float]:
        s = [0.0] * self.n
        for f in feats:
            row = w.get(f)
            if row is not None:
                for k in range(self.n):
                    s[k] += row[k]
        return s

    def _update(self, feats: list[str], gold: int, guess: int) -> None:
        for f in feats:
            row = self.w.get(f)
            if row is None:
                row = self.w[f] = [0.0] * self.n
                self.acc[f] = [0.0] * self.n
            acc = self.acc[f]
            row[gold] += 1.0
            row[guess] -= 1.0
            acc[gold] += self.step
            acc[guess] -= self.step

    def train_epoch(self, data: Sequence[Example], rng: random.Random) -> int:
        """One shuffled pass; returns the number of mistakes."""
        order = list(range(len(data)))
        rng.shuffle(order)
        mistakes = 0
        index = {t: k for k, t in enumerate(self.tags)}
        for e in (data[k] for k in order):
            sent = Sentence.of(e.words, self.lexicon)
            prev, prev2 = "O", "O"
            for i, gold_tag in enumerate(e.tags):
                if not needs_model(sent, i, prev, self.lexicon):
                    prev, prev2 = "O", prev
                    continue
                feats = static_features(sent, i, self.lexicon) + dynamic_features(
                    sent, i, prev, prev2
                )
                s = self.scores(feats, self.w)
                guess = max(self.allowed[prev], key=s.__getitem__)
                if gold_tag != IGNORE:
                    gold = index[gold_tag]
                    if gold not in self.allowed[prev]:  # I-X after a wrong O: learn B-X
                        gold = index["B-" + gold_tag[2:]]
                    if guess != gold:
                        self._update(feats, gold, guess)
                        mistakes += 1
                self.step += 1
                prev, prev2 = self.tags[guess], prev
        return mistakes

    def averaged(self) -> dict[str, list[float]]:
        """The averaged weights: w - acc / step."""
        return {
            f: [row[k] - self.acc[f][k] / self.step for k in range(self.n)]
            for f, row in self.w.items()
        }


def prune(weights: dict[str, list[float]], threshold: float) -> dict[str, list[float]]:
    """Rounded weights with small ones zeroed; features left with no weight are dropped."""
    out: dict[str, list[float]] = {}
    for f, row in weights.items():
        kept = [round(v, 1) if abs(v) >= threshold else 0 for v in row]
        if any(kept):
            out[f] = [int(v) if v == int(v) else v for v in kept]
    return out


def calibrate(nll_at: dict[float, float]) -> float:
    """The temperature with the lowest negative log-likelihood."""
    return min(nll_at, key=lambda t: nll_at[t])


def token_nll(scores: list[float], allowed: Sequence[int], gold: int, t: float) -> float:
    """-log p(gold) under a softmax at temperature ``t`` over the allowed tags."""
    top = max(scores[k] for k in allowed)
    z = sum(math.exp((scores[k] - top) / t) for k in allowed)
    return math.log(z) - (scores[gold] - top) / t
