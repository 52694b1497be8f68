"""Reading text from a screenshot with the offline OCR module, if it is installed.

``safeside.ocr`` is optional here: when it is missing or fails, capture still
works and the practitioner is told to type or paste the text instead.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

_ENTRY_POINTS = ("read_text", "ocr_image", "image_to_text", "extract_text", "read_screenshot")

OCR_UNAVAILABLE = (
    "Text could not be read from the screenshot automatically. "
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
    except ImportError:
        return OcrResult("", OCR_UNAVAILABLE)
    for name in _ENTRY_POINTS:
        reader = getattr(module, name, None)
        if callable(reader):
            break
    else:
        return OcrResult("", OCR_UNAVAILABLE)
    try:
        result = reader(data)
    except Exception:  # the OCR engine is third-party code; any failure degrades the same way
        return OcrResult("", OCR_UNAVAILABLE)
    text = result if isinstance(result, str) else getattr(result, "text", "")
    text = str(text or "").strip()
    return OcrResult(text, "" if text else "No text was found in the screenshot.")
