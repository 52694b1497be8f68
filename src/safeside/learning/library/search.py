"""Ranked search over guidance pages: BM25 across fields, a title boost, marked snippets.

Words are casefolded and lightly stemmed (plurals, ``-ing``, ``-ed``), so "viewing",
"viewed" and "views" all find "view". Dotted references stay whole as well as split, so
"s.97" and "5.6" find the pages that cite them. A title, tag or summary match counts
more than a body match, and a match in a source's title or reference counts least; a query's words found together as a phrase count more again.

A result carries its snippet as data (:class:`SnippetPart` runs of plain text, the matched
words flagged), so the template marks them up and escapes everything else.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from safeside.learning.library.page import GuidancePage
from safeside.learning.library.render import plain_text

#: How much a match in each field counts, relative to the body.
FIELD_WEIGHTS: Final = {"title": 4.0, "tags": 3.0, "summary": 2.0, "body": 1.0, "sources": 0.5}
K1: Final = 1.2
B: Final = 0.75
PHRASE_BONUS: Final = 0.5  # share of the score added when the words appear together
SNIPPET_WORDS: Final = 28
MAX_QUERY_CHARS: Final = 200

_WORD = re.compile(r"\w+(?:[.’']\w+)*")
_STOPWORD_TEXT = """a about after all also am an and any are as at be because been before being but by
    can could did do does doing for from had has have having he her here hers him his how
    i if in into is it its itself just me more most my no nor not of off on once only or
    other our ours out over own same she should so some such than that the their theirs
    them then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours"""
_STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split())
_IRREGULAR: Final = {"children": "child", "people": "person", "men": "man", "women": "woman"}


def stem(word: str) -> str:
    """A light, predictable stem: ``"viewing"``, ``"viewed"``, ``"views"`` → ``"view"``."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if not word.isalpha() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "stopped" → "stop"
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]  # "profile" and "profiling" meet at "profil"
    return word


def _words(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, casefolded word) for each word in ``text``, possessives dropped."""
    for match in _WORD.finditer(text):
        word = match.group().casefold().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        yield match.start(), match.end(), word


def terms(word: str) -> list[str]:
    """The index terms for one casefolded word (none for a stopword)."""
    if "." in word or "'" in word:
        parts = [p for p in re.split(r"[.']", word) if p]
        joined = word.replace("'", "")
        extra = [stem(p) for p in parts if len(p) > 1 and p not in _STOPWORDS]
        return [joined, *extra]
    if word in _STOPWORDS:
        return []
    return [stem(word)]


def tokenise(text: str) -> list[str]:
    """Index terms for ``text``, in order."""
    return [term for _, _, word in _words(text) for term in terms(word)]


@dataclass(frozen=True, slots=True)
class SnippetPart:
    """A run of a snippet's text; ``match`` is True for a word the query matched."""

    text: str
    match: bool = False


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page that matched, how well, and a snippet showing where."""

    page: GuidancePage
    score: float
    snippet: tuple[SnippetPart, ...]


@dataclass(frozen=True, slots=True)
class _Document:
    page: GuidancePage
    text: str  # summary and body as plain text, for snippets
    source_text: str  # the sources' titles and references, for snippets of source matches
    weighted: Mapping[str, float]
    length: float
    sequences: tuple[tuple[str, ...], ...]  # each field's terms in order, for phrases


class SearchIndex:
    """A BM25F index over a set of pages (built once; searching never changes it)."""

    def __init__(self, pages: Iterable[GuidancePage]) -> None:
        self._documents: list[_Document] = []
        frequency: Counter[str] = Counter()
        for page in pages:
            body = plain_text(page.body)
            fields = {
                "title": tokenise(page.title),
                "tags": tokenise(" . ".join(page.tags)),
                "summary": tokenise(page.summary),
                "body": tokenise(body),
                "sources": tokenise(" . ".join(f"{s.title} . {s.reference}" for s in page.sources)),
            }
            weighted: dict[str, float] = {}
            for name, found in fields.items():
                for term in found:
                    weighted[term] = weighted.get(term, 0.0) + FIELD_WEIGHTS[name]
            length = sum(FIELD_WEIGHTS[n] * len(f) for n, f in fields.items())
            text = f"{page.summary}\n{body}".strip()
            sequences = tuple(tuple(f) for f in fields.values())
            cited = "; ".join(f"{s.title}: {s.reference}" for s in page.sources)
            self._documents.append(_Document(page, text, cited, weighted, length, sequences))
            frequency.update(weighted.keys())
        count = len(self._documents)
        self._idf = {
            term: math.log(1 + (count - n + 0.5) / (n + 0.5)) for term, n in frequency.items()
        }
        self._average = sum(d.length for d in self._documents) / count if count else 0.0

    def search(self, query: str, limit: int = 20) -> list[SearchResult]:
        """Pages matching ``query``, best first; empty if nothing matches."""
        wanted = list(dict.fromkeys(tokenise(query[:MAX_QUERY_CHARS])))
        wanted = [t for t in wanted if t in self._idf]
        if not wanted or limit <= 0:
            return []
        scored: list[tuple[float, str, _Document]] = []
        for document in self._documents:
            score = self._score(document, wanted)
            if score > 0:
                scored.append((score, document.page.title.casefold(), document))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [
            SearchResult(document.page, round(score, 4), _best_snippet(document, set(wanted)))
            for score, _, document in scored[:limit]
        ]

    def _score(self, document: _Document, wanted: list[str]) -> float:
        norm = K1 * (1 - B + B * document.length / self._average) if self._average else K1
        score = 0.0
        for term in wanted:
            tf = document.weighted.get(term, 0.0)
            if tf:
                score += self._idf[term] * tf * (K1 + 1) / (tf + norm)
        if score and len(wanted) > 1 and any(_has_phrase(s, wanted) for s in document.sequences):
            score *= 1 + PHRASE_BONUS
        return score


def _best_snippet(document: _Document, wanted: set[str]) -> tuple[SnippetPart, ...]:
    """A snippet of the page's text, or of its sources when only they matched."""
    found = snippet(document.text, wanted)
    if any(part.match for part in found):
        return found
    cited = snippet(document.source_text, wanted)
    return cited if any(part.match for part in cited) else found


def _has_phrase(sequence: tuple[str, ...], phrase: list[str]) -> bool:
    size = len(phrase)
    return any(list(sequence[i : i + size]) == phrase for i in range(len(sequence) - size + 1))


def snippet(text: str, wanted: set[str], size: int = SNIPPET_WORDS) -> tuple[SnippetPart, ...]:
    """The window of ``size`` words in ``text`` with the most query terms, matches marked."""
    words = list(_words(text))
    if not words:
        return ()
    hits = [bool(set(terms(word)) & wanted) for _, _, word in words]
    best, best_start = -1, 0
    for start in range(max(1, len(words) - size + 1)):
        window = words[start : start + size]
        found = {
            t for (_, _, w), hit in zip(window, hits[start:], strict=False) if hit for t in terms(w)
        }
        value = len(found & wanted) * 10 + sum(hits[start : start + size])
        if value > best:
            best, best_start = value, start
    end_index = min(len(words), best_start + size)
    begin = words[best_start][0]
    finish = words[end_index - 1][1]
    parts: list[SnippetPart] = []
    if best_start > 0:
        parts.append(SnippetPart("… "))
    cursor = begin
    for (start, end, _), hit in zip(
        words[best_start:end_index], hits[best_start:end_index], strict=True
    ):
        if hit:
            if start > cursor:
                parts.append(SnippetPart(text[cursor:start]))
            parts.append(SnippetPart(text[start:end], match=True))
            cursor = end
    if finish > cursor:
        parts.append(SnippetPart(text[cursor:finish]))
    if end_index < len(words):
        parts.append(SnippetPart(" …"))
    return tuple(_join(parts))


def _join(parts: list[SnippetPart]) -> list[SnippetPart]:
    """Merge neighbouring runs of the same kind; newlines become spaces."""
    joined: list[SnippetPart] = []
    for part in parts:
        text = re.sub(r"\s+", " ", part.text)
        if joined and joined[-1].match == part.match:
            joined[-1] = SnippetPart(joined[-1].text + text, part.match)
        else:
            joined.append(SnippetPart(text, part.match))
    return joined
