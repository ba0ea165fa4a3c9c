"""The handout's table pages laid out as data: A4 portrait pages that the tables flow over, the header row
repeated on each page, each page a list of text lines, shaded bands and rules in points from the top
left. ``viz.formats.pdf`` writes them (with fpdf2: a line of text costs a fraction of what a matplotlib
text does); the tests read them. The tables themselves (headings, columns, rows) come from
``viz.formats.pdf``'s sections."""
from __future__ import annotations

from dataclasses import dataclass, field

from .text_measure import wrap

PORTRAIT = (8.27, 11.69)  # A4, inches
M = 40.0          # page margin, points
BODY = 8.5        # table text size
LINE = 11.5       # table line height
PAD = 3.0
INK = "#1a1a1a"


@dataclass(frozen=True)
class Line:
    """One line of text, its baseline at ``y`` (points from the top); ``ha="right"``: it ends at ``x``."""
    x: float
    y: float
    text: str
    size: float
    bold: bool = False
    colour: str = INK
    ha: str = "left"


@dataclass(frozen=True)
class Band:
    """A shaded rectangle behind a table's header or group row."""
    x: float
    y: float
    w: float
    h: float
    colour: str


@dataclass(frozen=True)
class Rule:
    """A horizontal rule from ``x0`` to ``x1`` at ``y``."""
    y: float
    x0: float
    x1: float
    colour: str
    width: float


@dataclass
class SheetPage:
    """One table page: what is drawn on it, in drawing order (bands, then rules, then text)."""
    lines: list[Line] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    inches: tuple[float, float] = PORTRAIT

    def words(self) -> list[str]:
        return [ln.text for ln in self.lines]


class Sheet:
    """Lays the handout's sections out over ``SheetPage``s (``pages``)."""

    def __init__(self, title: str, data_date: str | None):
        self.title, self.data_date = title, data_date
        self.pages: list[SheetPage] = []
        self.w, self.h = PORTRAIT[0] * 72, PORTRAIT[1] * 72
        self.y = 0.0

    @property
    def _page(self) -> SheetPage:
        return self.pages[-1]

    def put(self, x: float, y: float, text: str, size: float, bold: bool = False, colour: str = INK,
            ha: str = "left") -> None:
        self._page.lines.append(Line(x, y, text, size, bold, colour, ha))

    def rule(self, y: float, colour: str, width: float) -> None:
        self._page.rules.append(Rule(y, M, self.w - M, colour, width))

    def band(self, y: float, height: float, colour: str) -> None:
        self._page.bands.append(Band(M, y, self.w - 2 * M, height, colour))

    @property
    def bottom(self) -> float:
        return self.h - M - 10

    def page(self) -> None:
        self.pages.append(SheetPage())
        more = "（续）" if len(self.pages) > 1 else ""
        self.put(M, M + 4, f"{self.title} · 会议材料{more}", 10, True, "#333333")
        self.rule(M + 10, "#999999", 0.6)
        foot = f"数据截至 {self.data_date}（来源文件中最新的日期） · aidgraph" if self.data_date else "aidgraph"
        self.put(M, self.h - M + 14, foot, BODY, colour="#444444")
        self.y = M + 30

    def mark(self, page: SheetPage, text: str) -> None:
        """The page's number (``第 3 页，共 9 页``) at its foot, on the right."""
        page.lines.append(Line(self.w - M, self.h - M + 14, text, BODY, colour="#444444", ha="right"))

    def need(self, height: float) -> bool:
        """A new page when ``height`` does not fit on this one; True if one was started."""
        if not self.pages or self.y + height > self.bottom:
            self.page()
            return True
        return False

    def section(self, s: dict) -> None:
        first_row = self._row_height(s["rows"][0], s["cols"]) if s["rows"] else 0
        self.need(26 + first_row + (LINE + 2 * PAD) * 2)
        self.y += 6
        self.put(M, self.y + 10, s["heading"], 12, True)
        self.y += 20
        if s.get("sub"):
            for line in (part for para in s["sub"].split("\n") for part in wrap(para, 9, self.w - 2 * M)):
                self.need(13)
                self.put(M, self.y + 9, line, 9, colour="#333333")
                self.y += 13
            self.y += 4
        if s["cols"]:
            self.table(s["cols"], s["rows"], s.get("groups", {}))
        self.y += 14

    def _widths(self, cols) -> list[float]:
        fixed = sum(w for _h, w in cols)
        return [w or (self.w - 2 * M - fixed) for _h, w in cols]

    def _cells(self, row, cols) -> list[list[str]]:
        return [wrap(str(c), BODY, w - 2 * PAD) for c, w in zip(row, self._widths(cols), strict=True)]

    def _row_height(self, row, cols) -> float:
        return max(len(c) for c in self._cells(row, cols)) * LINE + 2 * PAD

    def header(self, cols) -> None:
        height = LINE + 2 * PAD
        self.band(self.y, height, "#e3e9f0")
        x = M
        for (head, _w), w in zip(cols, self._widths(cols), strict=True):
            self.put(x + PAD, self.y + PAD + BODY, head, BODY, True)
            x += w
        self.y += height
        self.rule(self.y, "#7f8c9a", 0.7)

    def table(self, cols, rows, groups: dict[int, str]) -> None:
        self.header(cols)
        widths = self._widths(cols)
        for i, row in enumerate(rows):
            if i in groups:
                height = LINE + 2 * PAD
                if self.need(height + self._row_height(row, cols)):
                    self.header(cols)
                self.band(self.y, height, "#f1f1f1")
                self.put(M + PAD, self.y + PAD + BODY, groups[i], BODY, True, "#333333")
                self.y += height
            cells = self._cells(row, cols)
            height = max(len(c) for c in cells) * LINE + 2 * PAD
            if self.need(height):
                self.header(cols)
            x = M
            for lines, w in zip(cells, widths, strict=True):
                for k, line in enumerate(lines):
                    self.put(x + PAD, self.y + PAD + BODY + k * LINE, line, BODY)
                x += w
            self.y += height
            self.rule(self.y, "#cfcfcf", 0.5)


__all__ = ["BODY", "LINE", "PAD", "PORTRAIT", "Band", "Line", "M", "Rule", "Sheet", "SheetPage"]
