"""Checking an exported bundle: on its own (signature, every file), and against the database.

The checks that need nothing but the bundle live in :mod:`safeside.evidence.bundle_verifier`,
which is also shipped inside every bundle as ``verify_bundle.py``. With a database session,
each item is also checked against its stored record, and the file list against the digest
recorded in the export's audit event.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.audit_log.keys import PublicKey
from safeside.audit_log.models import AuditEvent
from safeside.audit_log.verify import Problem, Report
from safeside.evidence import bundle_verifier
from safeside.evidence.bundle import files_digest
from safeside.evidence.models import EvidenceItem


def verify_bundle(
    path: Path,
    session: Session | None = None,
    *,
    trusted: Mapping[str, PublicKey] | None = None,
    pin: str | None = None,
) -> Report:
    """Check the bundle at ``path`` (a zip, its folder or its ``manifest.json``).

    Args:
        session: also check against the database (never needed, never created).
        trusted: the organisation's public keys; the manifest must be signed by one.
            None accepts the key the bundle carries and adds a note saying so.
        pin: a key id or public key the bundle must be signed with.
    """
    keys = None if trusted is None else {k: v.public_key for k, v in trusted.items()}
    result = bundle_verifier.verify_bundle(path, keys, pin, allow_unsigned=session is not None)
    report = Report(records=result.evidence_files)
    report.problems = [_problem(str(f.where), f.message) for f in result.problems]
    report.notes = list(result.notes)
    manifest = result.manifest
    if session is None or manifest is None:
        return report
    files = manifest.get("files", {})
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
    elif manifest.get("audit_event", {}).get("event_hash") not in (None, event.event_hash):
        report.problems.append(
            Problem("manifest", None, f"names audit event {event.id} with a different hash")
        )
    return report


def _problem(where: str, message: str) -> Problem:
    return Problem(where, None, message)
