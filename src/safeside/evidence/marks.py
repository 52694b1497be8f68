"""Where Safeside's flags are on a screenshot: a numbered box round each flagged passage.

An evidence item stores the original image and its text (read by OCR, or typed by the
practitioner); its analysis marks passages of that text. To draw them on the image the
screenshot is read again by the offline OCR module (:mod:`safeside.ocr`, the same engine
as at capture), this time word by word, and each flagged passage is looked for among the
words: letters only, ignoring case, spaces and the shape of quotes, so a passage is found
whether the text was read by OCR or typed in by hand. A passage that occurs more than
once is matched to the same occurrence on the image. The boxes are in the original
image's pixels (left, top, right, bottom), one per line of the image the passage covers.

Reading is cached per image (by SHA-256), so a page or a bundle showing the same
screenshot again does not read it again. Without the OCR module, or when the passage is
not on the image, a flag has no boxes and says so; the image is still shown.

This is the same idea as the footprint report's overlay (:mod:`safeside.footprint.overlay`,
which boxes whole OCR lines), made finer: it boxes the words themselves.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import io
import logging
import math
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any

from safeside.engine.results import Analysis
from safeside.taxonomy import CONCERN_TITLES, ENTITY_TITLES

log = logging.getLogger("safeside.evidence")

#: (left, top, right, bottom) in the original image's pixels.
Box = tuple[int, int, int, int]

#: Longest side of the copy of a screenshot shown on a web page, in pixels.
PREVIEW_SIZE = 1600
#: How many screenshots' word boxes are kept in memory.
CACHE_SIZE = 64

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "`": "'", "“": '"', "”": '"', "„": '"'})


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a passage was flagged: a concern (with its severity) or an identifying detail."""

    title: str
    explanation: str
    severity: str = ""

    @property
    def is_concern(self) -> bool:
        return bool(self.severity)


@dataclass(frozen=True, slots=True)
class Flag:
    """One flagged passage of an item's text, numbered in reading order."""

    number: int
    start: int
    end: int
    text: str
    reasons: tuple[Reason, ...]
    boxes: tuple[Box, ...] = ()

    @property
    def anchor(self) -> str:
        """The id of this flag's explanation on the evidence item page."""
        return f"flag-{self.number}"

    @property
    def title(self) -> str:
        return "; ".join(reason.title for reason in self.reasons)

    @property
    def is_concern(self) -> bool:
        return any(reason.is_concern for reason in self.reasons)


@dataclass(frozen=True, slots=True)
class OcrWord:
    """A word the OCR read, the line it is on (0, 1, …) and its box."""

    text: str
    line: int
    box: Box


@dataclass(frozen=True, slots=True)
class MarkedScreenshot:
    """A screenshot's size and its flags, each with its boxes on the image."""

    width: int
    height: int
    flags: tuple[Flag, ...]
    #: Whether the image could be read word by word (False: no box could be placed).
    located: bool
    media_type: str = "image/png"
    notes: tuple[str, ...] = field(default=())
    #: A ``data:`` URI of a copy of the image, for a web page ('' when not made).
    preview: str = ""

    @property
    def placed(self) -> tuple[Flag, ...]:
        """The flags found on the image."""
        return tuple(f for f in self.flags if f.boxes)

    @property
    def stroke(self) -> int:
        """A box outline's width in the image's pixels, thick enough to see when shrunk."""
        return max(2, round(max(self.width, self.height) / 300))

    @property
    def badge(self) -> int:
        """The side of a flag's number badge, in the image's pixels."""
        return max(18, round(max(self.width, self.height) / 28))

    @property
    def gutter(self) -> int:
        """The width of the strip left of the image that holds the badges, in pixels."""
        return round(self.badge * 1.5)

    @property
    def display_width(self) -> str:
        """The SVG's width on a web page: the column's, or less for a tall image so that
        it is at most about 800 pixels high."""
        if self.height > self.width * 1.25:
            return str(round(800 * self.width / self.height))
        return "100%"

    def badge_tops(self) -> dict[int, float]:
        """Each placed flag's badge top, in the image's pixels (see :func:`badge_tops`)."""
        return badge_tops(self.flags, self.badge, self.height)


def badge_tops(flags: tuple[Flag, ...], side: float, height: float) -> dict[int, float]:
    """Where each placed flag's number badge goes in a gutter beside the image (so that
    no badge covers the image): level with the flag's first box, moved down just enough
    not to overlap the badge above it, and kept inside ``height``. Same units as the
    boxes; ``side`` is a badge's height."""
    tops: dict[int, float] = {}
    below = 0.0
    placed = sorted((f for f in flags if f.boxes), key=lambda f: (f.boxes[0][1], f.boxes[0][0]))
    for flag in placed:
        _, top, _, bottom = flag.boxes[0]
        wanted = max((top + bottom) / 2 - side / 2, below, 0.0)
        tops[flag.number] = min(wanted, max(height - side, 0.0))
        below = tops[flag.number] + side * 1.1
    return tops


def flags_of(text: str, analysis: Analysis | None) -> list[Flag]:
    """Every flagged passage of ``text``, numbered in reading order, without boxes.

    A passage flagged for several reasons (two concerns, or a concern and a detail) is
    one flag with each reason.
    """
    if analysis is None:
        return []
    found: dict[tuple[int, int], list[Reason]] = {}
    for concern in analysis.concerns:
        reason = Reason(
            CONCERN_TITLES.get(concern.label, concern.label),
            concern.explanation,
            concern.severity.label,
        )
        for evidence in concern.evidence:
            found.setdefault((evidence.start, evidence.end), []).append(reason)
    for entity in analysis.entities:
        title = ENTITY_TITLES.get(entity.label, entity.label)
        reason = Reason(
            title[:1].upper() + title[1:],
            entity.explanation or "A detail that could identify someone.",
        )
        found.setdefault((entity.start, entity.end), []).append(reason)
    flags = []
    for number, ((start, end), reasons) in enumerate(sorted(found.items()), start=1):
        unique = tuple(dict.fromkeys(reasons))
        flags.append(Flag(number, start, end, text[start:end], unique))
    return flags


# --- reading the words on an image --------------------------------------------------

_cache: OrderedDict[str, tuple[OcrWord, ...]] = OrderedDict()
_cache_lock = threading.Lock()


def read_words(content: bytes) -> tuple[OcrWord, ...] | None:
    """The words on an image with their boxes, in reading order; None when the OCR
    module is not installed or the bytes are not a readable image."""
    key = hashlib.sha256(content).hexdigest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    words = _read_words(content)
    if words is not None:  # a failure is not kept: the next view tries again
        with _cache_lock:
            _cache[key] = words
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return words


def _read_words(content: bytes) -> tuple[OcrWord, ...] | None:
    try:
        ocr = importlib.import_module("safeside.ocr")
        picture = ocr._load(content)
        import numpy as np

        output = ocr._engine()(np.asarray(picture), return_word_box=True)
    except ImportError:
        log.warning("Screenshot OCR is not available: flags cannot be drawn on the image")
        return None
    except Exception:  # the OCR engine is third-party code: any failure only loses the boxes
        log.warning("Screenshot OCR failed: flags cannot be drawn on the image", exc_info=True)
        return None
    return _words_of(output)


def _box_of(points: Any) -> Box:
    xs = [float(point[0]) for point in points]
    ys = [float(point[1]) for point in points]
    return (round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys)))


def _words_of(output: Any) -> tuple[OcrWord, ...]:
    """The engine's words (or, without word boxes, its lines), line by line top down."""
    line_boxes = list(output.boxes) if output.boxes is not None else []
    texts = list(output.txts or ())
    per_line = list(getattr(output, "word_results", None) or ())
    lines: list[tuple[Box, list[tuple[str, Box]]]] = []
    for index, (points, text) in enumerate(zip(line_boxes, texts, strict=False)):
        box = _box_of(points)
        words = [
            (str(word), _box_of(word_points))
            for word, _score, word_points in (per_line[index] if index < len(per_line) else ())
        ]
        lines.append((box, words or [(str(text), box)]))
    lines.sort(key=lambda line: (line[0][1], line[0][0]))
    return tuple(
        OcrWord(text, number, box) for number, (_, words) in enumerate(lines) for text, box in words
    )


# --- finding a passage among the words ----------------------------------------------


def _fold(text: str) -> str:
    """What is compared: case, quote shapes, compatibility forms and spaces ignored."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return "".join(c for c in folded if not c.isspace())


def _occurrence(text: str, start: int, needle: str) -> int:
    """Which occurrence of ``needle`` (folded) the passage at ``start`` of ``text`` is."""
    before = len(_fold(text[:start]))
    haystack, count, at = _fold(text), 0, 0
    while (found := haystack.find(needle, at)) != -1 and found < before:
        count, at = count + 1, found + 1
    return count


#: Rough widths of narrow and wide letters, relative to an ordinary one, for cutting a
#: word's box when a passage covers only part of it ("Primary" of "Primary.").
_NARROW = dict.fromkeys(".,;:!?'\"‘’“”()[]|", 0.45) | dict.fromkeys("iljtfrI1", 0.6)
_WIDE = dict.fromkeys("mwMW", 1.4)


def _shares(word: str) -> list[float]:
    """The share of a word's width before each of its characters (and 1.0 at the end)."""
    widths = [_NARROW.get(c, _WIDE.get(c, 1.0)) for c in word]
    total = sum(widths) or 1.0
    shares, done = [0.0], 0.0
    for width in widths:
        done += width
        shares.append(done / total)
    return shares


def locate(text: str, flag: Flag, words: tuple[OcrWord, ...]) -> tuple[Box, ...]:
    """The boxes, one per line of the image, round the words of ``flag``'s passage."""
    needle = _fold(flag.text)
    if not needle:
        return ()
    chars: list[tuple[int, int, int]] = []  # (word index, character in word, its length)
    stream = []
    for index, word in enumerate(words):
        for position, character in enumerate(word.text):
            for folded in _fold(character):
                stream.append(folded)
                chars.append((index, position, len(word.text)))
    haystack = "".join(stream)
    starts = []
    at = 0
    while (found := haystack.find(needle, at)) != -1:
        starts.append(found)
        at = found + 1
    if not starts:
        return ()
    begin = starts[min(_occurrence(text, flag.start, needle), len(starts) - 1)]
    covered: dict[int, list[int]] = {}
    for index, position, _length in chars[begin : begin + len(needle)]:
        covered.setdefault(index, []).append(position)
    pieces: dict[int, Box] = {}
    for index, positions in covered.items():
        word = words[index]
        left, top, right, bottom = word.box
        first, last = min(positions), max(positions) + 1
        if first > 0 or last < len(word.text):  # part of a word: its share of the width
            share = _shares(word.text)
            width = right - left
            left, right = (
                left + math.floor(width * share[first]),
                left + math.ceil(width * share[last]),
            )
        box = (left, top, right, bottom)
        old = pieces.get(word.line)
        pieces[word.line] = (
            box
            if old is None
            else (min(old[0], left), min(old[1], top), max(old[2], right), max(old[3], bottom))
        )
    return tuple(pieces[line] for line in sorted(pieces))


def image_size(content: bytes) -> tuple[int, int] | None:
    """The width and height of an image, or None when it cannot be read."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as picture:
            return int(picture.width), int(picture.height)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


def mark_screenshot(
    content: bytes, text: str, analysis: Analysis | None, *, media_type: str = "image/png"
) -> MarkedScreenshot | None:
    """The screenshot's flags with their boxes, or None when the bytes are not an image."""
    size = image_size(content)
    if size is None:
        return None
    flags = flags_of(text, analysis)
    words = read_words(content) if flags else ()
    notes = []
    if words is None:
        notes.append(
            "The flags could not be drawn on the image: the words on it could not be read."
        )
    placed = tuple(
        Flag(f.number, f.start, f.end, f.text, f.reasons, locate(text, f, words or ()))
        for f in flags
    )
    if words is not None and any(not f.boxes for f in placed):
        notes.append(
            "A flag without a box was not found among the words read from the image "
            "(the text may have been typed or corrected by hand): check the image itself."
        )
    return MarkedScreenshot(size[0], size[1], placed, words is not None, media_type, tuple(notes))


def preview_uri(content: bytes, longest: int = PREVIEW_SIZE) -> str:
    """A ``data:`` URI of a copy of the image (PNG, or JPEG when large), re-encoded so
    that nothing but pixels reaches the page; '' when it cannot be read."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as picture:
            copy = picture.convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return ""
    copy.thumbnail((longest, longest))
    buffer = io.BytesIO()
    copy.save(buffer, format="PNG", optimize=True)
    kind = "png"
    if buffer.tell() > 900_000:
        buffer = io.BytesIO()
        copy.save(buffer, format="JPEG", quality=88)
        kind = "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def mark_for_page(content: bytes, text: str, analysis: Analysis | None) -> MarkedScreenshot | None:
    """:func:`mark_screenshot` with a preview of the image to show on a web page."""
    marked = mark_screenshot(content, text, analysis)
    if marked is None:
        return None
    uri = preview_uri(content)
    return replace(marked, preview=uri) if uri else None
