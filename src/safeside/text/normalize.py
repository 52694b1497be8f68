"""Normalisation against evasion that keeps every offset mapped to the original text.

Two views are built from the original text:

* the **clean** view removes invisible characters (zero-width spaces, joiners, soft
  hyphens, BOMs, bidi marks), folds compatibility forms (full-width letters, ligatures)
  and maps look-alike letters from other scripts (Cyrillic "а", Greek "ο") to Latin.
  Identifier and name detectors read it.
* the **cue** view is the clean view lower-cased, with leetspeak undone inside words
  ("k1ll" → "kill", "b!tch" → "bitch") and stretched letters shortened ("sooooo" → "soo").
  Concern cues read it.

Each view keeps, for every character, the start and end offsets of the original
characters it came from, so a match in a view becomes a span of the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Characters that render as nothing and are used to split words past filters.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"
)

#: Look-alike letters from Cyrillic, Greek and other scripts, mapped to Latin.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ɡ": "g", "һ": "h", "ո": "n", "ԛ": "q", "ԝ": "w", "ѡ": "w", "ү": "y",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԁ": "D",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Typographic quotes and dashes, so cues match "don't" however it is typed
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
    "\u2013": "-", "\u2014": "-",
    # Latin look-alikes and IPA
    "ı": "i", "ɩ": "i", "ʟ": "l", "ɑ": "a", "ǀ": "l", "ⅼ": "l",
}  # fmt: skip

#: Leetspeak digits and symbols read as letters when they sit inside a word.
LEET: dict[str, str] = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i",
    "|": "l", "€": "e",
}  # fmt: skip

_NEEDS_CLEAN = re.compile(r"[^\x00-\x7f]")
# A word-like token that may mix letters with leet characters.
_LEET_TOKEN = re.compile(r"(?<![\w@.#/:])[a-z0-9@$!|€]*[013457@$!|€][a-z0-9@$!|€]*(?![\w.@/])")
_LEET_CHARS = frozenset(LEET)
_STRETCH = re.compile(r"([a-z])\1{2,}")


@dataclass(frozen=True, slots=True)
class TextView:
    """A normalised view of a text with a map back to original offsets.

    ``starts[i]``/``ends[i]`` are the original offsets of view character ``i``.
    Both are ``None`` when the view is character-for-character the original.
    """

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a view span (end exclusive) to a span of the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else self.ends[-1]
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _fold_char(ch: str) -> str:
    mapped = HOMOGLYPHS.get(ch)
    if mapped is not None:
        return mapped
    if ch in INVISIBLE:
        return ""
    if ord(ch) < 0x80:
        return ch
    folded = _nfkc(ch)
    # Keep emoji and other symbols as they are; fold only to letters/digits/punctuation.
    return folded


@lru_cache(maxsize=4096)
def _nfkc(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if not folded:
        return folded
    # Strip combining marks used to disguise letters ("k̶i̶l̶l̶"), keep accented letters.
    if unicodedata.category(ch).startswith("M"):
        return ""
    return folded


def clean_view(text: str) -> TextView:
    """Remove invisible characters, fold compatibility forms and homoglyphs."""
    if not _NEEDS_CLEAN.search(text):
        return TextView(text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    changed = False
    for i, ch in enumerate(text):
        rep = _fold_char(ch)
        if rep != ch:
            changed = True
        for r in rep:
            out.append(r)
            starts.append(i)
            ends.append(i + 1)
    if not changed:
        return TextView(text)
    return TextView("".join(out), tuple(starts), tuple(ends))


def _compose(inner: TextView, starts: list[int], ends: list[int]) -> TextView:
    """A view of ``inner`` given by offsets into ``inner``, mapped to the original."""
    if inner.starts is None or inner.ends is None:
        return TextView("", tuple(starts), tuple(ends))
    s0, e0 = inner.starts, inner.ends
    return TextView("", tuple(s0[s] for s in starts), tuple(e0[e - 1] for e in ends))


def _is_leet_word(token: str) -> bool:
    """Whether a token reads as a disguised word ("k1ll", "$lut", "5hit"), not a number,
    reference ("ND22C00417"), age ("13yo") or handle."""
    if token[0] == "@" or len(token) > 20:
        return False
    letters = sum(c.isalpha() for c in token)
    others = len(token) - letters
    if letters < 2 or letters < others or not any(c in _LEET_CHARS for c in token):
        return False
    return not (token[0].isdigit() and letters <= 2 * others)


def cue_view(clean: TextView) -> TextView:
    """Lower-case the clean view, undo leetspeak inside words and shorten stretched letters."""
    lower = clean.text.lower()
    if len(lower) != len(clean.text):  # rare: e.g. "İ" lower-cases to two characters
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in clean.text)
    leet = _LEET_TOKEN.search(lower) is not None
    stretch = _STRETCH.search(lower) is not None
    if not leet and not stretch:
        return TextView(lower, clean.starts, clean.ends)

    chars = list(lower)
    keep = [True] * len(chars)
    if leet:
        for m in _LEET_TOKEN.finditer(lower):
            token = m.group().rstrip("!|")
            if not token or not _is_leet_word(token):
                continue
            for j in range(m.start(), m.start() + len(token)):
                chars[j] = LEET.get(chars[j], chars[j])
    if stretch:
        for m in _STRETCH.finditer("".join(chars)):
            for j in range(m.start() + 2, m.end()):
                keep[j] = False
    idx = [i for i, k in enumerate(keep) if k]
    text = "".join(chars[i] for i in idx)
    if len(idx) == len(chars) and clean.starts is None:
        return TextView(text)
    view = _compose(clean, idx, [i + 1 for i in idx])
    if clean.starts is None:
        view = TextView(text, tuple(idx), tuple(i + 1 for i in idx))
    else:
        view = TextView(text, view.starts, view.ends)
    return view
