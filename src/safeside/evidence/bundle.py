"""Evidence bundles: a PDF a manager or court can read, the originals, and a signed manifest.

A bundle is a zip holding ``bundle.pdf``, ``originals/``, ``README.txt`` (what is in
it and how to check it), ``verify_bundle.py`` (a standalone checker: Python's standard
library, plus ``cryptography`` if installed), ``manifest.json`` and ``manifest.sig``.

The manifest lists the SHA-256 of every other file and every item, and holds a signed
checkpoint of the audit chain's head at export. ``manifest.sig`` is the organisation's
Ed25519 signature of the manifest's exact bytes, so any changed byte in any file or in
the manifest is caught without Safeside or its database. The export's audit event also
records a digest of the file list, for ``safeside verify --bundle`` with the database.
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
from datetime import datetime
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.checkpoint import Anchor, request_checkpoint
from safeside.audit_log.log import append_event
from safeside.audit_log.models import AuditEvent
from safeside.cases.models import Case, Justification
from safeside.db.base import content_hash, utcnow
from safeside.db.session import outside_transaction
from safeside.evidence.bundle_pdf import render_pdf
from safeside.evidence.bundle_verifier import SCHEMA, signature_file
from safeside.evidence.marks import MarkedScreenshot, mark_screenshot
from safeside.evidence.models import EvidenceItem

MANIFEST_SCHEMA = SCHEMA
#: The standalone checker, shipped in every bundle as ``verify_bundle.py``.
VERIFIER_NAME = "verify_bundle.py"


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


def original_name(item: EvidenceItem) -> str:
    """The item's path in the zip: ``originals/00012-<its own file name>`` (UTF-8)."""
    fallback = "text.txt" if item.kind == "text" else "capture.bin"
    return f"originals/{item.id:05d}-" + safe_file_name(item.filename or fallback, fallback)


def screenshot_marks(items: list[EvidenceItem]) -> dict[int, MarkedScreenshot | None]:
    """Each screenshot's flags with their boxes on the image (None: not an image)."""
    return {
        item.id: mark_screenshot(item.content, item.text, item.analysis, media_type=item.media_type)
        for item in items
        if item.kind == "screenshot"
    }


def verifier_source() -> bytes:
    """The standalone verifier's source, as shipped in bundles."""
    return resources.files("safeside.evidence").joinpath("bundle_verifier.py").read_bytes()


def build_bundle(
    session: Session,
    actor: User | None,
    case: Case,
    items: list[EvidenceItem],
    anchor: Anchor,
) -> Bundle:
    """Build, sign and audit the bundle for ``items`` of ``case``.

    Args:
        actor: who exports (None: the ``safeside bundle`` command, audited as the system).
        anchor: the organisation key and checkpoint sinks; a checkpoint is written when
            the caller's transaction commits.
    """
    # Reading the screenshots' words takes a second each: do it before writing anything,
    # with no transaction open when the caller has written nothing yet.
    marks = outside_transaction(session, lambda: screenshot_marks(items))
    bundle_id = str(uuid.uuid4())
    exported_at = utcnow()
    exported_by = actor.full_name if actor else "the safeside bundle command"
    anchor.register_key(session)
    checkpoint = anchor.signed(session, "bundle export", records=False)
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
    key = anchor.key
    pdf_bytes = render_pdf(
        case,
        items,
        justifications,
        capture_log,
        exported_by,
        exported_at,
        bundle_id,
        checkpoint=checkpoint,
        marks=marks,
    )
    readme = render_readme(case, items, exported_by, exported_at, bundle_id, checkpoint)
    verifier = verifier_source()
    files = {
        "bundle.pdf": _sha256(pdf_bytes),
        "README.txt": _sha256(readme),
        VERIFIER_NAME: _sha256(verifier),
    }
    for item in items:
        files[original_name(item)] = item.sha256
    event = append_event(
        session,
        "exported_bundle",
        actor=actor,
        case_id=case.id,
        team_id=None if actor else case.team_id,
        detail={
            "bundle_id": bundle_id,
            "items": [item.id for item in items],
            "files_digest": files_digest(files),
            "checkpoint_event": checkpoint["head"]["event_id"],
            "key_id": key.key_id,
        },
    )
    manifest: dict[str, Any] = {
        "schema": MANIFEST_SCHEMA,
        "bundle_id": bundle_id,
        "organisation": anchor.organisation,
        "case": {"id": case.id, "reference": case.reference, "title": case.title},
        "exported_at": exported_at.isoformat(),
        "exported_by": exported_by,
        "items": [
            {
                "id": item.id,
                "kind": item.kind,
                "file": original_name(item),
                "sha256": item.sha256,
                "record_hash": item.record_hash,
                "corrects": item.corrects_id,
            }
            for item in items
        ],
        "files": files,
        "checkpoint": checkpoint,
        "audit_event": {"id": event.id, "event_hash": event.event_hash},
        "signing_key": {"algorithm": "ed25519", "key_id": key.key_id, "public_key": key.public_key},
    }
    manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    signature = signature_file(key.key_id, key.public_key, key.sign(manifest_bytes))
    request_checkpoint(session, "bundle export")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bundle.pdf", pdf_bytes)
        for item in items:
            archive.writestr(original_name(item), item.content)
        archive.writestr("README.txt", readme)
        archive.writestr(VERIFIER_NAME, verifier)
        archive.writestr("manifest.json", manifest_bytes)
        archive.writestr("manifest.sig", signature)
    stamp = exported_at.strftime("%Y%m%d-%H%M")
    return Bundle(buffer.getvalue(), f"{case.reference}-bundle-{stamp}.zip", manifest)


def render_readme(
    case: Case,
    items: list[EvidenceItem],
    exported_by: str,
    exported_at: datetime,
    bundle_id: str,
    checkpoint: dict[str, Any],
) -> bytes:
    """README.txt: what is in the bundle, and what a recipient runs to check it."""
    head = checkpoint["head"]
    text = f"""Evidence bundle {bundle_id}
Case: {case.reference}: {case.title}
Exported: {exported_at:%d %B %Y at %H:%M} UTC by {exported_by}
Organisation: {checkpoint.get("organisation") or "not recorded"}
Items: {len(items)}

WHAT IS IN THIS BUNDLE

  bundle.pdf        the evidence, readable and printable: one section per item
  originals/        each captured file exactly as received
  README.txt        this file
  verify_bundle.py  checks the bundle (see below)
  manifest.json     the SHA-256 of every file above, and a checkpoint of the audit log
  manifest.sig      the organisation's Ed25519 signature of manifest.json

HOW TO CHECK IT (WHAT A RECIPIENT RUNS)

  You need Python 3.9 or later and nothing else (if the "cryptography" package is
  installed it is used to check the signature; otherwise a built-in verifier is).

  In the unzipped folder:      python3 verify_bundle.py
  Or on the zip itself:        python3 verify_bundle.py THE-BUNDLE.zip

  It must end with "OK". Any changed, missing or added file, and any change at all to
  manifest.json, makes it fail and name the file.

  A signature says who signed only if you know their key. This bundle was signed with:

    key id      {checkpoint["key_id"]}
    public key  {checkpoint["public_key"]}  (Ed25519, base64)

  Ask the organisation to confirm the key id (it is the same in every bundle they sign
  until they change keys), then check against it:

    python3 verify_bundle.py --key {checkpoint["key_id"]}

  Whoever can change this bundle can also change this script. In a dispute, use a copy
  of verify_bundle.py you trust (from an earlier bundle, or Safeside's own:
  safeside verify --bundle THE-BUNDLE.zip --key {checkpoint["key_id"]}).

THE AUDIT LOG AT EXPORT

  When this bundle was made, the organisation's audit log ended at:

    event {head["event_id"]}, hash {head["event_hash"]}

  This is a signed checkpoint (in manifest.json). Later, the organisation can show that
  its audit log still holds this event with this hash, and every record counted at the
  time, by running:  safeside verify --checkpoint THE-BUNDLE.zip
"""
    return text.encode("utf-8")
