"""A4 PDF documents with a running footer: the evidence bundle and the CPD portfolio.

DejaVu Sans (Debian's ``fonts-dejavu-core``) draws any text; without it the core
Helvetica font is used and characters outside Latin-1 become ``?``. Hashes and keys are
set in DejaVu Sans Mono (or Courier).

Every value is wrapped inside the margins, never clipped: a word wider than the column
(a SHA-256 hash, a long web address) is broken between characters, so a reader who
removes the line breaks gets the value back exactly. Every page says "Page x of y".
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
#: Page margins, in millimetres: nothing but the footer is drawn outside them.
MARGIN = 18.0
#: The footer's two lines sit between the body's bottom margin and this far from the edge.
FOOTER_BOTTOM = 6.0
#: The width of the label column in :meth:`DocumentPdf.row`, in millimetres.
LABEL_WIDTH = 46.0
GREY = (80, 80, 80)
QUOTE_GROUND = (243, 242, 241)


class DocumentPdf(FPDF):
    """A4 pages with a running footer naming the document and the page."""

    footer_text = ""
    #: A line at the top of each page, when set (``Exhibit SP/1 (continued)``).
    running_head = ""
    body_font = "Helvetica"
    mono_font = "Courier"

    def header(self) -> None:
        if not self.running_head:
            return
        self.set_font(self.body_font, size=8)
        self.set_text_color(*GREY)
        self.wrapped(self.epw, 4, self.running_head)
        self.set_text_color(0, 0, 0)
        self.ln(3)

    def footer(self) -> None:
        self.set_font(self.body_font, size=8)
        self.set_text_color(*GREY)
        text = self.footer_text
        lines = self.height_of(self.epw, 4, text) / 4 if text else 0
        self.set_y(-(FOOTER_BOTTOM + 4 * (lines + 1)))
        if text:
            self.wrapped(self.epw, 4, text, align="C")
        self.cell(self.epw, 4, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    def safe(self, text: str) -> str:
        """Text the font can draw: the core font falls back to '?' outside Latin-1."""
        if self.body_font == "Helvetica":
            return text.encode("latin-1", "replace").decode("latin-1")
        return text

    @property
    def bottom(self) -> float:
        """Where the body ends on every page (the footer is below), in millimetres."""
        return float(self.page_break_trigger)

    def room(self) -> float:
        """How much of the current page is left for the body, in millimetres."""
        return self.bottom - self.get_y()

    def wrapped(
        self,
        width: float,
        line_height: float,
        text: str,
        *,
        x: float | None = None,
        align: str = "L",
    ) -> None:
        """``text`` wrapped to ``width`` (long words broken), starting at ``x`` (default:
        the left margin); afterwards the cursor is on the left margin below it."""
        self.set_x(self.l_margin if x is None else x)
        self.multi_cell(
            width,
            line_height,
            self.safe(text),
            align=align,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def height_of(self, width: float, line_height: float, text: str) -> float:
        """How tall ``text`` is when wrapped to ``width`` in the current font."""
        height = self.multi_cell(
            width,
            line_height,
            self.safe(text),
            align="L",
            dry_run=True,
            output=MethodReturnValue.HEIGHT,
        )
        return float(height)  # type: ignore[arg-type]

    def keep_together(self, height: float) -> None:
        """Start a new page unless ``height`` millimetres still fit on this one."""
        if height < self.bottom - self.t_margin and self.room() < height:
            self.add_page()

    def heading(self, text: str, size: int = 16) -> None:
        self.set_font(self.body_font, "B", size)
        if self.get_y() > self.t_margin + 12:
            self.ln(2)
        self.keep_together(size * 0.5 + 12)
        self.wrapped(self.epw, size * 0.45, text)
        self.ln(2)

    def para(self, text: str, size: int = 10, *, mono: bool = False) -> None:
        self.set_font(self.mono_font if mono else self.body_font, "", size)
        self.wrapped(self.epw, size * 0.55, text)
        self.ln(1)

    def quote(self, text: str, size: int = 10) -> None:
        """``text`` exactly as given, on a light grey ground, wrapped inside the margins
        (line breaks kept)."""
        self.set_font(self.body_font, "", size)
        self.set_fill_color(*QUOTE_GROUND)
        self.set_x(self.l_margin)
        self.multi_cell(
            self.epw,
            size * 0.55,
            self.safe(text),
            align="L",
            fill=True,
            padding=(2, 3),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.ln(2)

    def field(
        self, label: str, value: str, missing: str = "Not recorded", *, mono: bool = False
    ) -> None:
        """A bold label with its value below it, both the full width of the page."""
        self.set_font(self.body_font, "B", 10)
        self.keep_together(11)
        self.wrapped(self.epw, 5.5, label)
        self.set_font(self.mono_font if mono and value else self.body_font, "", 10)
        self.wrapped(self.epw, 5.5, value or missing)
        self.ln(1)

    def row(
        self,
        label: str,
        value: str,
        missing: str = "Not recorded",
        *,
        mono: bool = False,
        size: int = 10,
    ) -> None:
        """A label in the left column and its value, wrapped, in the right one.

        A ``mono`` value (a hash or key) is set a point smaller, so that a SHA-256 fits
        on one line."""
        line = size * 0.5
        value_x = self.l_margin + LABEL_WIDTH
        value_width = self.epw - LABEL_WIDTH
        value = value or missing
        self.set_font(self.body_font, "B", size)
        label_height = self.height_of(LABEL_WIDTH - 3, line, label)
        value_size = size - 1 if mono else size
        self.set_font(self.mono_font if mono else self.body_font, "", value_size)
        value_height = self.height_of(value_width, line, value)
        self.keep_together(max(label_height, value_height))
        top, page = self.get_y(), self.page
        self.set_font(self.body_font, "B", size)
        self.wrapped(LABEL_WIDTH - 3, line, label)
        self.set_xy(value_x, top)
        self.set_font(self.mono_font if mono else self.body_font, "", value_size)
        self.wrapped(value_width, line, value, x=value_x)
        if self.page == page:
            self.set_y(max(self.get_y(), top + label_height))
        self.ln(1.5)


def new_pdf(footer_text: str = "") -> DocumentPdf:
    """An empty A4 document with 18 mm margins and the best font available."""
    pdf = DocumentPdf(format="A4")
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        pdf.body_font = "DejaVu"
        mono = FONT_DIR / "DejaVuSansMono.ttf"
        if mono.exists():
            pdf.add_font("DejaVuMono", "", str(mono))
            pdf.mono_font = "DejaVuMono"
    pdf.footer_text = pdf.safe(footer_text)
    return pdf
