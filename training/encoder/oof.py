"""Out-of-fold operating points: choose the arbiter's settings on training data, by voice.

The blind set must never be tuned on, and a random held-out split of the training data
shares each writer's voice with the training part, so it flatters the model. Here every
batch (one writer, one register) is held out in turn: linear heads are fitted on the
other batches and predict the held-out one. Those out-of-fold probabilities, with the
cue rules' own output on the same texts, feed the real :func:`safeside.detectors.arbiter.combine`
under a grid of settings (threshold scale, 'possible' band, cue veto). The chosen
settings are those with the best concern macro-F1 whose benign false-alarm rate stays
under ``--max-false-alarms``; the final heads are then fitted on everything.

    PYTHONPATH=src .venv-train/bin/python training/encoder/oof.py            # report only
    PYTHONPATH=src .venv-train/bin/python training/encoder/oof.py --ship     # write the model

Needs scikit-learn (the training venv, see README.md); uses the *shipped* int8 encoder
through Safeside's own tokenizer and windows, so the vectors are the ones the app sees.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training" / "data"
sys.path.insert(0, str(DATA))

from writers import folds_of, records  # noqa: E402

from safeside.detectors import arbiter  # noqa: E402
from safeside.detectors.encoder import (  # noqa: E402
    SENTENCE_GATE,
    SEVERITY_NAMES,
    Thresholds,
    load_encoder,
    pack_texts,
)
from safeside.detectors.encoder import sentences as sentence_spans  # noqa: E402
from safeside.engine.doc import Doc, ModelView  # noqa: E402
from safeside.pipeline.analyzer import Analyzer  # noqa: E402
from safeside.pipeline.config import load_config  # noqa: E402
from safeside.taxonomy import CONCERNS, Severity, concern_allowed  # noqa: E402

SAFETY = set(arbiter.SAFETY)
WORK = Path("/tmp/safeside-oof")


def reading(text: str) -> str:
    """What the model reads of a text, as the app gives it: the de-disguised view."""
    return Doc.make(text, "review").cue.text


def embed(model: Any, texts: list[str], onnx: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Vectors and window counts, cached by the texts' and the encoder file's hash.

    ``onnx``: run this encoder file instead of the shipped one (a cross-fit fold's)."""
    onnx = onnx or ROOT / "src" / "safeside" / "models" / "encoder" / "encoder.onnx"
    digest = hashlib.sha256(onnx.read_bytes()).hexdigest()
    reading = json.dumps(model.tokenizer.words_for, sort_keys=True)  # how emoji are read
    key = hashlib.sha256(("\n".join(texts) + digest + reading).encode()).hexdigest()[:16]
    cache = WORK / f"vectors-{key}.npz"
    if cache.exists():
        data = np.load(cache)
        return data["vectors"], data["windows"]
    ids = [model.piece_ids(t) for t in texts]
    shipped = model.session
    model.session = type(shipped)(str(onnx), providers=["CPUExecutionProvider"])
    vectors = model.encode_ids(ids)
    model.session = shipped
    windows = np.array([len(model._windows(i)) for i in ids])
    np.savez(cache, vectors=vectors, windows=windows)
    return vectors, windows


def features(vectors: np.ndarray, recs: list[dict[str, Any]]) -> np.ndarray:
    mode = np.array([[1.0, 0.0] if r["mode"] == "own" else [0.0, 1.0] for r in recs])
    return np.hstack([vectors, mode]).astype(np.float32)


@dataclass
class Heads:
    concern_w: np.ndarray
    concern_b: np.ndarray
    severity_w: np.ndarray
    severity_b: np.ndarray

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        probs = 1 / (1 + np.exp(-(x @ self.concern_w.T + self.concern_b)))
        logits = x @ self.severity_w.T + self.severity_b
        logits -= logits.max(1, keepdims=True)
        sev = np.exp(logits)
        return probs, sev / sev.sum(1, keepdims=True)


def fit(x: np.ndarray, recs: list[dict[str, Any]], c_value: float) -> Heads:
    weights, biases = [], []
    for concern in CONCERNS:
        rows = [i for i, r in enumerate(recs) if concern_allowed(concern, r["mode"])]
        y = np.array([concern in recs[i]["concerns"] for i in rows])
        model = LogisticRegression(C=c_value, max_iter=1000, tol=1e-3, class_weight="balanced")
        model.fit(x[rows], y)
        weights.append(model.coef_[0])
        biases.append(model.intercept_[0])
    sev = LogisticRegression(C=c_value, max_iter=1000, tol=1e-3, class_weight="balanced")
    sev.fit(x, [SEVERITY_NAMES.index(r["severity"]) for r in recs])
    sev_w = np.zeros((len(SEVERITY_NAMES), x.shape[1]), np.float32)
    sev_b = np.full(len(SEVERITY_NAMES), -30.0, np.float32)
    for k, cls in enumerate(sev.classes_):
        sev_w[int(cls)] = sev.coef_[k]
        sev_b[int(cls)] = sev.intercept_[k]
    return Heads(np.array(weights, np.float32), np.array(biases, np.float32), sev_w, sev_b)


#: The neighbours' vote blended with the linear heads (the app reads these from meta.json).
KNN = {"k": 15, "temperature": 10.0, "weight": 0.5}


def labels(recs: list[dict[str, Any]]) -> np.ndarray:
    return np.array([[c in r["concerns"] for c in CONCERNS] for r in recs], dtype=np.float32)


def neighbours_vote(queries: np.ndarray, examples: np.ndarray, y: np.ndarray) -> np.ndarray:
    """As ``EncoderModel.neighbours_vote``: the k nearest examples' labels, weighted."""
    sims = queries @ examples.T
    k = int(KNN["k"])
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    near = np.take_along_axis(sims, top, axis=1)
    w = np.exp(KNN["temperature"] * (near - near.max(axis=1, keepdims=True)))
    w /= w.sum(axis=1, keepdims=True)
    return np.einsum("nk,nkc->nc", w, y[top])


def out_of_fold(  # type: ignore[no-untyped-def]
    x_of: Callable[[Any], np.ndarray], recs: list[dict[str, Any]], c_value: float,
    fold_of: dict[str, Any], sentences_of: Callable[[Any, list[str]], np.ndarray] | None = None,
):  # fmt: skip
    """Each fold's texts predicted by heads fitted on the others (``x_of(fold)``: the
    features the fold's heads see: a cross-fit fold's own encoder's vectors).

    ``sentences_of(fold, texts)``: that fold's encoder's vectors for these sentences; then
    each held-out text of two or more sentences also gets the sentence the safety floor
    would read (``EncoderModel.read_sentences``): its P(critical) and concern probabilities.
    """
    probs = np.zeros((len(recs), len(CONCERNS)))
    sev = np.zeros((len(recs), len(SEVERITY_NAMES)))
    sentence: list[tuple[float, dict[str, float]] | None] = [None] * len(recs)
    y = labels(recs)
    for g in sorted(set(fold_of.values())):
        test = [i for i, r in enumerate(recs) if fold_of[r["group"]] == g]
        train = [i for i, r in enumerate(recs) if fold_of[r["group"]] != g]
        x = x_of(g)
        heads = fit(x[train], [recs[i] for i in train], c_value)
        probs[test], sev[test] = heads.predict(x[test])
        vote = neighbours_vote(x[test, :384], x[train, :384], y[train])
        probs[test] = (1 - KNN["weight"]) * probs[test] + KNN["weight"] * vote
        if sentences_of is not None:
            owner, texts = [], []
            for i in test:
                spans = sentence_spans(recs[i]["reading"])
                if len(spans) >= 2:
                    owner += [i] * len(spans)
                    texts += [recs[i]["reading"][a:b] for a, b in spans]
            sx = features(sentences_of(g, texts), [recs[i] for i in owner])
            sp, ss = heads.predict(sx)
            sv = neighbours_vote(sx[:, :384], x[train, :384], y[train])
            sp = (1 - KNN["weight"]) * sp + KNN["weight"] * sv
            critical = SEVERITY_NAMES.index("critical")
            for k, i in enumerate(owner):
                best = sentence[i]
                if best is None or ss[k, critical] > best[0]:
                    mode = recs[i]["mode"]
                    sentence[i] = (
                        float(ss[k, critical]),
                        {c: float(sp[k, j]) if concern_allowed(c, mode) else 0.0
                         for j, c in enumerate(CONCERNS)},
                    )  # fmt: skip
        print(f"  fold {g}: {len(test)} held out", flush=True)
    for j, concern in enumerate(CONCERNS):  # the taxonomy's mode rules, as _mask does
        for i, r in enumerate(recs):
            if not concern_allowed(concern, r["mode"]):
                probs[i, j] = 0.0
    return probs, sev, sentence


def best_f1_thresholds(probs: np.ndarray, recs: list[dict[str, Any]]) -> dict[str, float]:
    out = {}
    grid = np.arange(0.05, 0.96, 0.01)
    for j, c in enumerate(CONCERNS):
        rows = [i for i, r in enumerate(recs) if concern_allowed(c, r["mode"])]
        p, y = probs[rows, j], np.array([c in recs[i]["concerns"] for i in rows])

        def f1(th: float, p: np.ndarray = p, y: np.ndarray = y) -> float:
            tp = float(((p >= th) & y).sum())
            return 2 * tp / max(1.0, float((p >= th).sum() + y.sum()))

        out[c] = float(max(grid, key=lambda th: (f1(th), th)))
    return out


def cue_results(recs: list[dict[str, Any]]) -> list[tuple[list[Any], SimpleNamespace]]:
    """The cue rules' concerns per record, and what the arbiter reads of its document: the
    entities, the signals (context cues too) and the clean text."""
    config = load_config(None)
    config.concerns = [d for d in config.concerns if d != "concerns.encoder"]
    analyzer = Analyzer(config)
    out = []
    for rec in recs:
        doc = analyzer._run(rec["text"], rec["mode"])
        facts = SimpleNamespace(
            entities=doc.entities, signals=doc.signals, clean=SimpleNamespace(text=doc.clean.text)
        )
        out.append((analyzer._finish(doc, rec["text"], rec["mode"]).concerns, facts))
    return out


def simulate(
    recs: list[dict[str, Any]],
    probs: np.ndarray,
    sev: np.ndarray,
    windows: np.ndarray,
    cues: list[tuple[list[Any], SimpleNamespace]],
    thresholds: dict[str, Thresholds],
    veto: float,
    serious: float = 0.0,
    floor: float = 0.8,
    sentences: list[tuple[float, dict[str, float]] | None] | None = None,
    sentence_floor: float = 0.0,
    kept_cues: str | None = None,
) -> list[set[str]]:
    """The real arbiter on stand-in documents: the concerns each text would report."""
    encoder = arbiter.Settings(
        model=arbiter.NoExplanations(),  # the views carry the out-of-fold sentence
        thresholds=thresholds,
        veto_share=veto,
        possible_serious=serious,
        critical_floor=floor,
        sentence_floor=sentence_floor,
        kept_cues=kept_cue_setting(kept_cues),
    )
    out = []
    for i, rec in enumerate(recs):
        concerns, facts = cues[i]
        view = ModelView(
            None,
            {c: float(probs[i, j]) for j, c in enumerate(CONCERNS)},
            dict(zip(SEVERITY_NAMES, map(float, sev[i]), strict=True)),
            windows=int(windows[i]),
            sentence=(0, 0, *sentences[i])
            if sentences and sentences[i] and sev[i, -1] >= SENTENCE_GATE
            else None,
        )
        doc = SimpleNamespace(
            model=view,
            entities=facts.entities,
            signals=facts.signals,
            clean=facts.clean,
            notes=[],
            text=rec["text"],
            mode=rec["mode"],
        )
        out.append({c.label for c in arbiter.combine(doc, concerns, encoder)})
    return out


def kept_cue_setting(text: str | None) -> tuple[Severity, float] | None:
    """``"high:0.3"`` -> (Severity.HIGH, 0.3): keep vetoed safety cues of at least that
    severity when the severity head gives high or critical at least 0.3."""
    if not text:
        return None
    severity, serious = text.split(":")
    return Severity.parse(severity), float(serious)


def shipped_points() -> dict[str, Any]:
    """The operating points in the shipped meta.json, as :func:`simulate` takes them: how
    the engine as shipped does on these out-of-fold predictions."""
    meta = json.loads((ROOT / "src/safeside/models/encoder/meta.json").read_text("utf-8"))
    kept = meta.get("kept_cues")
    return {
        "thresholds": {
            c: Thresholds(v["flag"], v["possible"]) for c, v in meta["thresholds"].items()
        },
        "veto": meta["veto_share"],
        "serious": meta["possible_serious"],
        "floor": meta["critical_floor"],
        "sentence_floor": meta.get("sentence_floor", 0.0),
        "kept_cues": f"{kept['severity']}:{kept['serious']:g}" if kept else None,
    }


def score(recs: list[dict[str, Any]], predicted: list[set[str]]) -> dict[str, float]:
    f1s = []
    for c in CONCERNS:
        tp = sum(1 for r, p in zip(recs, predicted, strict=True) if c in p and c in r["concerns"])
        fp = sum(
            1 for r, p in zip(recs, predicted, strict=True) if c in p and c not in r["concerns"]
        )
        fn = sum(
            1 for r, p in zip(recs, predicted, strict=True) if c not in p and c in r["concerns"]
        )
        f1s.append(2 * tp / max(1, 2 * tp + fp + fn))
    benign = [p for r, p in zip(recs, predicted, strict=True) if not r["concerns"]]
    critical = [p for r, p in zip(recs, predicted, strict=True) if r["severity"] == "critical"]
    high = [
        p for r, p in zip(recs, predicted, strict=True) if r["severity"] in ("high", "critical")
    ]
    return {
        "macro_f1": float(np.mean(f1s)),
        "false_alarms": sum(1 for p in benign if p) / max(1, len(benign)),
        "critical_flagged": sum(1 for p in critical if p) / max(1, len(critical)),
        "high_flagged": sum(1 for p in high if p) / max(1, len(high)),
        **{f"f1_{c}": f for c, f in zip(CONCERNS, f1s, strict=True)},
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--C", type=float, default=2.0)
    parser.add_argument("--max-false-alarms", type=float, default=0.08)
    parser.add_argument("--ship", action="store_true", help="write heads and meta.json")
    parser.add_argument(
        "--refit",
        type=Path,
        help="skip the folds: refit on every text with the settings in this oof-report.json "
        "(after adding a batch) and ship",
    )
    parser.add_argument(
        "--tune-from",
        type=int,
        default=10,
        help="choose settings on writer batches from this number on: the cue rules were "
        "written before them, so their false alarms there are honest (default: b10 on)",
    )
    parser.add_argument(
        "--tune-to",
        type=int,
        default=99,
        help="... up to this batch number: the same texts as an earlier report, to compare "
        "two models like for like (default: every batch)",
    )
    parser.add_argument(
        "--settings",
        help="ship these arbiter settings (SCALE,BAND,VETO[,SERIOUS[,FLOOR]]) instead of the rule's "
        "choice; engine v2.2 shipped 1.2,0.85,0.37 (engine v2.1's)",
    )
    parser.add_argument(
        "--min-critical",
        type=float,
        default=0.9,
        help="the settings must flag at least this share of critical texts (out of fold)",
    )
    parser.add_argument(
        "--sentence-floor",
        type=float,
        default=0.0,
        help="ship this safety floor for single sentences (P(critical) of the sentence "
        "read on its own; 0: sentences are not read); the report scores 0.3 to 0.7",
    )
    parser.add_argument(
        "--kept-cues",
        help="ship this, SEVERITY:SERIOUS (e.g. high:0.3): a safety cue of at least SEVERITY "
        "that the model vetoes stays as 'possible' when the severity head gives high or "
        "critical at least SERIOUS (absent: the veto drops it); the report scores a grid",
    )
    parser.add_argument(
        "--crossfit",
        type=Path,
        help="a fine-tuned encoder's cross-fit folds (finetune.py fold K): each fold's "
        "texts are embedded by the fold encoder that never saw their writers",
    )
    parser.add_argument(
        "--folds",
        type=int,
        help="hold out finetune.py's N folds of writers instead of one writer at a time "
        "(to compare the published encoder with a cross-fit one on the same folds)",
    )
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    recs = records()
    print(f"{len(recs)} texts in {len(Counter(r['group'] for r in recs))} groups", flush=True)
    model = load_encoder()
    assert model is not None, "the shipped encoder is missing"
    texts = [reading(r["text"]) for r in recs]
    for r, t in zip(recs, texts, strict=True):
        r["reading"] = t
    vectors, windows = embed(model, texts)
    print(f"embedded ({time.perf_counter() - started:.0f} s)", flush=True)
    x = features(vectors, recs)
    if args.refit:
        old = json.loads(args.refit.read_text("utf-8"))
        chosen = old["chosen"]
        old["refit_texts"] = len(recs)
        ship(model, x, recs, old["best_f1_thresholds"], chosen["scale"], chosen["band"],
             chosen["veto"], chosen.get("serious", 0.0), chosen.get("floor", 0.8), old,
             args.C, chosen.get("sentence_floor", 0.0), chosen.get("kept_cues"))  # fmt: skip
        return 0
    if args.crossfit:
        fold_of: dict[str, Any] = {}
        x_fold: dict[Any, np.ndarray] = {}
        onnx_of: dict[Any, Path] = {}
        for info in sorted(args.crossfit.glob("fold-*.json")):
            fold = json.loads(info.read_text("utf-8"))
            fold_of |= dict.fromkeys(fold["held_out"], fold["fold"])
            onnx = args.crossfit / f"fold-{fold['fold']}" / "encoder.onnx"
            onnx_of[fold["fold"]] = onnx
            x_fold[fold["fold"]] = features(embed(model, texts, onnx)[0], recs)
        missing = {r["group"] for r in recs} - set(fold_of)
        assert not missing, f"no cross-fit fold holds out {sorted(missing)}"
        probs, sev, sentences = out_of_fold(
            x_fold.__getitem__, recs, args.C, fold_of,
            lambda g, found: embed(model, found, onnx_of[g])[0],
        )  # fmt: skip
    elif args.folds:
        probs, sev, sentences = out_of_fold(
            lambda _: x, recs, args.C, folds_of(recs, args.folds), lambda _, f: embed(model, f)[0]
        )
    else:
        probs, sev, sentences = out_of_fold(
            lambda _: x, recs, args.C, {r["group"]: r["group"] for r in recs}
        )
    best = best_f1_thresholds(probs, recs)
    cues = cue_results(recs)
    print(f"cues read ({time.perf_counter() - started:.0f} s)", flush=True)
    import pickle

    with (WORK / "oof.pkl").open("wb") as fh:  # for experiments on the second level
        pickle.dump(
            {
                "recs": recs,
                "probs": probs,
                "sev": sev,
                "windows": windows,
                "cues": cues,
                "best": best,
                "sentences": sentences,
            },
            fh,
        )

    def batch_number(group: str) -> int:
        digits = group[1:3]
        return int(digits) if group.startswith("b") and digits.isdigit() else -1

    tune = [
        i for i, r in enumerate(recs) if args.tune_from <= batch_number(r["group"]) <= args.tune_to
    ] or list(range(len(recs)))
    upto = f" to b{args.tune_to}" if args.tune_to < 99 else " on"
    print(f"settings chosen on {len(tune)} texts (batches b{args.tune_from}{upto})")
    sub = [recs[i] for i in tune]
    cue_only = [{c.label for c in cues[i][0]} for i in tune]
    baseline = score(sub, cue_only)
    print(
        f"cues alone: macro-F1 {baseline['macro_f1']:.3f} FA {baseline['false_alarms']:.1%} "
        f"critical {baseline['critical_flagged']:.1%}"
    )
    results = []
    grid = product(
        (1.1, 1.2, 1.3, 1.4, 1.5),  # scale (1.4 and 1.5 from engine v2.15: fewer false alarms)
        (0.7, 0.85),  # band: safety concerns always have a "possible" band
        (0.37, 0.6),  # veto
        (0.0, 0.3, 0.5),  # serious
        (0.8, 0.5, 0.4),  # floor
    )
    for scale, band, veto, serious, floor in grid:
        thresholds = {
            c: Thresholds(
                min(0.97, best[c] * scale),
                min(0.97, best[c] * scale * (band if c in SAFETY else 1.0)),
            )
            for c in CONCERNS
        }
        predicted = simulate(recs, probs, sev, windows, cues, thresholds, veto, serious, floor)
        s = score(sub, [predicted[i] for i in tune])
        results.append(((scale, band, veto, serious, floor), s))
    results.sort(key=lambda t: -t[1]["macro_f1"])
    print("scale band veto serious floor   macro-F1  FA     critical high")
    for (scale, band, veto, serious, floor), s in results[:12]:
        print(
            f"{scale:5.2f} {band:4.2f} {veto:4.2f} {serious:4.2f} {floor:4.2f}     "
            f"{s['macro_f1']:.3f}     "
            f"{s['false_alarms']:.1%}  {s['critical_flagged']:.1%}   {s['high_flagged']:.1%}"
        )
    for (scale, band, veto, serious, floor), s in results:
        if (scale, band, veto, serious, floor) == (1.2, 0.85, 0.37, 0.3, 0.4):
            print(
                f"{scale:5.2f} {band:4.2f} {veto:4.2f} {serious:4.2f} {floor:4.2f}     "
                f"{s['macro_f1']:.3f}     {s['false_alarms']:.1%}  {s['critical_flagged']:.1%}   "
                f"{s['high_flagged']:.1%}   (engine v2.7-v2.14's settings)"
            )
    # Critical risk first: settings that flag enough critical texts; among them the best
    # macro-F1 within the false-alarm budget, or, when none keeps to it, the fewest
    # false alarms (then the best macro-F1).
    safe = [t for t in results if t[1]["critical_flagged"] >= args.min_critical] or results
    within = [t for t in safe if t[1]["false_alarms"] <= args.max_false_alarms]
    chosen = (
        within[0]
        if within
        else min(safe, key=lambda t: (round(t[1]["false_alarms"], 3), -t[1]["macro_f1"]))
    )
    if args.settings:
        wanted = tuple(float(v) for v in args.settings.split(","))
        wanted += (0.0, 0.8)[len(wanted) - 3 :]  # SERIOUS 0 and FLOOR 0.8 unless given
        chosen = next(t for t in results if t[0] == wanted)
    (scale, band, veto, serious, floor), s = chosen
    print(
        f"chosen (FA <= {args.max_false_alarms:.0%}, critical >= {args.min_critical:.0%}): "
        f"scale {scale} band {band} veto {veto} serious {serious} floor {floor}: {s}"
    )
    thresholds = {
        c: Thresholds(
            min(0.97, best[c] * scale), min(0.97, best[c] * scale * (band if c in SAFETY else 1.0))
        )
        for c in CONCERNS
    }

    def scored(sentence_floor: float, kept_cues: str | None = None) -> dict[str, float]:
        """The chosen settings with this sentence floor and kept-cue setting."""
        predicted = simulate(recs, probs, sev, windows, cues, thresholds, veto, serious, floor,
                             sentences, sentence_floor, kept_cues)  # fmt: skip
        return score(sub, [predicted[i] for i in tune])

    def row(label: str, found: dict[str, float]) -> None:
        print(
            f"{label:<26}{found['macro_f1']:.3f}     {found['false_alarms']:.1%}  "
            f"{found['critical_flagged']:.1%}   {found['high_flagged']:.1%}",
            flush=True,
        )

    print("sentence floor            macro-F1  FA     critical high")
    by_sentence_floor = {}
    for sentence_floor in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7):
        by_sentence_floor[sentence_floor] = scored(sentence_floor)
        row(f"{sentence_floor:4.2f}", by_sentence_floor[sentence_floor])
    print("vetoed cues kept          macro-F1  FA     critical high")
    kept_grid = [f"{sv}:{x:g}" for sv in ("critical", "high") for x in (0.0, 0.1, 0.3, 0.5)]
    by_kept_cues = {}
    for keep in [None, *kept_grid]:
        by_kept_cues[str(keep)] = scored(args.sentence_floor, keep)
        row(str(keep), by_kept_cues[str(keep)])
    s = by_kept_cues[str(args.kept_cues)]
    shipped = simulate(recs, probs, sev, windows, cues, sentences=sentences, **shipped_points())
    on_shipped = score(sub, [shipped[i] for i in tune])
    row("shipped meta.json", on_shipped)
    report = {
        "texts": len(recs),
        "tuned_on": f"{len(tune)} texts in batches b{args.tune_from}{upto}",
        "min_critical": args.min_critical,
        "groups": sorted(Counter(r["group"] for r in recs).items()),
        "C": args.C,
        "cues_alone": baseline,
        "best_f1_thresholds": best,
        "chosen": {
            "scale": scale,
            "band": band,
            "veto": veto,
            "serious": serious,
            "floor": floor,
            "sentence_floor": args.sentence_floor,
            "kept_cues": args.kept_cues,
            "scores": s,
        },
        "by_sentence_floor": by_sentence_floor,
        "by_kept_cues": by_kept_cues,
        "shipped_points": on_shipped,
        "max_false_alarms": args.max_false_alarms,
    }
    if args.crossfit:
        report["crossfit"] = [
            json.loads(f.read_text("utf-8")) for f in sorted(args.crossfit.glob("fold-*.json"))
        ]
    elif args.folds:
        report["folds"] = args.folds
    (WORK / "oof-report.json").write_text(json.dumps(report, indent=2), "utf-8")
    if args.ship:
        ship(model, x, recs, best, scale, band, veto, serious, floor, report, args.C,
             args.sentence_floor, args.kept_cues)  # fmt: skip
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0


def ship(model: Any, x: np.ndarray, recs: list[dict[str, Any]], best: dict[str, float],
         scale: float, band: float, veto: float, serious: float, floor: float,
         report: dict[str, Any], c_value: float, sentence_floor: float = 0.0,
         kept_cues: str | None = None) -> None:  # fmt: skip
    """Heads fitted on every text, thresholds from the out-of-fold choice, examples."""
    out = ROOT / "src" / "safeside" / "models" / "encoder"
    crossfit = report.get("crossfit")
    final = Path("/tmp/safeside-ft/final.json")  # finetune.py final's record
    heads = fit(x, recs, c_value)
    np.savez_compressed(
        out / "heads.npz",
        concern_weight=heads.concern_w,
        concern_bias=heads.concern_b,
        severity_weight=heads.severity_w,
        severity_bias=heads.severity_b,
    )
    np.savez_compressed(  # every text, with or without concerns: the neighbours vote
        out / "examples.npz",
        vectors=x[:, :384].astype(np.float16),
        **pack_texts([r["text"] for r in recs]),
        concerns=np.array(["|".join(r["concerns"]) for r in recs]),
        modes=np.array([r["mode"] for r in recs]),
    )
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    meta["thresholds"] = {
        c: {
            "flag": round(min(0.97, best[c] * scale), 3),
            "possible": round(min(0.97, best[c] * scale * (band if c in SAFETY else 1.0)), 3),
            "oof_best_f1_threshold": round(best[c], 3),
        }
        for c in CONCERNS
    }
    meta["veto_share"] = veto
    meta["possible_serious"] = serious
    meta["critical_floor"] = floor
    meta["sentence_floor"] = sentence_floor
    kept = kept_cue_setting(kept_cues)
    if kept is None:
        meta.pop("kept_cues", None)
    else:
        meta["kept_cues"] = {"severity": kept[0].label, "serious": kept[1]}
    meta["operating_points"] = (
        f"flag = {scale:g} x each concern's out-of-fold best-F1 threshold; possible (safety "
        f"concerns) = {band:g} x flag, when the severity head gives high or critical at least "
        f"{serious:g}; cue veto below {veto:g} x flag; safety floor at P(critical) >= {floor:g} (one sentence read on its own: {sentence_floor:g}; 0 = not read); a vetoed safety cue kept as possible (SEVERITY:SERIOUS) {kept_cues} (None = dropped). Chosen out of fold on training texts, "
        + (
            "each third of the writers' batches predicted by an encoder fine-tuned without them"
            if crossfit
            else "one writer's batch held out at a time"
        )
        + "; never on a blind set or the development sets."
    )
    meta["knn"] = KNN
    meta["heldout_macro_f1"] = round(report["chosen"]["scores"]["macro_f1"], 4)
    meta["training"] = {
        "method": (
            "all-MiniLM-L6-v2 fine-tuned on the training texts (training/encoder/finetune.py), "
            if crossfit
            else "the published all-MiniLM-L6-v2, "
        )
        + f"logistic-regression heads over its vectors (class-balanced, C={c_value:g}), "
        f"blended half and half with the vote of the {KNN['k']} nearest training texts; "
        + (
            "operating points chosen out of fold: each third of the writers' batches "
            "predicted by an encoder fine-tuned without them (cross-fit)"
            if crossfit
            else "operating points chosen out of fold, one writer's batch held out at a time"
        )
        + " (training/encoder/oof.py)",
        "texts": len(recs),
        "tuned_on": report.get("tuned_on", ""),
        # a report refit on a newer encoder whose folds were not run keeps the report's
        # operating points and says whose they are
        **({"operating_points_from": report["inherited"]} if "inherited" in report else {}),
        "groups": dict(sorted(Counter(r["group"] for r in recs).items())),
        "out_of_fold": report["chosen"],
        **({"crossfit": crossfit} if crossfit else {}),
        **(
            {"finetune": json.loads(final.read_text("utf-8"))}
            if crossfit and final.exists()
            else {}
        ),
        "cues_alone": report["cues_alone"],
    }
    meta["sha256"] = {
        name: hashlib.sha256((out / name).read_bytes()).hexdigest()
        for name in ("encoder.onnx", "heads.npz", "examples.npz")
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(main())
