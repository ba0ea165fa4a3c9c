"""Document numbers (文号) compared as people mean them: 闵府办发〔2024〕20号, 闵府办发[2024]020号,
闵府办发（2024）20 号 and 闵府办发〔２０２４〕２０号 (in full-width digits) are one number. Full-width characters
are folded, spaces dropped, every bracket form (〔〕 [] () ［］ （） 【】) becomes 〔〕 and leading zeros of the
serial go."""
from __future__ import annotations

import re
import unicodedata

from ..schema.text import strip_invisible

_OPEN, _CLOSE = "[(【〔［（{", "])】〕］）}"
# issuer, year in brackets, serial, 号 (as written, before folding)
NUMBER = re.compile(r"[\u4e00-\u9fff]{1,20}\s*[\[(【〔［（{]\s*(?:19|20)\d{2}\s*[\])】〕］）}]\s*\d+\s*号")


def normalise_number(text: str | None) -> str:
    s = unicodedata.normalize("NFKC", strip_invisible(text or ""))
    s = re.sub(r"\s+", "", s)
    s = s.translate(str.maketrans(_OPEN + _CLOSE, "〔" * len(_OPEN) + "〕" * len(_CLOSE)))
    return re.sub(r"〕0+(?=\d)", "〕", s)


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
    return normalise_number(m.group(0)), s[m.end():].strip(" ,;，；#")
