"""The bundle's PDF as a reader sees it: every page rendered to pixels and looked at.

A test that only extracts text passes while a value runs off the page (the text is still
in the file, just not on the paper), so each page is also rendered and its margins are
checked for ink, and the exhibit page is checked for the picture itself.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from typer.testing import CliRunner

from safeside.access.models import User
from safeside.audit_log.models import AuditEvent
from safeside.cases.models import Case, Justification, ViewingDecision
from safeside.cli import app
from safeside.db.session import Database
from safeside.engine.results import Analysis, Concern, Entity, Evidence
from safeside.evidence.bundle_pdf import (
    exhibit_labels,
    initials,
    key_fingerprint,
    render_pdf,
    uk_time,
)
from safeside.evidence.marks import Flag, MarkedScreenshot, OcrWord, flags_of, locate
from safeside.evidence.models import EvidenceItem
from safeside.taxonomy import Severity

from .conftest import CASE
from .pages import LONG_URL, NECESSITY, PURPOSE, Page, add_screenshot, margin_problems, pages

RED = (212, 53, 28)
BLUE = (0x18, 0x77, 0xF2)  # the demo screenshot's title bar


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def on_one_page(value: str, shown: list[Page]) -> list[int]:
    """The pages whose text holds ``value`` whole (line breaks inside it ignored)."""
    return [page.number for page in shown if squash(value) in page.squashed]


def colour_box(page: Page, rgb: tuple[int, int, int], tolerance: int = 40) -> tuple[float, ...]:
    """The bounding box (mm: left, top, right, bottom) of pixels near ``rgb``; () if none."""
    pixels = np.asarray(page.image).astype(int)
    near = (np.abs(pixels - np.array(rgb)).sum(axis=2) < tolerance).nonzero()
    if not len(near[0]):
        return ()
    per_mm = page.dpi / 25.4
    return (
        near[1].min() / per_mm,
        near[0].min() / per_mm,
        near[1].max() / per_mm,
        near[0].max() / per_mm,
    )


def colour_count(
    page: Page, rgb: tuple[int, int, int], box: tuple[float, ...], tolerance: int = 40
) -> int:
    """How many pixels near ``rgb`` lie inside ``box`` (mm: left, top, right, bottom)."""
    left, top, right, bottom = (page.px(v) for v in box)
    pixels = np.asarray(page.image).astype(int)[top:bottom, left:right]
    return int((np.abs(pixels - np.array(rgb)).sum(axis=2) < tolerance).sum())


def page_numbers_are_right(shown: list[Page]) -> None:
    total = len(shown)
    for page in shown:
        assert f"Page {page.number} of {total}" in page.text, page.text[-200:]


# --- the demo case's bundle, exported by `safeside bundle` --------------------------------


@pytest.fixture
def demo_bundle(database: Database, tmp_path: Path) -> dict[str, bytes]:
    """The demo case with a screenshot exhibit added (read by the real OCR), exported."""
    add_screenshot(database)
    out = tmp_path / "bundle.zip"
    result = CliRunner().invoke(app, ["bundle", CASE, "--out", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.slow
def test_the_demo_bundle_looked_at_page_by_page(demo_bundle: dict[str, bytes]) -> None:
    manifest = json.loads(demo_bundle["manifest.json"])
    shown = pages(demo_bundle["bundle.pdf"], dpi=100)

    # Nothing is drawn outside the margins, on any page; every page is numbered.
    assert [problem for page in shown for problem in margin_problems(page)] == []
    page_numbers_are_right(shown)

    # The cover holds each long value whole.
    head = manifest["checkpoint"]["head"]
    key = manifest["signing_key"]
    cover = shown[0]
    for value in (
        CASE,
        manifest["bundle_id"],
        key["key_id"],
        key_fingerprint(key["public_key"]),
        key["public_key"],
        head["event_hash"],
        f"event {head['event_id']}",
    ):
        assert squash(value) in cover.squashed, value

    # One exhibit per page, numbered from Sam Patel's initials; the index names its page.
    text_item, shot_item = manifest["items"]
    first = on_one_page("Exhibit SP/1Pasted text", shown)
    second = on_one_page("Exhibit SP/2Screenshot", shown)
    log = on_one_page("Capture and justification log", shown)[-1:]
    assert len(first) == len(second) == len(log) == 1
    assert 1 < first[0] < second[0] < log[0]
    assert re.search(rf"SP/1\s+Pasted text.*?page {first[0]}", cover.text, re.S)
    assert re.search(rf"SP/2\s+Screenshot.*?page {second[0]}", cover.text, re.S)

    # Each field's full value is on one of its own exhibit's pages.
    exhibit_pages = {
        "SP/1": set(range(first[0], second[0])),
        "SP/2": set(range(second[0], log[0])),
    }
    for label, item in (("SP/1", text_item), ("SP/2", shot_item)):
        for value in (item["sha256"], item["record_hash"], item["file"]):
            assert set(on_one_page(value, shown)) & exhibit_pages[label], (label, value)
    for value in (
        LONG_URL,
        PURPOSE,
        NECESSITY,
        "@northshire_dad_demo",
        "justification 2, recorded by Sam Patel",
    ):
        assert set(on_one_page(value, shown)) & exhibit_pages["SP/2"], value

    # The capture statement: who, when (UK time), from where.
    shot_page = shown[second[0] - 1]
    assert "Captured by" in shot_page.text and "Sam Patel" in shot_page.text
    assert "22:30:00 BST (21:30:00 UTC)" in shot_page.text  # posted, in UK summer time
    assert re.search(r"\d\d:\d\d:\d\d (GMT|BST)", shot_page.text)  # captured, UK time

    # The exhibit page holds the original image (the same pixels), drawn large, with
    # red boxes on it and the flags explained below it.
    reader = PdfReader(io.BytesIO(demo_bundle["bundle.pdf"]))
    images = reader.pages[second[0] - 1].images
    assert len(images) == 1
    original = Image.open(io.BytesIO(demo_bundle[shot_item["file"]])).convert("RGB")
    embedded = images[0].image
    assert embedded is not None and embedded.size == original.size
    assert np.array_equal(np.asarray(embedded.convert("RGB")), np.asarray(original))
    left, top, right, _ = colour_box(shot_page, BLUE)  # the screenshot's title bar
    assert right - left > 120
    bottom = top + (right - left) * original.height / original.width
    assert colour_count(shot_page, RED, (left, top, right, bottom)) > 300  # the boxes
    assert colour_count(shot_page, RED, (left - 8, top, left, bottom)) > 50  # the numbers
    for flag in ("Flag 1", "Flag 2", "Flag 3"):
        assert flag in shot_page.text
    assert "where you live" in shot_page.text and "Hillside Primary" in shot_page.text


# --- the worst values anyone could enter, rendered without a database ------------------


def user(number: int, name: str) -> User:
    return User(id=number, email=f"u{number}@example.org", full_name=name, role="practitioner")


def png(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), BLUE)
    image.paste((255, 255, 255), (width // 10, height // 10, width * 9 // 10, height * 9 // 10))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


LONG_TOKEN = "x" * 40 + "https://example.org/" + "a1b2c3d4" * 30
HANDLE = "@" + "very_long_handle_without_any_spaces_" * 6


def worst_case() -> tuple[list[EvidenceItem], dict[int, MarkedScreenshot | None], dict, bytes]:
    when = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night the clocks change
    sam, sara = user(1, "Sam Patel"), user(2, "Sara Price")
    case = Case(id=1, reference="EA-2026-0142", title="Family A (fictional) " * 8)
    justification = Justification(
        id=7,
        purpose=PURPOSE + " " + LONG_TOKEN,
        necessity=NECESSITY * 3,
        legal_basis="staff_safety",
        subject="Родитель А (вымышленный)",
        how_seen="shown_to_me",
        created_at=when,
        created_by=sam,
    )
    justification.decisions = [
        ViewingDecision(
            id=1,
            authorised=True,
            note="Authorised: " + LONG_TOKEN,
            decided_at=when,
            decided_by=sara,
        )
    ]
    text = "I know where you live. " + LONG_TOKEN + "\nKayden, доказательство " * 5
    analysis = Analysis(
        text=text,
        mode="review",
        entities=[
            Entity("PERSON", text.index("Kayden"), text.index("Kayden") + 6, "Kayden", 0.9, "t")
        ],
        concerns=[
            Concern(
                label="threat",
                severity=Severity.parse("high"),
                confidence=0.9,
                explanation="Says they know where someone lives: a veiled threat. " + LONG_TOKEN,
                evidence=[Evidence(7, 21, "where you live", "cue")],
            )
        ],
        severity=Severity.parse("high"),
        actions=[],
    )
    items = []
    shapes = {1: (400, 2400), 2: (3000, 200), 3: (900, 500)}  # tall, wide, ordinary
    for number, (width, height) in shapes.items():
        item = EvidenceItem(
            id=number,
            case_id=1,
            justification_id=7,
            kind="screenshot" if number < 3 else "text",
            filename="скриншот-" + "long-file-name-" * 8 + ".png",
            media_type="image/png",
            content=png(width, height) if number < 3 else text.encode(),
            sha256=f"{number}" * 64,
            text=text,
            text_source="ocr",
            platform="Facebook",
            url=LONG_URL + "&" + LONG_TOKEN,
            author_handle=HANDLE,
            posted_at=when,
            captured_at=when,
            captured_by=sam if number != 2 else sara,
            analysis_json=json.dumps(analysis.to_dict()),
            severity="high",
            corrects_id=1 if number == 3 else None,
            correction_reason="The OCR missed a line. " + LONG_TOKEN if number == 3 else "",
        )
        item.record_hash = f"{number}f" * 32
        items.append(item)
    marks: dict[int, MarkedScreenshot | None] = {}
    for item, (width, height) in zip(items[:2], shapes.values(), strict=False):
        flags = flags_of(item.text, analysis)
        boxed = (
            Flag(
                f.number,
                f.start,
                f.end,
                f.text,
                f.reasons,
                ((0, 0, width, 40), (0, height - 30, width, height)),
            )
            for f in flags
        )
        marks[item.id] = MarkedScreenshot(width, height, tuple(boxed), True)
    checkpoint = {
        "organisation": "Northshire County Council " * 5,
        "key_id": "0123456789abcdef",
        "public_key": "8hMJm3AFakaX4so1XTrlcMnQcVBjJePy+EJIq6DD1Jo=",
        "head": {"event_id": 123456, "event_hash": "e" * 64},
    }
    log = [
        AuditEvent(
            id=number,
            at=when,
            actor_name="Sam Patel",
            action="captured_evidence",
            record_type="evidence",
            record_id=number,
            event_hash=hashlib.sha256(str(number).encode()).hexdigest(),
        )
        for number in range(1, 60)
    ]
    pdf = render_pdf(
        case,
        items,
        {7: justification},
        log,
        "Sam Patel " + LONG_TOKEN,
        when,
        "b" * 8 + "-" + "c" * 27,
        checkpoint=checkpoint,
        marks=marks,
    )
    return items, marks, checkpoint, pdf


def test_the_longest_values_wrap_inside_the_margins_and_stay_whole() -> None:
    items, _, checkpoint, pdf = worst_case()
    shown = pages(pdf, dpi=72)
    assert [problem for page in shown for problem in margin_problems(page)] == []
    page_numbers_are_right(shown)
    for item in items:
        for value in (item.sha256, item.record_hash, item.url, item.author_handle, item.filename):
            assert on_one_page(value, shown), value
    assert on_one_page(checkpoint["head"]["event_hash"], shown) == [1]
    assert on_one_page(LONG_TOKEN, shown)
    assert on_one_page("Родитель А (вымышленный)", shown)
    everything = "".join(page.squashed for page in shown)
    for label in ("SP/1", "SPr/1", "SP/2"):  # Sara Price is told apart from Sam Patel
        assert squash(f"Exhibit {label}") in everything
    assert squash("Repeat viewing authorised by Sara Price") in everything
    assert squash("exhibit SP/1 (item 1)") in everything  # the correction names its exhibit
    assert "Exhibit SP/1 (continued)" in "".join(page.text for page in shown)


def test_a_tall_screenshot_fits_on_its_page_beside_its_numbers() -> None:
    _, _, _, pdf = worst_case()
    reader = PdfReader(io.BytesIO(pdf))
    with_images = [number for number, page in enumerate(reader.pages, 1) if page.images]
    assert len(with_images) == 2  # each screenshot on its own exhibit page
    shown = pages(pdf, dpi=72)
    tall = shown[with_images[0] - 1]
    box = colour_box(tall, BLUE)
    assert box and 140 <= box[3] - box[1] <= 151  # shrunk to fit, not cut
    assert colour_box(tall, RED)[0] >= 18 - 0.6  # badges stay inside the margin


# --- pieces -----------------------------------------------------------------------------


def test_exhibit_numbers_come_from_the_capturers_initials() -> None:
    assert initials("Sam Patel") == "SP"
    assert initials("Jo O'Neill") == "JO"
    assert initials("мария иванова") == "МИ"
    assert initials("") == "EX"
    sam, sara, sam_again = user(1, "Sam Patel"), user(2, "Sara Price"), user(3, "Sam Patel")
    items = [
        EvidenceItem(id=n, captured_by=who)
        for n, who in ((10, sam), (11, sara), (12, sam), (13, sam_again))
    ]
    assert exhibit_labels(items) == {10: "SP/1", 11: "SPr/1", 12: "SP/2", 13: "SPa/1"}


def test_times_are_shown_in_uk_time_with_utc_beside_them() -> None:
    assert (
        uk_time(datetime(2026, 1, 5, 9, 30, tzinfo=UTC)) == "Monday 5 January 2026 at 09:30:00 GMT"
    )
    assert (
        uk_time(datetime(2026, 7, 14, 23, 30, tzinfo=UTC), seconds=False)
        == "Wednesday 15 July 2026 at 00:30 BST (23:30 UTC on 14 July 2026)"
    )


def words(*lines: str) -> tuple[OcrWord, ...]:
    """OCR words 100 px apart on lines 50 px apart, 10 px per character."""
    found = []
    for number, line in enumerate(lines):
        x = 0
        for word in line.split():
            found.append(
                OcrWord(word, number, (x, number * 50, x + 10 * len(word), number * 50 + 30))
            )
            x += 10 * len(word) + 10
    return tuple(found)


def flag(text: str, start: int, end: int) -> Flag:
    return Flag(1, start, end, text[start:end], ())


def test_a_passage_is_boxed_word_by_word_and_line_by_line() -> None:
    on_image = words("did to my family. I know where", "you live and I will wait")
    text = "did to my family. I know where\nyou live and I will wait"
    start = text.index("where")
    assert locate(text, flag(text, start, start + 14), on_image) == (
        (250, 0, 300, 30),
        (0, 50, 80, 80),
    )


def test_typed_text_is_matched_to_the_image_ignoring_case_spaces_and_quote_shapes() -> None:
    on_image = words("He said “I KNOW where you live”")
    text = 'he said "i know  where you live"'
    start = text.index("i know")
    boxes = locate(text, flag(text, start, start + 6), on_image)
    assert boxes == ((88, 0, 150, 30),)  # of the word “I only the I is boxed


def test_a_repeated_passage_is_boxed_where_it_occurs_and_part_words_are_cut() -> None:
    on_image = words("Kayden said Kayden's mum", "knows Kayden")
    text = "Kayden said Kayden's mum\nknows Kayden"
    second = text.index("Kayden", 1)
    assert locate(text, flag(text, second, second + 6), on_image) == ((120, 0, 185, 30),)
    last = text.rindex("Kayden")
    assert locate(text, flag(text, last, last + 6), on_image) == ((60, 50, 120, 80),)
    assert locate(text, flag("Oakfield", 0, 8), on_image) == ()
