"""Screenshots become posts by offline OCR, keeping each line's box on the image."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from safeside.errors import InputError
from safeside.ingest import read_posts
from safeside.ocr import read_image

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LINES = ["Call me on 07700 900123 if anything changes.", "I know where you live"]


def draw_card(path: Path) -> Path:
    """A tweet-like card, as a practitioner's screenshot would show it."""
    image = Image.new("RGB", (820, 190), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 22) if FONT.exists() else ImageFont.load_default(22)
    for i, line in enumerate(LINES):
        draw.text((20, 30 + 60 * i), line, fill="black", font=font)
    image.save(path)
    return path


@pytest.mark.slow
def test_screenshot_folder_becomes_posts_with_line_boxes(tmp_path: Path) -> None:
    draw_card(tmp_path / "card.png")
    Image.new("RGB", (200, 100), "white").save(tmp_path / "blank.webp")

    posts, report = read_posts(tmp_path)

    (post,) = posts
    assert post.platform == "screenshot" and post.kind == "screenshot"
    assert post.text == "\n".join(LINES)
    assert [line.text for line in post.lines] == LINES
    left, top, right, bottom = post.lines[0].box
    assert 0 <= left < 40 and 15 <= top < 40 and 400 < right < 820 and 40 < bottom < 80
    assert post.lines[1].box[1] > post.lines[0].box[3]  # second line sits below the first
    assert post.attachments == ("card.png",)
    assert post.preview is not None and (post.preview.width, post.preview.height) == (820, 190)
    assert post.preview.uri.startswith("data:image/jpeg;base64,")
    assert report.skipped == {"no-text": 1}  # the blank image


def test_a_file_that_is_not_an_image_is_an_input_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"not a png at all")
    with pytest.raises(InputError, match="not a readable PNG, JPEG or WebP image"):
        read_image(fake)
