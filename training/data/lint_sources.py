"""Warn about likely missed entity markup in the source files (a review aid, not a gate)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARKUP = re.compile(r"\[\[.+?\|[A-Z_]+\]\]")
SUSPECT = re.compile(
    r"\b(this weekend|next week|last week|this week|last night|this morning|this afternoon|next month|tomoro|today|tonight|tomorrow|tmrw|yesterday|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|january|february|april|june|july|august|september|october|"
    r"november|december|07700 ?9\d\d\d\d\d|QQ ?\d\d|999 ?\d\d\d ?\d\d\d\d)\b|@\w+|\w+@\w+",
    re.IGNORECASE,
)


def main() -> int:
    n = 0
    for path in sorted((HERE / "src").glob("*/*.txt")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("#") or " || " not in line:
                continue
            text = line.split(" || ")[1]
            bare = MARKUP.sub("", text)
            for m in SUSPECT.finditer(bare):
                n += 1
                print(f"{path.parent.name}/{path.name}:{i}: {m.group(0)!r}: {text[:90]}")
    print(f"{n} warnings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
