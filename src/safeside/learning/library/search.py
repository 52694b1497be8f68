"""Ranked search over guidance pages: SQLite FTS5, BM25 across fields, marked snippets.

The pages are indexed once in an in-memory SQLite FTS5 table, one column per field, with
the Porter stemmer (``tokenize='porter unicode61 remove_diacritics 2'``), so "viewing",
"viewed" and "views" all find "view", and accents do not matter. FTS5's ``bm25()`` ranks
them, with a title match counting most and a match in a source's title or reference
least (:data:`FIELD_WEIGHTS`); the query's words are ORed, and the query as a phrase is
added, so pages with the words together rank higher. Stopwords are dropped from the
query, a few irregular plurals ("children") also find their singular, and dotted
references ("s.97", "5.6") are searched as the phrase they tokenise to.

A result carries its snippet (from FTS5's ``snippet()``) as data (:class:`SnippetPart`
runs of plain text, the matched words flagged), so the template marks them up and escapes
everything else.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from safeside.learning.library.page import GuidancePage
from safeside.learning.library.render import plain_text

#: How much a match in each field counts, relative to the body (the FTS5 columns, in order).
FIELD_WEIGHTS: Final = {"title": 4.0, "tags": 3.0, "summary": 2.0, "body": 1.0, "sources": 0.5}
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
#: Plurals the Porter stemmer does not bring to their singular, both ways.
_IRREGULAR: Final = {"children": "child", "people": "person", "men": "man", "women": "woman"}
_ALSO: Final = _IRREGULAR | {v: k for k, v in _IRREGULAR.items()}
#: Marks FTS5 puts around matched words and for text left out (characters never in pages).
_OPEN, _CLOSE, _MORE = "\x02", "\x03", "\x04"
_COLUMNS: Final = tuple(FIELD_WEIGHTS)
_SNIPPET_COLUMNS: Final = ("summary", "body", "sources")


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


def fts_query(query: str) -> str:
    """The FTS5 query for what a person typed: each word (or its plural) ORed, and the
    whole query as a phrase; empty when there is no word to search for."""
    words = []
    for match in _WORD.finditer(query[:MAX_QUERY_CHARS]):
        word = match.group().casefold().replace("’", "'")
        words.append(word[:-2] if word.endswith("'s") else word)
    terms: dict[str, None] = {}
    for word in words:
        if word in _STOPWORDS:
            continue
        parts = [p for p in re.split(r"[.']", word) if len(p) > 1 and p not in _STOPWORDS]
        forms = [word, *parts] if "." in word or "'" in word else [word]
        for form in forms:
            also = _ALSO.get(form)
            terms[f"({_quoted(form)} OR {_quoted(also)})" if also else _quoted(form)] = None
    if not terms:
        return ""
    phrase = [_quoted(" ".join(words))] if len(words) > 1 else []
    return " OR ".join([*phrase, *terms])


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class SearchIndex:
    """An FTS5 index over a set of pages (built once; searching never changes it)."""

    def __init__(self, pages: Iterable[GuidancePage]) -> None:
        self._pages: dict[int, GuidancePage] = dict(enumerate(pages, start=1))
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        weakref.finalize(self, self._db.close)  # a replaced library closes its index
        self._db.execute(
            f"CREATE VIRTUAL TABLE pages USING fts5({', '.join(_COLUMNS)}, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        self._db.executemany(
            f"INSERT INTO pages(rowid, {', '.join(_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    rowid,
                    page.title,
                    " . ".join(page.tags),
                    page.summary,
                    plain_text(page.body),
                    "; ".join(f"{s.title}: {s.reference}" for s in page.sources),
                )
                for rowid, page in self._pages.items()
            ],
        )
        weights = ", ".join(str(w) for w in FIELD_WEIGHTS.values())
        snippets = ", ".join(
            f"snippet(pages, {_COLUMNS.index(c)}, '{_OPEN}', '{_CLOSE}', '{_MORE}', "
            f"{SNIPPET_WORDS})"
            for c in _SNIPPET_COLUMNS
        )
        self._sql = (
            f"SELECT rowid, bm25(pages, {weights}) AS rank, {snippets} FROM pages "
            "WHERE pages MATCH ? ORDER BY rank, lower(title) LIMIT ?"
        )

    def search(self, query: str, limit: int = 20) -> list[SearchResult]:
        """Pages matching ``query``, best first; empty if nothing matches."""
        match = fts_query(query)
        if not match or limit <= 0:
            return []
        with self._lock:
            rows = self._db.execute(self._sql, (match, limit)).fetchall()
        return [
            SearchResult(self._pages[rowid], round(-rank, 4), _best_snippet(snippets))
            for rowid, rank, *snippets in rows
        ]


def _best_snippet(snippets: list[str]) -> tuple[SnippetPart, ...]:
    """The summary's or the body's snippet, whichever shows more of the query's words,
    or the sources' when only they matched."""
    summary, body, sources = (_parts(s) for s in snippets)
    found = max((summary, body), key=_matched)
    if _matched(found) or not _matched(sources):
        return found
    return sources


def _matched(parts: tuple[SnippetPart, ...]) -> int:
    return len({p.text.casefold() for p in parts if p.match})


def _parts(snippet: str) -> tuple[SnippetPart, ...]:
    """FTS5's marked snippet as runs: each matched word its own run, spaces tidied."""
    text = re.sub(r"\s+", " ", snippet)
    text = re.sub(f"^{_MORE}", "… ", re.sub(f"{_MORE}$", " …", text))
    parts: list[SnippetPart] = []
    for i, run in enumerate(re.split(f"[{_OPEN}{_CLOSE}]", text)):
        if i % 2 == 0:
            parts.append(SnippetPart(run))
            continue
        for j, piece in enumerate(re.split(r"( )", run)):
            parts.append(SnippetPart(piece, match=j % 2 == 0))
    return tuple(_join(p for p in parts if p.text))


def _join(parts: Iterable[SnippetPart]) -> list[SnippetPart]:
    """Merge neighbouring runs of plain text."""
    joined: list[SnippetPart] = []
    for part in parts:
        if joined and not part.match and not joined[-1].match:
            joined[-1] = SnippetPart(joined[-1].text + part.text)
        else:
            joined.append(part)
    return joined
