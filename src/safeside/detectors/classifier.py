"""A small linear text classifier per concern, trained by us and shipped as JSON.

It generalises the cues: wording the cue lists do not know can still raise a concern
when the model is confident, and it supports weaker cue evidence. It is explainable: the
words that pushed the score up are reported as evidence spans, and the explanation names
them. Inference is pure Python (a dictionary look-up per feature), so it adds microseconds.

Training: ``training/concerns/train.py`` (model card: ``docs/models/concerns.md``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from safeside.detectors.context import RULES
from safeside.engine.doc import Doc, Signal
from safeside.engine.registry import Detector, registry
from safeside.taxonomy import Severity, concern_allowed
from safeside.text.embedding import StaticEmbedder, load_embedder

#: Function words carry style, not meaning: they are only used inside word pairs.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "u",
        "ur",
        "he",
        "him",
        "his",
        "she",
        "her",
        "it",
        "its",
        "they",
        "them",
        "their",
        "is",
        "am",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
        "would",
        "could",
        "should",
        "will",
        "shall",
        "can",
        "may",
        "might",
        "must",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "as",
        "and",
        "or",
        "but",
        "if",
        "so",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "how",
        "not",
        "no",
        "yes",
        "just",
        "im",
        "i'm",
        "i'd",
        "i'll",
        "i've",
        "you're",
        "she's",
        "he's",
        "it's",
        "we're",
        "they're",
        "that's",
        "there's",
    ]
)
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_DIGITS = re.compile(r"\d")


class Feature(NamedTuple):  # a tuple: made hundreds of times per text
    name: str
    start: int  # offsets into the cue view
    end: int


def extract_features(doc: Doc) -> list[Feature]:
    """Word and word-pair features of the cue view, plus which entity labels are present."""
    return list(map(Feature._make, feature_spans(doc)))


def feature_spans(doc: Doc) -> list[tuple[str, int, int]]:
    """:func:`extract_features` as plain ``(name, start, end)`` tuples (faster to make)."""
    feats: list[tuple[str, int, int]] = []
    append = feats.append
    prev, prev_start = "", -1
    for m in TOKEN.finditer(doc.cue.text):
        tok = m.group()
        if not tok.isalpha():
            tok = _DIGITS.sub("0", tok)
        start, end = m.span()
        if tok not in STOPWORDS:
            append(("w:" + tok, start, end))
        if prev_start >= 0:
            append((f"b:{prev}_{tok}", prev_start, end))
        prev, prev_start = tok, start
    for label in sorted({e.label for e in doc.entities}):
        append(("e:" + label, -1, -1))
    return feats


@dataclass(frozen=True, slots=True)
class ConcernModel:
    """Per-concern weights over shared word features and a dense sentence embedding."""

    concerns: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, list[float]]
    thresholds: dict[str, float]
    severity: dict[str, str]
    version: str
    dense_mean: npt.NDArray[np.float32] | None = None
    dense_weights: npt.NDArray[np.float32] | None = None
    #: ``weights`` without the zeros: (concern index, weight) pairs, for speed
    _sparse: dict[str, tuple[tuple[int, float], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        sparse = {
            name: tuple((i, w) for i, w in enumerate(row) if w)
            for name, row in self.weights.items()
        }
        object.__setattr__(self, "_sparse", sparse)

    def scores(
        self, feats: Sequence[tuple[str, int, int]], dense: npt.NDArray[np.float32] | None = None
    ) -> tuple[list[float], list[list[tuple[float, Feature]]]]:
        totals = list(self.bias)
        if dense is not None and self.dense_weights is not None and self.dense_mean is not None:
            totals = [
                t + float(d)
                for t, d in zip(totals, self.dense_weights @ (dense - self.dense_mean), strict=True)
            ]
        contributions: list[list[tuple[float, Feature]]] = [[] for _ in self.concerns]
        seen: set[str] = set()
        sparse = self._sparse
        for name, start, end in feats:
            row = sparse.get(name)
            if row is None or name in seen:
                continue  # a feature counts once, at its first occurrence
            seen.add(name)
            for i, w in row:
                totals[i] += w
                if w > 0 and start >= 0:
                    contributions[i].append((w, Feature(name, start, end)))
        probs = [1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, t)))) for t in totals]
        return probs, contributions


@lru_cache(maxsize=1)
def load_model() -> ConcernModel | None:
    """The shipped model, or ``None`` if it has not been trained into this checkout."""
    res = resources.files("safeside.models").joinpath("concerns", "model.json")
    if not res.is_file():
        return None
    data = json.loads(res.read_text("utf-8"))
    concerns = tuple(data["concerns"])
    weights: dict[str, list[float]] = {}
    for name, sparse in data["weights"].items():
        row = [0.0] * len(concerns)
        for idx, w in sparse:
            row[int(idx)] = float(w)
        weights[name] = row
    return ConcernModel(
        concerns=concerns,
        bias=tuple(float(b) for b in data["bias"]),
        weights=weights,
        thresholds={k: float(v) for k, v in data["thresholds"].items()},
        severity=dict(data.get("severity", {})),
        version=str(data.get("version", "1")),
        dense_mean=np.asarray(data["dense_mean"], dtype=np.float32)
        if "dense_mean" in data
        else None,
        dense_weights=np.asarray(data["dense_weights"], dtype=np.float32)
        if "dense_weights" in data
        else None,
    )


class ConcernClassifier:
    """Adds a ``model`` signal per concern whose probability passes the support threshold."""

    name = "concerns.classifier"

    def __init__(
        self, model: ConcernModel, embedder: StaticEmbedder | None, support: float = 0.4
    ) -> None:
        self.model = model
        self.embedder = embedder if model.dense_weights is not None else None
        self.support = support

    def __call__(self, doc: Doc) -> None:
        dense = self.embedder.embed(doc.cue.text) if self.embedder is not None else None
        probs, contributions = self.model.scores(feature_spans(doc), dense)
        for i, concern in enumerate(self.model.concerns):
            if not concern_allowed(concern, doc.mode):
                continue
            p = probs[i]
            if p < self.support:
                continue
            top = sorted(contributions[i], key=lambda c: -c[0])[:3]
            words = ", ".join(f"'{doc.cue.text[f.start : f.end]}'" for _, f in top)
            explanation = (
                f"statistical model ({p:.0%}): wording like that in our training examples"
                + (f", strongest words {words}" if words else "")
            )
            severity = Severity.parse(self.model.severity.get(concern, "medium"))
            strong = p >= self.model.thresholds.get(concern, 0.8)
            if strong and concern in _CONTEXT_SENSITIVE and self._cancelled(doc, top):
                strong = False
            kind = "model" if strong else "model_support"
            if not top:
                doc.signals.append(
                    Signal(
                        concern, p, severity, 0, 0, f"{concern}.model", explanation, self.name, kind
                    )
                )
                continue
            for _, f in top:
                s, e = doc.cue.to_original(f.start, f.end)
                doc.signals.append(
                    Signal(
                        concern, p, severity, s, e, f"{concern}.model", explanation, self.name, kind
                    )
                )

    @staticmethod
    def _cancelled(doc: Doc, top: list[tuple[float, Feature]]) -> bool:
        """The same context rules as the cues: a joke, or the strongest words negated."""
        text = doc.cue.text
        if RULES["hyperbole"](text, 0, len(text)) or RULES["discussion"](text, 0, len(text)):
            return True
        return bool(top) and all(RULES["negation"](text, f.start, f.end) for _, f in top[:2])


#: Concerns where jokes, negation and discussion commonly look like the real thing.
_CONTEXT_SENSITIVE = frozenset({"threat", "self_harm", "harassment", "bullying", "unprofessional"})


class _Disabled:
    name = "concerns.classifier"

    def __call__(self, doc: Doc) -> None:
        return None


@dataclass(frozen=True, slots=True)
class ClassifierOptions:
    """``support``: the lowest probability (0-1) at which the model supports a cue."""

    support: float = 0.4


@registry.register("concerns.classifier", options=ClassifierOptions)
def _classifier(options: ClassifierOptions) -> Detector:
    model = load_model()
    if model is None:
        return _Disabled()
    return ConcernClassifier(model, load_embedder(), support=float(options.support))
