"""Measure a token-label head for entities on the encoder's own token states (issue 11, item 1).

Question: would entity labels read from the same forward pass as the concern model (the
MiniLM token states, before pooling) beat today's tagger (the rule and pattern
recognisers plus the small name model)? This script answers it without changing what ships:

1. the shipped int8 encoder, with its last hidden state added as a second output (in
   memory, with ``onnx``), reads every training text (``inhouse_train`` + ``v2_train``);
2. each word-piece gets a BIO label from the training spans (14 entity labels);
3. a small head (384 -> 256 -> 29, PyTorch, a few epochs) is trained on those states;
4. on a development set, its spans, today's engine's spans, and a merge (the head for the
   labels where it scores higher on the training data held out, today's engine for the
   rest) are scored with Safeside's own exact-span scorer.

    PYTHONPATH=src .venv-train/bin/python training/encoder/entity_head.py \
        --eval training/data/inhouse_challenge.jsonl

Never run on a blind set (choosing labels on it would tune on it).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import torch

from safeside.detectors.encoder import CLS, SEP, load_encoder
from safeside.evaluation.data import Span
from safeside.evaluation.scoring import Counts, entity_counts, micro

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training" / "data"
LABELS = (
    "PERSON", "CHILD_REF", "AGE", "DATE", "SCHOOL", "LOCATION", "ADDRESS", "PHONE",
    "EMAIL", "HANDLE", "CASE_REF", "GOV_ID", "ORG", "HEALTH",
)  # fmt: skip
TAGS = ["O"] + [f"{p}-{label}" for label in LABELS for p in ("B", "I")]
HIDDEN = "/encoder/encoder/layer.5/output/LayerNorm/LayerNormalization_output_0"
WINDOW = 126


def session() -> ort.InferenceSession:
    """The shipped encoder with its token states as a second output."""
    path = ROOT / "src" / "safeside" / "models" / "encoder" / "encoder.onnx"
    model = onnx.load(str(path))
    model.graph.node.append(onnx.helper.make_node("Identity", [HIDDEN], ["hidden"]))
    model.graph.output.append(
        onnx.helper.make_tensor_value_info(
            "hidden", onnx.TensorProto.FLOAT, ["batch", "tokens", 384]
        )
    )
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    return ort.InferenceSession(model.SerializeToString(), options)


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def windows(model: Any, text: str) -> list[list[Any]]:
    pieces = model.tokenizer.tokenize(text)
    return [pieces[i : i + WINDOW] for i in range(0, max(1, len(pieces)), WINDOW)]


def states(sess: ort.InferenceSession, rows: list[list[int]]) -> list[np.ndarray]:
    """Token states per row of word-piece ids (CLS and SEP dropped), batched by length."""
    out: list[np.ndarray] = [np.zeros((0, 384), np.float32)] * len(rows)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    for start in range(0, len(order), 64):
        chunk = order[start : start + 64]
        width = max(len(rows[i]) for i in chunk) + 2
        ids = np.zeros((len(chunk), width), np.int64)
        mask = np.zeros_like(ids)
        for r, i in enumerate(chunk):
            ids[r, : len(rows[i]) + 2] = [CLS, *rows[i], SEP]
            mask[r, : len(rows[i]) + 2] = 1
        hidden = sess.run(["hidden"], {"input_ids": ids, "attention_mask": mask})[0]
        for r, i in enumerate(chunk):
            out[i] = hidden[r, 1 : len(rows[i]) + 1]
    return out


def bio(pieces: list[Any], entities: list[dict[str, Any]]) -> list[int]:
    tags = []
    for k, p in enumerate(pieces):
        tag = "O"
        for e in entities:
            if e["label"] in LABELS and p.start >= e["start"] and p.end <= e["end"]:
                first = k == 0 or not (
                    pieces[k - 1].start >= e["start"] and pieces[k - 1].end <= e["end"]
                )
                tag = ("B-" if first else "I-") + e["label"]
                break
        tags.append(TAGS.index(tag))
    return tags


def decode(pieces: list[Any], tags: list[int]) -> list[Span]:
    """Spans from the first piece of each word: B starts, I of the same label continues."""
    spans: list[Span] = []
    current: list[Any] | None = None
    seen: set[tuple[int, int]] = set()
    for p, t in zip(pieces, tags, strict=True):
        if (p.start, p.end) in seen:
            continue  # later pieces of the same word
        seen.add((p.start, p.end))
        tag = TAGS[t]
        if tag == "O":
            current = None
            continue
        kind, label = tag.split("-", 1)
        if kind == "I" and current is not None and current[0] == label:
            current[2] = p.end
            continue
        current = [label, p.start, p.end]
        spans.append(current)  # type: ignore[arg-type]
    return [Span(label, start, end) for label, start, end in spans]  # type: ignore[misc]


class Head(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(384, 256), torch.nn.GELU(), torch.nn.Linear(256, len(TAGS))
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.net(x)
        return out


def train(x: np.ndarray, y: np.ndarray, epochs: int = 6) -> Head:
    torch.manual_seed(0)
    head = Head()
    opt = torch.optim.AdamW(head.parameters(), lr=2e-3, weight_decay=1e-4)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for epoch in range(epochs):
        perm = torch.randperm(len(xt))
        total = 0.0
        for i in range(0, len(xt), 512):
            idx = perm[i : i + 512]
            loss = torch.nn.functional.cross_entropy(head(xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        print(f"  epoch {epoch + 1}: loss {total / len(xt):.4f}", flush=True)
    return head


def predict(
    head: Head, sess: ort.InferenceSession, model: Any, texts: list[str]
) -> list[list[Span]]:
    wins = [windows(model, t) for t in texts]
    flat = [w for ws in wins for w in ws]
    token_states = states(sess, [[p.id for p in w] for w in flat])
    out: list[list[Span]] = []
    k = 0
    with torch.no_grad():
        for ws in wins:
            spans: list[Span] = []
            for w in ws:
                if w:
                    tags = head(torch.from_numpy(token_states[k])).argmax(1).tolist()
                    spans += decode(w, tags)
                k += 1
            out.append(spans)
    return out


def score(
    gold: list[list[Span]], pred: list[list[Span]], relaxed: bool = False
) -> dict[str, Counts]:
    per = {label: Counts() for label in LABELS}
    for g, p in zip(gold, pred, strict=True):
        for label, c in entity_counts(g, p, LABELS, relaxed).items():
            per[label].add(c)
    return per


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval", type=Path, required=True, help="a development set (JSONL)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/safeside-entity-head.json"))
    args = parser.parse_args()
    assert "blind" not in args.eval.name, "never on a blind set"
    started = time.perf_counter()
    model = load_encoder()
    assert model is not None
    sess = session()
    recs = read(DATA / "inhouse_train.jsonl") + read(DATA / "v2_train.jsonl")
    random.Random(7).shuffle(recs)
    held = recs[: len(recs) // 10]  # to choose, per label, which source to trust
    fit = recs[len(recs) // 10 :]
    rows, tags = [], []
    for r in fit:
        for w in windows(model, r["text"]):
            if w:
                rows.append([p.id for p in w])
                tags.append(bio(w, r["entities"]))
    token_states = states(sess, rows)
    x = np.concatenate(token_states).astype(np.float32)
    y = np.concatenate([np.array(t, np.int64) for t in tags])
    print(f"{len(fit)} texts, {len(x)} word-pieces, tags {Counter(y.tolist()).most_common(4)}"
          f" ({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip
    head = train(x, y)

    import safeside

    def engine_spans(data: list[dict[str, Any]]) -> list[list[Span]]:
        out = []
        for r in data:
            a = safeside.analyze(r["text"], r["mode"])
            out.append([Span(e.label, e.start, e.end) for e in a.entities])
        return out

    def gold(data: list[dict[str, Any]]) -> list[list[Span]]:
        return [[Span(e["label"], e["start"], e["end"]) for e in r["entities"]] for r in data]

    # Which source to trust per label, chosen on held-out training texts.
    h_head = score(gold(held), predict(head, sess, model, [r["text"] for r in held]))
    h_engine = score(gold(held), engine_spans(held))
    use_head = {lab for lab in LABELS if h_head[lab].f1 > h_engine[lab].f1 + 0.02}
    print("head chosen for:", sorted(use_head))

    data = read(args.eval)
    g = gold(data)
    by_head = predict(head, sess, model, [r["text"] for r in data])
    by_engine = engine_spans(data)
    merged = [
        [s for s in e if s.label not in use_head] + [s for s in h if s.label in use_head]
        for e, h in zip(by_engine, by_head, strict=True)
    ]
    result: dict[str, Any] = {"eval": args.eval.name, "head_labels": sorted(use_head)}
    for name, pred in (("engine", by_engine), ("head", by_head), ("merged", merged)):
        per = score(g, pred)
        m = micro(per.values())
        loose = micro(score(g, pred, relaxed=True).values())
        result[name] = {
            "micro_f1": round(m.f1, 4),
            "relaxed_micro_f1": round(loose.f1, 4),
            "per_label": {k: round(v.f1, 3) for k, v in per.items()},
        }
        print(f"{name:7} micro-F1 {m.f1:.3f} (relaxed {loose.f1:.3f})  " + " ".join(
            f"{k[:5]} {v.f1:.2f}" for k, v in per.items() if v.support))  # fmt: skip
    result["held_out_training"] = {
        "head": round(micro(h_head.values()).f1, 4),
        "engine": round(micro(h_engine.values()).f1, 4),
    }
    args.out.write_text(json.dumps(result, indent=2), "utf-8")
    print(f"done in {time.perf_counter() - started:.0f} s; {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
