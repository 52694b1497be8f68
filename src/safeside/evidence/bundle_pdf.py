"""The evidence bundle's PDF, laid out as a court bundle.

* A **cover page**: the case, the bundle id, the organisation's signing key (its id and
  the SHA-256 fingerprint of the public key), the audit log's head at export, how to
  check the bundle, and an index of exhibits with the page each starts on.
* **One exhibit per page** (an exhibit runs on to further pages when it is long),
  numbered from the initials of the person who captured it, as a witness exhibits what
  they produce: Sam Patel's captures are SP/1, SP/2, … A screenshot's exhibit shows the
  original image with each flagged passage boxed in red and numbered (see
  :mod:`safeside.evidence.marks`), the flags explained below it, then the **capture
  statement**: who captured it, when (UK time, with UTC), from where (platform, web
  address, author), why (the viewing justification and its id), the original file's
  name, size and SHA-256, and the record's hash.
* The **capture and justification log**.

Times are shown in UK time (Europe/London, GMT or BST as it was) with UTC beside them.
Every long value (hashes, web addresses, justifications) wraps inside the margins, and
every page says "Page x of y".
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from safeside.audit_log.models import AuditEvent
from safeside.cases.models import Case, Justification, ViewingDecision
from safeside.cases.service import HOW_SEEN, LEGAL_BASES
from safeside.engine.results import Concern
from safeside.evidence.marks import Flag, MarkedScreenshot, badge_tops, flags_of, image_size
from safeside.evidence.models import KIND_TITLES, EvidenceItem
from safeside.pdf import DocumentPdf, new_pdf
from safeside.taxonomy import CONCERN_TITLES, ENTITY_TITLES
from safeside.uktime import UK

log = logging.getLogger("safeside.evidence")

#: Flag boxes and their number badges (GOV.UK red).
RED = (212, 53, 28)
#: The thin frame round an embedded image.
FRAME = (177, 180, 182)
#: The tallest an exhibit's image is drawn, in millimetres, leaving room below it.
IMAGE_MAX_HEIGHT = 150.0
#: The side of a flag's number badge, in millimetres.
BADGE = 4.5
TEXT_SOURCES = {
    "pasted": "typed or pasted by the practitioner",
    "ocr": "read from the screenshot by OCR (check it against the image)",
    "file": "the uploaded file",
    "corrected": "corrected by hand",
    "none": "none",
}


def initials(name: str) -> str:
    """``Sam Patel`` → ``SP``: the first letter of each part of a name, in capitals."""
    letters = [part[0] for part in (re.sub(r"[\W\d_]", "", p) for p in name.split()) if part]
    return "".join(letters).upper() or "EX"


def exhibit_labels(items: Iterable[EvidenceItem]) -> dict[int, str]:
    """Each item's exhibit number: the capturer's initials and a count, ``SP/1``, ``SP/2``.

    Two people with the same initials are told apart by more letters of their surname
    (``SPa/1``, ``SPr/1``), or by their user id when even that is not enough.
    """
    items = list(items)
    prefixes: dict[int, str] = {}
    owners: dict[str, int] = {}
    for item in items:
        user = item.captured_by
        if user.id in prefixes:
            continue
        prefix = initials(user.full_name)
        if prefix in owners:
            surname = re.sub(r"[\W\d_]", "", (user.full_name.split() or [""])[-1])
            candidates = [prefix + surname[1:end].lower() for end in range(2, len(surname) + 1)]
            prefix = next((c for c in candidates if c not in owners), f"{prefix}{user.id}")
        prefixes[user.id] = prefix
        owners[prefix] = user.id
    counts: Counter[str] = Counter()
    labels = {}
    for item in items:
        prefix = prefixes[item.captured_by.id]
        counts[prefix] += 1
        labels[item.id] = f"{prefix}/{counts[prefix]}"
    return labels


def uk_time(value: datetime, *, seconds: bool = True, weekday: bool = True) -> str:
    """``Friday 4 December 2026 at 20:48:12 GMT (20:48:12 UTC)``: UK time, then UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local, utc = value.astimezone(UK), value.astimezone(UTC)
    clock = "%H:%M:%S" if seconds else "%H:%M"
    day = ("%A " if weekday else "") + "%-d %B %Y"
    text = f"{local.strftime(f'{day} at {clock}')} {local.tzname()}"
    if local.utcoffset():
        day = "" if utc.date() == local.date() else utc.strftime(" on %-d %B %Y")
        text += f" ({utc.strftime(clock)} UTC{day})"
    return text


def key_fingerprint(public_key: str) -> str:
    """The SHA-256 of the raw Ed25519 public key (its first 16 digits are the key id)."""
    return hashlib.sha256(base64.b64decode(public_key)).hexdigest()


def render_pdf(
    case: Case,
    items: list[EvidenceItem],
    justifications: dict[int, Justification],
    capture_log: list[AuditEvent],
    exported_by: str,
    exported_at: datetime,
    bundle_id: str,
    *,
    checkpoint: dict[str, Any],
    marks: Mapping[int, MarkedScreenshot | None] | None = None,
) -> bytes:
    """Cover page and index, one exhibit per page, then the capture and justification log.

    ``marks`` holds each screenshot's flags with their boxes on the image
    (:func:`safeside.evidence.marks.mark_screenshot`); a screenshot missing from it is
    shown without boxes.
    """
    document = _Bundle(
        case,
        items,
        justifications,
        capture_log,
        exported_by,
        exported_at,
        bundle_id,
        checkpoint,
        marks or {},
        exhibit_labels(items),
    )
    for _ in range(3):  # the index names each exhibit's page: lay out until it is stable
        data = document.render()
        if document.starts == document.pages:
            break
        document = replace(document, pages=document.starts)
    return data


@dataclass
class _Bundle:
    """One layout of the bundle; ``pages`` is the page each exhibit began on in the
    previous layout (for the index), ``starts`` where it begins in this one."""

    case: Case
    items: list[EvidenceItem]
    justifications: dict[int, Justification]
    capture_log: list[AuditEvent]
    exported_by: str
    exported_at: datetime
    bundle_id: str
    checkpoint: dict[str, Any]
    marks: Mapping[int, MarkedScreenshot | None]
    labels: dict[int, str]
    pages: dict[int, int] = field(default_factory=dict)
    starts: dict[int, int] = field(init=False, default_factory=dict)
    pdf: DocumentPdf = field(init=False)

    def __post_init__(self) -> None:
        self.pdf = new_pdf(f"Case {self.case.reference} · Evidence bundle {self.bundle_id}")

    def render(self) -> bytes:
        self.cover()
        for item in self.items:
            self.exhibit(item)
        self.log()
        return bytes(self.pdf.output())

    # --- cover ------------------------------------------------------------------------

    def cover(self) -> None:
        pdf, case, checkpoint = self.pdf, self.case, self.checkpoint
        head = checkpoint["head"]
        pdf.add_page()
        pdf.heading("Evidence bundle", 22)
        pdf.para(f"Case {case.reference}: {case.title}", 12)
        pdf.ln(2)
        pdf.row("Case reference", case.reference)
        pdf.row("Case", case.title)
        pdf.row("Bundle ID", self.bundle_id, mono=True)
        pdf.row("Organisation", checkpoint.get("organisation") or "")
        pdf.row("Exported", f"{uk_time(self.exported_at)} by {self.exported_by}")
        pdf.row("Exhibits", str(len(self.items)))
        pdf.row("Signing key id", checkpoint["key_id"], mono=True)
        pdf.row(
            "Public key fingerprint (SHA-256)",
            key_fingerprint(checkpoint["public_key"]),
            mono=True,
        )
        pdf.row("Public key (Ed25519, base64)", checkpoint["public_key"], mono=True)
        pdf.row("Audit log head at export", f"event {head['event_id']}")
        pdf.row("Audit head hash", head["event_hash"], mono=True)
        pdf.ln(2)
        pdf.para(
            "Each exhibit's original file is in this bundle's originals/ folder, unchanged, "
            "with its SHA-256 hash. manifest.json lists every file's hash and the signed "
            "checkpoint of the audit log above, and is signed with the organisation's key "
            "(manifest.sig). To check that nothing has changed since export, run "
            "python3 verify_bundle.py in the unzipped bundle (README.txt explains), and "
            "confirm the key id or fingerprint with the organisation."
        )
        pdf.para(
            "Exhibits are numbered with the initials of the person who captured them. "
            "Times are UK time (GMT or BST), with UTC in brackets when they differ."
        )
        pdf.heading("Index of exhibits", 14)
        for item in self.items:
            page = self.pages.get(item.id)
            pdf.row(
                self.labels[item.id],
                f"{KIND_TITLES.get(item.kind, item.kind)}, "
                f"{item.platform or 'platform not recorded'}, captured "
                f"{uk_time(item.captured_at, seconds=False, weekday=False)} by "
                f"{item.captured_by.full_name}; severity {item.severity}"
                + (f"; page {page}" if page else ""),
            )

    # --- exhibits ---------------------------------------------------------------------

    def exhibit(self, item: EvidenceItem) -> None:
        pdf = self.pdf
        label = self.labels[item.id]
        pdf.running_head = ""
        pdf.add_page()
        pdf.running_head = f"Exhibit {label} (continued)"
        self.starts[item.id] = pdf.page
        kind = KIND_TITLES.get(item.kind, item.kind)
        pdf.heading(f"Exhibit {label}", 20)
        where = f" from {item.platform}" if item.platform else ""
        pdf.para(
            f"{kind}{where}, captured by {item.captured_by.full_name} on "
            f"{uk_time(item.captured_at, seconds=False)}. Safeside item {item.id}.",
            11,
        )
        if item.corrects_id:
            corrected = self.labels.get(item.corrects_id)
            pdf.row(
                "Correction of",
                (f"exhibit {corrected} (item {item.corrects_id})" if corrected else "")
                or f"item {item.corrects_id} (not in this bundle)",
            )
            pdf.row("Why corrected", item.correction_reason)
        marked = self.marks.get(item.id)
        flags = list(marked.flags) if marked else flags_of(item.text, item.analysis)
        if item.kind == "screenshot":  # the image is the exhibit; its words come later
            self.screenshot(item, marked)
            if flags:
                self.flag_list(flags, marked)
            self.statement(item, label)
            self.text(item, "Text read from the screenshot")
        else:
            self.text(item, "The text as captured")
            if flags:
                self.flag_list(flags, marked)
            self.statement(item, label)
        self.assessment(item, flags)

    def screenshot(self, item: EvidenceItem, marked: MarkedScreenshot | None) -> None:
        pdf = self.pdf
        size = (marked.width, marked.height) if marked else image_size(item.content)
        if size is None:
            pdf.para(
                "The screenshot could not be shown: its file is not an image this PDF can "
                f"hold. The original is in the bundle as {_zip_name(item)}."
            )
            return
        width_px, height_px = size
        pdf.ln(1)
        most = min(IMAGE_MAX_HEIGHT, pdf.room() - 25)
        if most < 60:
            pdf.add_page()
            most = IMAGE_MAX_HEIGHT
        gutter = BADGE + 2 if marked and marked.placed else 0.0  # the badges go here
        width = pdf.epw - gutter
        height = width * height_px / width_px
        if height > most:
            height, width = most, most * width_px / height_px
        x, y = pdf.l_margin + gutter + (pdf.epw - gutter - width) / 2, pdf.get_y()
        if not _draw_image(pdf, item, x, y, width, height):
            pdf.para(
                "The screenshot could not be drawn in this PDF. The original is in the "
                f"bundle as {_zip_name(item)}."
            )
            return
        pdf.set_draw_color(*FRAME)
        pdf.set_line_width(0.2)
        pdf.rect(x, y, width, height)
        if marked:
            _draw_flags(pdf, marked, x, y, width / width_px)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_y(y + height + 2)
        caption = f"The original image, its pixels unchanged (the file is {_zip_name(item)})." + (
            " Each red box, drawn over it by Safeside, outlines a flagged passage; its "
            "number is explained below."
            if marked and marked.placed
            else ""
        )
        pdf.set_text_color(80, 80, 80)
        pdf.para(caption, 8)
        pdf.set_text_color(0, 0, 0)

    def flag_list(self, flags: list[Flag], marked: MarkedScreenshot | None) -> None:
        pdf = self.pdf
        pdf.heading("Flagged passages", 12)
        for flag in flags:
            reasons = "; ".join(
                f"{r.title}" + (f" ({r.severity})" if r.severity else "") + f": {r.explanation}"
                for r in flag.reasons
            )
            missing = (
                " Not found among the words read from the image."
                if marked is not None and marked.located and not flag.boxes
                else ""
            )
            pdf.row(f"Flag {flag.number}", f"\u201c{flag.text}\u201d. {reasons}{missing}")
        if marked and not marked.located and marked.flags:
            pdf.para(" ".join(marked.notes), 9)

    def statement(self, item: EvidenceItem, label: str) -> None:
        pdf = self.pdf
        pdf.heading(f"Capture statement for exhibit {label}", 12)
        pdf.row("Captured by", item.captured_by.full_name)
        pdf.row("Captured at", uk_time(item.captured_at))
        pdf.row("Platform", item.platform)
        pdf.row("Web address (URL)", item.url)
        pdf.row("Author", item.author_handle)
        pdf.row("Posted", uk_time(item.posted_at) if item.posted_at else "")
        justification = self.justifications.get(item.justification_id)
        if justification is not None:
            pdf.row(
                "Justification",
                f"justification {justification.id}, recorded by "
                f"{justification.created_by.full_name} on {uk_time(justification.created_at)}",
            )
            pdf.row("Why it was viewed", justification.purpose)
            pdf.row("Necessary and proportionate because", justification.necessity)
            pdf.row(
                "Legal basis", LEGAL_BASES.get(justification.legal_basis, justification.legal_basis)
            )
            pdf.row("How it was seen", HOW_SEEN.get(justification.how_seen, justification.how_seen))
            pdf.row("Who it is about", justification.subject)
            for decision in justification.decisions:
                pdf.row("Repeat viewing", _decision_line(decision))
        else:
            pdf.row("Justification", f"justification {item.justification_id}")
        pdf.row(
            "Original file",
            f"{item.filename or 'pasted text'} ({item.media_type}, {len(item.content):,} "
            f"bytes), in this bundle as {_zip_name(item)}",
        )
        pdf.row("SHA-256 of original", item.sha256, mono=True)
        pdf.row("Record hash", item.record_hash, mono=True)

    def text(self, item: EvidenceItem, title: str) -> None:
        pdf = self.pdf
        pdf.heading(title, 12)
        pdf.row("Text came from", TEXT_SOURCES.get(item.text_source, item.text_source))
        pdf.quote(item.text or "No text.")

    def assessment(self, item: EvidenceItem, flags: list[Flag]) -> None:
        pdf = self.pdf
        analysis = item.analysis
        if analysis is None:
            return
        pdf.heading("Safeside's assessment", 12)
        pdf.row("Overall severity", analysis.severity.label)
        for concern in analysis.concerns:
            pdf.row("Concern", _concern_line(concern, flags))
        if analysis.entities:
            pdf.row(
                "Identifying details",
                "; ".join(
                    f"\u201c{e.text}\u201d ({ENTITY_TITLES.get(e.label, e.label)})"
                    for e in analysis.entities
                ),
            )

    # --- log --------------------------------------------------------------------------

    def log(self) -> None:
        pdf = self.pdf
        pdf.running_head = ""
        pdf.add_page()
        pdf.running_head = "Capture and justification log (continued)"
        pdf.heading("Capture and justification log", 16)
        pdf.para(
            "Every event about this case's justifications, captures, corrections and "
            "exports, from the audit log, oldest first. The event hash is the SHA-256 that "
            "chains the event to the one before it.",
            9,
        )
        for event in self.capture_log:
            record = f" ({event.record_type} {event.record_id})" if event.record_type else ""
            pdf.row(
                f"Event {event.id}",
                f"{uk_time(event.at)}: {event.actor_name or 'System'}, "
                f"{event.action.replace('_', ' ')}{record}. Event hash {event.event_hash}",
                size=9,
            )
        decided = [d for j in self.justifications.values() for d in j.decisions]
        for decision in decided:
            pdf.row("Viewing decision", _decision_line(decision), size=9)


def _concern_line(concern: Concern, flags: list[Flag]) -> str:
    title = CONCERN_TITLES.get(concern.label, concern.label)
    numbers = [
        f.number for f in flags for e in concern.evidence if (f.start, f.end) == (e.start, e.end)
    ]
    where = (
        f" (flag{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))})"
        if numbers
        else ""
    )
    return f"{title}, {concern.severity.label}{where}: {concern.explanation}"


def _zip_name(item: EvidenceItem) -> str:
    from safeside.evidence.bundle import original_name  # bundle.py imports this module

    return original_name(item)


def _draw_image(
    pdf: DocumentPdf, item: EvidenceItem, x: float, y: float, w: float, h: float
) -> bool:
    """Embed the original image (JPEG bytes go in unchanged); False if it cannot be."""
    alt = f"Screenshot, item {item.id}"
    try:
        pdf.image(io.BytesIO(item.content), x=x, y=y, w=w, h=h, alt_text=alt)
        return True
    except Exception:  # fpdf2 reads images itself; try again through Pillow
        log.info("Embedding item %s's image directly failed; converting it", item.id)
    try:
        from PIL import Image

        with Image.open(io.BytesIO(item.content)) as picture:
            pdf.image(picture.convert("RGB"), x=x, y=y, w=w, h=h, alt_text=alt)
        return True
    except Exception:
        log.warning("Item %s's image could not be drawn in the bundle", item.id, exc_info=True)
        return False


def _draw_flags(
    pdf: DocumentPdf, marked: MarkedScreenshot, x: float, y: float, scale: float
) -> None:
    """Red boxes round the flagged passages, and each flag's number in a badge in the
    gutter left of the image, level with its first box: nothing covers the image."""
    right, bottom = x + marked.width * scale, y + marked.height * scale
    pad = 0.7
    pdf.set_line_width(0.45)
    pdf.set_draw_color(*RED)
    for flag in marked.placed:
        for left, top, box_right, box_bottom in flag.boxes:
            x0 = max(x + left * scale - pad, x + 0.25)
            y0 = max(y + top * scale - pad, y + 0.25)
            x1 = min(x + box_right * scale + pad, right - 0.25)
            y1 = min(y + box_bottom * scale + pad, bottom - 0.25)
            pdf.rect(x0, y0, x1 - x0, y1 - y0)
    tops = badge_tops(marked.flags, BADGE / scale, marked.height)
    pdf.set_fill_color(*RED)
    pdf.set_text_color(255, 255, 255)
    for number, badge_top in tops.items():
        badge_x, badge_y = x - BADGE - 1.5, y + badge_top * scale
        pdf.rect(badge_x, badge_y, BADGE, BADGE, style="F")
        pdf.set_font(pdf.body_font, "B", 8 if number < 10 else 6.5)
        pdf.set_xy(badge_x, badge_y)
        pdf.cell(BADGE, BADGE, str(number), align="C")
    pdf.set_text_color(0, 0, 0)


def _decision_line(decision: ViewingDecision) -> str:
    verdict = "authorised" if decision.authorised else "declined"
    return (
        f"Repeat viewing {verdict} by {decision.decided_by.full_name} on "
        f"{uk_time(decision.decided_at, seconds=False)}: {decision.note}"
    )
