"""Evidence bundles: a PDF a manager or court can read, the originals, and a hash manifest.

A bundle is a zip holding ``bundle.pdf``, ``manifest.json`` and ``originals/``.
The manifest lists the SHA-256 of every file and every item; the export's audit
event records a digest of that list, so ``safeside verify --bundle`` can tell
a changed file, a changed manifest, or both changed together.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.audit_log.models import AuditEvent
from safeside.cases.models import Case, Justification, ViewingDecision
from safeside.cases.service import HOW_SEEN, LEGAL_BASES
from safeside.db.base import content_hash, utcnow
from safeside.evidence.models import KIND_TITLES, EvidenceItem
from safeside.pdf import new_pdf
from safeside.taxonomy import CONCERN_TITLES, ENTITY_TITLES

MANIFEST_SCHEMA = "safeside.bundle/1"


@dataclass(frozen=True, slots=True)
class Bundle:
    """The zip's bytes, its suggested file name and the manifest inside it."""

    data: bytes
    filename: str
    manifest: dict[str, Any]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files_digest(files: dict[str, str]) -> str:
    """One hash over the manifest's file list, stored in the export's audit event."""
    return content_hash(dict(files))


#: Characters never kept in a file name inside the zip (separators, Windows-reserved).
_UNSAFE_IN_NAME = set('\\/:*?"<>|')
#: Longest name kept (UTF-8 bytes), well inside every file system's 255-byte limit.
MAX_NAME_BYTES = 150


def safe_file_name(name: str, fallback: str = "file") -> str:
    """``name`` as one safe path part, in any script: ``доказательство.txt`` stays so.

    Only the last part of a path is kept (no ``../``, no folders); control and
    formatting characters (including right-to-left overrides) and characters Windows
    forbids become ``_``; leading dots and trailing dots or spaces go; the name is cut
    to :data:`MAX_NAME_BYTES` keeping its extension.
    """
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(
        "_" if c in _UNSAFE_IN_NAME or unicodedata.category(c).startswith("C") else c for c in name
    )
    name = name.lstrip(". ").rstrip(". ")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, extension = name.rpartition(".")
        if not dot or len(extension) > 10:
            stem, extension = name, ""
        suffix = f".{extension}" if extension else ""
        room = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
        stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
        name = stem + suffix
    return name or fallback


def _original_name(item: EvidenceItem) -> str:
    """The item's path in the zip: ``originals/00012-<its own file name>`` (UTF-8)."""
    fallback = "text.txt" if item.kind == "text" else "capture.bin"
    return f"originals/{item.id:05d}-" + safe_file_name(item.filename or fallback, fallback)


def build_bundle(session: Session, actor: User, case: Case, items: list[EvidenceItem]) -> Bundle:
    """Build the bundle for ``items`` of ``case`` and audit the export."""
    bundle_id = str(uuid.uuid4())
    exported_at = utcnow()
    justifications = {
        j.id: j
        for j in session.scalars(select(Justification).where(Justification.case_id == case.id))
    }
    capture_log = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.case_id == case.id)
            .where(
                AuditEvent.action.in_(
                    (
                        "recorded_justification",
                        "authorised_viewing",
                        "declined_viewing",
                        "captured_evidence",
                        "corrected_evidence",
                        "exported_bundle",
                    )
                )
            )
            .order_by(AuditEvent.id)
        )
    )
    pdf_bytes = render_pdf(case, items, justifications, capture_log, actor, exported_at, bundle_id)
    files = {"bundle.pdf": _sha256(pdf_bytes)}
    for item in items:
        files[_original_name(item)] = item.sha256
    manifest: dict[str, Any] = {
        "schema": MANIFEST_SCHEMA,
        "bundle_id": bundle_id,
        "case": {"id": case.id, "reference": case.reference, "title": case.title},
        "exported_at": exported_at.isoformat(),
        "exported_by": actor.full_name,
        "items": [
            {
                "id": item.id,
                "kind": item.kind,
                "file": _original_name(item),
                "sha256": item.sha256,
                "record_hash": item.record_hash,
                "corrects": item.corrects_id,
            }
            for item in items
        ],
        "files": files,
    }
    event = append_event(
        session,
        "exported_bundle",
        actor=actor,
        case_id=case.id,
        detail={
            "bundle_id": bundle_id,
            "items": [item.id for item in items],
            "files_digest": files_digest(files),
        },
    )
    manifest["audit_event"] = {"id": event.id, "event_hash": event.event_hash}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bundle.pdf", pdf_bytes)
        for item in items:
            archive.writestr(_original_name(item), item.content)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    stamp = exported_at.strftime("%Y%m%d-%H%M")
    return Bundle(buffer.getvalue(), f"{case.reference}-bundle-{stamp}.zip", manifest)


def render_pdf(
    case: Case,
    items: list[EvidenceItem],
    justifications: dict[int, Justification],
    capture_log: list[AuditEvent],
    actor: User,
    exported_at: Any,
    bundle_id: str,
) -> bytes:
    """Cover sheet, index, one section per item, then the capture and justification log."""
    pdf = new_pdf(f"{case.reference} evidence bundle {bundle_id[:8]}")
    heading, para, field = pdf.heading, pdf.para, pdf.field

    pdf.add_page()
    heading("Evidence bundle", 22)
    field("Case", f"{case.reference}: {case.title}")
    field("Exported", f"{exported_at:%d %B %Y at %H:%M UTC} by {actor.full_name}")
    field("Bundle ID", bundle_id)
    field("Items", str(len(items)))
    para(
        "Each item's original file is included in this bundle unchanged, with its SHA-256 "
        "hash. manifest.json lists every file's hash; run `safeside verify --bundle "
        "manifest.json` to check that nothing has changed since export."
    )
    heading("Index", 14)
    for number, item in enumerate(items, start=1):
        label = KIND_TITLES.get(item.kind, item.kind)
        para(
            f"{number}. Item {item.id}: {label}, {item.platform or 'platform not recorded'}, "
            f"captured {item.captured_at:%d %b %Y %H:%M} UTC, severity {item.severity}"
        )

    for number, item in enumerate(items, start=1):
        pdf.add_page()
        heading(f"{number}. Item {item.id}: {KIND_TITLES.get(item.kind, item.kind)}", 16)
        if item.corrects_id:
            field("Correction of", f"item {item.corrects_id}: {item.correction_reason}")
        field("Platform", item.platform)
        field("Address (URL)", item.url)
        field("Author handle", item.author_handle)
        field("Posted", f"{item.posted_at:%d %B %Y %H:%M} UTC" if item.posted_at else "")
        field(
            "Captured", f"{item.captured_at:%d %B %Y %H:%M:%S} UTC by {item.captured_by.full_name}"
        )
        field(
            "Original file",
            f"{item.filename or 'pasted text'} ({item.media_type}, {len(item.content)} bytes)",
        )
        field("SHA-256 of original", item.sha256)
        field("Record hash", item.record_hash)
        justification = justifications.get(item.justification_id)
        if justification is not None:
            field(
                "Why it was viewed",
                f"{justification.purpose} Necessary and proportionate because: "
                f"{justification.necessity} Legal basis: "
                f"{LEGAL_BASES.get(justification.legal_basis, justification.legal_basis)}. "
                f"How seen: {HOW_SEEN.get(justification.how_seen, justification.how_seen)}.",
            )
        source = {
            "pasted": "typed or pasted",
            "ocr": "read from the screenshot by OCR",
            "file": "the uploaded file",
            "corrected": "corrected by hand",
            "none": "none",
        }
        field("Text", f"(source: {source.get(item.text_source, item.text_source)})")
        para(item.text or "No text.", 11)
        analysis = item.analysis
        if analysis:
            field("Safeside's assessment", f"Severity: {analysis.get('severity', 'none')}")
            for concern in analysis.get("concerns", []):
                quotes = "; ".join(f"\u201c{e['text']}\u201d" for e in concern.get("evidence", []))
                para(
                    f"- {CONCERN_TITLES.get(concern['label'], concern['label'])}: "
                    f"{concern.get('explanation', '')} Highlighted: {quotes or 'none'}"
                )
            entities = analysis.get("entities", [])
            if entities:
                para(
                    "Highlighted details: "
                    + "; ".join(
                        f"\u201c{e['text']}\u201d ({ENTITY_TITLES.get(e['label'], e['label'])})"
                        for e in entities
                    )
                )

    pdf.add_page()
    heading("Capture and justification log", 16)
    for event in capture_log:
        para(
            f"{event.at:%d %b %Y %H:%M:%S} UTC  {event.actor_name or 'System'}: "
            f"{event.action.replace('_', ' ')}"
            + (f" ({event.record_type} {event.record_id})" if event.record_type else "")
            + f"  event hash {event.event_hash[:16]}",
            9,
        )
    decided = [d for j in justifications.values() for d in j.decisions]
    for decision in decided:
        para(_decision_line(decision), 9)
    return bytes(pdf.output())


def _decision_line(decision: ViewingDecision) -> str:
    verdict = "authorised" if decision.authorised else "declined"
    return (
        f"Repeat viewing {verdict} by {decision.decided_by.full_name} on "
        f"{decision.decided_at:%d %b %Y %H:%M} UTC: {decision.note}"
    )
