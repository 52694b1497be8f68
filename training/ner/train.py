"""Train the Safeside name/place/school/organisation tagger and write the model file.

Usage: ``.venv/bin/python training/ner/train.py [--epochs N] [--out PATH] [--hold-fold K]``

Pure Python and deterministic (fixed seeds). Trains on BTC, WNUT-17 and Tweebank-NER
train splits, the Presidio synthetic set, generated UK examples and our writers' labelled
texts (``training/data``, line by line); picks the epoch and the score temperature on the
corpora's dev splits plus a generated dev set. ``--hold-fold K`` leaves out one fold of
writers (the encoder's folds) to measure the tagger on voices it never read.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))

import corpora
import lexicon
import synth
from corpora import IGNORE, Example
from metrics import Scores, bio_spans
from perceptron import Perceptron, prune, token_nll
from writers import folds_of, records

from safeside.ner.features import (
    Lexicon,
    Sentence,
    dynamic_features,
    needs_model,
    static_features,
)
from safeside.ner.tagger import AGES_PATH, MODEL_PATH, Tagger
from safeside.ner.tokens import tokenize

LABELS = ("PERSON", "LOCATION", "ORG", "SCHOOL")
COMMENTS = corpora.DATA / "toxic_spans" / "raw_annotations" / "comments.csv"
N_SYNTH, N_SYNTH_DEV = 7000, 800
COMMON_MIN = 3  # a word seen this often (lower-cased) is "common"
STARTER_RATE = 0.01  # ... unless it starts a name at least this often


def key(word: str) -> str:
    """The skip-list key: "^" marks a capitalised word."""
    lw = word.lower().replace("’", "'")
    return "^" + lw if word[:1].isupper() else lw


def everyday_words() -> Counter[str]:
    """Words written in lower case in the Civil Comments texts of Toxic Spans (CC0).

    Only the vocabulary is used (which words are ordinary English), never the labels.
    """
    counts: Counter[str] = Counter()
    with COMMENTS.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for t in tokenize(row["comment_text"]):
                if t.text.islower():
                    counts[t.text.replace("’", "'")] += 1
    return counts


def _usernames(recs: Sequence[Mapping[str, Any]]) -> frozenset[str]:
    """The lower-cased words inside our writers' HANDLE and EMAIL spans."""
    return frozenset(
        w.lower()
        for r in recs
        for e in r["entities"]
        if e["label"] in ("HANDLE", "EMAIL")
        for w in e["text"].lstrip("@").split()
    )


def build_lexicon(
    data: Sequence[Example], not_common: frozenset[str] = frozenset()
) -> tuple[Lexicon, dict[str, list[str]]]:
    """Gazetteer plus common words and name starters counted on the training data;
    ``not_common``: words never counted as common (our writers' usernames: "kayzoid" used
    six times by one writer is a handle, not an everyday word)."""
    lower: Counter[str] = Counter()
    keyed: Counter[str] = Counter()
    begins: Counter[str] = Counter()
    for e in data:
        for w, t in zip(e.words, e.tags, strict=True):
            lower[w.lower().replace("’", "'")] += 1
            keyed[key(w)] += 1
            if t.startswith("B-") or t == IGNORE:
                begins[key(w)] += 1
    common = sorted(
        w for w, c in (lower + everyday_words()).items() if c >= COMMON_MIN and w not in not_common
    )
    starters = sorted(k for k, c in begins.items() if c / keyed[k] >= STARTER_RATE)
    lists = lexicon.gazetteer()
    lex = Lexicon.build(lists, common, starters)
    out = {
        "classes": lists,
        "common": common,
        "starters": starters,
        "coarse": lexicon.COARSE_PLACES,
        "brands": lexicon.BRANDS,
    }
    return lex, out  # type: ignore[return-value]


def evaluate(tagger: Tagger, data: Sequence[Example], labels: Sequence[str] = LABELS) -> Scores:
    scores = Scores(labels)
    for e in data:
        gold = [("O" if t == IGNORE else t) for t in e.tags]
        scores.add(bio_spans(gold), bio_spans(tagger.tag_words(e.words)))
    return scores


def fit_temperature(tagger: Tagger, model: Perceptron, data: Sequence[Example]) -> float:
    """The softmax temperature minimising the gold-tag NLL on dev tokens the model scores."""
    index = {t: k for k, t in enumerate(model.tags)}
    rows: list[tuple[list[float], list[int], int]] = []
    weights = {f: list(v) for f, v in tagger.weights.items()}
    for e in data:
        sent = Sentence.of(e.words, tagger.lexicon)
        prev, prev2 = "O", "O"
        for i, gold in enumerate(e.tags):
            gold = "O" if gold == IGNORE else gold
            if needs_model(sent, i, prev, tagger.lexicon):
                feats = static_features(sent, i, tagger.lexicon)
                feats += dynamic_features(sent, i, prev, prev2)
                allowed = model.allowed[prev]
                if index[gold] in allowed:
                    rows.append((model.scores(feats, weights), allowed, index[gold]))
            prev, prev2 = gold, prev
    grid = [0.5 * k for k in range(1, 41)]
    nll = {t: sum(token_nll(s, a, g, t) for s, a, g in rows) for t in grid}
    return min(nll, key=lambda t: nll[t])


#: What each model file tags, and where it ships.
MODELS = {
    "names": (LABELS, MODEL_PATH),
    "ages": (("AGE",), AGES_PATH),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--model",
        choices=tuple(MODELS),
        default="names",
        help="names: PERSON/LOCATION/ORG/SCHOOL from public data and our writers' texts; "
        "ages: AGE from our writers' texts (the public corpora have no ages)",
    )
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--prune", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument(
        "--writers",
        choices=("all", "none"),
        default="all",
        help="train on our writers' texts too (training/data), or on public data only",
    )
    ap.add_argument(
        "--hold-fold",
        type=int,
        default=None,
        help="leave out the writers of this fold (of 3, as the encoder's) and list their ids",
    )
    args = ap.parse_args()
    labels, default_out = MODELS[args.model]
    out: Path = args.out or default_out
    tags = ("O", *(f"{p}-{label}" for label in labels for p in ("B", "I")))
    t0 = time.time()

    sets: dict[str, list[Example]] = {}
    dev: list[Example] = []
    if args.model == "names":
        sets = corpora.train_sets()
        sets["synth"] = synth.generate(N_SYNTH, seed=13)
        dev = [e for rows in corpora.dev_sets().values() for e in rows]
        dev += synth.generate(N_SYNTH_DEV, seed=7919)
    usernames: frozenset[str] = frozenset()
    if args.writers == "all" or args.model != "names":
        recs = records()
        usernames = _usernames(recs)
        if args.hold_fold is not None:
            fold = folds_of(recs, 3)
            held = [r for r in recs if fold[r["group"]] == args.hold_fold]
            recs = [r for r in recs if fold[r["group"]] != args.hold_fold]
            ids = out.with_suffix(".held.json")
            ids.write_text(json.dumps([r["id"] for r in held]))
            print(f"holding out fold {args.hold_fold}: {len(held)} texts (ids in {ids})")
        lines = corpora.writers(recs, labels)
        if not dev:  # no public dev split has these labels: one line in ten of ours
            dev = lines[::10]
            lines = [e for k, e in enumerate(lines) if k % 10]
        sets["writers"] = lines
    train = [e for rows in sets.values() for e in rows]
    for name, rows in sets.items():
        print(f"train {name}: {len(rows)} texts")
    lex, lists = build_lexicon(train, usernames)
    print(f"lexicon: {len(lists['common'])} common words, {len(lists['starters'])} starters")

    model = Perceptron(lex, tags)
    rng = random.Random(1)
    best: tuple[float, int, dict[str, list[float]]] = (-1.0, 0, {})
    for epoch in range(1, args.epochs + 1):
        mistakes = model.train_epoch(train, rng)
        weights = prune(model.averaged(), args.prune)
        f1 = evaluate(Tagger(tags, weights, lex, 1.0), dev, labels).prf()[2]
        print(f"epoch {epoch}: {mistakes} mistakes, dev F1 {f1:.3f} ({time.time() - t0:.0f}s)")
        if f1 > best[0]:
            best = (f1, epoch, weights)
    f1, epoch, weights = best
    tagger = Tagger(tags, weights, lex, 1.0)
    temperature = fit_temperature(tagger, model, dev)
    print(f"best epoch {epoch} (dev F1 {f1:.3f}), temperature {temperature}")

    model_file = {
        "format": "safeside.ner/1",
        "about": f"Averaged-perceptron BIO tagger ({', '.join(labels)}); see docs/models/ner.md",
        "tags": list(tags),
        "temperature": temperature,
        "lexicon": lists,
        "weights": weights,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model_file, separators=(",", ":"), ensure_ascii=False))
    size = out.stat().st_size
    print(f"wrote {out} ({size / 1e6:.2f} MB, {len(weights)} features)")


if __name__ == "__main__":
    main()
