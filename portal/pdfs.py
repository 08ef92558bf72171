"""Documents the portal makes itself, as PDF (a carer's emergency plan to print and
keep by the phone): a title, a few lines about it, then sections of text, wrapped
over as many A4 pages as they need, in Welsh or English.

The font (DejaVu Sans, its licence beside it in portal/content/fonts) has every
letter Welsh needs (ŵ, ŷ); only the letters used are embedded. The file says its
language and title, and each section is a bookmark, so a screen reader reads it in
the right voice and a reader can move from section to section."""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from portal.resources import PACKAGE

FONTS = PACKAGE / "content" / "fonts"
FONT = "DejaVu"


@dataclass(frozen=True)
class Section:
    heading: str
    text: str


def document(title: str, about: list[str], sections: list[Section], language: str,
             footer: str) -> bytes:
    """The PDF: `about` under the title, each section with its heading, `footer` at
    the foot of every page."""
    pdf = _Pages(footer)
    pdf.set_lang(language)
    pdf.set_title(title)
    pdf.set_creator("Care and support portal")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "", 11)
    for line in about:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    for section in sections:
        pdf.ln(5)
        pdf.start_section(section.heading)
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(0, 7, section.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(0, 6, section.text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


class _Pages(FPDF):
    def __init__(self, footer: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 9)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")
