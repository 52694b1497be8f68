"""Data tables for the normaliser: look-alike letters and a ranked English word list.

Both are generated once and shipped as small files in ``safeside/text/data`` (the
functions that made them are here, so they can be regenerated):

* ``confusables.tsv`` — letters of other scripts that look like a Latin letter, from the
  Unicode Consortium's UTS #39 ``confusables.txt`` (version 17.0.0; see the file header),
  plus the Latin small capitals and enclosed letters that the Unicode names identify
  (``ᴋ``, ``🅺``, ``⒦``). NFKC already folds full-width and mathematical letters, so only
  what NFKC leaves is listed.
* ``words.txt`` — lower-case words, most frequent first: the whole words of the uncased
  BERT word-piece vocabulary (the one shipped with the embeddings, Apache-2.0, ordered
  roughly by frequency), then chat spellings and the words the concern cues are written
  in. The normaliser uses it to choose between readings of a disguised word ("k!ll" is
  "kill", not "klll"; "sooo" is "so" but "gooood" is "good") and to put spaced-out
  letters back into words ("k i l l y o u" → "kill you").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

_DATA = "data"
CONFUSABLES_FILE = "confusables.tsv"
WORDS_FILE = "words.txt"

#: Chat spellings and short words that the vocabulary lacks or ranks too low.
CHAT_WORDS = (
    "i", "a", "u", "ur", "im", "ive", "ya", "yo", "omg", "idk", "tbh", "pls", "plz", "bc",
    "cuz", "coz", "luv", "bruv", "innit", "kms", "kys", "ima", "imma", "gonna", "wanna",
    "gotta", "lemme", "dunno", "urself", "ure", "thats", "lol", "lmao", "dont", "cant",
    "wont", "didnt", "isnt", "doesnt", "wasnt", "youre", "theyre", "hes", "shes", "whats",
    "aint", "yall", "ill", "id", "ok", "okay", "hun", "mate", "mum", "nan", "selfharm",
    "unalive", "paedo", "nonce", "slut", "slag", "cunt", "twat", "retard", "nudes", "snitch",
)  # fmt: skip
#: Fragments of cue patterns that are not words ("bab(?:y|ies)" gives "ies").
_NOT_WORDS = frozenset({"ies", "ment", "satur", "wednes", "ning", "thur"})
#: Where chat words and cue words go in the ranking: common, but after the commonest.
_EXTRA_RANK = 3000
#: How many of the vocabulary's words to keep.
_VOCAB_WORDS = 16000

_SMALL_CAPS = re.compile(
    r"^(?:LATIN LETTER SMALL CAPITAL|LATIN SMALL CAPITAL LETTER|LATIN SMALL LETTER"
    r"|PARENTHESIZED LATIN SMALL LETTER|CIRCLED LATIN (?:SMALL|CAPITAL) LETTER"
    r"|(?:NEGATIVE )?(?:SQUARED|CIRCLED) LATIN CAPITAL LETTER) ([A-Z])$"
)


def _data(name: str) -> str:
    return resources.files("safeside.text").joinpath(_DATA, name).read_text("utf-8")


@lru_cache(maxsize=1)
def confusables() -> dict[str, str]:
    """Look-alike letter → the Latin letter it imitates (see the module docstring)."""
    table: dict[str, str] = {}
    for line in _data(CONFUSABLES_FILE).splitlines():
        if line and not line.startswith("#"):
            code, target = line.split("\t")[:2]
            table[chr(int(code, 16))] = target
    return table


@lru_cache(maxsize=1)
def word_ranks() -> dict[str, int]:
    """Word → its rank in ``words.txt`` (0 is the commonest)."""
    words = [w for w in _data(WORDS_FILE).splitlines() if w and not w.startswith("#")]
    ranks: dict[str, int] = {}
    for i, w in enumerate(words):
        ranks.setdefault(w, i)
    return ranks


# --- generation (run by hand when the sources change) ----------------------------------------


def _letter_of_name(ch: str) -> str | None:
    """The Latin letter a small capital or enclosed letter is named after."""
    m = _SMALL_CAPS.match(unicodedata.name(ch, ""))
    if m is None:
        return None
    name = unicodedata.name(ch)
    letter = m.group(1)
    return letter if "CAPITAL LETTER" in name and "SMALL CAPITAL" not in name else letter.lower()


def generate_confusables(source: Path) -> list[str]:
    """The lines of ``confusables.tsv`` made from UTS #39 ``confusables.txt``.

    Kept: one letter (category L*) of a non-Latin script or a Latin letter NFKC does not
    fold, whose prototype (after resolving small capitals) is one ASCII letter. Capital
    letters shaped like "I" are mapped to "I" (the prototype is "l")."""
    raw = source.read_bytes()
    header = [ln for ln in raw.decode("utf-8").splitlines()[:10] if ln.startswith("#")]
    version = next((h for h in header if "Version" in h), "# Version: ?").lstrip("# ")
    date = next((h for h in header if "Date" in h), "# Date: ?").lstrip("# ")
    table: dict[int, str] = {}
    for cp in range(0x80, 0x110000):
        ch = chr(cp)
        letter = _letter_of_name(ch)
        folded = unicodedata.normalize("NFKC", ch)
        if letter is not None and not (len(folded) == 1 and folded.isascii()):
            table[cp] = letter  # NFKC leaves it, or makes "(k)" of "⒦"
    for line in raw.decode("utf-8").splitlines():
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        fields = [f.strip() for f in body.split(";")]
        src = fields[0].split()
        if len(src) != 1:
            continue
        cp = int(src[0], 16)
        ch = chr(cp)
        if cp < 0x80 or cp in table or not unicodedata.category(ch).startswith("L"):
            continue
        if _nfkc_ascii(ch):
            continue
        target = "".join(_resolve(chr(int(t, 16))) for t in fields[1].split())
        if len(target) != 1 or not (target.isascii() and target.isalpha()):
            continue
        if target == "l" and unicodedata.category(ch) == "Lu":
            target = "I"
        table[cp] = target
    digest = hashlib.sha256(raw).hexdigest()
    lines = [
        "# Look-alike letters → the Latin letter they imitate (code point in hex, TAB, letter).",
        f"# Source: Unicode UTS #39 confusables.txt, {version}, {date}, sha256 {digest}",
        "# (https://www.unicode.org/Public/security/latest/confusables.txt), single letters",
        "# whose prototype is one ASCII letter and that NFKC does not fold; plus the Latin",
        "# small capitals and enclosed letters named in the Unicode character database.",
        "# Generated by safeside.text.tables.generate_confusables; do not edit by hand.",
    ]
    lines += [f"{cp:04X}\t{table[cp]}" for cp in sorted(table)]
    return lines


def _nfkc_ascii(ch: str) -> bool:
    folded = unicodedata.normalize("NFKC", ch)
    return bool(folded) and folded.isascii()


def _resolve(ch: str) -> str:
    if ch.isascii():
        return ch
    letter = _letter_of_name(ch)
    if letter is not None:
        return letter
    if ch == "\u0138":  # LATIN SMALL LETTER KRA, the prototype of Cyrillic "к"
        return "k"
    folded = unicodedata.normalize("NFKC", ch)
    return folded if folded.isascii() else ch


def generate_words(vocab: Path, cue_patterns: Iterable[str]) -> list[str]:
    """The lines of ``words.txt``: vocabulary words in order, with chat and cue words
    placed at :data:`_EXTRA_RANK`."""
    tokens = vocab.read_text("utf-8").splitlines()
    start = tokens.index("the") if "the" in tokens else 0
    words = [t for t in tokens[start:] if t.isascii() and t.isalpha() and len(t) > 1]
    words = words[:_VOCAB_WORDS]
    known = set(words)
    extra = [w for w in CHAT_WORDS if w not in known or len(w) == 1]
    for pattern in cue_patterns:
        p = re.sub(r"\\[bBdwsSWD]|<\w+>", " ", pattern)
        p = re.sub(r"\(\?[:!=<]+", "(", p)
        for m in re.finditer(r"(?<![a-z?\]])[a-z]{3,}(?![a-z(\[?*+{])", p):
            w = m.group()
            if w not in known and w not in _NOT_WORDS and w not in extra:
                extra.append(w)
    single = [w for w in extra if len(w) == 1]
    rest = [w for w in extra if len(w) > 1]
    ordered = single + words[:_EXTRA_RANK] + rest + words[_EXTRA_RANK:]
    return [
        "# English words, commonest first. Source: the uncased BERT word-piece vocabulary",
        "# (safeside/models/embeddings/vocab.txt, Apache-2.0), whole alphabetic words; plus",
        f"# chat spellings and the words of the concern cues at rank {_EXTRA_RANK}.",
        "# Generated by safeside.text.tables.generate_words; do not edit by hand.",
        *ordered,
    ]
