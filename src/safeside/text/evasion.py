"""Undo the disguises people use to slip words past filters, for the cue view.

Each step reads the lower-cased text and returns *edits*: for some positions, the
character to put there instead ("" deletes it, and a "1" read as "one" gives three).
Nothing is inserted between characters, so every character of the result comes from a
character of the input and keeps its offset; a deleted one joins the span before it.

* :func:`emoji_inside_words` — "ki🔪ll" → "kill", when the letters either side make a
  known word ("love❤you" is left alone).
* :func:`spaced_letters` — "k i l l y o u", "k.i.l.l", "k-i-l-l", "k_i_l_l" → "kill you":
  three or more single letters with the same separator, re-split into known words.
* :func:`leetspeak` — "k!ll", "y0u", "$uicide", "h4ng" → letters, only inside tokens that
  mix letters with look-alike digits and symbols (so "10.30", "07700 900123", "Room 101",
  "B4", "5pm", "13yo" and case references stay as they are).
* :func:`stretched_letters` — "kiiiiill" → "kill", "sooooo" → "so", "gooood" → "good":
  letters repeated three or more times, shortened to the known word.

Which word is meant is read from a ranked word list (:func:`safeside.text.tables.word_ranks`).
"""

from __future__ import annotations

import math
import re
from itertools import product

from safeside.text.tables import word_ranks

#: For some positions of a text, what to put there instead: a character, "" to delete it,
#: or several characters that all come from it.
Edits = dict[int, str]

#: Leetspeak digits and symbols read as letters when they sit inside a word.
LEET: dict[str, str] = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i",
    "|": "l", "€": "e",
}  # fmt: skip
#: Leet characters that stand for either "i" or "l" ("k!ll", "ki11", "|ove"): the word
#: list decides.
_EITHER = {"1": "il", "!": "il", "|": "li"}
_LEET_CHARS = frozenset(LEET)
_LEET_BY_LETTER = re.compile(r"[a-z][013457@$!|€]|[013457@$!|€][a-z]|1'")

# A word-like token that may mix letters with leet characters; a full stop may follow
# it only at the end of a sentence (not in "k1ll.com").
LEET_TOKEN = re.compile(r"(?<![\w@.#/:])[a-z0-9@$!|€]*[013457@$!|€][a-z0-9@$!|€]*(?![\w@/]|\.\w)")
# A lone "1" used as "I": "1'll", "1'm", or before a word (decided in :func:`leetspeak`).
_LONE_ONE = re.compile(r"(?<!\S)1(?:(?='(?:ll|m|d|ve)\b)|(?=[ \t]+([a-z0-9@$!|€]+)))")

#: Emoji, pictographs, dingbats, arrows and other symbols that can be slipped into a word.
_EMOJI = "\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u2bff\U0001f000-\U0001faff"
_EMOJI_IN_WORD = re.compile(rf"[^\W\d_]+(?:[{_EMOJI}]+[^\W\d_]+)+")
_EMOJI_CHAR = re.compile(rf"[{_EMOJI}]")
_EMOJI_AFTER_LETTER = re.compile(rf"(?<=[^\W\d_])[{_EMOJI}]+[^\W\d_]")

# Three or more single letters (or leet characters) with one separator between them:
# "k i l l", "k.i.l.l", "k - i - l - l", "k_i_l_l".
_SPACED = re.compile(
    r"(?<![^\W_])[a-z013457@$](?P<sep>[ \t]{1,3}|[ \t]?[._*~·•-][ \t]?)"
    r"(?:[a-z013457@$](?P=sep))+[a-z013457@$](?![^\W_])"
)
_STRETCH = re.compile(r"([a-z])\1{2,}")
_WORD = re.compile(r"[a-z]+")

#: Segmenting spaced letters: the cost of a word is log(rank + this) plus a fixed cost.
_RANK_SMOOTHING = 50
_WORD_COST = 4.0
_MAX_WORD = 20
_MAX_RUN = 60
#: A doubled letter ("too", "good") is preferred to a single one unless the single
#: reading is this many times more common ("sooo" → "so", not "soo").
_DOUBLE_PREFERENCE = 100


def is_word(word: str) -> bool:
    return word in word_ranks()


def apply(
    text: str, spans: list[tuple[int, int]], edits: Edits
) -> tuple[str, list[tuple[int, int]]]:
    """The text with ``edits`` made, and for each character the span of the input it
    stands for (``spans[i]`` is that of ``text[i]``; characters that replace one character
    share its span). A deleted character joins the span
    of the character before it, so "dieeee" read as "die" still covers all the e's."""
    out: list[str] = []
    kept: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        rep = edits.get(i, ch)
        if rep:
            for r in rep:  # "1" in "every1" is read as "one", all three from the "1"
                out.append(r)
                kept.append(spans[i])
        elif kept:
            kept[-1] = (kept[-1][0], spans[i][1])
    return "".join(out), kept


# --- runs of spaces -----------------------------------------------------------------------

#: a run of spaces between two words (not the blanks that stand for a chat stamp at the
#: start of a line), or a tab or no-break space
_SPACES = re.compile(r"(?<=\S)[ \t\u00a0]{2,}(?=\S)|[\t\u00a0]")


def extra_spaces(text: str) -> Edits:
    """Keep one space of a run and read a tab as a space ("add   me  on  snap"): the cues
    are written with one space, and double spaces (after a full stop, from a phone, or
    typed on purpose) read the same."""
    edits: Edits = {}
    for m in _SPACES.finditer(text):
        edits[m.start()] = " "
        for i in range(m.start() + 1, m.end()):
            edits[i] = ""
    return edits


# --- emoji inside a word ------------------------------------------------------------------


def emoji_inside_words(text: str) -> Edits:
    """Delete emoji and symbols that split a known word ("ki🔪ll")."""
    edits: Edits = {}
    if text.isascii() or _EMOJI_AFTER_LETTER.search(text) is None:
        return edits
    for m in _EMOJI_IN_WORD.finditer(text):
        joined = _EMOJI_CHAR.sub("", m.group())
        if _known(joined):
            for e in _EMOJI_CHAR.finditer(m.group()):
                edits[m.start() + e.start()] = ""
    return edits


# --- spaced letters -----------------------------------------------------------------------


def spaced_letters(text: str) -> Edits:
    """Join runs of single letters into the words they spell ("k i l l y o u" → "kill you")."""
    edits: Edits = {}
    for m in _SPACED.finditer(text):
        step = len(m.group("sep")) + 1
        start = m.start()
        positions = list(range(start, m.end(), step))
        elements = "".join(text[p] for p in positions)
        letters = sum(c.isalpha() for c in elements)
        if letters < 2 or letters < len(elements) - letters or len(elements) > _MAX_RUN:
            continue
        decoded = _decode(elements) if letters < len(elements) else elements
        if decoded is None:
            continue
        starts = segment(decoded)
        if starts is None:
            continue
        for k, p in enumerate(positions):
            if decoded[k] != text[p]:
                edits[p] = decoded[k]
            if k + 1 < len(positions):
                gap = range(p + 1, positions[k + 1])
                for j, g in enumerate(gap):
                    edits[g] = " " if j == 0 and (k + 1) in starts else ""
    return edits


def segment(letters: str) -> frozenset[int] | None:
    """Where the words of ``letters`` start, as the likeliest split into known words;
    ``None`` when no split into known words includes a word of three letters or more."""
    ranks = word_ranks()
    n = len(letters)
    best = [math.inf] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for j in range(1, n + 1):
        for i in range(max(0, j - _MAX_WORD), j):
            if best[i] == math.inf:
                continue
            rank = ranks.get(letters[i:j])
            if rank is None:
                continue
            cost = best[i] + math.log(rank + _RANK_SMOOTHING) + _WORD_COST
            if cost < best[j]:
                best[j] = cost
                back[j] = i
    if best[n] == math.inf:
        return None
    starts: list[int] = []
    j = n
    longest = 0
    while j > 0:
        i = back[j]
        starts.append(i)
        longest = max(longest, j - i)
        j = i
    return frozenset(starts) if longest >= 3 else None


# --- leetspeak ----------------------------------------------------------------------------


def leetspeak(text: str) -> Edits:
    """Read look-alike digits and symbols inside words as letters ("k!ll y0u" → "kill you")."""
    edits: Edits = {}
    if _LEET_BY_LETTER.search(text) is None:
        return edits
    decoded_at: set[int] = set()
    weak: list[tuple[int, str, str]] = []
    for m in LEET_TOKEN.finditer(text):
        token = m.group().rstrip("!|")
        if token[:-1].isalpha() and token[-1:] == "1" and is_word(token[:-1] + "one"):
            edits[m.start() + len(token) - 1] = "one"  # "every1", "any1", "some1"
            continue
        if not token:
            continue
        short = _SHORT_LEET.get(token)
        if short is not None:
            weak.append((m.start(), token, short))
            continue
        if not _is_leet_word(token):
            continue
        decoded = _decode(token)
        if decoded is None:
            plain = _decode(token, strong_only=False)
            if plain is not None:
                weak.append((m.start(), token, plain))
            continue
        decoded_at.add(m.start())
        _spell(edits, m.start(), token, decoded)
    if decoded_at:  # a text that disguises one word may disguise the short ones too
        for start, token, decoded in weak:
            decoded_at.add(start)
            _spell(edits, start, token, decoded)
    if "1" in text:
        for m in _LONE_ONE.finditer(text):
            nxt = m.group(1)
            if nxt is None or (decoded_at and m.start(1) in decoded_at):
                edits[m.start()] = "i"
    return edits


#: Two-character words written with a digit ("b3", "t0"): read only in a text that
#: disguises another word too, since "b3" alone is as likely a vitamin or a grid square.
_SHORT_LEET = {
    "b3": "be", "m3": "me", "w3": "we", "h3": "he", "n0": "no", "s0": "so", "t0": "to",
    "g0": "go", "d0": "do", "1t": "it", "1s": "is", "1n": "in", "0n": "on", "0f": "of",
    "0r": "or",
}  # fmt: skip


def _spell(edits: Edits, start: int, token: str, decoded: str) -> None:
    for j, (a, b) in enumerate(zip(token, decoded, strict=True)):
        if a != b:
            edits[start + j] = b


def _is_leet_word(token: str) -> bool:
    """Whether a token reads as a disguised word ("k1ll", "$lut", "5hit"), not a number,
    reference ("ND22C00417", "NHS123"), age ("13yo"), time ("5pm") or handle."""
    if token[0] == "@" or len(token) > 20:
        return False
    letters = sum(c.isalpha() for c in token)
    others = len(token) - letters
    if letters < 2 or letters < others or not any(c in _LEET_CHARS for c in token):
        return False
    return not (token[0].isdigit() and letters <= 2 * others)


def _decode(token: str, strong_only: bool = True) -> str | None:
    """The letters a leet token stands for, or ``None`` when it is probably not leet.

    ``strong_only=False`` also reads one look-alike digit inside a word the word list
    does not know ("s3wer"); :func:`leetspeak` uses that only beside clear leet.
    """
    either = [i for i, c in enumerate(token) if c in _EITHER]
    plain = "".join(LEET.get(c, c) for c in token)
    decoded = plain
    if either and len(either) <= 4:
        chars = list(plain)
        candidates: list[str] = []
        for choice in product(*(_EITHER[token[i]] for i in either)):
            for i, c in zip(either, choice, strict=True):
                chars[i] = c
            candidates.append("".join(chars))
        # A word as it stands ("ki11" is "kill"), else one with stretched letters.
        decoded = next(
            (c for c in candidates if is_word(c)),
            next((c for c in candidates if _known(c)), candidates[0]),
        )
    if _known(decoded):
        return decoded
    # Not a known word: decode only clear leet, a symbol ("$lut") or two look-alikes
    # ("f4gg0t"), and never a digit at the edge ("7yrs", "mp3") or a postcode ("sw1a").
    strong = any(not c.isdigit() for c in token if c in _LEET_CHARS) or (
        sum(c in _LEET_CHARS for c in token) >= 2
    )
    if token[0].isdigit() or token[-1].isdigit() or (strong_only and not strong):
        return None
    return decoded


# --- stretched letters --------------------------------------------------------------------


def stretched_letters(text: str) -> Edits:
    """Shorten letters repeated three or more times to the known word, else to two."""
    edits: Edits = {}
    if _STRETCH.search(text) is None:
        return edits
    for w in _WORD.finditer(text):
        runs = list(_STRETCH.finditer(w.group()))
        if not runs:
            continue
        for run, keep in zip(runs, _stretch_lengths(w.group(), runs), strict=True):
            for j in range(run.start() + keep, run.end()):
                edits[w.start() + j] = ""
    return edits


def _stretch_lengths(word: str, runs: list[re.Match[str]]) -> tuple[int, ...]:
    """How many of each run's letters to keep: the reading in the word list that is most
    common (doubled letters favoured), else two of each."""
    ranks = word_ranks()
    default = (2,) * len(runs)
    if len(runs) > 4:
        return default
    best: tuple[float, tuple[int, ...]] | None = None
    for lengths in product((2, 1), repeat=len(runs)):
        parts: list[str] = []
        pos = 0
        for run, keep in zip(runs, lengths, strict=True):
            parts.append(word[pos : run.start()] + run.group(1) * keep)
            pos = run.end()
        rank = ranks.get("".join(parts) + word[pos:])
        if rank is None:
            continue
        score = (rank + 1) / _DOUBLE_PREFERENCE ** lengths.count(2)
        if best is None or score < best[0]:
            best = (score, lengths)
    return default if best is None else best[1]


def _known(word: str) -> bool:
    """Whether ``word``, or it with stretched letters shortened, is in the word list."""
    ranks = word_ranks()
    if word in ranks:
        return True
    runs = list(_STRETCH.finditer(word))
    if not runs or len(runs) > 4:
        return False
    lengths = _stretch_lengths(word, runs)
    parts: list[str] = []
    pos = 0
    for run, keep in zip(runs, lengths, strict=True):
        parts.append(word[pos : run.start()] + run.group(1) * keep)
        pos = run.end()
    return "".join(parts) + word[pos:] in ranks
