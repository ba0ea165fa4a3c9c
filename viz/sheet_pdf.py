"""The handout's table pages (``viz.sheet``) written as PDF with fpdf2: the static Noto Sans SC
instances of the handout (``print_fonts.Fonts``) embedded as TrueType subsets, text placed line by line
on its baseline, no clock in the file (its creation date is fixed; ``formats.pdf`` writes the final
file's metadata)."""
from __future__ import annotations

import logging
from datetime import UTC, datetime

from .print_fonts import Fonts
from .sheet import SheetPage

FAMILY = "noto"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

logging.getLogger("fpdf").setLevel(logging.ERROR)  # its notes on subsetting


class MissingGlyphs(ValueError):
    """A table page holds characters its font lacks: the handout would show empty boxes."""


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _check_glyphs(pages: list[SheetPage], fonts: Fonts) -> None:
    from fontTools.ttLib import TTFont
    for bold, path in ((False, fonts.regular), (True, fonts.bold)):
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap()
        missing = sorted({ch for p in pages for ln in p.lines if ln.bold is bold for ch in ln.text
                          if ord(ch) not in cmap and not ch.isspace()})
        if missing:
            raise MissingGlyphs(f"the handout's {'bold' if bold else 'regular'} font lacks {''.join(missing)!r}")


def sheet_pdf(pages: list[SheetPage], fonts: Fonts) -> bytes:
    """The table pages as one PDF (points, y downwards as laid out)."""
    from fpdf import FPDF
    _check_glyphs(pages, fonts)
    pdf = FPDF(unit="pt", format=(pages[0].inches[0] * 72, pages[0].inches[1] * 72) if pages else "A4")
    pdf.set_creation_date(_EPOCH)
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_font(FAMILY, "", fonts.regular)
    pdf.add_font(FAMILY, "B", fonts.bold)
    for page in pages:
        pdf.add_page(format=(page.inches[0] * 72, page.inches[1] * 72))
        for band in page.bands:
            pdf.set_fill_color(*_rgb(band.colour))
            pdf.rect(band.x, band.y, band.w, band.h, style="F")
        for rule in page.rules:
            pdf.set_draw_color(*_rgb(rule.colour))
            pdf.set_line_width(rule.width)
            pdf.line(rule.x0, rule.y, rule.x1, rule.y)
        for ln in page.lines:
            pdf.set_font(FAMILY, "B" if ln.bold else "", ln.size)
            pdf.set_text_color(*_rgb(ln.colour))
            x = ln.x - pdf.get_string_width(ln.text) if ln.ha == "right" else ln.x
            pdf.text(x, ln.y, ln.text)
    return bytes(pdf.output())


__all__ = ["MissingGlyphs", "sheet_pdf"]
