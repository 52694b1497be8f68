"""Text vectors for topics and the summary, computed offline.

Uses Safeside's static word-piece embedder (:func:`safeside.text.embedding.load_embedder`);
if its files are missing from a checkout, falls back to hashed bags of words, so a
digest still builds (with rougher topics).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from safeside.learning.digest.text import content_words
from safeside.text.embedding import load_embedder

Matrix = npt.NDArray[np.float32]
Vector = npt.NDArray[np.float32]

_HASH_DIMS = 512


def _unit_rows(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True).astype(np.float32)
    norms[norms == 0] = 1
    out: Matrix = (matrix / norms).astype(np.float32)
    return out


def embed(texts: Sequence[str]) -> Matrix:
    """One unit-length row per text (all zeros for a text with no words)."""
    embedder = load_embedder()
    if embedder is not None:
        rows = [embedder.embed(text) for text in texts]
        if not rows:
            return np.zeros((0, embedder.dims), dtype=np.float32)
        stacked: Matrix = np.vstack(rows).astype(np.float32)
        return stacked
    matrix = np.zeros((len(texts), _HASH_DIMS), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in content_words(text):
            matrix[row, zlib.crc32(word.encode()) % _HASH_DIMS] += 1
    return _unit_rows(matrix)


def centred(matrix: Matrix) -> Matrix:
    """Rows with the mean removed and re-normalised: static embeddings share a large common
    direction, and removing it makes cosine similarity tell topics apart."""
    if len(matrix) == 0:
        return matrix
    live = np.linalg.norm(matrix, axis=1) > 0
    out = matrix.copy()
    out[live] -= matrix[live].mean(axis=0)
    out[~live] = 0
    return _unit_rows(out)
