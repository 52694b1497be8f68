"""Static sentence embeddings: a BERT word-piece tokenizer and a table of token vectors.

The vectors are distilled once from all-MiniLM-L6-v2 (``training/embeddings/distill.py``,
Apache-2.0, see ``docs/models/concerns.md``) and shipped in ``safeside/models/embeddings``.
A text's vector is the mean of its tokens' vectors, so similar wording lands close
together without running a neural network.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Piece:
    """One word-piece with the span of the word it came from (offsets into the input)."""

    id: int
    start: int
    end: int


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


class WordPieceTokenizer:
    """BERT's uncased basic + word-piece tokenizer, in pure Python."""

    def __init__(self, vocab: list[str]) -> None:
        self.ids = {tok: i for i, tok in enumerate(vocab)}
        self.unk = self.ids.get("[UNK]", 100)
        self._word = lru_cache(maxsize=100_000)(self._pieces_of_word)

    def _pieces_of_word(self, word: str) -> tuple[int, ...]:
        word = "".join(
            c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn"
        )
        if len(word) > 100:
            return (self.unk,)
        out: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                sub = word[start:end] if start == 0 else "##" + word[start:end]
                if sub in self.ids:
                    found = self.ids[sub]
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            out.append(found)
            start = end
        return tuple(out)

    def tokenize(self, text: str) -> list[Piece]:
        pieces: list[Piece] = []
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
                i += 1
                continue
            if _is_punct(ch) or not ch.isalnum():
                ids = self._word(ch.lower())
                pieces.extend(Piece(t, i, i + 1) for t in ids)
                i += 1
                continue
            j = i
            while j < n and text[j].isalnum():
                j += 1
            for t in self._word(text[i:j].lower()):
                pieces.append(Piece(t, i, j))
            i = j
        return pieces


class StaticEmbedder:
    """Mean-of-token-vectors sentence embeddings."""

    def __init__(self, vectors: npt.NDArray[np.int8], scale: float, vocab: list[str]) -> None:
        self.vectors = vectors.astype(np.float32) * np.float32(scale)
        self.tokenizer = WordPieceTokenizer(vocab)
        self.dims = int(vectors.shape[1])

    def pieces(self, text: str) -> list[Piece]:
        return [p for p in self.tokenizer.tokenize(text) if p.id != self.tokenizer.unk]

    def embed_pieces(self, pieces: list[Piece]) -> Vector:
        if not pieces:
            return np.zeros(self.dims, dtype=np.float32)
        v: Vector = self.vectors[[p.id for p in pieces]].mean(axis=0, dtype=np.float32)
        norm = float(np.linalg.norm(v))
        if norm > 0:
            v = v / np.float32(norm)
        return v

    def embed(self, text: str) -> Vector:
        return self.embed_pieces(self.pieces(text))


@lru_cache(maxsize=1)
def load_embedder() -> StaticEmbedder | None:
    """The shipped embedder, or ``None`` if its files are missing from this checkout."""
    folder = resources.files("safeside.models").joinpath("embeddings")
    if not folder.joinpath("vectors.npy").is_file():
        return None
    meta = json.loads(folder.joinpath("meta.json").read_text("utf-8"))
    vocab = folder.joinpath("vocab.txt").read_text("utf-8").splitlines()
    with folder.joinpath("vectors.npy").open("rb") as fh:
        vectors = np.load(fh)
    return StaticEmbedder(vectors, float(meta["scale"]), vocab)
