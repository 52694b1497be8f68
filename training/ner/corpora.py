"""Readers for the public NER corpora, mapped to Safeside's labels.

Label mapping (see docs/models/ner.md):

* BTC ``PER``/``LOC``/``ORG`` -> PERSON/LOCATION/ORG, except an entity on an @-mention,
  which becomes ``O`` (handles are Safeside's HANDLE label, found elsewhere). BTC splits
  "@name" into two tokens; they are joined back into one handle token.
* WNUT-17 ``person`` -> PERSON, ``location`` -> LOCATION, ``corporation``/``group`` -> ORG;
  ``product`` and ``creative-work`` -> O.
* Tweebank-NER ``PER``/``LOC``/``ORG`` as BTC; ``MISC`` -> O.
* Presidio synthetic ``PERSON`` -> PERSON, ``ORGANIZATION`` -> ORG, ``GPE`` -> LOCATION;
  ``STREET_ADDRESS`` tokens are left out of training (Safeside's ADDRESS is a different
  label); every other type -> O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeside.evaluation.suites import shared_dir
from safeside.ner.tokens import tokenize

DATA = shared_dir() / "data" / "external"
IGNORE = "-"  # a token the trainer neither learns from nor scores

_MAP = {
    "PER": "PERSON",
    "LOC": "LOCATION",
    "ORG": "ORG",
    "person": "PERSON",
    "location": "LOCATION",
    "corporation": "ORG",
    "group": "ORG",
}
_PRESIDIO = {"PERSON": "PERSON", "ORGANIZATION": "ORG", "GPE": "LOCATION"}


@dataclass(slots=True)
class Example:
    """One tokenised text with BIO tags over Safeside labels."""

    words: list[str]
    tags: list[str]
    source: str


def read_conll(path: Path, source: str) -> list[Example]:
    """A CoNLL/BIO file: token first, tag last; blank or tab-only lines end a sentence."""
    out: list[Example] = []
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if not line.strip() or line.startswith("-DOCSTART-") or len(cols) < 2:
            if words:
                out.append(_clean(words, tags, source))
            words, tags = [], []
            continue
        words.append(cols[0])
        tags.append(_map_tag(cols[-1].strip()))
    if words:
        out.append(_clean(words, tags, source))
    return out


def _map_tag(tag: str) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, label = tag.split("-", 1)
    mapped = _MAP.get(label)
    return f"{prefix}-{mapped}" if mapped else "O"


def _clean(words: list[str], tags: list[str], source: str) -> Example:
    """Join BTC's split "@ name" into one handle token tagged O, and drop empty tokens."""
    w_out: list[str] = []
    t_out: list[str] = []
    i = 0
    while i < len(words):
        w, t = words[i].strip(), tags[i]
        if w == "@" and t != "O" and i + 1 < len(words):
            w_out.append("@" + words[i + 1].strip())
            t_out.append("O")
            i += 2
            while i < len(words) and tags[i].startswith("I-"):
                w_out.append(words[i])
                t_out.append("O")
                i += 1
            continue
        if w:
            if w.startswith("@") and len(w) > 1:
                t = "O"
            if t.startswith("I-") and (not t_out or t_out[-1][2:] != t[2:]):
                t = "B-" + t[2:]
            w_out.append(w)
            t_out.append(t)
        i += 1
    return Example(w_out, t_out, source)


def from_char_spans(text: str, spans: list[tuple[int, int, str]], source: str) -> Example:
    """Tokenise ``text`` and tag tokens inside ``(start, end, label)`` spans with BIO.

    A span labelled ``IGNORE`` marks its tokens as not to be learned from.
    """
    tokens = tokenize(text)
    tags = ["O"] * len(tokens)
    for start, end, label in spans:
        inside = [k for k, t in enumerate(tokens) if t.start >= start and t.end <= end]
        for n, k in enumerate(inside):
            tags[k] = IGNORE if label == IGNORE else ("B-" if n == 0 else "I-") + label
    return Example([t.text for t in tokens], tags, source)


def presidio(path: Path) -> list[Example]:
    """The Presidio synthetic set, character spans mapped as in the module docstring."""
    out: list[Example] = []
    for item in json.loads(path.read_text(encoding="utf-8")):
        spans: list[tuple[int, int, str]] = []
        for s in item["spans"]:
            label = _PRESIDIO.get(s["entity_type"])
            if s["entity_type"] == "STREET_ADDRESS":
                label = IGNORE
            if label:
                spans.append((s["start_position"], s["end_position"], label))
        out.append(from_char_spans(item["full_text"], spans, "presidio"))
    return out


_WRITER_LABELS = ("PERSON", "LOCATION", "ORG", "SCHOOL")
_THE = ("the ", "The ", "THE ")


def writers(
    recs: Iterable[Mapping[str, Any]], labels: Sequence[str] = _WRITER_LABELS
) -> list[Example]:
    """Our writers' training texts (``training/data``), one example per line of text.

    Their PERSON, LOCATION, ORG and SCHOOL spans become BIO tags; a leading "the" of a
    family name stays outside (the taxonomy's "the **Hendersons**"); a token cut by a
    span's edge is not learned from. The tagger reads a text line by line, so do these.
    """
    out: list[Example] = []
    for rec in recs:
        text = rec["text"]
        spans = []
        for e in rec.get("entities") or ():
            start, end, label = e["start"], e["end"], e["label"]
            if label not in labels:
                continue
            if label == "PERSON" and text[start:end].startswith(_THE) and end - start > 4:
                start += 4
            spans.append((start, end, label))
        offset = 0
        for line in text.splitlines(keepends=True):
            lo, hi = offset, offset + len(line)
            offset = hi
            inside = [(s - lo, e - lo, lab) for s, e, lab in spans if lo <= s and e <= hi]
            cut = [(max(s, lo) - lo, min(e, hi) - lo) for s, e, _ in spans if s < hi and lo < e]
            ex = from_char_spans(line, inside, rec.get("group", "writers"))
            if not ex.words:
                continue
            for k, t in enumerate(tokenize(line)):
                if any(
                    t.start < e and s < t.end and not (s <= t.start and t.end <= e) for s, e in cut
                ):
                    ex.tags[k] = IGNORE
            out.append(ex)
    return out


def train_sets() -> dict[str, list[Example]]:
    """The licence-compatible training splits (never a test split)."""
    return {
        "btc": read_conll(DATA / "btc" / "btc.train", "btc"),
        "wnut17": read_conll(DATA / "wnut17" / "wnut17train.conll", "wnut17"),
        "tweebank": read_conll(DATA / "tweebank_ner" / "train.bio", "tweebank"),
        "presidio": presidio(DATA / "presidio_synth" / "synth_dataset_v2.json"),
    }


def dev_sets() -> dict[str, list[Example]]:
    """The corpora's dev splits, for calibration and choosing the number of epochs."""
    return {
        "btc": read_conll(DATA / "btc" / "btc.dev", "btc"),
        "wnut17": read_conll(DATA / "wnut17" / "emerging.dev.conll", "wnut17"),
        "tweebank": read_conll(DATA / "tweebank_ner" / "dev.bio", "tweebank"),
    }


def test_sets() -> dict[str, list[Example]]:
    """Held-out test splits, for evaluation only."""
    return {
        "btc": read_conll(DATA / "btc" / "btc.test", "btc"),
        "wnut17": read_conll(DATA / "wnut17" / "emerging.test.annotated", "wnut17"),
        "tweebank": read_conll(DATA / "tweebank_ner" / "test.bio", "tweebank"),
    }
