"""Hand-crafted token features for the tagger, shared by training and inference.

Features are short strings ("w=okafor", "pg=title", "ahead=sch1"); the model maps each
to a few per-tag weights. Static features depend only on the words; the few dynamic
ones add the tags already chosen to the left (greedy left-to-right decoding).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

#: Gazetteer classes, in lookup priority order.
CLASSES = ("title", "sch", "org", "loc", "korg", "first", "sur")
#: Classes that end a named place, school or organisation ("Road", "Primary", "Council").
SUFFIX_CLASSES = frozenset({"sch", "org", "loc"})
#: Classes whose words may start a name wherever they occur.
NAME_CLASSES = frozenset({"title", "korg", "first", "sur"})
#: Token kinds that are never part of a name (handles are their own label).
NEVER_NAME = frozenset({"handle", "hashtag", "email", "url", "punct"})
_SENTENCE_END = frozenset({".", "!", "?", ":", ";", "|", "\n", '"', "(", ")", "-"})
_LOOKAHEAD = 4


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word lists the features consult: gazetteers, common words and skip lists."""

    classes: Mapping[str, str]  # lower-cased word -> gazetteer class
    common: frozenset[str] = field(default_factory=frozenset)  # frequent lower-case words
    #: words seen starting a name often enough to be worth scoring ("^" marks capitalised)
    starters: frozenset[str] = field(default_factory=frozenset)
    #: lower-cased countries and cities: places too coarse to be a Safeside LOCATION
    coarse: frozenset[str] = field(default_factory=frozenset)
    #: lower-cased apps and brands: not an ORG in Safeside
    brands: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls,
        lists: Mapping[str, Iterable[str]],
        common: Iterable[str] = (),
        starters: Iterable[str] = (),
        coarse: Iterable[str] = (),
        brands: Iterable[str] = (),
    ) -> Lexicon:
        classes: dict[str, str] = {}
        for name in reversed(CLASSES):  # earlier classes win
            for word in lists.get(name, ()):
                classes[word.lower()] = name
        return cls(
            classes,
            frozenset(common),
            frozenset(starters),
            frozenset(c.lower() for c in coarse),
            frozenset(b.lower() for b in brands),
        )


def kind_of(token: str) -> str:
    """Coarse token kind: word, num, handle, hashtag, email, url or punct."""
    first = token[0]
    if first == "@":
        return "handle" if len(token) > 1 else "punct"
    if first == "#":
        return "hashtag" if len(token) > 1 else "punct"
    if "@" in token:
        return "email"
    if token.startswith(("http://", "https://", "www.")):
        return "url"
    if token.isdigit():
        return "num"
    if first.isalnum() or first == "_" or token in ("'s", "’s", "'S", "’S"):
        return "word"
    return "punct"


def shape(token: str) -> str:
    """Compressed character shape: "Okafor" -> "Xx", "LS6" -> "Xd", "mr" -> "x"."""
    out: list[str] = []
    for ch in token[:12]:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@dataclass(slots=True)
class Sentence:
    """Per-token facts computed once per text: lower-cased form, shape, kind, class."""

    words: list[str]
    lower: list[str]
    shapes: list[str]
    kinds: list[str]
    gaz: list[str]

    @classmethod
    def of(cls, words: Sequence[str], lex: Lexicon) -> Sentence:
        info = [_word_info(w) for w in words]
        lower = [x[0] for x in info]
        get = lex.classes.get
        return cls(
            list(words),
            lower,
            [x[1] for x in info],
            [x[2] for x in info],
            [get(lw, "") for lw in lower],
        )


_INFO_CACHE: dict[str, tuple[str, str, str]] = {}


def _word_info(word: str) -> tuple[str, str, str]:
    """(lower-cased form, shape, kind) of a word, memoised: most words repeat."""
    info = _INFO_CACHE.get(word)
    if info is None:
        info = (word.lower().replace("’", "'"), shape(word), kind_of(word))
        if len(word) <= 40:
            if len(_INFO_CACHE) > 100_000:
                _INFO_CACHE.clear()
            _INFO_CACHE[word] = info
    return info


def needs_model(sent: Sentence, i: int, prev_tag: str, lex: Lexicon) -> bool:
    """False for tokens that are O whatever the weights say (cheap pre-filter).

    Handles, hashtags, e-mails, URLs and punctuation are never names; a common word
    that never started a name in training is O unless a name is already open.
    """
    if sent.kinds[i] in NEVER_NAME:
        return False
    if prev_tag != "O":
        return True
    lw = sent.lower[i]
    word = sent.words[i]
    cap = word[:1].isupper()
    if (("^" + lw) if cap else lw) in lex.starters or sent.gaz[i] in NAME_CLASSES:
        return True
    if cap and i + 1 < len(sent.words) and sent.gaz[i + 1] in SUFFIX_CLASSES:
        return True  # "Mill Lane", "Park Primary"
    return lw not in lex.common


def static_features(sent: Sentence, i: int, lex: Lexicon) -> list[str]:
    """Features of token ``i`` that do not depend on the tags already chosen."""
    n = len(sent.words)
    lw, sh, g = sent.lower[i], sent.shapes[i], sent.gaz[i]
    pw = sent.lower[i - 1] if i > 0 else "<s>"
    nw = sent.lower[i + 1] if i + 1 < n else "</s>"
    ps = sent.shapes[i - 1] if i > 0 else "<s>"
    ns = sent.shapes[i + 1] if i + 1 < n else "</s>"
    pg = sent.gaz[i - 1] if i > 0 else "<s>"
    ng = sent.gaz[i + 1] if i + 1 < n else "</s>"
    cw = "cw" if lw in lex.common else "rare"
    feats = [
        "b",
        "w=" + lw,
        "s=" + sh,
        "x3=" + lw[-3:],
        "x2=" + lw[-2:],
        "p3=" + lw[:3],
        "g=" + g,
        "cw=" + cw + sh,
        "pw=" + pw,
        "nw=" + nw,
        "pw2=" + (sent.lower[i - 2] if i > 1 else "<s>"),
        "nw2=" + (sent.lower[i + 2] if i + 2 < n else "</s>"),
        "ps=" + ps,
        "ns=" + ns,
        "pg=" + pg,
        "ng=" + ng,
        "s+ng=" + sh + ng,
        "s+pg=" + sh + pg,
        "pw+s=" + pw + "|" + sh,
        "s+ns=" + sh + "|" + ns,
    ]
    if lw[-1:] == "s" and "sur" in (lex.classes.get(lw[:-1]), lex.classes.get(lw[:-2])):
        feats.append("plural-sur" + pw)  # "the Hendersons", "the Jameses"
    if i == 0 or sent.words[i - 1] in _SENTENCE_END:
        feats.append("bos" + sh)
    ahead = _suffix_ahead(sent, i)
    if ahead:
        feats.append("ahead=" + ahead)
        feats.append("ahead+s=" + ahead + sh)
    return feats


def _suffix_ahead(sent: Sentence, i: int) -> str:
    """The nearest place/school/org suffix within a few words to the right, e.g. "sch1"."""
    for d in range(1, _LOOKAHEAD + 1):
        j = i + d
        if j >= len(sent.words) or sent.kinds[j] != "word":
            return ""
        if sent.gaz[j] in SUFFIX_CLASSES:
            return sent.gaz[j] + str(d)
    return ""


def dynamic_features(sent: Sentence, i: int, prev_tag: str, prev2_tag: str) -> list[str]:
    """Features that look at the tags chosen for the two tokens to the left."""
    return [
        "pt=" + prev_tag,
        "pt2=" + prev2_tag + prev_tag,
        "pt+s=" + prev_tag + sent.shapes[i],
        "pt+g=" + prev_tag + sent.gaz[i],
        "pt+w=" + prev_tag + sent.lower[i],
    ]
