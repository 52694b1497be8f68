"""Build the in-house JSONL files from the hand-written source files.

Source files live in ``training/data/src/train/*.txt`` and
``training/data/src/challenge/*.txt``. One record per line::

    ROLE PLATFORM CONCERNS[:SEVERITY] || TEXT || RATIONALE

* ``ROLE`` is an author_role or a short code (pr, st, pa, bp, ca, ch, yp, au, co);
  practitioner and student_sw texts are mode ``own``, every other role is ``review``.
* ``PLATFORM`` is a platform or a short code (fb, x, ig, tt, snap, wa, sms, forum, li, blog,
  vm voicemail or voice note, chat support webchat, dc discord, tg telegram, game in-game chat).
* ``CONCERNS`` is ``-`` for no concern, or comma-separated concerns (full names or codes:
  conf, unpro, selfx, proc, contact, threat, harass, groom, sh, bully, exploit) followed
  by ``:L``, ``:M``, ``:H`` or ``:C`` for the severity.
* ``TEXT`` marks entities inline as ``[[span text|LABEL]]`` (full label or short code);
  a literal ``\\n`` stands for a line break (chat transcripts, screenshots).
* ``RATIONALE`` is optional; a generic sentence is written when it is left out.

Blank lines and lines starting with ``#`` are ignored. Offsets are computed here, so
``text[start:end] == entity text`` always holds. Run::

    .venv/bin/python training/data/build.py
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from safeside.taxonomy import CONCERNS

HERE = Path(__file__).resolve().parent

ROLES = {
    "pr": "practitioner",
    "st": "student_sw",
    "pa": "parent",
    "bp": "birth_parent",
    "ca": "carer",
    "ch": "child",
    "yp": "young_person",
    "au": "adult_unknown",
    "co": "colleague",
}
PLATFORMS = {
    "fb": "facebook",
    "x": "x",
    "ig": "instagram",
    "tt": "tiktok",
    "snap": "snapchat",
    "wa": "whatsapp",
    "sms": "sms",
    "forum": "forum",
    "li": "linkedin",
    "blog": "blog_comment",
    "vm": "voicemail",
    "chat": "webchat",
    "dc": "discord",
    "tg": "telegram",
    "game": "game_chat",
}
CONCERN_ORDER = list(CONCERNS)  # taxonomy order (src/safeside/taxonomy.py)
CONCERN_CODES = {
    "conf": "confidentiality",
    "unpro": "unprofessional",
    "selfx": "self_exposure",
    "proc": "proceedings_disclosure",
    "contact": "contact_breach",
    "threat": "threat",
    "harass": "harassment",
    "groom": "grooming",
    "sh": "self_harm",
    "bully": "bullying",
    "exploit": "exploitation",
}
SEVERITIES = {"L": "low", "M": "medium", "H": "high", "C": "critical"}
LABELS = {
    "PER": "PERSON",
    "CH": "CHILD_REF",
    "AGE": "AGE",
    "DATE": "DATE",
    "SCH": "SCHOOL",
    "LOC": "LOCATION",
    "ADDR": "ADDRESS",
    "PHONE": "PHONE",
    "EMAIL": "EMAIL",
    "HANDLE": "HANDLE",
    "CASE": "CASE_REF",
    "GOV": "GOV_ID",
    "ORG": "ORG",
    "HEALTH": "HEALTH",
}
FULL_LABELS = set(LABELS.values())
OWN_ROLES = {"practitioner", "student_sw"}
MARKUP = re.compile(r"\[\[(.+?)\|([A-Z_]+)\]\]")


class SourceError(ValueError):
    """A malformed source line."""


def parse_text(marked: str) -> tuple[str, list[dict]]:
    """Strip ``[[span|LABEL]]`` markup, returning the plain text and its entity spans."""
    marked = marked.replace("\\n", "\n")
    out: list[str] = []
    entities: list[dict] = []
    pos = 0
    length = 0
    for m in MARKUP.finditer(marked):
        before = marked[pos : m.start()]
        out.append(before)
        length += len(before)
        span, label = m.group(1), m.group(2)
        label = LABELS.get(label, label)
        if label not in FULL_LABELS:
            raise SourceError(f"unknown label {label!r}")
        entities.append({"start": length, "end": length + len(span), "label": label, "text": span})
        out.append(span)
        length += len(span)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise SourceError("unbalanced markup")
    return text, entities


def default_rationale(concerns: list[str], entities: list[dict]) -> str:
    if not concerns:
        if entities:
            return "Identifiers appear but nothing here is a concern in context."
        return "Ordinary content with no concern."
    return "Labelled " + " and ".join(c.replace("_", " ") for c in concerns) + " from the content."


def parse_line(line: str) -> dict:
    parts = [p.strip() for p in line.split(" || ")]
    if len(parts) not in (2, 3):
        raise SourceError(f"expected 2 or 3 fields, got {len(parts)}")
    head = parts[0].split()
    if len(head) != 3:
        raise SourceError(f"bad header {parts[0]!r}")
    role = ROLES.get(head[0], head[0])
    platform = PLATFORMS.get(head[1], head[1])
    if role not in ROLES.values():
        raise SourceError(f"unknown role {head[0]!r}")
    if platform not in PLATFORMS.values():
        raise SourceError(f"unknown platform {head[1]!r}")
    if head[2] == "-":
        concerns: list[str] = []
        severity = "none"
    else:
        names, _, sev = head[2].partition(":")
        if sev not in SEVERITIES:
            raise SourceError(f"missing or bad severity in {head[2]!r}")
        severity = SEVERITIES[sev]
        concerns = []
        for c in names.split(","):
            full = CONCERN_CODES.get(c, c)
            if full not in CONCERN_ORDER:
                raise SourceError(f"unknown concern {c!r}")
            concerns.append(full)
        concerns = sorted(set(concerns), key=CONCERN_ORDER.index)
    text, entities = parse_text(parts[1])
    rationale = parts[2] if len(parts) == 3 and parts[2] else ""
    return {
        "mode": "own" if role in OWN_ROLES else "review",
        "platform": platform,
        "author_role": role,
        "text": text,
        "entities": entities,
        "concerns": concerns,
        "severity": severity,
        "rationale": rationale or default_rationale(concerns, entities),
    }


def load_dir(folder: Path) -> list[dict]:
    records = []
    for path in sorted(folder.glob("*.txt")):
        needs_provenance = folder.name == "v2" or folder.name.startswith("blind")
        if needs_provenance and not path.with_suffix(".md").exists():
            print(f"skipping {path.name}: no provenance file yet (batch not finished)")
            continue
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            try:
                records.append(parse_line(line))
            except SourceError as exc:
                raise SourceError(f"{path.name}:{n}: {exc}") from exc
    return records


def build(folder: Path, out: Path, prefix: str, seed: int) -> int:
    records = load_dir(folder)
    seen: set[str] = set()
    for r in records:
        if r["text"] in seen:
            raise SourceError(f"duplicate text in {folder.name}: {r['text'][:60]!r}")
        seen.add(r["text"])
    random.Random(seed).shuffle(records)
    with out.open("w", encoding="utf-8") as fh:
        for i, r in enumerate(records, 1):
            fh.write(json.dumps({"id": f"{prefix}{i:04d}", **r}, ensure_ascii=False) + "\n")
    return len(records)


def tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


def near_duplicates(
    new: list[dict], against: list[dict], threshold: float = 0.5
) -> list[tuple[str, str]]:
    """Pairs whose token Jaccard is at least ``threshold`` (the data protocol's rule)."""
    index: dict[str, list[int]] = {}
    other = [tokens(r["text"]) for r in against]
    for i, toks in enumerate(other):
        for tok in toks:
            index.setdefault(tok, []).append(i)
    found = []
    for r in new:
        mine = tokens(r["text"])
        if not mine:
            continue
        candidates: dict[int, int] = {}
        for tok in mine:
            for i in index.get(tok, ()):
                candidates[i] = candidates.get(i, 0) + 1
        for i, shared in candidates.items():
            union = len(mine) + len(other[i]) - shared
            if union and shared / union >= threshold:
                found.append((r["text"], against[i]["text"]))
                break
    return found


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


#: The blind sets: (source folder, output name, id prefix, shuffle seed). A blind set is
#: never trained on while it is blind; once its errors have been read it is development data.
BLIND_SETS = (
    ("blind", "blind_v1", "b", 1204),
    ("blind_v2", "blind_v2", "b2-", 1205),
    ("blind_v3", "blind_v3", "b3-", 1206),
    ("blind_v4", "blind_v4", "b4-", 1207),
    ("blind_v5", "blind_v5", "b5-", 1208),
    ("blind_v6", "blind_v6", "b6-", 1209),
    ("blind_v7", "blind_v7", "b7-", 1210),
    ("blind_v8", "blind_v8", "b8-", 1211),
    ("blind_v9", "blind_v9", "b9-", 1212),
    ("blind_v10", "blind_v10", "b10-", 1213),
    ("blind_v11", "blind_v11", "b11-", 1214),
    ("blind_v12", "blind_v12", "b12-", 1215),
    ("blind_v13", "blind_v13", "b13-", 1216),
    ("blind_v14", "blind_v14", "b14-", 1217),
    ("blind_v15", "blind_v15", "b15-", 1218),
    ("blind_v16", "blind_v16", "b16-", 1219),
    ("blind_v17", "blind_v17", "b17-", 1220),
    ("blind_v18", "blind_v18", "b18-", 1221),
    ("blind_v19", "blind_v19", "b19-", 1222),
    ("blind_v20", "blind_v20", "b20-", 1223),
    ("blind_v21", "blind_v21", "b21-", 1224),
    ("blind_v22", "blind_v22", "b22-", 1225),
    ("blind_v23", "blind_v23", "b23-", 1226),
)

#: Development sets the encoder and the taggers train on: blind sets v1-v9 from engine
#: v2.14 and v10-v11 from v2.16, whose errors were read in earlier stops. Each is one
#: writer's voice (v1: two writers, kept as one group) in registers the training batches
#: did not name.
TRAINED_SETS = tuple(f"blind_v{n}" for n in range(1, 12))


def main() -> int:
    train = build(HERE / "src" / "train", HERE / "inhouse_train.jsonl", "t", seed=20261122)
    chal = build(HERE / "src" / "challenge", HERE / "inhouse_challenge.jsonl", "c", seed=1122)
    v2 = build(HERE / "src" / "v2", HERE / "v2_train.jsonl", "v", seed=20261204)
    blind = sum(
        build(HERE / folder, HERE / f"{name}.jsonl", prefix, seed=seed)
        for folder, name, prefix, seed in BLIND_SETS
    )
    train_texts = {json.loads(x)["text"] for x in (HERE / "inhouse_train.jsonl").open()}
    chal_texts = {json.loads(x)["text"] for x in (HERE / "inhouse_challenge.jsonl").open()}
    overlap = train_texts & chal_texts
    if overlap:
        raise SourceError(f"{len(overlap)} texts appear in both train and challenge")
    # Training data must not copy any evaluation set (token Jaccard >= 0.5).
    shared_dev = HERE.parents[1].parent / "shared" / "data" / "dev" / "scenarios.jsonl"
    evaluation = [
        r
        for _, name, _, _ in BLIND_SETS
        if name not in TRAINED_SETS
        for r in read_jsonl(HERE / f"{name}.jsonl")
    ]
    evaluation += read_jsonl(HERE / "inhouse_challenge.jsonl")
    evaluation += read_jsonl(shared_dev)
    training = read_jsonl(HERE / "v2_train.jsonl")
    training += [r for name in TRAINED_SETS for r in read_jsonl(HERE / f"{name}.jsonl")]
    clashes = near_duplicates(training, evaluation)
    for mine, theirs in clashes:
        print(f"near-duplicate of an evaluation text, drop or rewrite:\n  {mine!r}\n  {theirs!r}")
    print(f"wrote {train} train, {chal} challenge, {v2} v2 train and {blind} blind records")
    return 1 if clashes else 0


if __name__ == "__main__":
    sys.exit(main())
