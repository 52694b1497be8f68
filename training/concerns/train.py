"""Train the per-concern linear classifier shipped in src/safeside/models/concerns/model.json.

Data (all ours or licence-compatible; see docs/models/concerns.md):
  * training/data/inhouse_train.jsonl  — in-house, hand-written, labelled texts (MIT)
  * shared/data/dev/scenarios.jsonl    — the development set, only with --include-dev
  * shared/data/external/davidson_hate_offensive (MIT) — 'neither' tweets as extra negatives

Never trained on: training/data/inhouse_challenge.jsonl (our held-out check).

Run (needs scikit-learn, numpy; e.g. a venv with `scripts/setup --group train`):
    PYTHONPATH=src python training/concerns/train.py [--include-dev] [--eval FILE]
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import random
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from safeside.detectors.classifier import extract_features
from safeside.engine.doc import Doc
from safeside.pipeline.analyzer import Analyzer
from safeside.pipeline.config import load_config
from safeside.taxonomy import CONCERN_MODES, CONCERNS
from safeside.text.embedding import load_embedder

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "src/safeside/models/concerns/model.json"
MAX_FEATURES = 6000
ALPHA = 4.0  # scale of the dense sentence embedding next to the sparse word features
TARGET_PRECISION = (
    0.85  # per-concern threshold: the lowest whose cross-validated precision reaches this
)


def pick_threshold(probs: np.ndarray, y: np.ndarray) -> float:
    """Lowest threshold in [0.45, 0.8] whose out-of-fold precision reaches the target."""
    for t in np.arange(0.45, 0.81, 0.05):
        pred = probs >= t
        if pred.sum() and (pred & (y == 1)).sum() / pred.sum() >= TARGET_PRECISION:
            return round(float(t), 2)
    return 0.8


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def davidson_negatives(n: int, seed: int = 7) -> list[dict]:
    path = SHARED / "data/external/davidson_hate_offensive/labeled_data.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", errors="replace") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("class") == "2"]
    random.Random(seed).shuffle(rows)
    out = []
    for r in rows[:n]:
        text = " ".join(w for w in r["tweet"].split() if not w.startswith("@") and "http" not in w)
        out.append({"text": text, "mode": "review", "concerns": [], "severity": "none"})
    return out


def entity_analyzer(names: bool = True) -> Analyzer:
    config = load_config(None)
    config.concerns = []  # features use entities only
    if not names:
        config.entities = [e for e in config.entities if e != "names.model"]
    return Analyzer(config)


def featurise(analyzer: Analyzer, rows: list[dict]) -> tuple[list[dict[str, int]], np.ndarray]:
    embedder = load_embedder()
    assert embedder is not None, "run training/embeddings/distill.py first"
    out, dense = [], []
    for r in rows:
        doc = Doc.make(r["text"], r["mode"])
        analyzer._detect(doc)
        out.append({f.name: 1 for f in extract_features(doc)})
        dense.append(embedder.embed(doc.cue.text))
    return out, np.stack(dense)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--include-dev", action="store_true")
    ap.add_argument("--c", type=float, default=0.5)
    ap.add_argument("--negatives", type=int, default=800)
    ap.add_argument(
        "--fold", type=int, default=-1, help="leave out fold K of 5 (for cross-validation)"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-names", action="store_true", help="train without the name tagger")
    args = ap.parse_args()

    rows = read_jsonl(ROOT / "training/data/inhouse_train.jsonl")
    if args.fold >= 0:
        held = [r for i, r in enumerate(rows) if i % 5 == args.fold]
        rows = [r for i, r in enumerate(rows) if i % 5 != args.fold]
        (Path("/tmp") / f"fold{args.fold}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in held), "utf-8"
        )
    if args.include_dev:
        rows += read_jsonl(SHARED / "data/dev/scenarios.jsonl")
    rows += davidson_negatives(args.negatives)
    analyzer = entity_analyzer(names=not args.no_names)
    X_dicts, E = featurise(analyzer, rows)
    mean = E.mean(axis=0)
    vec = DictVectorizer(sparse=True)
    B = vec.fit_transform(X_dicts)
    names = vec.get_feature_names_out()
    X = sp.hstack([B, sp.csr_matrix((E - mean) * ALPHA)]).tocsr()
    n_sparse = B.shape[1]
    dense: list[list[float]] = []

    concerns = list(CONCERNS)
    bias: list[float] = []
    weights: dict[str, dict[int, float]] = collections.defaultdict(dict)
    severity: dict[str, str] = {}
    thresholds: dict[str, float] = {}
    for ci, concern in enumerate(concerns):
        idx = [i for i, r in enumerate(rows) if r["mode"] in CONCERN_MODES[concern]]
        y = np.array([concern in rows[i]["concerns"] for i in idx], dtype=int)
        if y.sum() < 5:
            bias.append(-10.0)
            dense.append([0.0] * E.shape[1])
            continue
        clf = LogisticRegression(C=args.c, class_weight="balanced", max_iter=2000)
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        oof = cross_val_predict(clf, X[idx], y, cv=folds, method="predict_proba")[:, 1]
        thresholds[concern] = pick_threshold(oof, y)
        clf.fit(X[idx], y)
        coef = clf.coef_[0][:n_sparse]
        dense.append([round(float(w) * ALPHA, 5) for w in clf.coef_[0][n_sparse:]])
        keep = np.argsort(-np.abs(coef))[:MAX_FEATURES]
        for j in keep:
            if abs(coef[j]) >= 0.02:
                weights[names[j]][ci] = round(float(coef[j]), 4)
        bias.append(round(float(clf.intercept_[0]), 4))
        sev = collections.Counter(r["severity"] for r in rows if concern in r.get("concerns", []))
        severity[concern] = sev.most_common(1)[0][0]
        print(
            f"{concern:24s} positives={int(y.sum()):4d} of {len(idx):5d}  kept={sum(1 for w in weights.values() if ci in w)}"
        )

    model = {
        "version": "1",
        "trained_on": ["training/data/inhouse_train.jsonl", "davidson 'neither' negatives"]
        + (["shared/data/dev/scenarios.jsonl"] if args.include_dev else []),
        "concerns": concerns,
        "bias": bias,
        "thresholds": {c: thresholds.get(c, 0.6) for c in concerns},
        "dense_mean": [round(float(x), 6) for x in mean],
        "dense_weights": dense,
        "severity": severity,
        "weights": {name: sorted(row.items()) for name, row in sorted(weights.items())},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, separators=(",", ":")), "utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB, {len(weights)} features)")


if __name__ == "__main__":
    main()
