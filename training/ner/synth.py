"""Generated UK social-work examples: templates filled with invented names and places."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import lexicon as lx
from corpora import Example, from_char_spans
from templates import BRANDS, JARGON, NEGATIVE, POSITIVE

_SLOT = re.compile(r"\{(\w+)\}")
_DAYS = ["Friday", "tomorrow", "3rd March", "next week", "Monday", "the 21st", "tonight", "12/05"]
_TAGS = ["#socialwork", "#SWChat", "#fostering", "#proudmum", "#fridayfeeling", "#NQSW", "#care"]

Filler = Callable[[random.Random], tuple[str, str | None]]


def _first(r: random.Random) -> str:
    return r.choice(lx.FIRST_NAMES if r.random() < 0.6 else lx.EXTRA_FIRST)


def _sur(r: random.Random) -> str:
    return r.choice(lx.SURNAMES if r.random() < 0.5 else lx.EXTRA_SURNAMES)


def _place_word(r: random.Random) -> str:
    return r.choice(lx.PLACE_WORDS) if r.random() < 0.7 else r.choice(lx.towns())


def _tname(r: random.Random) -> str:
    title = r.choice(["Mrs", "Mr", "Miss", "Ms", "Dr", "Judge", "mr", "mrs", "miss", "Mr.", "Cllr"])
    if r.random() < 0.12:
        return f"{title} {_sur(r)[0]}"
    return f"{title} {_sur(r)}"


def _surs(r: random.Random) -> str:
    s = _sur(r)
    return s + ("es" if s.endswith("s") else "s")


def _school(r: random.Random) -> str:
    head = f"St {r.choice(lx.SAINTS)}" if r.random() < 0.15 else _place_word(r)
    return f"{head} {r.choice(lx.SCHOOL_TYPES)}"


def _org(r: random.Random) -> str:
    x = r.random()
    if x < 0.55:
        return f"{r.choice(lx.towns())} {r.choice(lx.ORG_TYPES)}"
    if x < 0.85:
        return r.choice(lx.NATIONAL_ORGS)
    return r.choice(lx.PRIVATE_ORGS)


def _handle(r: random.Random) -> str:
    return f"{_first(r).lower()}{r.choice(['_', '.', ''])}{r.randint(1, 2012)}"


def _email(r: random.Random) -> str:
    return f"{_first(r).lower()}.{_sur(r).lower()}@example.org.uk"


FILLERS: dict[str, Filler] = {
    "first": lambda r: (_first(r), "PERSON"),
    "full": lambda r: (f"{_first(r)} {_sur(r)}", "PERSON"),
    "tname": lambda r: (_tname(r), "PERSON"),
    "sur": lambda r: (_sur(r), "PERSON"),
    "surs": lambda r: (_surs(r), "PERSON"),
    "town": lambda r: (r.choice(lx.towns()), "LOCATION"),
    "street": lambda r: (f"{_place_word(r)} {r.choice(lx.STREET_TYPES)}", "LOCATION"),
    "estate": lambda r: (f"{_place_word(r)} {r.choice(lx.ESTATE_TYPES)}", "LOCATION"),
    "park": lambda r: (f"{_place_word(r)} {r.choice(lx.PARK_TYPES)}", "LOCATION"),
    "venue": lambda r: (f"{_place_word(r)} {r.choice(lx.VENUE_TYPES)}", "LOCATION"),
    "school": lambda r: (_school(r), "SCHOOL"),
    "org": lambda r: (_org(r), "ORG"),
    "city": lambda r: (r.choice(lx.CITIES), None),
    "handle": lambda r: (_handle(r), None),
    "tag": lambda r: (r.choice(_TAGS), None),
    "email": lambda r: (_email(r), None),
    "day": lambda r: (r.choice(_DAYS), None),
    "n": lambda r: (str(r.randint(1, 17)), None),
    "brand": lambda r: (r.choice(BRANDS), None),
    "jargon": lambda r: (r.choice(JARGON), None),
    "hyph": lambda r: (
        f"{_first(r)}-{r.choice(['May', 'Mae', 'Rose', 'Jo', 'Leigh', 'Louise'])}",
        "PERSON",
    ),
}


def render(template: str, r: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    """Fill a template; return the text and its labelled ``(start, end, label)`` spans."""
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    length = 0
    lower_names = r.random() < 0.08
    for m in _SLOT.finditer(template):
        parts.append(template[pos : m.start()])
        length += m.start() - pos
        value, label = FILLERS[m.group(1)](r)
        if label and lower_names:
            value = value.lower()
        if label:
            spans.append((length, length + len(value), label))
        parts.append(value)
        length += len(value)
        pos = m.end()
    parts.append(template[pos:])
    text = "".join(parts)
    x = r.random()
    if x < 0.12:
        text = text.lower()
    elif x < 0.14:
        text = text.upper()
    return text, spans


def generate(n: int, seed: int) -> list[Example]:
    """``n`` tokenised examples, about one in five from the negative templates."""
    r = random.Random(seed)
    out: list[Example] = []
    for _ in range(n):
        template = r.choice(NEGATIVE if r.random() < 0.2 else POSITIVE)
        text, spans = render(template, r)
        out.append(from_char_spans(text, spans, source="synth"))
    return out
