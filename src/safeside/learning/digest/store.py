"""Digests kept in Safeside: built from an uploaded export, checked, saved for CPD.

The web app's :data:`~safeside.check.Check` is injected, and the safety check is
:meth:`Digest.flags` through it: the same texts and reasons as the CLI's.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.check import Check
from safeside.errors import InputError
from safeside.ingest import ReadOptions, read_posts
from safeside.learning.cpd.models import LearningDigest
from safeside.learning.digest.build import build_digest
from safeside.learning.digest.model import Digest


def digest_upload(content: bytes, filename: str, hashtag: str | None) -> tuple[Digest, list[str]]:
    """Read an uploaded export and digest it; also the import's summary lines.

    Raises:
        InputError (or another SafesideError): the file cannot be read, or holds no
            posts, or no thread uses ``hashtag``; the message says which.
    """
    name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(filename).name) or "upload"
    with tempfile.TemporaryDirectory(prefix="safeside-digest-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        posts, report = read_posts(path, options=ReadOptions(hint=name.lower()))
    summary = report.summary_lines()
    if not posts:
        detail = f" ({report.problems[0].message})" if report.problems else ""
        raise InputError(f"{filename}: no posts could be read from this file{detail}")
    digest = build_digest(posts, hashtag=hashtag)
    if not digest.posts:
        raise InputError(f"{filename}: no threads use #{(hashtag or '').lstrip('#')}")
    return digest, summary


def check_digest(digest: Digest, check: Check) -> list[dict[str, object]]:
    """Own-mode check of every text an export of ``digest`` holds: the flagged ones."""
    return [flag.to_dict() for flag in digest.flags(check)]


def save_digest(
    session: Session, owner: User, digest: Digest, source_name: str, check: Check
) -> LearningDigest:
    """Check ``digest`` and keep it for ``owner`` (audited)."""
    flags = check_digest(digest, check)
    draft = digest.cpd_draft()
    saved = LearningDigest(
        owner_id=owner.id,
        title=digest.title[:300],
        source_name=source_name[:300],
        hashtag=(digest.hashtag or "")[:100],
        posts=len(digest.posts),
        safe_to_share=not flags,
        digest_json=json.dumps(digest.to_dict(), ensure_ascii=False),
        cpd_draft_json=json.dumps(draft, ensure_ascii=False),
        flags_json=json.dumps(flags, ensure_ascii=False),
    )
    session.add(saved)
    session.flush()
    append_event(
        session,
        "created_digest",
        actor=owner,
        detail={"digest": saved.id, "posts": saved.posts, "flags": len(flags)},
    )
    return saved


def digests_for(session: Session, owner: User) -> list[LearningDigest]:
    query = select(LearningDigest).where(LearningDigest.owner_id == owner.id)
    return list(session.scalars(query.order_by(LearningDigest.id.desc())))
