"""Document numbers (文号) compared as people mean them: 闵府办发〔2024〕20号, 闵府办发[2024]020号,
闵府办发（2024）20 号, 闵府办发【2024】20号, 闵府办发2024年20号, 闵府办发〔2024〕第20号, 闵府办发202420号 and
闵府办发〔２０２４〕２０号 (in full-width digits) are one number. Full-width characters are folded, spaces dropped;
a whole number is written back as issuer〔year〕serial号 (brackets of any form, 年 or nothing after the
year, 第 before the serial, the serial's leading zeros, a missing 号); text that is not a whole number (a
number being typed, 沪府合办发[2021) has its brackets made 〔〕 and the serial's leading zeros dropped, so
it is still the start of the number it begins."""
from __future__ import annotations

import re
import unicodedata

from .text import strip_invisible

_OPEN, _CLOSE = "[(【〔［（{", "])】〕］）}"
_YEAR = r"(?:19|20)\d{2}"


def _grammar(bare_year: str) -> str:
    """issuer; the year in brackets (年 allowed inside) or as ``bare_year`` lets it be written; 第; serial."""
    return (rf"(?P<issuer>[\u4e00-\u9fff]{{1,20}})\s*"
            rf"(?:[{re.escape(_OPEN)}]\s*(?P<bracketed>{_YEAR})\s*年?\s*[{re.escape(_CLOSE)}]"
            rf"|(?P<bare>{_YEAR})\s*{bare_year})\s*第?\s*(?P<serial>\d{{1,6}})\s*")


# the whole text is one number: after the year 年 or nothing, 号 may be left out
WHOLE = re.compile(_grammar("年?") + "号?")
# a number within a longer text (a source cell): the year in brackets or followed by 年, and 号 written
NUMBER = re.compile(_grammar("年") + "号")


def _folded(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", strip_invisible(text or "")))


def _canonical(m: re.Match) -> str:
    return f"{m['issuer']}〔{m['bracketed'] or m['bare']}〕{int(m['serial'])}号"


def normalise_number(text: str | None) -> str:
    s = _folded(text)
    whole = WHOLE.fullmatch(s)
    if whole:
        return _canonical(whole)
    s = s.translate(str.maketrans(_OPEN + _CLOSE, "〔" * len(_OPEN) + "〕" * len(_CLOSE)))
    return re.sub(r"〕0+(?=\d)", "〕", s)


def number_key(text: str | None) -> str:
    """A number as it is compared while it is being typed: folded, without brackets, 年, 第 or 号
    (沪府合办发2021 is the start of 沪府合办发〔2021〕14号, whose key is 沪府合办发202114)."""
    return re.sub(rf"[{re.escape(_OPEN + _CLOSE)}年第号]", "", _folded(text))


def same_number(a: str | None, b: str | None) -> bool:
    """True when two document numbers are the same number (an empty one is no number)."""
    na, nb = normalise_number(a), normalise_number(b)
    return bool(na) and na == nb


def find_number(text: str | None) -> tuple[str, str] | None:
    """The document number a cell gives, normalised, and what follows it (a locator such as 第三条),
    or None when the cell gives none."""
    s = unicodedata.normalize("NFKC", strip_invisible(text or ""))
    m = NUMBER.search(s)
    if not m:
        return None
    return _canonical(m), s[m.end():].strip(" ,;，；#")
