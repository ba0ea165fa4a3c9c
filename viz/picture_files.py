"""Saving a picture's figure: PNG, SVG or a one-page PDF, with no clock in the files. SVG keeps its text
as text (``svg.fonttype = none``: searchable, editable) and carries the subset of the font it uses as a
WOFF ``@font-face``; PDF embeds the TrueType subset (``pdf.fonttype = 42``)."""
from __future__ import annotations

import base64
import io

import matplotlib
from matplotlib.figure import Figure

from .page_plan import DPI
from .print_fonts import FAMILY, Fonts, woff

# Pictures are drawn in the server's worker threads: no pyplot (its figure registry is global state) and no
# rcParams changed per call. The settings below have no per-figure option, so they are set here, once, when
# the module is imported (import is serialised by Python's import lock).
matplotlib.rcParams["svg.fonttype"] = "none"      # text stays text; the font travels as @font-face
matplotlib.rcParams["svg.hashsalt"] = "aidgraph"  # fixed SVG ids: the same bytes in every process
matplotlib.rcParams["pdf.fonttype"] = 42          # TrueType embedded (subset), not Type 3
matplotlib.rcParams["pdf.compression"] = 6


def save(fig: Figure, fmt: str, fonts: Fonts | None = None) -> bytes:
    """A figure as PNG, SVG (with its fonts as @font-face) or one-page PDF; no dates in the files."""
    buf = io.BytesIO()
    meta = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}
    fig.savefig(buf, format=fmt, dpi=DPI, metadata=meta.get(fmt, {}))
    data = buf.getvalue()
    if fmt == "svg" and fonts is not None:
        data = embed_font(data, fonts)
    return data


def embed_font(svg: bytes, fonts: Fonts) -> bytes:
    """The SVG with its fonts (the static Regular and Bold subsets it draws with) as WOFF @font-face
    rules, so it shows the same with no Chinese font installed."""
    rules = []
    for weight, path in ((400, fonts.regular), (700, fonts.bold)):
        data = base64.b64encode(woff(path)).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
                     f'src: url("data:font/woff;base64,{data}") format("woff"); }}')
    style = '<style type="text/css">' + " ".join(rules) + "</style>\n"
    text = svg.decode("utf-8")
    head, sep, rest = text.partition("<defs>")
    if sep:
        return (head + sep + "\n" + style + rest).encode("utf-8")
    head, sep, rest = text.partition("<g id=\"figure_1\">")
    return (head + "<defs>\n" + style + "</defs>\n" + sep + rest).encode("utf-8")


_WOFF: dict[str, bytes] = {}
