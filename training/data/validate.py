"""Validate the in-house labelled data and print its counts.

Checks every line of ``inhouse_train.jsonl`` and ``inhouse_challenge.jsonl`` (or the
files given on the command line): one JSON object per line, unique ids with the right
prefix, schema fields and allowed values, concerns valid for the mode, ``severity ==
"none"`` iff there are no concerns, concerns in taxonomy order, and entity spans that
match the text, sorted and non-overlapping, with phones, e-mails and ID numbers from
invented ranges. Usage::

    .venv/bin/python training/data/validate.py [FILE ...]
    .venv/bin/python training/data/validate.py --markdown   # count tables for README.md
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from safeside.taxonomy import CONCERNS, ENTITY_LABELS, MODES, Severity, concern_allowed

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build import PLATFORMS as BUILD_PLATFORMS  # noqa: E402

DEFAULT_FILES = (HERE / "inhouse_train.jsonl", HERE / "inhouse_challenge.jsonl")

FIELDS = (
    "id",
    "mode",
    "platform",
    "author_role",
    "text",
    "entities",
    "concerns",
    "severity",
    "rationale",
)
PLATFORMS = set(BUILD_PLATFORMS.values())  # the one list, in build.py
OWN_ROLES = {"practitioner", "student_sw"}
REVIEW_ROLES = {
    "parent",
    "birth_parent",
    "carer",
    "child",
    "young_person",
    "adult_unknown",
    "colleague",
}
# The taxonomy's own lists (src/safeside/taxonomy.py), so data and engine cannot drift.
LABELS = set(ENTITY_LABELS)
CONCERN_ORDER = CONCERNS
MODE_CONCERNS = {mode: {c for c in CONCERNS if concern_allowed(c, mode)} for mode in MODES}
SEVERITIES = tuple(s.label for s in Severity)
ID_PATTERN = re.compile(r"^[a-z]\d{4}$")
# Every identifier must be an invented one from a reserved or never-issued range.
SAFE_IDENTIFIER = {
    "PHONE": re.compile(r"^07700 ?900\d{3}$"),
    "EMAIL": re.compile(r"^[\w.+-]+@example\.(com|org)$"),
    "GOV_ID": re.compile(r"^(QQ ?\d\d ?\d\d ?\d\d ?[A-D]|999 ?\d{3} ?\d{4})$"),
}


def check_record(r: object) -> list[str]:
    """Return a list of problems with one record (empty when it is valid)."""
    if not isinstance(r, dict):
        return ["not a JSON object"]
    errors: list[str] = []
    missing = [f for f in FIELDS if f not in r]
    extra = [f for f in r if f not in FIELDS]
    if missing:
        errors.append(f"missing fields {missing}")
    if extra:
        errors.append(f"unexpected fields {extra}")
    if missing:
        return errors
    if not isinstance(r["id"], str) or not ID_PATTERN.match(r["id"]):
        errors.append(f"bad id {r['id']!r}")
    mode = r["mode"]
    if mode not in MODE_CONCERNS:
        errors.append(f"bad mode {mode!r}")
    if r["platform"] not in PLATFORMS:
        errors.append(f"bad platform {r['platform']!r}")
    role = r["author_role"]
    if mode == "own" and role not in OWN_ROLES:
        errors.append(f"own text with author_role {role!r}")
    if mode == "review" and role not in REVIEW_ROLES:
        errors.append(f"review text with author_role {role!r}")
    text = r["text"]
    if not isinstance(text, str) or not text.strip():
        errors.append("empty text")
        return errors
    if text != text.strip():
        errors.append("text has leading or trailing whitespace")
    if not isinstance(r["rationale"], str) or not r["rationale"].strip():
        errors.append("empty rationale")
    concerns = r["concerns"]
    if not isinstance(concerns, list):
        errors.append("concerns is not a list")
        concerns = []
    for c in concerns:
        if c not in CONCERN_ORDER:
            errors.append(f"unknown concern {c!r}")
        elif mode in MODE_CONCERNS and c not in MODE_CONCERNS[mode]:
            errors.append(f"concern {c!r} not valid in mode {mode!r}")
    if len(set(concerns)) != len(concerns):
        errors.append("duplicate concerns")
    known = [c for c in concerns if c in CONCERN_ORDER]
    if known != sorted(known, key=CONCERN_ORDER.index):
        errors.append("concerns not in taxonomy order")
    severity = r["severity"]
    if severity not in SEVERITIES:
        errors.append(f"bad severity {severity!r}")
    if (severity == "none") != (not concerns):
        errors.append(f"severity {severity!r} does not match concerns {concerns}")
    entities = r["entities"]
    if not isinstance(entities, list):
        return [*errors, "entities is not a list"]
    prev_end = -1
    for e in entities:
        if not isinstance(e, dict) or set(e) != {"start", "end", "label", "text"}:
            errors.append(f"bad entity {e!r}")
            continue
        s, t = e["start"], e["end"]
        if not (isinstance(s, int) and isinstance(t, int) and 0 <= s < t <= len(text)):
            errors.append(f"bad offsets {e!r}")
            continue
        if e["label"] not in LABELS:
            errors.append(f"bad label {e['label']!r}")
        if text[s:t] != e["text"]:
            errors.append(f"span text mismatch {text[s:t]!r} != {e['text']!r}")
        if e["text"] != e["text"].strip():
            errors.append(f"span has outer whitespace {e['text']!r}")
        safe = SAFE_IDENTIFIER.get(e["label"])
        if safe and not safe.match(e["text"]):
            errors.append(f"{e['label']} {e['text']!r} is not from an invented range")
        if s < prev_end:
            errors.append(f"entities unsorted or overlapping at {e!r}")
        prev_end = max(prev_end, t)
    return errors


def validate_file(path: Path) -> tuple[list[dict], list[str]]:
    """Parse and check one JSONL file; return its records and all problems found."""
    records: list[dict] = []
    errors: list[str] = []
    ids: set[str] = set()
    texts: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                errors.append(f"{path.name}:{n}: blank line")
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{path.name}:{n}: invalid JSON ({exc})")
                continue
            where = f"{path.name}:{n} ({r.get('id') if isinstance(r, dict) else '?'})"
            errors.extend(f"{where}: {p}" for p in check_record(r))
            if isinstance(r, dict):
                if r.get("id") in ids:
                    errors.append(f"{where}: duplicate id")
                ids.add(r.get("id"))
                if r.get("text") in texts:
                    errors.append(f"{where}: duplicate text")
                texts.add(r.get("text"))
                records.append(r)
    prefixes = {str(i)[:1] for i in ids}
    if len(prefixes) > 1:
        errors.append(f"{path.name}: mixed id prefixes {sorted(prefixes)}")
    return records, errors


def summarise(records: list[dict]) -> str:
    """Counts per concern, severity, mode, platform, role and entity label."""
    lines = [f"texts: {len(records)}"]
    by_mode = Counter(r["mode"] for r in records)
    none = Counter(r["mode"] for r in records if not r["concerns"])
    lines.append(
        "mode: "
        + ", ".join(f"{m} {by_mode[m]} (none {none[m]})" for m in sorted(by_mode))
        + f"; two+ concerns: {sum(len(r['concerns']) > 1 for r in records)}"
    )
    lines.append("concern          total  low  med high crit")
    for c in CONCERN_ORDER:
        sev = Counter(r["severity"] for r in records if c in r["concerns"])
        lines.append(
            f"  {c:<22}{sum(sev.values()):>4} "
            + " ".join(f"{sev[s]:>4}" for s in ("low", "medium", "high", "critical"))
        )
    lines.append(
        "severity: "
        + ", ".join(f"{s} {Counter(r['severity'] for r in records)[s]}" for s in SEVERITIES)
    )
    lines.append(
        "platform: "
        + ", ".join(f"{k} {v}" for k, v in Counter(r["platform"] for r in records).most_common())
    )
    lines.append(
        "role: "
        + ", ".join(f"{k} {v}" for k, v in Counter(r["author_role"] for r in records).most_common())
    )
    labels = Counter(e["label"] for r in records for e in r["entities"])
    lines.append("entities: " + ", ".join(f"{k} {v}" for k, v in labels.most_common()))
    return "\n".join(lines)


def markdown_counts(files: dict[str, list[dict]]) -> str:
    """Markdown tables of counts per file (for README.md)."""
    names = list(files)
    head = "| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names)
    rows = [head]

    def row(label: str, pick) -> None:
        rows.append(
            f"| {label} | " + " | ".join(str(sum(map(pick, files[n]))) for n in names) + " |"
        )

    row("texts", lambda r: True)
    for mode in ("own", "review"):
        row(f"mode {mode}", lambda r, m=mode: r["mode"] == m)
        row(f"mode {mode}, no concern", lambda r, m=mode: r["mode"] == m and not r["concerns"])
    row("two or more concerns", lambda r: len(r["concerns"]) > 1)
    for sev in SEVERITIES:
        row(f"severity {sev}", lambda r, s=sev: r["severity"] == s)
    out = ["\n".join(rows), ""]
    for n in names:
        out.append(f"Concern x severity, `{n}` (a text counts once per concern):\n")
        out.append(
            "| concern | texts | low | medium | high | critical |\n|---|---|---|---|---|---|"
        )
        for c in CONCERN_ORDER:
            sev = Counter(r["severity"] for r in files[n] if c in r["concerns"])
            out.append(
                f"| {c} | {sum(sev.values())} | "
                + " | ".join(str(sev[s]) for s in ("low", "medium", "high", "critical"))
                + " |"
            )
        out.append("")
    for key in ("platform", "author_role"):
        values = sorted({r[key] for n in names for r in files[n]})
        out.append(f"| {key} | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
        for v in values:
            out.append(
                f"| {v} | "
                + " | ".join(str(sum(r[key] == v for r in files[n])) for n in names)
                + " |"
            )
        out.append("")
    out.append("| entity label | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
    for lab in sorted(LABELS):
        out.append(
            f"| {lab} | "
            + " | ".join(
                str(sum(e["label"] == lab for r in files[n] for e in r["entities"])) for n in names
            )
            + " |"
        )
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--markdown"]:
        files = {p.name: validate_file(p)[0] for p in DEFAULT_FILES}
        print(markdown_counts(files))
        return 0
    paths = [Path(a) for a in argv] or list(DEFAULT_FILES)
    failed = False
    train_texts: set[str] = set()
    for path in paths:
        records, errors = validate_file(path)
        print(f"== {path.name}")
        for e in errors[:50]:
            print("  ERROR", e)
        if len(errors) > 50:
            print(f"  ... {len(errors) - 50} more errors")
        failed |= bool(errors)
        print(summarise(records))
        texts = {r["text"] for r in records}
        if train_texts & texts:
            print(f"  ERROR {len(train_texts & texts)} texts repeated across files")
            failed = True
        train_texts |= texts
    print("FAILED" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
