"""The one record every importer produces: a :class:`Post`, with a pointer to its source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a post came from: a file (inside an archive, if any) and a record or line.

    ``record`` is the 0-based index of the record in its file (JSON formats, CSV rows);
    ``line`` is the 1-based line number where the record starts (text formats, CSV).
    """

    file: str
    archive: str | None = None
    record: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.archive} › {self.file}" if self.archive else self.file
        if self.line is not None:
            return f"{where}, line {self.line}"
        if self.record is not None:
            return f"{where}, record {self.record + 1}"
        return where

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "archive": self.archive,
            "record": self.record,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of OCR'd text and its box on the image, in pixels (left, top, right, bottom)."""

    text: str
    box: tuple[int, int, int, int]
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "box": list(self.box), "score": round(self.score, 3)}


@dataclass(frozen=True, slots=True)
class Preview:
    """A small JPEG of a screenshot as a ``data:`` URI, and the size of the original image.

    Line boxes are in the original's pixels, so a report draws the preview at
    ``width`` × ``height`` and the boxes land on the right words.
    """

    uri: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Post:
    """A post, comment, message or screenshot, in one shape whatever the platform.

    ``timestamp`` is timezone-aware, or ``None`` when the export has no usable date.
    ``kind`` says what the record is: ``post``, ``comment``, ``message``, ``story``,
    ``share`` or ``screenshot``. ``audience`` is the platform's visibility setting when
    the export records one (``public``, ``followers``, ``connections``, ``direct``).
    ``lines`` holds OCR line boxes for screenshots, and ``preview`` a small copy of the
    image, so findings can be drawn on it.
    """

    platform: str
    text: str
    source: SourceRef
    author: str | None = None
    timestamp: datetime | None = None
    url: str | None = None
    thread: str | None = None
    kind: str = "post"
    id: str | None = None
    audience: str | None = None
    attachments: tuple[str, ...] = ()
    lines: tuple[TextLine, ...] = field(default=(), repr=False)
    preview: Preview | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "kind": self.kind,
            "id": self.id,
            "author": self.author,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "text": self.text,
            "url": self.url,
            "thread": self.thread,
            "audience": self.audience,
            "attachments": list(self.attachments),
            "source": self.source.to_dict(),
            "lines": [line.to_dict() for line in self.lines],
            "image": {"width": self.preview.width, "height": self.preview.height}
            if self.preview
            else None,
        }
