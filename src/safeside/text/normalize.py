"""Normalisation against evasion that keeps every offset mapped to the original text.

Two views are built from the original text:

* the **clean** view removes invisible characters (zero-width spaces, joiners, soft
  hyphens, BOMs, bidi controls), puts text reversed with a right-to-left override back
  into reading order, folds compatibility forms (full-width and mathematical letters,
  ligatures) and maps look-alike letters from other scripts (Cyrillic "а", Greek "ο",
  small capitals "ᴋ") to Latin — inside words that are Latin or wholly made of look-alikes,
  so Greek or Russian words stay as they are. Identifier and name detectors read it.
* the **cue** view is the clean view lower-cased, with the disguises of
  :mod:`safeside.text.evasion` undone: emoji inside a word ("ki🔪ll"), spaced or dotted
  letters ("k i l l", "k.i.l.l"), leetspeak inside words ("k1ll", "b!tch") and stretched
  letters ("kiiiill" → "kill", "sooooo" → "so"). Concern cues read it.

Each view keeps, for every character, the start and end offsets of the original
characters it came from, so a match in a view becomes a span of the original text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from safeside.text import evasion
from safeside.text.evasion import LEET
from safeside.text.layout import blank_layout
from safeside.text.tables import confusables

__all__ = ["HOMOGLYPHS", "INVISIBLE", "LEET", "TextView", "clean_view", "cue_view"]

#: Characters that render as nothing and are used to split words past filters.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"
)

#: Look-alike letters from Cyrillic, Greek and other scripts, mapped to Latin. These take
#: precedence over the generated UTS #39 table (:func:`safeside.text.tables.confusables`).
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

#: Bidi controls that open an embedding, override or isolate, and those that close one.
_BIDI_OPEN = frozenset("\u202a\u202b\u202d\u202e\u2066\u2067\u2068")
_BIDI_CLOSE = frozenset("\u202c\u2069")
_RLO = "\u202e"
#: A new paragraph ends every embedding (Unicode bidi algorithm, rule X8).
_PARAGRAPH = frozenset("\n\r\x1c\x1d\x1e\x85\u2029")
#: Paired brackets are drawn mirrored inside right-to-left text.
_MIRRORED = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<"}


@dataclass(frozen=True, slots=True)
class TextView:
    """A normalised view of a text with a map back to original offsets.

    ``starts[i]``/``ends[i]`` are the original offsets of view character ``i``.
    Both are ``None`` when the view is character-for-character the original. They never
    decrease unless ``reordered`` (text reversed by a bidi override was put back into
    reading order), and then :meth:`to_original` takes the extent of the characters.
    """

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None
    reordered: bool = False

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a view span (end exclusive) to a span of the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        if start >= end:
            if start < len(self.starts):
                pos = self.starts[start]
            else:
                pos = self.ends[-1] if self.ends else 0
            return pos, pos
        if self.reordered:
            return min(self.starts[start:end]), max(self.ends[start:end])
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=8192)
def _fold(ch: str) -> tuple[str, bool]:
    """What a non-ASCII character reads as, and whether it is a look-alike letter of
    another script (folded only inside words that are Latin or wholly look-alikes)."""
    mapped = HOMOGLYPHS.get(ch)
    if mapped is not None:
        return mapped, ch.isalpha() and not _is_latin(ch)
    if ch in INVISIBLE:
        return "", False
    latin = confusables().get(ch)
    if latin is not None:  # small capitals and enclosed letters are Latin already
        return latin, "LATIN" not in unicodedata.name(ch, "")
    folded = unicodedata.normalize("NFKC", ch)
    # Strip combining marks used to disguise letters ("k̶i̶l̶l̶"), keep accented letters.
    if folded and unicodedata.category(ch).startswith("M"):
        return "", False
    return folded, False


def _reading_order(text: str) -> tuple[list[int], set[int]] | None:
    """The original positions in reading order when a right-to-left override (U+202E)
    reverses characters, without the bidi controls, and the positions that were reversed;
    ``None`` when there is no override."""
    if _RLO not in text:
        return None
    order: list[int] = []
    run: list[int] = []
    stack: list[bool] = []  # for each open embedding: does it override to right-to-left?
    flipped: set[int] = set()
    for i, ch in enumerate(text):
        if ch in _BIDI_OPEN:
            stack.append(ch == _RLO)
            continue
        if ch in _BIDI_CLOSE:
            if stack:
                stack.pop()
            continue
        if ch in _PARAGRAPH:
            stack.clear()
        if stack and stack[-1]:
            run.append(i)
            continue
        if run:
            flipped.update(run)
            order.extend(reversed(run))
            run = []
        order.append(i)
    flipped.update(run)
    order.extend(reversed(run))
    return order, flipped


def clean_view(text: str) -> TextView:
    """Remove invisible characters, restore reversed text, fold compatibility forms and
    homoglyphs."""
    if text.isascii():
        return TextView(text)
    reading = _reading_order(text)
    flipped: set[int] = set()
    positions: range | list[int] = range(len(text))
    if reading is not None:
        positions, flipped = reading
    reordered = len(flipped) > 1
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    look_alikes: dict[int, str] = {}  # position in ``out`` → the original letter
    changed = reading is not None
    for i in positions:
        ch = text[i]
        if ch in _MIRRORED and i in flipped:
            ch = _MIRRORED[ch]
        if ch < "\x80":
            out.append(ch)
            starts.append(i)
            ends.append(i + 1)
            continue
        rep, look_alike = _fold(ch)
        if rep != ch:
            changed = True
            if look_alike:
                look_alikes[len(out)] = ch
        if not rep:
            # A removed mark or invisible character belongs to the character before it
            # ("k̶" is one letter), so a match on that letter covers it.
            if ends and ends[-1] == i:
                ends[-1] = i + 1
            continue
        for r in rep:
            out.append(r)
            starts.append(i)
            ends.append(i + 1)
    if not changed:
        return TextView(text)
    if look_alikes:
        _keep_foreign_words(out, look_alikes)
    return TextView("".join(out), tuple(starts), tuple(ends), reordered)


def _keep_foreign_words(out: list[str], look_alikes: dict[int, str]) -> None:
    """Put back look-alike letters in words of another script ("Привет", "Καλημέρα"):
    a word is folded only if it has a Latin letter, or consists of look-alikes alone in a
    text that has Latin letters elsewhere (so "как" stays Cyrillic in a Russian text)."""
    n = len(out)
    has_latin = any(_is_latin(c) for j, c in enumerate(out) if j not in look_alikes)
    i = 0
    for pos in sorted(look_alikes):
        if pos < i:
            continue
        start = pos
        while start > 0 and out[start - 1].isalnum():
            start -= 1
        end = pos + 1
        while end < n and out[end].isalnum():
            end += 1
        latin = foreign = False
        for j in range(start, end):
            if j not in look_alikes and out[j].isalpha():
                if _is_latin(out[j]):
                    latin = True
                else:
                    foreign = True
        if (foreign and not latin) or not (latin or has_latin):
            for j in range(start, end):
                if j in look_alikes:
                    out[j] = look_alikes[j]
        i = end


@lru_cache(maxsize=4096)
def _is_latin(ch: str) -> bool:
    return ch.isalpha() and (ch.isascii() or unicodedata.name(ch, "").startswith("LATIN"))


def cue_view(clean: TextView) -> TextView:
    """Lower-case the clean view, blank chat stamps and placeholders
    (:mod:`safeside.text.layout`) and undo the disguises of :mod:`safeside.text.evasion`."""
    lower = clean.text.lower()
    if len(lower) != len(clean.text):  # rare: e.g. "İ" lower-cases to two characters
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in clean.text)
    lower = blank_layout(lower)  # chat stamps and placeholders: nobody wrote them
    text = lower
    spans: list[tuple[int, int]] | None = None
    for step in _STEPS:
        edits = step(text)
        if edits:
            if spans is None:
                spans = [(i, i + 1) for i in range(len(text))]
            text, spans = evasion.apply(text, spans, edits)
    if spans is None:
        return TextView(lower, clean.starts, clean.ends, clean.reordered)
    if clean.starts is None or clean.ends is None:
        return TextView(text, tuple(s for s, _ in spans), tuple(e for _, e in spans))
    s0, e0 = clean.starts, clean.ends
    if clean.reordered:
        starts = tuple(min(s0[s:e]) for s, e in spans)
        ends = tuple(max(e0[s:e]) for s, e in spans)
    else:
        starts = tuple(s0[s] for s, _ in spans)
        ends = tuple(e0[e - 1] for _, e in spans)
    return TextView(text, starts, ends, clean.reordered)


_STEPS = (
    evasion.extra_spaces,
    evasion.emoji_inside_words,
    evasion.spaced_letters,
    evasion.leetspeak,
    evasion.stretched_letters,
)
