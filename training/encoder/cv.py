"""Quick cross-validation of heads over frozen MiniLM embeddings (development aid)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.neural_network import MLPClassifier

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embed import embed  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training" / "data"
CONCERNS = ["confidentiality", "unprofessional", "self_exposure", "proceedings_disclosure",
            "contact_breach", "threat", "harassment", "grooming", "self_harm", "bullying", "exploitation"]


def load(paths: list[Path]) -> list[dict]:
    return [json.loads(l) for p in paths for l in p.open(encoding="utf-8") if l.strip()]


def main() -> None:
    recs = load([DATA / "inhouse_train.jsonl", DATA / "v2_train.jsonl"])
    t = time.perf_counter()
    X = embed([r["text"] for r in recs])
    print(f"embedded {len(recs)} in {time.perf_counter() - t:.1f}s")
    mode = np.array([[1.0, 0.0] if r["mode"] == "own" else [0.0, 1.0] for r in recs], dtype=np.float32)
    X = np.hstack([X, mode])
    Y = np.array([[c in r["concerns"] for c in CONCERNS] for r in recs], dtype=int)
    np.save("/tmp/X.npy", X); np.save("/tmp/Y.npy", Y)
    for name, make in [("logreg C=4", lambda: LogisticRegression(C=4, max_iter=2000, class_weight="balanced")),
                       ("mlp", None)]:
        oof = np.zeros(Y.shape, dtype=float)
        for tr, te in KFold(5, shuffle=True, random_state=0).split(X):
            if make is None:
                m = MLPClassifier(hidden_layer_sizes=(256,), alpha=1e-3, max_iter=300, early_stopping=False, random_state=0)
                m.fit(X[tr], Y[tr])
                oof[te] = m.predict_proba(X[te])
            else:
                for j in range(Y.shape[1]):
                    m = make().fit(X[tr], Y[tr, j])
                    oof[te, j] = m.predict_proba(X[te])[:, 1]
        f1s = []
        for j, c in enumerate(CONCERNS):
            best = max(((2 * ((oof[:, j] >= th) & (Y[:, j] == 1)).sum()) / max(1, (oof[:, j] >= th).sum() + Y[:, j].sum()), th)
                       for th in np.arange(0.05, 0.95, 0.025))
            f1s.append(best[0])
            print(f"  {c:24} best F1 {best[0]:.3f} at {best[1]:.2f}")
        print(f"{name}: macro-F1 (oracle thresholds) {np.mean(f1s):.3f}")


if __name__ == "__main__":
    main()
