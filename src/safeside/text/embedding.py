"""Static sentence embeddings: a BERT word-piece tokenizer and a table of token vectors.

The vectors are distilled once from all-MiniLM-L6-v2 (``training/embeddings/distill.py``,
Apache-2.0, see ``docs/models/concerns.md``) and shipped in ``safeside/models/embeddings``.
A text's vector is the mean of its tokens' vectors, so similar wording lands close
together without running a neural network.
"""

from __future__ import annotations

import json
import re
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


#: A run of letters and digits (``[^\W_]`` is exactly ``str.isalnum``), or one other
#: visible character (``\S`` is exactly ``not str.isspace``): BERT's basic tokenisation.
_WORD_OR_CHAR = re.compile(r"[^\W_]+|\S")
_CONTROL = ("Cc", "Cf")


class WordPieceTokenizer:
    """BERT's uncased basic + word-piece tokenizer, in pure Python."""

    def __init__(self, vocab: list[str], words_for: dict[str, str] | None = None) -> None:
        """``words_for``: single characters read as these words (the encoder's emoji,
        ``text/emoji_words.py``); their pieces keep the character's span."""
        self.ids = {tok: i for i, tok in enumerate(vocab)}
        self.unk = self.ids.get("[UNK]", 100)
        self.words_for = words_for or {}
        self._word = lru_cache(maxsize=100_000)(self._pieces_of_word)
        self._known = lru_cache(maxsize=100_000)(self._known_ids)

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

    def _token_ids(self, token: str) -> tuple[int, ...]:
        """Word-piece ids of one basic token (control and format characters give none)."""
        if len(token) == 1 and not token.isalnum():
            if unicodedata.category(token) in _CONTROL:
                return ()
            if token in self.words_for:
                return tuple(i for w in self.words_for[token].split() for i in self._word(w))
        return self._word(token.lower())

    def _known_ids(self, token: str) -> tuple[int, ...]:
        return tuple(t for t in self._token_ids(token) if t != self.unk)

    def tokenize(self, text: str) -> list[Piece]:
        pieces: list[Piece] = []
        for m in _WORD_OR_CHAR.finditer(text):
            start, end = m.span()
            pieces.extend(Piece(t, start, end) for t in self._token_ids(m.group()))
        return pieces

    def known_ids(self, text: str) -> list[int]:
        """The ids of :meth:`tokenize` without spans and without unknown pieces (fast path)."""
        known = self._known
        out: list[int] = []
        for token in _WORD_OR_CHAR.findall(text):
            out.extend(known(token))
        return out


class StaticEmbedder:
    """Mean-of-token-vectors sentence embeddings."""

    def __init__(self, vectors: npt.NDArray[np.int8], scale: float, vocab: list[str]) -> None:
        self.vectors = vectors.astype(np.float32) * np.float32(scale)
        self.tokenizer = WordPieceTokenizer(vocab)
        self.dims = int(vectors.shape[1])

    def pieces(self, text: str) -> list[Piece]:
        return [p for p in self.tokenizer.tokenize(text) if p.id != self.tokenizer.unk]

    def embed_pieces(self, pieces: list[Piece]) -> Vector:
        return self._mean_of([p.id for p in pieces])

    def embed(self, text: str) -> Vector:
        return self._mean_of(self.tokenizer.known_ids(text))

    def _mean_of(self, ids: list[int]) -> Vector:
        if not ids:
            return np.zeros(self.dims, dtype=np.float32)
        v: Vector = self.vectors[ids].mean(axis=0, dtype=np.float32)
        norm = float(np.linalg.norm(v))
        if norm > 0:
            v = v / np.float32(norm)
        return v


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
