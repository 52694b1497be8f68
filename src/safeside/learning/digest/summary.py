"""Extractive summary: the sentences that best represent the posts, without repeats.

Candidate sentences come from the posts, tidied of links and ``@handles``; shares,
questions, greetings and thanks are left out, and a sentence written in several posts
is one candidate with all its sources. Each is scored by its centrality in the graph
of sentence similarities (TextRank over offline embeddings) and its closeness to the
centre of all sentences (centroid summarisation), plus a bonus for being repeated,
then picked greedily with maximal marginal relevance so that the summary covers
different points. The chosen sentences are returned in the order they were first
posted. Deterministic.
"""

from __future__ import annotations

import math
import re

import numpy as np

from safeside.ingest import Post
from safeside.learning.digest.model import Sentence
from safeside.learning.digest.text import content_words, sentences, strip_noise
from safeside.learning.digest.vectors import Matrix, Vector, centred, embed

#: Trade-off between relevance and novelty in maximal marginal relevance.
MMR_LAMBDA = 0.8
_MIN_WORDS, _MAX_WORDS = 6, 60
#: Greetings and thanks: part of a chat, not a point made in it.
_PHATIC = re.compile(
    r"^(?:thanks|thank you|thx|welcome|hello|hi|hey|evening|morning|good (?:morning|evening)|"
    r"say hello|see you|bye|sorry i'?m late|sorry i am late)\b",
    re.IGNORECASE,
)


def summary_length(post_count: int) -> int:
    """How many sentences a digest of ``post_count`` posts gets (3 to 7)."""
    return max(1, min(7, max(3, round(math.log2(max(post_count, 1))))))


def _unit(vector: Vector) -> Vector:
    out: Vector = vector / max(float(np.linalg.norm(vector)), 1e-9)
    return out


def _spread(scores: Vector) -> Vector:
    """Scores rescaled to 0–1 (all zeros when they are all equal)."""
    low, high = float(scores.min()), float(scores.max())
    out: Vector = (scores - low) / (high - low) if high > low else np.zeros_like(scores)
    return out


def textrank(vectors: Matrix, damping: float = 0.85, rounds: int = 50) -> Vector:
    """Centrality of each row in the graph of positive cosine similarities (PageRank)."""
    n = len(vectors)
    weights = np.maximum(vectors @ vectors.T, 0)
    np.fill_diagonal(weights, 0)
    weights /= np.maximum(weights.sum(axis=1, keepdims=True), 1e-9)
    rank = np.full(n, 1 / n, dtype=np.float32)
    for _ in range(rounds):
        rank = (1 - damping) / n + damping * (weights.T @ rank)
    return rank


def _candidates(posts: dict[str, Post], skip: frozenset[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    keys: dict[str, str] = {}
    for pid, post in posts.items():
        if post.kind == "share":
            continue
        for raw in sentences(strip_noise(post.text)):
            text = re.sub(r"(?:\s*#\w+)+\s*$", "", raw).strip()  # trailing hashtag chains
            words = len(text.split())
            if (
                not _MIN_WORDS <= words <= _MAX_WORDS
                or text.endswith("?")  # a chat's questions frame it; the answers are the points
                or _PHATIC.match(text)
                or len(content_words(text, skip)) < 3
            ):
                continue
            key = " ".join(re.findall(r"\w+", text.casefold()))
            text = keys.setdefault(key, text)
            sources = found.setdefault(text, [])
            if pid not in sources:
                sources.append(pid)
    return found


def summarise(
    posts: dict[str, Post], skip: frozenset[str] = frozenset(), length: int | None = None
) -> list[Sentence]:
    """The summary sentences of ``posts`` (keyed and in time order), each with its sources."""
    found = _candidates(posts, skip)
    if not found:
        return []
    texts = list(found)
    want = min(length or summary_length(len(posts)), len(texts))
    vectors = embed(texts)
    distinct = centred(vectors)
    popularity = np.log1p([len(found[t]) - 1 for t in texts]).astype(np.float32)
    relevance = (
        0.5 * _spread(textrank(distinct)) + 0.5 * _spread(vectors @ _unit(vectors.mean(axis=0)))
    ) + 0.1 * popularity
    chosen: list[int] = []
    redundancy = np.full(len(texts), -1.0, dtype=np.float32)
    for _ in range(want):
        score = MMR_LAMBDA * relevance - (1 - MMR_LAMBDA) * np.maximum(redundancy, 0)
        score[chosen] = -np.inf
        pick = int(np.argmax(score))  # first index wins ties: earliest sentence
        chosen.append(pick)
        redundancy = np.maximum(redundancy, distinct @ distinct[pick])
    order = {pid: i for i, pid in enumerate(posts)}
    chosen.sort(key=lambda i: order[found[texts[i]][0]])
    return [Sentence(text=texts[i], post_ids=tuple(found[texts[i]])) for i in chosen]
