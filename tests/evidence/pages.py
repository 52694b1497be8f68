"""Looking at PDF pages as a reader sees them: each page rendered to pixels (pypdfium2),
its text, and checks that nothing is drawn outside the margins.

Also a realistic screenshot capture for the demo case, so a bundle has an image exhibit
with flags on it: the image is drawn here, read by the real offline OCR, and captured
through the same service the web app uses.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader
from sqlalchemy import select

from safeside.access.models import User
from safeside.cases.models import Case
from safeside.cases.service import (
    Capture,
    JustificationForm,
    capture_evidence,
    record_justification,
)
from safeside.db.session import Database
from safeside.evidence.ocr import read_screenshot
from safeside.testing import example_check

MM_PER_INCH = 25.4
A4 = (210.0, 297.0)
MARGIN = 18.0
#: The footer's band: between the body's bottom margin and the bottom edge.
FOOTER_TOP, FOOTER_BOTTOM = 297.0 - 16.0, 297.0 - 5.0
#: Anti-aliasing reaches a little past a glyph's edge: allow this much, in millimetres.
SLACK = 0.6
#: A pixel whose every channel is at least this is blank paper.
WHITE = 245

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

#: The words in the demo screenshot; the example engine flags three passages in them.
POST_LINES = (
    "Everyone should see what this social worker",
    "did to my family. I know where you live and",
    "I will be waiting by your car tomorrow.",
    "Kayden is staying with his nan now, no thanks",
    "to you. Share this with everyone at Hillside Primary.",
)
#: A long address: it must wrap inside the margins, never run off the page.
LONG_URL = (
    "https://www.facebook.com/groups/northshire.parents.community.support/posts/"
    "7718263549912034/?comment_id=7718299912345678&reply_comment_id=99182736455463728"
    "&notif_id=1718263549912034&notif_t=group_comment_mention&ref=notif"
)
PURPOSE = (
    "A colleague showed me a public post in a local parents' group in which a parent "
    "named me and said they knew where I live; I viewed it to record what was said."
)
NECESSITY = (
    "It may be a threat to my safety and to the family's plan: I need an exact record to "
    "decide with my manager whether to report it to the police, and viewing only this "
    "one post (not the parent's profile or other posts) is the least intrusive way."
)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = BOLD if bold else FONT
    return ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default(size)


def post_screenshot() -> bytes:
    """A PNG of a social media post, like a practitioner's screenshot."""
    image = Image.new("RGB", (1000, 560), "#f0f2f5")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1000, 64), fill="#1877f2")
    draw.text((24, 14), "facebook", font=font(30, bold=True), fill="white")
    draw.rounded_rectangle((20, 84, 980, 540), radius=12, fill="white")
    draw.ellipse((40, 104, 100, 164), fill="#8a8d91")
    draw.text((116, 108), "Parent B (fictional)", font=font(26, bold=True), fill="#050505")
    draw.text((116, 140), "Northshire Parents Group · 2 h", font=font(20), fill="#65676b")
    y = 196
    for line in POST_LINES:
        draw.text((44, y), line, font=font(30), fill="#050505")
        y += 52
    draw.line((40, 470, 960, 470), fill="#ced0d4", width=2)
    draw.text((60, 488), "Like      Comment      Share", font=font(22), fill="#65676b")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def add_screenshot(database: Database, case_reference: str = "EA-2026-0142") -> int:
    """Capture the demo screenshot on the case as Sam Patel (OCR'd, like the web app)."""
    content = post_screenshot()
    read = read_screenshot(content)
    assert read.text, read.problem
    with database.session() as session:
        case = session.scalars(select(Case).where(Case.reference == case_reference)).one()
        sam = session.scalars(select(User).where(User.full_name == "Sam Patel")).one()
        justification = record_justification(
            session,
            sam,
            case,
            JustificationForm(
                purpose=PURPOSE,
                necessity=NECESSITY,
                legal_basis="staff_safety",
                subject="Parent B (fictional)",
                how_seen="shown_to_me",
                viewed_before=False,
            ),
        )
        item = capture_evidence(
            session,
            sam,
            case,
            justification,
            Capture(
                kind="screenshot",
                content=content,
                text=read.text,
                text_source="ocr",
                filename="parent-a-post.png",
                media_type="image/png",
                platform="Facebook",
                url=LONG_URL,
                author_handle="@northshire_dad_demo",
                posted_at=datetime(2026, 7, 14, 21, 30, tzinfo=UTC),  # BST: 22:30 in the UK
            ),
            example_check(),
        )
        session.flush()
        return item.id


# --- looking at pages -------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    number: int
    image: Image.Image
    text: str
    dpi: int

    @property
    def squashed(self) -> str:
        """The page's text with all whitespace removed (wrapped values join up again)."""
        return re.sub(r"\s+", "", self.text)

    def body(self, *furniture: str) -> str:
        """The squashed text without "Page x of y" and the other ``furniture`` (the
        footer's and running head's words), so text running over a page break joins up."""
        text = re.sub(r"\s+", "", re.sub(r"Page \d+ of \d+", "", self.text))
        for words in furniture:
            text = text.replace(re.sub(r"\s+", "", words), "")
        return text

    def px(self, mm: float) -> int:
        return round(mm * self.dpi / MM_PER_INCH)


def pages(pdf: bytes, dpi: int = 72) -> list[Page]:
    """Every page rendered to pixels, with its extracted text."""
    texts = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            try:
                bitmap = page.render(scale=dpi / 72)
                images.append(bitmap.to_pil().convert("RGB"))
                bitmap.close()
            finally:
                page.close()
    finally:
        document.close()
    assert len(images) == len(texts)
    return [
        Page(n, image, text, dpi)
        for n, (image, text) in enumerate(zip(images, texts, strict=True), 1)
    ]


def _inked(page: Page, box: tuple[float, float, float, float]) -> bool:
    """Whether anything but blank paper is drawn in ``box`` (left, top, right, bottom mm)."""
    left, top, right, bottom = (page.px(v) for v in box)
    region = page.image.crop((left, top, right, bottom))
    if region.width <= 0 or region.height <= 0:
        return False
    low = min(channel_min for channel_min, _ in region.getextrema())
    return low < WHITE


def margin_problems(page: Page) -> list[str]:
    """The margins of a page that have ink in them: nothing may be drawn outside the body
    (18 mm each side and at the top), and below the body only the footer."""
    width, height = A4
    inner = MARGIN - SLACK
    strips = {
        "left margin": (0, 0, inner, height),
        "right margin": (width - inner, 0, width, height),
        "top margin": (0, 0, width, inner),
        "between the body and the footer": (0, height - inner, width, FOOTER_TOP),
        "below the footer": (0, FOOTER_BOTTOM, width, height),
    }
    return [
        f"page {page.number}: ink in the {name}"
        for name, box in strips.items()
        if _inked(page, box)
    ]


def picture_height(page: Page) -> float:
    """The height (mm) of the tallest band of rows that are mostly ink: an embedded
    picture fills its rows, text never does."""
    ink = (np.asarray(page.image).min(axis=2) < WHITE).mean(axis=1) > 0.5
    longest = run = 0
    for row in ink:
        run = run + 1 if row else 0
        longest = max(longest, run)
    return longest * MM_PER_INCH / page.dpi
