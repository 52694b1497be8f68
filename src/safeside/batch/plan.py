"""Deterministic partitions: by input and record range, named so that a rerun finds them.

A partition is records ``start`` to ``stop`` of one source; its name,
``s00003-r0000012000``, is the source's number and the first record. A job's settings
and inputs are written to ``RESULTS/job.json``; starting the same job again (same
inputs, same settings) skips every partition whose state file is there, and starting a
different job in the same folder is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any

from safeside.batch.engine import EngineFactory
from safeside.batch.inputs import Source, count_csv, parquet_rows, scan_jsonl
from safeside.engine.results import SCHEMA_VERSION
from safeside.errors import InputError

JOB_SCHEMA = "safeside.batch/1"
DEFAULT_PARTITION = 1000

POSTS_DIR = "posts"
ERRORS_DIR = "errors"
STATE_DIR = "_state"
EXTRA_DIR = "extra"


@dataclass(frozen=True, slots=True)
class JobSpec:
    """Everything a worker needs for any partition of a job (small; sent with each task)."""

    out: str
    mode: str
    keep_text: bool
    research: bool
    salt: bytes
    timezone: tzinfo
    engine: EngineFactory
    partition_size: int = DEFAULT_PARTITION
    format: str | None = None
    #: makes a per-partition hook (the footprint audit keeps its findings this way)
    hook: Callable[[], Any] | None = None

    @property
    def root(self) -> Path:
        return Path(self.out)


@dataclass(frozen=True, slots=True)
class PartitionSpec:
    """Records ``start`` to ``stop`` of source number ``number``."""

    number: int
    source: Source
    start: int
    stop: int
    #: byte offset of record ``start`` (JSON Lines)
    offset: int = 0
    #: whether this is the source's last partition (it reports file-wide problems)
    last: bool = True

    @property
    def name(self) -> str:
        return partition_name(self.number, self.start)

    def paths(self, root: Path) -> dict[str, Path]:
        return {
            "posts": root / POSTS_DIR / f"{self.name}.parquet",
            "errors": root / ERRORS_DIR / f"{self.name}.jsonl",
            "state": root / STATE_DIR / f"{self.name}.json",
            "extra": root / EXTRA_DIR / f"{self.name}.jsonl",
        }


def partition_name(number: int, start: int) -> str:
    return f"s{number:05d}-r{start:010d}"


def tabular_partitions(number: int, source: Source, size: int) -> list[PartitionSpec]:
    """The partitions of a JSON Lines, CSV or Parquet file (one pass to count records)."""
    offsets: list[int] | None = None
    if source.kind == "jsonl":
        total, offsets = scan_jsonl(source.path, size)
    elif source.kind == "csv":
        total = count_csv(source)
    else:
        total = parquet_rows(source.path)
    specs = []
    for k, start in enumerate(range(0, max(total, 1), size)):
        stop = min(start + size, total)
        specs.append(
            PartitionSpec(
                number=number,
                source=source,
                start=start,
                stop=stop,
                offset=offsets[k] if offsets else 0,
                last=stop >= total,
            )
        )
    return specs


def job_fingerprint(job: JobSpec, sources: list[Source], salt_check: str) -> dict[str, Any]:
    """What must match for a rerun to reuse finished partitions."""
    return {
        "schema": JOB_SCHEMA,
        "analysis_schema": SCHEMA_VERSION,
        "inputs": [s.fingerprint() for s in sources],
        "mode": job.mode,
        "keep_text": job.keep_text,
        "research": job.research,
        "partition_size": job.partition_size,
        "timezone": str(job.timezone),
        "format": job.format,
        "engine": {
            "config": job.engine.config,
            "target": job.engine.target,
            "explain": job.engine.explain,
        },
        "hook": _hook_name(job.hook),
        "salt_check": salt_check,
    }


def _hook_name(hook: Callable[[], Any] | None) -> str | None:
    if hook is None:
        return None
    kind = type(hook)
    return f"{kind.__module__}.{kind.__qualname__}:{hook!r}"


def check_or_write_job(root: Path, fingerprint: dict[str, Any]) -> bool:
    """Record the job in ``root/job.json``; True if the same job was started there before.

    Raises :class:`InputError` if ``root`` holds a different job.
    """
    path = root / "job.json"
    if path.exists():
        try:
            before = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = None
        if before != fingerprint:
            changed = sorted(
                k
                for k in fingerprint
                if not isinstance(before, dict) or before.get(k) != fingerprint[k]
            )
            raise InputError(
                f"{root} holds results of a different job (changed: {', '.join(changed)}); "
                "use another --out folder, or delete this one to start again"
            )
        return True
    from safeside.batch.outputs import write_json_atomic

    write_json_atomic(path, fingerprint)
    return False
