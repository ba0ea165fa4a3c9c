"""How wide a label is on the printed page, measured conservatively (a label's box on any CJK font),
and text wrapped or cut to a width."""
from __future__ import annotations

import unicodedata


def char_em(ch: str) -> float:
    """The width of a character in em, rounded up: CJK and full-width 1, wide Latin 0.95, other 0.62."""
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    if ch.isupper() or ch in "mw@%&":
        return 0.95
    return 0.62


def text_width(text: str, size: float) -> float:
    """The width of ``text`` at ``size`` points, never less than the font's."""
    return size * sum(char_em(c) for c in text)


def wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (points): breaks at spaces and after CJK punctuation where
    it can, anywhere in a run of CJK characters otherwise."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        line, ems = "", 0.0  # ems: the line's width in em, summed as text_width sums it
        for ch in para:
            em = char_em(ch)
            if size * (ems + em) <= width or not line:
                line += ch
                ems += em
                continue
            cut = max(line.rfind(" "), line.rfind("；"), line.rfind("、"), line.rfind("，"), line.rfind("·"))
            if cut >= len(line) // 2 and cut > 0:
                lines.append(line[:cut + 1].rstrip())
                line = line[cut + 1:].lstrip() + ch
            else:
                lines.append(line)
                line = ch
            ems = sum(char_em(c) for c in line)
        lines.append(line)
    return lines


def clip(text: str, size: float, width: float) -> str:
    """``text`` cut with … to fit ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"

