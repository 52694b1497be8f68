"""Quantise an encoder as it ships, and record how close int8 stays to fp32.

``quantise``: MatMul weights int8 per output channel, activations quantised on the fly
(``MatMulInteger``, which runs on the CPU's int8 dot-product units; 3× the speed of
weight-only ``MatMulNBits`` here), the embedding table int8. The activation scale is
computed over everything in one call, so the app runs each text on its own
(``EncoderModel.encode_ids``) and a text's vector never depends on its batch.
``record_cosine`` writes the int8-to-fp32 cosine into ``meta.json``. Used by ``base.py``
(the published encoder) and ``finetune.py`` (ours).
"""

from __future__ import annotations

import json
from pathlib import Path

from onnxruntime.quantization import QuantType, quantize_dynamic

DATA = Path(__file__).resolve().parents[1] / "data"

QUANTISATION = (
    "int8: MatMul weights per channel in 7 bits (reduce_range), activations dynamic "
    "(MatMulInteger); Gather int8"
)


def quantise(src: Path, dst: Path) -> None:
    """MatMul weights int8 per output channel, activations quantised on the fly; the
    embedding table int8 (dequantised on lookup).

    The weights use 7 bits (``reduce_range``): CPUs without VNNI (AVX2, AVX-512 before
    Cascade Lake) multiply uint8 activations by int8 weights in pairs summed into 16
    bits (``vpmaddubsw``), which saturates with full-range weights, so the same text
    scored differently from one CPU to another (measured on an AMD EPYC: a full-range
    product came back halved). With 7-bit weights every pair fits and every CPU
    computes the same integers."""
    quantize_dynamic(
        str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
        reduce_range=True, op_types_to_quantize=["MatMul", "Gather"],
    )  # fmt: skip


def record_cosine(fp32: Path, shipped_dir: Path) -> dict[str, float]:
    """How close the shipped int8 encoder's vectors are to ``fp32``'s, on every 40th
    training text, each computed as the app computes it (``EncoderModel.encode_ids``);
    written into ``meta.json`` as ``int8_cosine_to_fp32``."""
    from safeside.detectors.encoder import EncoderModel

    lines = (DATA / "v2_train.jsonl").read_text("utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()][::40]
    shipped = EncoderModel(shipped_dir)
    ids = [shipped.piece_ids(t) for t in texts]
    int8 = shipped.encode_ids(ids)
    shipped.session = type(shipped.session)(str(fp32), providers=["CPUExecutionProvider"])
    cos = (int8 * shipped.encode_ids(ids)).sum(1)
    found = {
        "mean": round(float(cos.mean()), 4),
        "min": round(float(cos.min()), 4),
        "texts": len(texts),
    }
    meta = json.loads((shipped_dir / "meta.json").read_text("utf-8"))
    meta["quantisation"] = QUANTISATION
    meta["int8_cosine_to_fp32"] = found
    (shipped_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    return found
