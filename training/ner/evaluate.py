"""Evaluate the shipped tagger: span-level exact-match P/R/F1, load time and speed.

Usage: ``.venv/bin/python training/ner/evaluate.py [--model PATH] [--errors N]``

* BTC test, WNUT-17 test (``emerging.test.annotated``) and Tweebank-NER test, scored on
  PERSON / LOCATION / ORG over the corpora's own tokens, with the training label mapping
  (a predicted SCHOOL counts as ORG there, since the corpora have no SCHOOL label).
* The Safeside dev set (``scenarios.jsonl``, evaluation only), scored on character spans
  for PERSON / LOCATION / ORG / SCHOOL.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpora
from metrics import Scores, Span, bio_spans

from safeside.evaluation.suites import shared_dir
from safeside.ner.tagger import MODEL_PATH, Tagger

DEV = shared_dir() / "data" / "dev" / "scenarios.jsonl"
LABELS = ("PERSON", "LOCATION", "ORG", "SCHOOL")


def corpus_scores(tagger: Tagger) -> None:
    labels = ("PERSON", "LOCATION", "ORG")
    for name, rows in corpora.test_sets().items():
        scores = Scores(labels)
        no_hashtags = Scores(labels)  # BTC tags hashtags as entities; Safeside never does
        for e in rows:
            pred = bio_spans([t.replace("SCHOOL", "ORG") for t in tagger.tag_words(e.words)])
            gold = bio_spans(e.tags)
            scores.add(gold, pred)
            no_hashtags.add({s for s in gold if not e.words[s[1]].startswith("#")}, pred)
        _print(f"{name} test", scores)
        if no_hashtags.prf() != scores.prf():
            p, r, f = no_hashtags.prf()
            print(f"  without hashtag entities: micro P {p:.3f} R {r:.3f} F1 {f:.3f}")


def dev_scores(tagger: Tagger, show_errors: int) -> None:
    scores = Scores(LABELS)
    shared = Scores(("PERSON", "LOCATION", "ORG"))
    errors: list[str] = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = record["text"]
        gold: set[Span] = {
            (e["label"], e["start"], e["end"]) for e in record["entities"] if e["label"] in LABELS
        }
        pred: set[Span] = {(s.label, s.start, s.end) for s in tagger.tag(text)}
        scores.add(gold, pred)
        shared.add(gold, pred)
        for label, a, b in sorted(gold ^ pred, key=lambda s: s[1]):
            kind = "missed" if (label, a, b) in gold else "extra "
            errors.append(f"  {record['id']} {kind} {label:8} {text[a:b]!r}")
    _print("dev set (4 labels)", scores)
    print(f"dev set PERSON/LOCATION/ORG micro F1: {shared.prf()[2]:.3f}")
    if show_errors:
        print("\n".join(errors[:show_errors]))


def speed(path: Path) -> None:
    """Load time and texts per second, in CPU time of this process (one core)."""
    clock = time.process_time
    t0 = clock()
    tagger = Tagger.load(path)
    load = clock() - t0
    texts = [json.loads(x)["text"] for x in DEV.read_text(encoding="utf-8").splitlines()]
    short = [t[:70] for t in texts] * 25
    runs = []
    for _ in range(3):
        t0 = clock()
        tagger.tag_batch(short)
        runs.append(len(short) / (clock() - t0))
    mean_len = statistics.mean(len(t) for t in short)
    print(f"load {load:.3f}s CPU; {max(runs):,.0f} texts/s on {mean_len:.0f}-character texts")
    full = texts * 10
    t0 = clock()
    tagger.tag_batch(full)
    rate = len(full) / (clock() - t0)
    print(f"{rate:,.0f} texts/s on dev texts (mean {statistics.mean(map(len, texts)):.0f} chars)")


def _print(title: str, scores: Scores) -> None:
    p, r, f = scores.prf()
    print(f"{title}: micro P {p:.3f} R {r:.3f} F1 {f:.3f}")
    for label in scores.labels:
        p, r, f = scores.prf(label)
        n = scores.support(label)
        print(f"  {label:8} P {p:.3f} R {r:.3f} F1 {f:.3f} (gold {n})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--errors", type=int, default=0, help="list this many dev-set errors")
    args = ap.parse_args()
    tagger = Tagger.load(args.model)
    corpus_scores(tagger)
    dev_scores(tagger, args.errors)
    speed(args.model)


if __name__ == "__main__":
    main()
