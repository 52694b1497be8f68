"""What a batch job writes: one Parquet row per post, atomic files, salted author ids.

Row columns (``--research`` drops those marked *):

=============== ==============================================================
source*         the input as given (file, folder or archive)
entry*          the file inside a folder or archive, when there is one
record*         the record's index in its input (the partition's range is over it)
platform        twitter, facebook, jsonl … or the record's own ``platform`` field
post_id*        the platform's id for the post
author_id*      HMAC-SHA256 of the author with the job's salt (16 hex digits)
time*           when it was posted (UTC)
month           ``YYYY-MM`` in the job's timezone
mode            own or review
severity        the document's severity (none … critical); ``severity_rank`` 0-4
chars           length of the text
concerns        label, confidence, severity, certainty, detectors, cue families,
                and evidence spans* (start, end)
entities        label, detector, score and offsets* (start, end)
text            only with ``--keep-text``
=============== ==============================================================

No other free text is kept: explanations and evidence snippets are derived from the
post, so they are left out; cue families are the playbook's cue descriptions with any
quoted words cut off.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import uuid
from collections.abc import Iterable
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from safeside.engine.results import Analysis
from safeside.ingest.post import Post

SALT_FILE = "salt"


# -- atomic files ----------------------------------------------------------------------------


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp(path)
    try:
        with tmp.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json_atomic(path: Path, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    write_atomic(path, text.encode("utf-8"))


def write_lines_atomic(path: Path, records: Iterable[dict[str, Any]]) -> None:
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    write_atomic(path, text.encode("utf-8"))


def write_parquet_atomic(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp(path)
    try:
        pq.write_table(table, tmp, compression="zstd")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def remove_leftovers(folder: Path) -> int:
    """Delete temporary files a killed job left behind; returns how many."""
    removed = 0
    if folder.is_dir():
        for tmp in folder.rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


# -- salt and author ids ---------------------------------------------------------------------


def load_salt(out: Path, given: str | None) -> bytes:
    """The salt for author ids: ``given``, else ``out/salt``, else a new random one saved there.

    The salt never goes into any output; keep ``out/salt`` private (or pass ``--salt`` and
    keep it yourself) — with it, anyone could test whether a known handle is in the data.
    """
    if given:
        return given.encode("utf-8")
    path = out / SALT_FILE
    if path.exists():
        return path.read_bytes().strip()
    salt = secrets.token_hex(32).encode("ascii")
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as stream:
        stream.write(salt + b"\n")
    return salt


def salt_check(salt: bytes) -> str:
    """A value that tells whether two runs used the same salt, without revealing it."""
    return hmac.new(salt, b"safeside.batch salt check", hashlib.sha256).hexdigest()[:16]


def author_hash(salt: bytes, author: str) -> str:
    return hmac.new(salt, author.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


# -- rows ------------------------------------------------------------------------------------

_QUOTED = re.compile(r" \(|; |: ['\"‘“]|['\"‘“]")


def cue_family(cue: str) -> str:
    """A cue description without anything quoted from the post ("identifies: person")."""
    return _QUOTED.split(cue, maxsplit=1)[0].strip()[:80]


_SPAN = pa.struct([("start", pa.int32()), ("end", pa.int32())])


def schema(*, keep_text: bool, research: bool) -> pa.Schema:
    """The Parquet schema of a job's rows."""
    concern: list[tuple[str, pa.DataType]] = [
        ("label", pa.string()),
        ("confidence", pa.float64()),
        ("severity", pa.string()),
        ("certainty", pa.string()),
        ("detectors", pa.list_(pa.string())),
        ("cues", pa.list_(pa.string())),
    ]
    entity: list[tuple[str, pa.DataType]] = [
        ("label", pa.string()),
        ("detector", pa.string()),
        ("score", pa.float64()),
    ]
    fields: list[tuple[str, pa.DataType]] = []
    if not research:
        concern.append(("spans", pa.list_(_SPAN)))
        entity += [("start", pa.int32()), ("end", pa.int32())]
        fields += [
            ("source", pa.string()),
            ("entry", pa.string()),
            ("record", pa.int64()),
        ]
    fields.append(("platform", pa.string()))
    if not research:
        fields += [
            ("post_id", pa.string()),
            ("author_id", pa.string()),
            ("time", pa.timestamp("us", tz="UTC")),
        ]
    fields += [
        ("month", pa.string()),
        ("mode", pa.string()),
        ("severity", pa.string()),
        ("severity_rank", pa.int8()),
        ("chars", pa.int32()),
        ("concerns", pa.list_(pa.struct(concern))),
        ("entities", pa.list_(pa.struct(entity))),
    ]
    if keep_text:
        fields.append(("text", pa.string()))
    return pa.schema(fields)


def month_of(post: Post, zone: tzinfo) -> str | None:
    return post.timestamp.astimezone(zone).strftime("%Y-%m") if post.timestamp else None


def row(
    post: Post,
    analysis: Analysis,
    *,
    source: str,
    record: int,
    author_id: str | None,
    zone: tzinfo,
    keep_text: bool,
    research: bool,
) -> dict[str, Any]:
    """One post's row (see the module docstring)."""
    concerns = []
    for c in analysis.concerns:
        item: dict[str, Any] = {
            "label": c.label,
            "confidence": round(float(c.confidence), 3),
            "severity": c.severity.label,
            "certainty": c.certainty,
            "detectors": list(c.detectors),
            "cues": sorted({cue_family(e.cue) for e in c.evidence}),
        }
        if not research:
            item["spans"] = [{"start": e.start, "end": e.end} for e in c.evidence]
        concerns.append(item)
    entities = []
    for e in analysis.entities:
        ent: dict[str, Any] = {
            "label": e.label,
            "detector": e.detector,
            "score": round(float(e.score), 3),
        }
        if not research:
            ent["start"], ent["end"] = e.start, e.end
        entities.append(ent)
    out: dict[str, Any] = {
        "platform": post.platform,
        "month": month_of(post, zone),
        "mode": analysis.mode,
        "severity": analysis.severity.label,
        "severity_rank": int(analysis.severity),
        "chars": len(post.text),
        "concerns": concerns,
        "entities": entities,
    }
    if not research:
        inside = post.source.file if post.source.archive or post.source.file != source else None
        out.update(
            source=source,
            entry=inside,
            record=record,
            post_id=post.id,
            author_id=author_id,
            time=post.timestamp.astimezone(UTC) if post.timestamp else None,
        )
    if keep_text:
        out["text"] = post.text
    return out


def table(rows: list[dict[str, Any]], *, keep_text: bool, research: bool) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema(keep_text=keep_text, research=research))
