"""Topic clusters: posts embedded offline, grouped by spherical k-means, labelled by terms.

The number of topics (2 to :data:`MAX_TOPICS`) is the one with the best silhouette
score; each topic is labelled with the words that are most frequent in it and rare
elsewhere (class-based TF-IDF). Everything is seeded, so the same posts always give
the same topics.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import numpy.typing as npt

from safeside.ingest import Post
from safeside.learning.digest.model import Cluster
from safeside.learning.digest.text import content_words, strip_noise
from safeside.learning.digest.vectors import Matrix, centred, embed

MAX_TOPICS = 8
LABEL_TERMS = 4
_MIN_WORDS = 2
_SILHOUETTE_SAMPLE = 1500
Labels = npt.NDArray[np.intp]


def _kmeans(x: Matrix, k: int, rng: np.random.Generator, iterations: int = 40) -> Labels:
    n = len(x)
    chosen = [int(rng.integers(n))]
    distance = 1 - x @ x[chosen[0]]
    for _ in range(1, k):
        weights = np.maximum(distance, 0) ** 2
        total = float(weights.sum())
        pick = int(rng.choice(n, p=weights / total)) if total > 0 else int(rng.integers(n))
        chosen.append(pick)
        distance = np.minimum(distance, 1 - x @ x[pick])
    centres = x[chosen].copy()
    labels: Labels = np.full(n, -1, dtype=np.intp)
    for _ in range(iterations):
        new: Labels = np.argmax(x @ centres.T, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = x[labels == j]
            if len(members):
                mean = members.sum(axis=0)
                centres[j] = mean / max(float(np.linalg.norm(mean)), 1e-9)
    return labels


def _silhouette(x: Matrix, labels: Labels, k: int) -> float:
    """Mean silhouette with cosine distance (on a fixed sample of rows for big inputs)."""
    rows = np.arange(len(x))
    if len(x) > _SILHOUETTE_SAMPLE:
        rows = np.linspace(0, len(x) - 1, _SILHOUETTE_SAMPLE).astype(np.intp)
    distance = 1 - x[rows] @ x.T
    onehot = np.zeros((len(x), k), dtype=np.float32)
    onehot[np.arange(len(x)), labels] = 1
    sizes = onehot.sum(axis=0)
    sums = distance @ onehot
    own = labels[rows]
    own_size = sizes[own]
    a = sums[np.arange(len(rows)), own] / np.maximum(own_size - 1, 1)
    mean_other = np.where(sizes > 0, sums / np.maximum(sizes, 1), np.inf)
    mean_other[np.arange(len(rows)), own] = np.inf
    b = mean_other.min(axis=1)
    score = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-9), 0)
    return float(score.mean())


def _best_labels(x: Matrix) -> Labels:
    n = len(x)
    if n < 6:
        return np.zeros(n, dtype=np.intp)
    best: tuple[float, Labels] = (-2.0, np.zeros(n, dtype=np.intp))
    for k in range(2, min(MAX_TOPICS, n // 3) + 1):
        labels = _kmeans(x, k, np.random.default_rng(k))
        used = len(np.unique(labels))
        score = _silhouette(x, labels, k) if used > 1 else -1.0
        if score > best[0]:
            best = (score, labels)
    return best[1]


def _terms(groups: list[list[list[str]]]) -> list[tuple[str, ...]]:
    """Each group's most distinctive words (class-based TF-IDF, ties alphabetical)."""
    documents = sum(len(g) for g in groups)
    df = Counter(word for group in groups for words in group for word in set(words))
    labels = []
    for group in groups:
        counts = Counter(word for words in group for word in set(words))
        floor = 2 if len(group) > 2 else 1
        scored = [
            (-(count / len(group)) * math.log(1 + documents / df[word]), word)
            for word, count in counts.items()
            if count >= floor
        ]
        labels.append(tuple(word for _, word in sorted(scored)[:LABEL_TERMS]))
    return labels


def cluster_posts(posts: dict[str, Post], skip: frozenset[str] = frozenset()) -> list[Cluster]:
    """Topics of the posts with some words in them (shares left out), biggest first.

    ``skip`` words (the chat's own hashtag) are ignored in embeddings and labels.
    """
    ids, words, texts = [], [], []
    for pid, post in posts.items():
        found = content_words(post.text, skip)
        if post.kind != "share" and len(found) >= _MIN_WORDS:
            ids.append(pid)
            words.append(found)
            texts.append(
                " ".join(
                    w for w in strip_noise(post.text).split() if w.lower().lstrip("#") not in skip
                )
            )
    if not ids:
        return []
    labels = _best_labels(centred(embed(texts)))
    order = sorted(set(labels.tolist()), key=lambda j: (-int((labels == j).sum()), j))
    members = [[i for i in range(len(ids)) if labels[i] == j] for j in order]
    terms = _terms([[words[i] for i in group] for group in members])
    return [
        Cluster(terms=label, post_ids=tuple(ids[i] for i in group))
        for label, group in zip(terms, members, strict=True)
    ]
