"""A cheap, exact pre-check for regular expressions: the literals a match must contain.

Most of our cue and identifier patterns never match a given text, and Python's regex
engine still scans the whole text for each one. ``required_literals`` reads a pattern's
parse tree and returns a set of strings such that **every** match contains at least one
of them (the idea behind the "required factor" filters of RE2 and Hyperscan). If none of
them occurs in the text, the regex cannot match and is skipped; if one does, the regex
runs as usual, so results are identical with or without the filter.

Literals are compared in a *key* form of the text (:func:`key_text`): every digit reads
as ``0`` (so ``\\d`` and ``[0-9]`` become the literal ``0``), and for case-blind patterns
the text is lower-cased. A text is mapped character by character, so a text holding a
match always holds one of the match's literals in key form.

Checking literals one ``in`` at a time costs a scan of the text per literal. A
:class:`LiteralIndex` instead finds every literal of every pattern that occurs in a text
in **one** scan (an Aho-Corasick automaton); detectors then skip a
pattern with a set intersection. Detectors register their literals in a
:class:`Vocabulary`, one per text view and case mode, and :class:`~safeside.engine.doc.Doc`
caches what was found per view.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

#: A set of literals is worth checking when its weakest member scores at least this
#: (see :func:`_score`: an ASCII character scores 1, a digit 2, any other character 3).
MIN_USEFUL = 2
#: Give up on alternations larger than this (the index handles thousands easily).
MAX_ALTERNATIVES = 2_000
#: Repeats longer than this add only this many copies to a literal.
_MAX_COPIES = 4

Literals = frozenset[str]

_DIGIT = re.compile(r"\d")
#: Characters a case-blind regex matches with an ASCII letter but ``str.lower`` does not
#: map to it (found by testing every code point against ``re.IGNORECASE``).
_CASE_SPECIAL = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def key_text(text: str, fold: bool) -> str:
    """The form of ``text`` that literals are looked up in: digits read as ``0``, and
    lower-cased for case-blind patterns."""
    if fold:
        if not text.isascii():
            text = text.translate(_CASE_SPECIAL)
        text = text.lower()
    return _DIGIT.sub("0", text)


def folds(regex: re.Pattern[str]) -> bool:
    """Whether any part of ``regex`` ignores case (then all its literals are lower-cased)."""
    parsed = _parse(regex)
    return parsed is None or _folds(regex, parsed)


def _parse(regex: re.Pattern[str]) -> list[tuple[Any, Any]] | None:
    try:
        return list(sre_parse.parse(regex.pattern, regex.flags))
    except (re.error, RecursionError):  # pragma: no cover - compiled patterns parse
        return None


def _folds(regex: re.Pattern[str], parsed: list[tuple[Any, Any]]) -> bool:
    return bool(regex.flags & re.IGNORECASE) or _any_ignorecase(parsed)


def _any_ignorecase(items: list[tuple[Any, Any]]) -> bool:
    for op, av in items:
        if op is c.SUBPATTERN and av[1] & re.IGNORECASE:
            return True
        subs: list[Any] = []
        if op in (c.SUBPATTERN, c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            subs = [av[-1]]
        elif op is c.BRANCH:
            subs = av[1]
        elif op in (c.ATOMIC_GROUP,):
            subs = [av]
        elif op in (c.ASSERT, c.ASSERT_NOT):
            subs = [av[1]]
        elif op is c.GROUPREF_EXISTS:
            subs = [s for s in av[1:] if s is not None]
        if any(_any_ignorecase(list(s)) for s in subs):
            return True
    return False


def required_literals(regex: re.Pattern[str]) -> Literals | None:
    """Strings one of which every match of ``regex`` contains, in key form (compare with
    ``key_text(text, folds(regex))``), or ``None`` when no useful set can be proven."""
    return _literals_and_fold(regex)[0]


def _literals_and_fold(regex: re.Pattern[str]) -> tuple[Literals | None, bool]:
    parsed = _parse(regex)
    if parsed is None:  # pragma: no cover - compiled patterns parse
        return None, True
    fold = _folds(regex, parsed)
    found = _sequence(parsed, fold)
    if not found or _weakest(found) < MIN_USEFUL or len(found) > MAX_ALTERNATIVES:
        return None, fold
    return found, fold


def _score(literal: str) -> int:
    """How rarely a literal occurs, roughly: longer is rarer; digits and emoji are rarer
    than letters."""
    return sum(1 if ch.isascii() and ch != "0" else 2 if ch == "0" else 3 for ch in literal)


def _weakest(literals: Literals) -> int:
    return min(_score(s) for s in literals)


def _better(a: Literals | None, b: Literals | None) -> Literals | None:
    """The more selective of two requirements (rarer weakest literal, then fewer)."""
    if a is None:
        return b
    if b is None:
        return a
    key_a = (_weakest(a), -len(a))
    key_b = (_weakest(b), -len(b))
    return a if key_a >= key_b else b


_DIGIT_CATEGORIES = frozenset({c.CATEGORY_DIGIT, c.CATEGORY_UNI_DIGIT})


def _char(op: Any, av: Any, fold: bool) -> str | None:
    """The key-form character that a one-character item always matches, if there is one."""
    if op is c.LITERAL:
        ch = chr(av)
        if _DIGIT.match(ch):
            return "0"
        if fold:
            # Case-blind: ASCII compares lower-cased; other cased letters are not trusted.
            if ch.isascii():
                return ch.lower()
            uncased = ch.lower() == ch == ch.upper() and ch not in "\u0130\u0131\u017f\u212a"
            return ch if uncased else None
        return ch
    if op is c.IN:
        if all(_is_digit_item(iop, iav) for iop, iav in av):
            return "0"
        if len(av) == 1 and av[0][0] is c.LITERAL:
            return _char(c.LITERAL, av[0][1], fold)
    return None


def _is_digit_item(op: Any, av: Any) -> bool:
    if op is c.LITERAL:
        return chr(av) in "0123456789"
    if op is c.RANGE:
        return bool(ord("0") <= av[0] <= av[1] <= ord("9"))
    return op is c.CATEGORY and av in _DIGIT_CATEGORIES


def _sequence(items: list[tuple[Any, Any]], fold: bool) -> Literals | None:
    best: Literals | None = None
    run: list[str] = []

    def close() -> None:
        nonlocal best, run
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []

    for op, av in items:
        ch = _char(op, av, fold)
        if ch is not None:
            run.append(ch)
            continue
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width: the characters either side stay adjacent
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, high, sub = av
            sub = list(sub)
            one = _char(sub[0][0], sub[0][1], fold) if len(sub) == 1 else None
            if one is not None and low >= 1:
                # "\d{2}" adds "00"; "\d{1,2}/" contains "0/": the first copies follow
                # what came before, the last copies precede what comes after.
                copies = one * min(low, _MAX_COPIES)
                run.append(copies)
                if high != low or low > _MAX_COPIES:
                    close()
                    run.append(copies)
                continue
            close()
            if low >= 1:
                best = _better(best, _sequence(sub, fold))
            continue
        close()
        if op is c.SUBPATTERN:
            # (Scoped flags need no care: when any part ignores case, all literals fold.)
            best = _better(best, _sequence(list(av[3]), fold))
        elif op is c.BRANCH:
            best = _better(best, _branches(av[1], fold))
        elif op is c.ATOMIC_GROUP:
            best = _better(best, _sequence(list(av), fold))
        # ANY, NOT_LITERAL, other IN and CATEGORY, GROUPREF: no literal
    close()
    return best


def _branches(branches: list[Any], fold: bool) -> Literals | None:
    union: set[str] = set()
    for branch in branches:
        found = _sequence(list(branch), fold)
        if not found:
            return None  # this alternative needs no literal, so neither does the whole
        union |= found
    return frozenset(union)


def may_match(literals: Literals | None, text: str) -> bool:
    """False only when a regex with these ``literals`` provably cannot match ``text``
    (``text`` in key form, see :func:`key_text`)."""
    if literals is None:
        return True
    for literal in literals:  # noqa: SIM110 (a plain loop is measurably faster than any())
        if literal in text:
            return True
    return False


class LiteralIndex:
    """Finds which of many literals occur in a text, in one scan (an Aho-Corasick
    automaton, ``pyahocorasick``)."""

    def __init__(self, literals: Iterable[str]) -> None:
        self.literals: Literals = frozenset(w for w in literals if w)
        self._automaton = ahocorasick.Automaton()
        for word in self.literals:
            self._automaton.add_word(word, word)
        if self.literals:
            self._automaton.make_automaton()

    def present(self, key: str) -> frozenset[str]:
        """The literals that occur in ``key`` (a text in key form)."""
        if not self.literals:
            return frozenset()
        return frozenset(word for _, word in self._automaton.iter(key))


class Vocabulary:
    """The literals registered for one text view and case mode, with an index over them
    that is rebuilt when new literals arrive."""

    def __init__(self) -> None:
        self._literals: set[str] = set()
        #: the index over the literals so far; ``None`` until :meth:`index` rebuilds it
        self.built: LiteralIndex | None = None
        self._lock = threading.Lock()

    def add(self, literals: Iterable[str]) -> None:
        with self._lock:
            new = set(literals) - self._literals
            if new:
                self._literals |= new
                self.built = None

    def index(self) -> LiteralIndex:
        index = self.built
        if index is None:
            with self._lock:
                if self.built is None:
                    self.built = LiteralIndex(self._literals)
                index = self.built
        return index


_VOCABULARIES: dict[tuple[str, bool], Vocabulary] = {}
_VOCAB_LOCK = threading.Lock()


def vocabulary(view: str, fold: bool) -> Vocabulary:
    """The shared vocabulary of literals looked up in the ``view`` ("clean" or "cue")."""
    key = (view, fold)
    vocab = _VOCABULARIES.get(key)
    if vocab is None:
        with _VOCAB_LOCK:
            vocab = _VOCABULARIES.setdefault(key, Vocabulary())
    return vocab


@dataclass(frozen=True, slots=True)
class Requirement:
    """What a regex needs in a text view: one of ``literals`` in key form."""

    view: str
    fold: bool
    literals: Literals
    vocabulary: Vocabulary = field(compare=False, repr=False)


def requirement(regex: re.Pattern[str], view: str) -> Requirement | None:
    """The pre-check for ``regex`` run over ``view``, registered with that view's
    vocabulary; ``None`` when the regex must always run."""
    literals, fold = _literals_and_fold(regex)
    if literals is None:
        return None
    vocab = vocabulary(view, fold)
    vocab.add(literals)
    return Requirement(view, fold, literals, vocab)
