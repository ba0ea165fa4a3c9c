"""Text normalisation shared by the document parser and the queries: the same
unit name typed by a user and written in a document compare equal."""
from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》、"
_PUNCT = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", ",": "，", "[": "〔", "]": "〕"})
# Characters that show nothing (or only turn the direction of the text around) but make two equal-looking
# names differ: zero-width space/joiners and the LRM/RLM marks (U+200B-U+200F), the bidi embeddings and
# overrides (U+202A-U+202E) and isolates (U+2066-U+2069), the word joiner and invisible operators
# (U+2060-U+2064), the Arabic letter mark (U+061C), the byte-order mark (U+FEFF) and the soft hyphen (U+00AD).
INVISIBLE = frozenset([0x00AD, 0x061C, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065),
                       *range(0x2066, 0x206A), 0xFEFF])
_DROP = dict.fromkeys(INVISIBLE)


def strip_invisible(text: str) -> str:
    """``text`` without the invisible and bidi control characters of ``INVISIBLE``."""
    return text.translate(_DROP)


# A text that a spreadsheet could take for a formula when it starts with one of these (OWASP's list, with the
# full-width forms a Chinese input method types)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def starts_formula(text) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula: the one rule of every spreadsheet the
    project writes (XLSX cells, SPARQL's CSV)."""
    return isinstance(text, str) and text.startswith(FORMULA_START)


def spreadsheet_safe(text: str) -> str:
    """``text`` as a CSV or TSV cell a spreadsheet shows as written: one that could start a formula gets
    the quote prefix spreadsheets read as "this is text" (OWASP's advice on CSV injection)."""
    return "'" + text if starts_formula(text) else text


_BAD_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]+')
MAX_STEM = 80  # characters: 240 bytes of Chinese, within every file system's 255


def file_stem(title: str) -> str:
    """A title or name as a file name in words, never a path: no control, format (bidi) or invisible
    character, no path separator or character a file system refuses (each run becomes '-'), no '..',
    no leading or trailing '.' or '-', at most ``MAX_STEM`` characters; 'aidgraph' when nothing is left."""
    text = "".join(ch for ch in strip_invisible(unicodedata.normalize("NFC", title or ""))
                   if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    text = _BAD_FILE_CHARS.sub("-", text)
    text = re.sub(r"\.{2,}", ".", text)
    return text[:MAX_STEM].strip("-.") or "aidgraph"


def normalise_line(line: str) -> str:
    """No invisible characters, width-fold, full-width Chinese punctuation, no stray spaces next to Chinese text."""
    s = unicodedata.normalize("NFKC", strip_invisible(line))
    s = s.translate(_PUNCT)
    s = re.sub(r"(?<=\d)．", ".", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+", "", s)
    return s


class _OnFirstUse:
    """``cn2an`` (Chinese numerals), imported when first used: it takes a tenth of a second to import,
    and a command answering from a snapshot of the built graph never parses a document."""

    def __getattr__(self, name: str):
        import cn2an as module
        return getattr(module, name)


cn2an = _OnFirstUse()
