"""The fonts of the printed pictures (PNG, SVG, PDF): static instances of Noto Sans SC.

Text is Noto Sans SC (``justmytype-intl-cjk``, SIL Open Font License). That package ships a variable
font whose default instance is the thinnest weight, which neither the PDF's embedded font nor the
rasteriser can vary; so each picture gets a static Regular (and Bold) instance of the glyphs it uses,
made with fontTools and cached on disk (``Settings.cache``/fonts), and as WOFF for an SVG's
``@font-face``."""
from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
import threading
from pathlib import Path

from matplotlib.font_manager import FontProperties

from .fonts import BASE_TEXT, font_path

FAMILY = "Noto Sans SC"

logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

_FONT_LOCK = threading.Lock()
_FONT_FILES: dict[tuple[int, str], str] = {}


def _font_dir() -> Path:
    from ..settings import get_settings
    path = get_settings().cache / "fonts"
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".probe"
        probe.write_bytes(b"")
        probe.unlink()
        return path
    except OSError:  # a read-only home: a folder of this process
        return Path(tempfile.mkdtemp(prefix="aidgraph-fonts-"))


def _instance(chars: str, weight: int, dest: Path) -> None:
    """A static TrueType instance of Noto Sans SC at ``weight`` holding the glyphs of ``chars``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer
    opts = subset.Options()
    opts.layout_features = []  # matplotlib lays text out glyph by glyph
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "STAT", "DSIG", "vhea", "vmtx", "VORG", "MVAR"]
    font = TTFont(str(font_path()), lazy=True)
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    static = instancer.instantiateVariableFont(font, {"wght": weight})
    static.recalcTimestamp = False  # the font's own date, not the clock: the same bytes in every process
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    static.save(str(tmp))
    os.replace(tmp, dest)


def font_file(text: str, weight: int = 400) -> str:
    """The path of a static Noto Sans SC instance at ``weight`` with every glyph of ``text`` (and of the
    base set: ASCII and the common punctuation), made once and cached by its glyph set."""
    chars = "".join(sorted(set(text) | set(BASE_TEXT)))
    key = (weight, chars)
    with _FONT_LOCK:
        if key in _FONT_FILES:
            return _FONT_FILES[key]
        digest = hashlib.sha256(f"2:{font_path().stat().st_size}:{weight}:{chars}".encode()).hexdigest()[:20]
        dest = _font_dir() / f"NotoSansSC-{weight}-{digest}.ttf"
        if not dest.exists():
            _instance(chars, weight, dest)
        _FONT_FILES[key] = str(dest)
        return str(dest)



class Fonts:
    """The regular and bold fonts of one picture, at any size."""

    def __init__(self, text: str, bold_text: str = ""):
        self.regular = font_file(text, 400)
        self.bold = font_file(bold_text or text, 700)

    def __call__(self, size: float, bold: bool = False) -> FontProperties:
        return FontProperties(family=[FAMILY], size=size, weight="bold" if bold else "normal",
                              fname=self.bold if bold else self.regular)


_WOFF: dict[str, bytes] = {}


def woff(path: str) -> bytes:
    """A cached static font file as WOFF (zlib)."""
    with _FONT_LOCK:
        if path not in _WOFF:
            from fontTools.ttLib import TTFont
            font = TTFont(path, recalcTimestamp=False)
            font.flavor = "woff"
            buf = io.BytesIO()
            font.save(buf, reorderTables=True)
            _WOFF[path] = buf.getvalue()
        return _WOFF[path]
