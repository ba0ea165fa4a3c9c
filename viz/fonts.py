"""The Chinese font the pages and the standalone HTML draw every label with: a subset of Noto Sans SC
(SIL Open Font License, shipped by the ``justmytype-intl-cjk`` package) holding only the glyphs of the
text given, made with fontTools' subsetter and written as WOFF (zlib; no brotli needed).

A page names the family ``AidgraphCJK`` first in every ``font-family`` (CSS, the canvas labels,
tooltips), so a machine with no Chinese font installed still shows Chinese, and nothing is fetched
from outside: the pages get the subset from the app, the standalone HTML carries it as a data: URL."""
from __future__ import annotations

import base64
import hashlib
import io
import string
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

FAMILY = "AidgraphCJK"
STACK = f'"{FAMILY}", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
# always present, whatever the text: digits, Latin letters, punctuation, and the interface's own marks
BASE_TEXT = string.printable + "，。、；：？！“”‘’（）《》〔〕【】—…·–→←↑↓×✓▲▼★◆●○■□·　"


def font_path() -> Path:
    return Path(str(files("justmytype_intl_cjk").joinpath("fonts", "ofl", "notosanssc", "NotoSansSC[wght].ttf")))


def glyphs_of(*texts: str) -> str:
    """The sorted distinct characters of ``texts`` and of the base set (what a subset must hold)."""
    chars = set(BASE_TEXT)
    for t in texts:
        chars.update(t)
    return "".join(sorted(c for c in chars if c.isprintable() or c == " "))


@lru_cache(maxsize=8)
def _subset(chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    opts = subset.Options()
    opts.flavor = "woff"
    opts.layout_features = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.name_IDs = ["*"]
    font = TTFont(str(font_path()), lazy=True, recalcTimestamp=False)  # the same bytes in every process
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


def subset_woff(*texts: str) -> bytes:
    """A WOFF font holding the glyphs of ``texts`` (and the base set), cached by its characters."""
    return _subset(glyphs_of(*texts))


def font_version(*texts: str) -> str:
    """A short hash of the glyph set: the subset's address changes when its glyphs do."""
    return hashlib.sha256(glyphs_of(*texts).encode("utf-8")).hexdigest()[:12]


def font_face_css(src: str) -> str:
    """The ``@font-face`` rule of the family, from ``src`` (a URL or a data: URL); every weight one file."""
    return (f'@font-face {{ font-family: "{FAMILY}"; src: url("{src}") format("woff"); '
            "font-weight: 100 900; font-display: block; }")


def inline_font_face(*texts: str) -> str:
    """The ``@font-face`` rule with the subset inlined as a data: URL (for a file that works offline)."""
    data = base64.b64encode(subset_woff(*texts)).decode("ascii")
    return font_face_css(f"data:font/woff;base64,{data}")
