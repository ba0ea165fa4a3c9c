"""Source references, in one place: the ``doc#locator`` grammar of every ``source`` cell and property,
and the citation officials read for a document (its number, else its title in 《》).

A ``source`` holds references separated by ``;`` (a ``;`` inside brackets belongs to a note): each is
``<document id>#<locator>`` (``hfhbf-2021-14#表5 1``), a bare document id, or a continuation that
names a further place in the document before it (``hfhbf-2021-14#表7; 表8``)."""
from __future__ import annotations

from typing import NamedTuple

GAZETTEER_DOC = "gbt2260"  # the pseudo-document of the places and their hierarchy


class SourceRef(NamedTuple):
    """One reference: a document id and the place in it (empty: the whole document)."""
    doc: str
    locator: str = ""

    @classmethod
    def parse(cls, text: str) -> SourceRef:
        """``doc#locator`` (or a bare ``doc``) as a reference, both parts stripped."""
        doc, _, locator = text.partition("#")
        return cls(doc.strip(), locator.strip())

    def __str__(self) -> str:
        return f"{self.doc}#{self.locator}" if self.locator else self.doc


def looks_like_doc_id(text: str) -> bool:
    """A document id as the registers write them (``hfhbf-2021-14``, ``notice-wanbei-2027``, ``gbt2260``)."""
    return text.isascii() and " " not in text and ("-" in text or text == GAZETTEER_DOC)


def _parts(source: str) -> list[str]:
    if not any(ch in source for ch in "(（)）"):  # no brackets (most cells): every ';' separates
        return [p.strip() for p in source.split(";") if p.strip()]
    parts, depth, cur = [], 0, ""
    for ch in source:
        depth += (ch in "(（" and 1) or (ch in ")）" and -1) or 0
        if ch == ";" and depth <= 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def split_refs(source: str | None) -> list[SourceRef]:
    """The references of a ``source`` text, continuations given the document before them; a first
    part naming no document has an empty ``doc``."""
    out: list[SourceRef] = []
    for part in _parts(source or ""):
        if "#" in part or looks_like_doc_id(part):
            out.append(SourceRef.parse(part))
        else:
            out.append(SourceRef(out[-1].doc if out else "", part))
    return out


def source_docs(source: str | None) -> list[str]:
    """The document ids a ``source`` text names, each once, in order."""
    return list(dict.fromkeys(r.doc for r in split_refs(source) if r.doc))


def short_cite(number: str | None, title: str | None) -> str:
    """How a document is cited in a list: its number, else its title in 《》 (``沪府合办发〔2021〕14号``)."""
    return number or f"《{title}》"


def full_cite(number: str | None, title: str | None) -> str:
    """A document cited with number and title (``沪府合办发〔2021〕14号《…规划》``; the title alone without one)."""
    return f"{number or ''}《{title}》"
