"""Parser for the guidance on Shanghai's offices outside Shanghai (驻外办事处):
its numbered articles after the general part are the offices' duties."""
from __future__ import annotations

from dataclasses import dataclass

from ..schema.text import normalise_line
from .workpoints.lines import _END, _PAGE, _PART, _SECTION, _join
from .workpoints.model import cn_number

GENERAL_PART = "总体要求"


@dataclass
class Article:
    number: int
    section: str
    title: str
    text: str
    line: int


def parse_guidance(text: str) -> list[Article]:
    articles: list[dict] = []
    part = ""
    for ln, raw in enumerate(text.splitlines(), start=1):
        s = normalise_line(raw)
        if not s or _PAGE.match(s):
            continue
        if _END.search(s):
            articles.append({})
            continue
        if (m := _PART.match(s)) and len(m.group(2)) <= 30:
            part = m.group(2)
            articles.append({})
            continue
        if ((m := _SECTION.match(s)) and part and not part.startswith(GENERAL_PART)
                and (number := cn_number(m.group(1))) is not None):
            articles.append({"number": number, "section": part, "line": ln, "parts": [m.group(2)]})
            continue
        if articles and articles[-1]:
            articles[-1]["parts"].append(s)
    out = []
    for a in articles:
        if not a:
            continue
        body = _join(a["parts"])
        title, _, rest = body.partition("。")
        out.append(Article(a["number"], a["section"], title, rest.strip(), a["line"]))
    return out
