"""The source documents' pages: their list (``/documents``) and each one's register entry and text
(``/document/{key}``), anchored at the tables and items the facts cite."""
from __future__ import annotations

import re
from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ...errors import NotInGraph
from ...schema.ids import doc_id, doc_key
from ...schema.labels import KIND_ZH
from ...schema.sources import full_cite, split_refs
from ...viz.network import network_fragment
from ...viz.view import View
from ..deps import Aid, get_runtime
from .page_render import PageRoute, docs_of, render_page, sources_of
from .page_views import export_links, page_view

router = APIRouter(include_in_schema=False, route_class=PageRoute)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, aid: Aid):
    nodes = aid.document_nodes()
    held = {doc_key(n["id"]): bool(n.get("file")) for n in nodes}
    docs = sorted(aid.documents(), key=lambda d: d.date, reverse=True)
    return render_page(request, "documents.html", aid, documents=docs, held=held, kind_zh=KIND_ZH,
                       kinds={doc_key(n["id"]): n.get("kind") for n in nodes},
                       imports=list(reversed(aid.imports(details=False))))


# the headings of a document's text and the anchors a source's locator names (表7, 一(一)1, 任务3, (三) …)
_TABLE = re.compile(r"^表\s*(\d+)")
_PART = re.compile(r"^([一二三四五六七八九十]+)、")
_SECTION = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")
_ITEM = re.compile(r"^(\d{1,2})\s*[.．、](?!\d)")


def anchored_lines(text: str) -> list[tuple[str, list[str], str]]:
    """The text's non-empty lines as (line, anchors, kind of heading); anchors are the locators the
    sources use, each given to its first line only."""
    out, used = [], set()
    part = section = ""
    part_text = ""
    appendix = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        ids, kind = [], ""
        if m := _TABLE.match(line):
            ids, kind = [f"表{m.group(1)}"], "table"
        elif line.startswith("附录"):
            appendix, part, section, kind = True, "附录", "", "part"
            ids = ["附录"]
        elif m := _PART.match(line):
            part, section, part_text, kind = m.group(1), "", line, "part"
            ids = [part]
        elif m := _SECTION.match(line):
            section, kind = m.group(1), "section"
            ids = [f"{part}({section})" if part else f"({section})", f"({section})"]
            if "保障措施" in part_text:
                ids.append(f"保障措施({section})")
        elif m := _ITEM.match(line):
            n, kind = m.group(1), "item"
            ids = [f"{part}({section}){n}" if section else f"{part}{n}"]
            if appendix:
                ids.append(f"附录注释{n}")
            elif "任务" in part_text:
                ids.append(f"任务{n}")
        fresh = [i for i in dict.fromkeys(ids) if i not in used]
        used.update(fresh)
        out.append((line, fresh, kind))
    return out


@router.get("/document/{key}", response_class=HTMLResponse)
def document_page(request: Request, aid: Aid, key: str):
    docs = docs_of(aid)
    d = docs.get(key) or next((x for x in docs.values() if x.number == key), None)
    if d is None:
        raise NotInGraph(f"没有编号为“{key}”的文件 (no document {key!r})")
    node = next(n for n in aid.document_nodes() if n["id"] == doc_id(d.id))
    text = get_runtime(request).document_text(node.get("file"))
    lines = anchored_lines(text) if text else []
    tasks = aid.tasks(document=d.id) if node.get("kind") == "work-points" else []
    # the facts citing this document, by locator
    cited: dict[str, int] = defaultdict(int)
    for source in aid.sources_citing(d.id):
        for doc, loc in split_refs(source):
            if doc == d.id:
                cited[loc.split(" ")[0] if loc else ""] += 1
    title = full_cite(d.number, d.title)
    view_fn = lambda: View(title=title)  # noqa: E731
    view = page_view(aid, "document", d.id, year=None, program=None, title=title, fallback=view_fn)
    return render_page(request, "document.html", aid, d=d, node=node, lines=lines, held=text is not None,
                       tasks=tasks, cited=dict(sorted(cited.items())), kind_zh=KIND_ZH, sources=sources_of(aid),
                       frag=network_fragment(view, height="440px") if view.nodes else None,
                       downloads=export_links("document", d.id) if view.nodes else [])
