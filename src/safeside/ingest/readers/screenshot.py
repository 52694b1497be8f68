"""Screenshots (PNG, JPEG, WebP): one post per image, its text read by offline OCR."""

from __future__ import annotations

from collections.abc import Iterator

from safeside.errors import SafesideError
from safeside.ingest.post import Post
from safeside.ingest.registry import Reader, ReadOptions, register
from safeside.ingest.report import ImportReport
from safeside.ingest.sources import Entry

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp"})


@register
class ScreenshotReader(Reader):
    name = "screenshot"
    title = "Screenshot (PNG, JPEG or WebP, read by OCR)"
    generic = True

    def claims(self, entry: Entry, head: str) -> bool:
        return entry.suffix in IMAGE_SUFFIXES

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        from safeside.ocr import read_image

        where = entry.where()
        with entry.open() as stream:
            data = stream.read()
        try:
            result = read_image(data)
        except SafesideError as error:
            report.skip("ocr-failed", str(error), where)
            return
        if not result.text.strip():
            report.skip("no-text", "no text was found in the image", where)
            return
        yield Post(
            platform="screenshot",
            kind="screenshot",
            text=result.text,
            source=where,
            attachments=(entry.path,),
            lines=result.lines,
            preview=result.preview,
        )
