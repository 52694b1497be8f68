"""Check one hand-written source file and print its counts.

Writers run this on their own batch before handing it over; it needs only the standard
library and ``build.py`` beside it (no Safeside install)::

    python3 training/data/check_source.py training/data/src/v2/b01_facebook_group.txt

It parses every line with ``build.parse_line`` (so offsets can always be computed),
checks the mode rules (which concerns are allowed in ``own`` and ``review``), the fiction
rules for phones, e-mails and ID numbers, duplicate texts, and prints counts per concern,
severity, platform and role. Exit status 1 when any line is wrong.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from build import SourceError, parse_line

OWN_ONLY = {"confidentiality", "unprofessional", "self_exposure"}
REVIEW_ONLY = {"proceedings_disclosure", "contact_breach", "grooming", "bullying", "exploitation"}
PHONE_OK = re.compile(r"^\+?(?:44\s?7700|07700)\s?900\s?\d{3}$")
EMAIL_OK = re.compile(r"@example\.(?:com|org)$", re.I)


def check_record(rec: dict) -> list[str]:
    problems = []
    bad = (OWN_ONLY if rec["mode"] == "review" else REVIEW_ONLY) & set(rec["concerns"])
    if bad:
        problems.append(f"{sorted(bad)} not allowed in mode {rec['mode']}")
    for ent in rec["entities"]:
        value = ent["text"].strip()
        if ent["label"] == "PHONE" and not PHONE_OK.match(re.sub(r"[()\-]", "", value)):
            problems.append(f"phone {value!r} is not in 07700 900000-900999")
        if ent["label"] == "EMAIL" and not EMAIL_OK.search(value):
            problems.append(f"e-mail {value!r} is not at example.com/example.org")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    path = Path(argv[0])
    errors = 0
    seen: set[str] = set()
    counts: dict[str, Counter[str]] = {
        k: Counter() for k in ("concern", "severity", "platform", "role", "mode")
    }
    total = 0
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            rec = parse_line(line)
        except SourceError as exc:
            print(f"{path.name}:{n}: {exc}")
            errors += 1
            continue
        for problem in check_record(rec):
            print(f"{path.name}:{n}: {problem}")
            errors += 1
        if rec["text"] in seen:
            print(f"{path.name}:{n}: duplicate text")
            errors += 1
        seen.add(rec["text"])
        total += 1
        counts["mode"][rec["mode"]] += 1
        counts["severity"][rec["severity"]] += 1
        counts["platform"][rec["platform"]] += 1
        counts["role"][rec["author_role"]] += 1
        for c in rec["concerns"] or ["(none)"]:
            counts["concern"][c] += 1
    print(f"{total} texts, {errors} problems")
    for key, counter in counts.items():
        print(f"  {key}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
