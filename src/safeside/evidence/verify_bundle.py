"""Checking an exported bundle against its manifest, and against the database if given."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.audit_log.models import AuditEvent
from safeside.audit_log.verify import Problem, Report
from safeside.evidence.bundle import MANIFEST_SCHEMA, files_digest
from safeside.evidence.models import EvidenceItem


def verify_bundle(manifest_path: Path, session: Session | None = None) -> Report:
    """Recompute each file's SHA-256 beside ``manifest_path`` and compare.

    With a ``session``, also check each item against the stored record and the
    manifest's file list against the digest in the export's audit event.
    """
    report = Report()
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        report.problems.append(Problem("manifest", None, f"cannot be read ({error})"))
        return report
    if manifest.get("schema") != MANIFEST_SCHEMA:
        report.problems.append(Problem("manifest", None, "is not a Safeside bundle manifest"))
        return report
    folder = manifest_path.parent
    files: dict[str, str] = manifest.get("files", {})
    for name, expected in files.items():
        path = (folder / name).resolve()
        if folder.resolve() not in path.parents:
            report.problems.append(Problem(name, None, "points outside the bundle"))
            continue
        if not path.exists():
            report.problems.append(Problem(name, None, "is missing from the bundle"))
            continue
        report.records += 1
        if hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            report.problems.append(
                Problem(name, None, "was altered (SHA-256 differs from the manifest)")
            )
    for entry in manifest.get("items", []):
        if files.get(entry.get("file", "")) != entry.get("sha256"):
            report.problems.append(
                Problem(
                    "item",
                    entry.get("id"),
                    "hash in the manifest's item list differs from its file list",
                )
            )
    if session is None:
        return report
    for entry in manifest.get("items", []):
        item = session.get(EvidenceItem, entry.get("id"))
        if item is None:
            report.problems.append(
                Problem("evidence_items", entry.get("id"), "is no longer in the database")
            )
        elif item.sha256 != entry.get("sha256") or item.record_hash != entry.get("record_hash"):
            report.problems.append(
                Problem(
                    "evidence_items", item.id, "differs from the bundle (record or file changed)"
                )
            )
    event_id = manifest.get("audit_event", {}).get("id")
    event = session.get(AuditEvent, event_id) if isinstance(event_id, int) else None
    if event is None or event.action != "exported_bundle":
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "exported_bundle")
            .where(AuditEvent.detail_json.contains(str(manifest.get("bundle_id", "-"))))
        ).first()
    if event is None:
        report.problems.append(Problem("manifest", None, "has no matching export in the audit log"))
    elif event.detail.get("files_digest") != files_digest(files):
        report.problems.append(
            Problem(
                "manifest",
                None,
                f"file list differs from the one recorded at export (audit event {event.id})",
            )
        )
    return report
