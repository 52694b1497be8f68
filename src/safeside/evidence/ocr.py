"""Reading text from a screenshot with the offline OCR module (``safeside.ocr``).

``safeside.ocr.read_image`` runs rapidocr on onnxruntime with the models bundled in
the wheel, so nothing is downloaded. When the module cannot be imported, or the image
cannot be read, capture still works and the practitioner is told to type or paste
the text instead.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

from safeside.errors import InputError

log = logging.getLogger("safeside.evidence")

OCR_UNAVAILABLE = (
    "Text could not be read from the screenshot automatically. "
    "Type or paste the words in the screenshot so that they can be checked."
)
NO_TEXT_FOUND = (
    "No text was found in the screenshot. "
    "Type or paste the words in the screenshot so that they can be checked."
)


@dataclass(frozen=True, slots=True)
class OcrResult:
    """The text read (possibly empty) and, when reading failed, why."""

    text: str
    problem: str = ""


def read_screenshot(data: bytes) -> OcrResult:
    """Read the text in an image, or explain that it could not be read."""
    try:
        module = importlib.import_module("safeside.ocr")
        reader = module.read_image
    except (ImportError, AttributeError):
        log.warning("Screenshot OCR is not available (safeside.ocr could not be imported)")
        return OcrResult("", OCR_UNAVAILABLE)
    try:
        result = reader(data)
    except InputError as error:  # not a readable image: keep it, ask for the words
        log.info("Screenshot OCR: %s", error)
        return OcrResult("", OCR_UNAVAILABLE)
    except Exception:  # the OCR engine is third-party code; any failure degrades the same way
        log.warning("Screenshot OCR failed", exc_info=True)
        return OcrResult("", OCR_UNAVAILABLE)
    text = str(getattr(result, "text", result) or "").strip()
    return OcrResult(text, "" if text else NO_TEXT_FOUND)


def warm_up() -> None:
    """Load the OCR models now (about 5 seconds) so the first screenshot is not slow."""
    try:
        importlib.import_module("safeside.ocr")._engine()
    except Exception:  # optional: without OCR, screenshots are still kept
        log.warning("Screenshot OCR could not be loaded", exc_info=True)
