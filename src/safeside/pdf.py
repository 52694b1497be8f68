"""A4 PDF documents with a running footer: the evidence bundle and the CPD portfolio.

DejaVu Sans (Debian's ``fonts-dejavu-core``) draws any text; without it the core
Helvetica font is used and characters outside Latin-1 become ``?``.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class DocumentPdf(FPDF):
    """A4 pages with a running footer naming the document and the page."""

    footer_text = ""
    body_font = "Helvetica"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.body_font, size=8)
        self.cell(0, 6, f"{self.footer_text} · page {self.page_no()} of {{nb}}", align="C")

    def safe(self, text: str) -> str:
        """Text the font can draw: the core font falls back to '?' outside Latin-1."""
        if self.body_font == "Helvetica":
            return text.encode("latin-1", "replace").decode("latin-1")
        return text

    def heading(self, text: str, size: int = 16) -> None:
        self.set_font(self.body_font, "B", size)
        self.multi_cell(self.epw, 8, self.safe(text))
        self.ln(2)

    def para(self, text: str, size: int = 10) -> None:
        self.set_font(self.body_font, "", size)
        self.multi_cell(self.epw, 5.5, self.safe(text))
        self.ln(1)

    def field(self, label: str, value: str, missing: str = "Not recorded") -> None:
        self.set_font(self.body_font, "B", 10)
        self.multi_cell(self.epw, 5.5, self.safe(label))
        self.set_font(self.body_font, "", 10)
        self.multi_cell(self.epw, 5.5, self.safe(value or missing))
        self.ln(1)


def new_pdf(footer_text: str = "") -> DocumentPdf:
    """An empty A4 document with 18 mm margins and the best font available."""
    pdf = DocumentPdf(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        pdf.body_font = "DejaVu"
    pdf.footer_text = pdf.safe(footer_text)
    return pdf
