"""Screenshot text by offline OCR (rapidocr on onnxruntime; the models ship in the wheel).

The engine is loaded lazily on first use (about 5 seconds) and reused::

    >>> result = read_image("screenshot.png")            # doctest: +SKIP
    >>> result.text, result.lines[0].box

Each line keeps its box on the image, so findings can be drawn where the text is.
Nothing is downloaded: rapidocr finds its bundled models on disk.
"""

from __future__ import annotations

import base64
import io
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from safeside.errors import InputError, SafesideError
from safeside.ingest.post import Preview, TextLine

#: Images larger than this (in pixels) are refused rather than decoded.
MAX_PIXELS = 40_000_000


#: Longest side of the preview kept for reports, in pixels.
PREVIEW_SIZE = 900


@dataclass(frozen=True, slots=True)
class OcrResult:
    """The text found in an image, line by line, with a small preview of the image."""

    text: str
    lines: tuple[TextLine, ...]
    preview: Preview


def _preview(picture: Any) -> Preview:
    small = picture.copy()
    small.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE))
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=70)
    uri = "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return Preview(uri=uri, width=picture.width, height=picture.height)


@lru_cache(maxsize=1)
def _engine() -> Any:
    try:
        from rapidocr import RapidOCR
    except ImportError as error:  # pragma: no cover - a broken install
        raise SafesideError(
            f"reading screenshots needs the rapidocr and onnxruntime packages ({error})"
        ) from None
    return RapidOCR(params={"Global.log_level": "error"})


def _load(image: str | Path | bytes) -> Any:
    from PIL import Image

    data = image if isinstance(image, bytes) else Path(image).read_bytes()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
            if picture.width * picture.height > MAX_PIXELS:
                raise InputError(
                    f"the image is {picture.width}×{picture.height} pixels, too large to read"
                )
            return picture.convert("RGB")
    except (OSError, Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise InputError(f"not a readable PNG, JPEG or WebP image ({error})") from None


def read_image(image: str | Path | bytes) -> OcrResult:
    """OCR one PNG/JPEG/WebP image (a path or its bytes) into lines with boxes."""
    picture = _load(image)
    import numpy as np  # after the image is known to be good: numpy is slow to import

    output = _engine()(np.asarray(picture))
    boxes = output.boxes if output.boxes is not None else []
    lines: list[TextLine] = []
    for box, text, score in zip(boxes, output.txts or (), output.scores or (), strict=False):
        xs = [float(point[0]) for point in box]
        ys = [float(point[1]) for point in box]
        lines.append(
            TextLine(
                text=str(text),
                box=(round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys))),
                score=float(score),
            )
        )
    lines.sort(key=lambda line: (line.box[1], line.box[0]))
    return OcrResult(
        text="\n".join(line.text for line in lines),
        lines=tuple(lines),
        preview=_preview(picture),
    )
