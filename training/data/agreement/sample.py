"""Draw the second labeller's sample: 10% (at least 30) of every training batch, labels removed.

    .venv/bin/python training/data/agreement/sample.py     # writes agreement/unlabelled/*.txt
    .venv/bin/python training/data/agreement/sample.py b24 b25   # only these batches

Each output line is ``ID || ROLE PLATFORM || plain text`` (no concerns, no severity, no
entity markup). The second labeller writes ``ID || CONCERNS:SEVERITY`` lines into
``agreement/relabelled/<batch>.txt``; ``kappa.py`` compares them with the first labels.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from build import BLIND_SETS, TRAINED_SETS, parse_line  # noqa: E402

DATA = HERE.parent


def sources() -> list[Path]:
    """Every hand-written training batch: the v2 batches and the development sets trained
    on (``build.TRAINED_SETS``; blind v1's folder holds two writers' files)."""
    folders = [DATA / folder for folder, name, _, _ in BLIND_SETS if name in TRAINED_SETS]
    return sorted((DATA / "src" / "v2").glob("b*.txt")) + [
        p for f in folders for p in sorted(f.glob("*.txt"))
    ]


def main() -> None:
    out = HERE / "unlabelled"
    out.mkdir(exist_ok=True)
    only = tuple(sys.argv[1:])
    for path in sources():
        if only and not path.stem.startswith(only):
            continue
        lines = [ln.strip() for ln in path.read_text("utf-8").splitlines()]
        lines = [ln for ln in lines if ln and not ln.startswith("#")]
        k = max(30, round(len(lines) * 0.1))
        rng = random.Random(path.stem)
        picks = sorted(rng.sample(range(len(lines)), k))
        rows = []
        for i in picks:
            rec = parse_line(lines[i])
            head = lines[i].split(" || ")[0].split()
            text = rec["text"].replace("\n", "\\n")
            rows.append(f"{path.stem}:{i + 1} || {head[0]} {head[1]} || {text}")
        (out / path.name).write_text("\n".join(rows) + "\n", "utf-8")
        print(f"{path.name}: {k} of {len(lines)}")


if __name__ == "__main__":
    main()
