"""Agreement between the writers' labels and a second labeller's (data protocol).

    .venv/bin/python training/data/agreement/kappa.py     # prints a Markdown report

Per concern: Cohen's kappa on presence over every sampled text where the concern is
allowed in its mode; per batch: kappa on "any concern"; severity: exact and within one
level. Disagreements are listed for adjudication.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from build import CONCERN_CODES, CONCERN_ORDER, SEVERITIES, parse_line  # noqa: E402
from sample import sources  # noqa: E402

SEV = ["none", "low", "medium", "high", "critical"]
OWN_ONLY = {"confidentiality", "unprofessional", "self_exposure"}
REVIEW_ONLY = {"proceedings_disclosure", "contact_breach", "grooming", "bullying", "exploitation"}


def kappa(a: list[bool], b: list[bool]) -> float | None:
    n = len(a)
    if not n:
        return None
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return None if pe == 1 else (po - pe) / (1 - pe)


def parse_labels(field: str) -> tuple[set[str], str]:
    field = field.strip()
    if field == "-":
        return set(), "none"
    names, _, sev = field.partition(":")
    return {CONCERN_CODES.get(c.strip(), c.strip()) for c in names.split(",")}, SEVERITIES.get(
        sev, "none"
    )


def first_labels() -> dict[str, dict]:
    """The writers' labels for every sampled ID, matched by the text the second labeller
    read (a line number alone goes stale when a batch later loses a text at build)."""
    by_text: dict[tuple[str, str], dict] = {}
    for path in sources():
        for ln in path.read_text("utf-8").splitlines():
            ln = ln.strip()
            if ln and not ln.startswith("#"):
                rec = parse_line(ln)
                by_text[(path.stem, rec["text"].replace("\n", "\\n"))] = rec
    first: dict[str, dict] = {}
    for path in sorted((HERE / "unlabelled").glob("*.txt")):
        for ln in path.read_text("utf-8").splitlines():
            if ln.count(" || ") < 2:
                continue
            key, _, text = ln.split(" || ", 2)
            rec = by_text.get((path.stem, text))
            if rec is not None:
                first[key.strip()] = rec
    return first


def main() -> int:
    first = first_labels()
    pairs: list[tuple[str, dict, set[str], str]] = []
    for path in sorted((HERE / "relabelled").glob("*.txt")):
        for ln in path.read_text("utf-8").splitlines():
            if " || " not in ln:
                continue
            key, labels = (p.strip() for p in ln.split(" || ", 1))
            if key in first:
                concerns, sev = parse_labels(labels)
                pairs.append((key, first[key], concerns, sev))
    print(f"{len(pairs)} texts relabelled blind\n")
    print("| concern | texts (mode allows) | first | second | kappa |\n|---|---|---|---|---|")
    for c in CONCERN_ORDER:
        rows = [
            (c in r["concerns"], c in s)
            for _, r, s, _ in pairs
            if not (
                (c in OWN_ONLY and r["mode"] == "review")
                or (c in REVIEW_ONLY and r["mode"] == "own")
            )
        ]
        k = kappa([a for a, _ in rows], [b for _, b in rows])
        print(
            f"| {c} | {len(rows)} | {sum(a for a, _ in rows)} | {sum(b for _, b in rows)} | "
            f"{'n/a' if k is None else f'{k:.2f}'} |"
        )
    print(
        "\n| batch | texts | kappa (any concern) | severity exact | within one |\n|---|---|---|---|---|"
    )
    for batch in sorted({k.split(":")[0] for k, *_ in pairs}):
        rows = [(r, s, sv) for k, r, s, sv in pairs if k.startswith(batch + ":")]
        k = kappa([bool(r["concerns"]) for r, _, _ in rows], [bool(s) for _, s, _ in rows])
        exact = sum(r["severity"] == sv for r, _, sv in rows) / len(rows)
        within = sum(abs(SEV.index(r["severity"]) - SEV.index(sv)) <= 1 for r, _, sv in rows) / len(
            rows
        )
        print(
            f"| {batch} | {len(rows)} | {'n/a' if k is None else f'{k:.2f}'} | {exact:.2f} | {within:.2f} |"
        )
    print("\nDisagreements on concerns (first labeller → second):\n")
    for key, r, s, _ in pairs:
        if set(r["concerns"]) != s:
            print(
                f"- `{key}` {sorted(r['concerns']) or '-'} → {sorted(s) or '-'}: {r['text'][:110]!r}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
