"""Text normalisation shared by the document parser and the queries: the same
unit name typed by a user and written in a document compare equal."""
from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》、"
_PUNCT = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", ",": "，", "[": "〔", "]": "〕"})


def normalise_line(line: str) -> str:
    """Width-fold, full-width Chinese punctuation, no stray spaces next to Chinese text."""
    s = unicodedata.normalize("NFKC", line)
    s = s.translate(_PUNCT)
    s = re.sub(r"(?<=\d)．", ".", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+", "", s)
    return s
