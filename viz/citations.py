"""Citations as officials read them on pages, pictures and workbooks: each reference of a ``source`` cell
(parsed by ``schema.sources``, the one home of the ``doc#locator`` grammar) as the document's number and
title with the table or item, and a link to its document page."""
from __future__ import annotations

import re
from typing import Any

from ..schema.sources import GAZETTEER_DOC, full_cite, short_cite, split_refs

GAZETTEER_CITE = "国家行政区划代码（GB/T 2260）"


_NOTE = re.compile(r"\s*[(（][^()（）\u4e00-\u9fff]*[)）]")
_LATIN_WORDS = re.compile(r"[A-Za-z]{2,}")


def chinese_note(note: str | None) -> str:
    """A period note as a picture may show it: only a note written in Chinese (the curated tables'
    English notes are shown on the place page, marked as English, not in the Chinese pictures)."""
    return note if note and not _LATIN_WORDS.search(note) else ""


def chinese_lines(tip: str) -> str:
    """A tooltip without the lines of a period note written in English (see ``chinese_note``)."""
    return "\n".join(line for line in (tip or "").split("\n")
                     if not (line.startswith("说明：") and not chinese_note(line[3:])))


def doc_field(doc: Any, key: str) -> Any:
    """``key`` of a document given as a dict or as an object (None when it has no such field)."""
    return doc.get(key) if isinstance(doc, dict) else getattr(doc, key, None)


def cite(source: str | None, docs: dict) -> list[dict]:
    """Each reference of a ``source`` cell as the document number and title officials cite, with the
    address of the document page (anchored at the table or item): {text, href, doc, locator}.
    ``docs``: document id -> an object or dict with ``number`` and ``title``."""
    out = []
    for doc, loc in split_refs(source):
        if doc == GAZETTEER_DOC:
            out.append({"text": GAZETTEER_CITE, "href": "", "doc": doc, "locator": ""})
            continue
        d = docs.get(doc)
        if d is None:
            out.append({"text": f"{doc} {loc}".strip(), "href": "", "doc": doc, "locator": loc})
            continue
        head = full_cite(doc_field(d, "number"), doc_field(d, "title"))
        anchor = loc.split(" ")[0] if loc else ""
        loc = _NOTE.sub("", loc).strip()  # a curator's note in brackets (in English) is not part of the citation
        out.append({"text": f"{head}{(' ' + loc) if loc else ''}",
                    "href": f"/document/{doc}" + (f"#{anchor}" if anchor else ""), "doc": doc, "locator": loc})
    return out


def cite_text(source: str | None, docs: dict) -> str:
    return "；".join(c["text"] for c in cite(source, docs))


def cite_short(source: str | None, docs: dict) -> str:
    """``沪府合办发〔2021〕14号 表7``: each document of a ``source`` cell once, as its number (its title in 《》
    where it has none), with the tables or items cited in it; the gazetteer by its name. ``docs``: document
    id -> a dict or object with number and title (the pictures, the handout's tables and the workbooks)."""
    out: dict[str, list[str]] = {}
    for doc, loc in split_refs(source):
        d = docs.get(doc)
        head = GAZETTEER_CITE if doc == GAZETTEER_DOC else \
            short_cite(doc_field(d, "number"), doc_field(d, "title")) if d is not None else doc
        locs = out.setdefault(head, [])
        first = loc.split(" ")[0] if loc else ""
        if first and first not in locs:
            locs.append(first)
    return "；".join(f"{head} {'、'.join(locs)}".strip() for head, locs in out.items())


def cite_grouped(source: str | None, docs: dict) -> list[dict]:
    """Each document of a ``source`` cell (or of several cells joined with ``; ``) once, with the tables
    and items cited in it, for the pages: {text, href, doc, number, title, locator, locs}. ``text`` is
    ``沪府合办发〔2021〕14号《…》 表7、附录注释2`` and ``href`` the document page; ``locs`` holds each
    table or item once with the address of its anchor ({text, href})."""
    out: dict[str, dict] = {}
    for c in cite(source, docs):
        d = docs.get(c["doc"])
        item = out.get(c["doc"])
        if item is None:
            number = doc_field(d, "number") if d is not None else None
            title = doc_field(d, "title") if d is not None else None
            head = c["text"].removesuffix(c["locator"]).strip() if c["locator"] else c["text"]
            item = out[c["doc"]] = {"doc": c["doc"], "number": number or "", "title": title or "",
                                    "head": head, "href": c["href"].split("#")[0], "locs": []}
        if c["locator"] and c["locator"] not in [x["text"] for x in item["locs"]]:
            item["locs"].append({"text": c["locator"], "href": c["href"]})
    for item in out.values():
        item["locator"] = "、".join(x["text"] for x in item["locs"])
        item["text"] = f"{item['head']} {item['locator']}".strip()
    return list(out.values())
