"""The training records and their writers: what the encoder's and the tagger's folds split.

Every record carries ``group``: the batch (one writer's voice) it came from. The v1 file
(one writer, no batch marks) is split at random into three groups; each development set
trained on (``build.TRAINED_SETS``) is one group. A fold holds whole
writers, so a score out of fold is a score on a voice the model never read.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent
sys.path.insert(0, str(DATA))

from build import TRAINED_SETS, parse_line  # noqa: E402


def records() -> list[dict[str, Any]]:
    """Every training record, with ``group``: its batch (one writer's voice)."""
    by_text: dict[str, str] = {}
    for src in sorted((DATA / "src" / "v2").glob("b*.txt")):
        if not src.with_suffix(".md").exists():
            continue  # a batch still being written: build.py leaves it out too
        for line in src.read_text("utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                by_text[parse_line(line)["text"]] = src.stem
    out = []
    rng = random.Random(1204)
    for path in (DATA / "inhouse_train.jsonl", DATA / "v2_train.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            rec = json.loads(line)
            rec["group"] = by_text.get(rec["text"]) or f"inhouse-{rng.randrange(3)}"
            out.append(rec)
    for name in TRAINED_SETS:  # development sets, one group each (build.TRAINED_SETS)
        for line in (DATA / f"{name}.jsonl").read_text("utf-8").splitlines():
            if line.strip():
                out.append({**json.loads(line), "group": name})
    return out


def folds_of(recs: list[dict[str, Any]], folds: int) -> dict[str, int]:
    """Each writer's batch to a fold, largest first onto the lightest fold."""
    sizes: dict[str, int] = {}
    for r in recs:
        sizes[r["group"]] = sizes.get(r["group"], 0) + 1
    load = [0] * folds
    out = {}
    for group, n in sorted(sizes.items(), key=lambda t: (-t[1], t[0])):
        k = load.index(min(load))
        out[group] = k
        load[k] += n
    return out
