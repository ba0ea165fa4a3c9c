"""The Chinese font the pages and the standalone HTML draw every label with: a subset of Noto Sans SC
(SIL Open Font License, shipped by the ``justmytype-intl-cjk`` package) holding only the glyphs of the
text given, made with fontTools' subsetter, fixed at the regular weight (the variable font's other
weights would double the file; a browser draws bold by emboldening it) and written as WOFF2 (brotli,
which is why the ``brotli`` package is a dependency): about 210 KB for the ~1,400 glyphs the pages use.

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
    from fontTools.varLib import instancer
    opts = subset.Options()
    opts.flavor = "woff2"
    opts.notdef_outline = True
    opts.hinting = False
    opts.name_IDs = ["*"]
    font = TTFont(str(font_path()), lazy=True, recalcTimestamp=False)  # the same bytes in every process
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    font = instancer.instantiateVariableFont(font, {"wght": 400})  # the regular weight only
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def subset_woff2(*texts: str) -> bytes:
    """A WOFF2 font holding the glyphs of ``texts`` (and the base set), cached by its characters."""
    return _subset(glyphs_of(*texts))


def font_version(*texts: str) -> str:
    """A short hash of the glyph set: the subset's address changes when its glyphs do."""
    return hashlib.sha256(glyphs_of(*texts).encode("utf-8")).hexdigest()[:12]


def font_face_css(src: str) -> str:
    """The ``@font-face`` rule of the family, from ``src`` (a URL or a data: URL): the regular weight
    (bold is drawn by emboldening it); ``swap``: the text shows at once in a system font and is
    redrawn in this one when it has arrived."""
    return (f'@font-face {{ font-family: "{FAMILY}"; src: url("{src}") format("woff2"); '
            "font-weight: 400; font-display: swap; }")


def inline_font_face(*texts: str) -> str:
    """The ``@font-face`` rule with the subset inlined as a data: URL (for a file that works offline)."""
    data = base64.b64encode(subset_woff2(*texts)).decode("ascii")
    return font_face_css(f"data:font/woff2;base64,{data}")
