"""A cheap, exact pre-check for regular expressions: the literals a match must contain.

Most of our cue and identifier patterns never match a given text, and Python's regex
engine still scans the whole text for each one. ``required_literals`` reads a pattern's
parse tree and returns a set of strings such that **every** match contains at least one
of them (the idea behind the "required factor" filters of RE2 and Hyperscan). If none of
them occurs in the text, the regex cannot match and is skipped; if one does, the regex
runs as usual, so results are identical with or without the filter.
"""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

#: Literal sets whose shortest member is shorter than this are not worth checking.
MIN_USEFUL = 3
#: Give up on huge alternations: checking hundreds of words costs more than the regex.
MAX_ALTERNATIVES = 120

Literals = frozenset[str]


def required_literals(regex: re.Pattern[str]) -> Literals | None:
    """Strings one of which every match of ``regex`` contains (case-folded when the
    pattern ignores case: compare with ``text.casefold()``), or ``None`` when no useful set can be proven."""
    try:
        parsed = sre_parse.parse(regex.pattern, regex.flags)
    except (re.error, RecursionError):  # pragma: no cover - compiled patterns parse
        return None
    fold = bool(regex.flags & re.IGNORECASE)
    found = _sequence(list(parsed), fold)
    if not found or min(len(s) for s in found) < MIN_USEFUL or len(found) > MAX_ALTERNATIVES:
        return None
    return found


def _better(a: Literals | None, b: Literals | None) -> Literals | None:
    """The more selective of two requirements (longer shortest literal, then fewer)."""
    if a is None:
        return b
    if b is None:
        return a
    key_a = (min(len(s) for s in a), -len(a))
    key_b = (min(len(s) for s in b), -len(b))
    return a if key_a >= key_b else b


def _sequence(items: list[tuple[Any, Any]], fold: bool) -> Literals | None:
    best: Literals | None = None
    run: list[str] = []

    def close() -> None:
        nonlocal best, run
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []

    for op, av in items:
        if op is c.LITERAL:
            ch = chr(av)
            run.append(ch.casefold() if fold else ch)
            continue
        close()
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            sub_fold = (fold or bool(add_flags & re.IGNORECASE)) and not (del_flags & re.IGNORECASE)
            best = _better(best, _sequence(list(sub), sub_fold))
        elif op is c.BRANCH:
            best = _better(best, _branches(av[1], fold))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _high, sub = av
            if low >= 1:
                best = _better(best, _sequence(list(sub), fold))
        elif op is c.ATOMIC_GROUP:
            best = _better(best, _sequence(list(av), fold))
        # AT, ASSERT, ASSERT_NOT, IN, ANY, NOT_LITERAL, CATEGORY, GROUPREF: no literal
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
    """False only when ``regex`` provably cannot match ``text`` (see module docstring)."""
    if literals is None:
        return True
    for literal in literals:  # noqa: SIM110 (a plain loop is measurably faster than any())
        if literal in text:
            return True
    return False
