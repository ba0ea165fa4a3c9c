"""/api/search: any name form to one place and its page; /api/search/suggest: what the search box
offers while one types — every place the graph holds facts about with its prefecture and province,
the units, the documents by number, the tasks by their words — each with its context (level, what it
belongs to, who supports it), one entry per thing (丘北 and 丘北县 are one place)."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import lru_cache

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ...errors import AidgraphError
from ...queries.results import SearchResult
from ...queries.service import AidGraph
from ...schema.ids import division_of
from ...schema.labels import KIND_ZH, LEVEL_ZH
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api/search", tags=["search"])


class SuggestionOut(BaseModel):
    label: str = Field(description="what the suggestion shows: a place's full name, a unit, a document number, a task")
    kind: str = Field(description="地方 (place), 单位 (unit), 文件 (document) or 任务 (task)")
    context: str = Field(description="level, what it belongs to, who supports it; a document's title; "
                                     "a task's district and year")
    href: str = Field(description="the page it opens")


@dataclass(frozen=True)
class Suggestion:
    label: str
    kind: str
    context: str
    href: str
    order: int                      # places first, then units, documents, tasks
    keys: tuple[str, ...]           # name forms matched as one types (exact, prefix, part)
    words: str = ""                 # longer text matched by its parts (a task's words)
    keys_exact: frozenset = field(default_factory=frozenset)

    def out(self) -> SuggestionOut:
        return SuggestionOut(label=self.label, kind=self.kind, context=self.context, href=self.href)


def _join(names, most: int = 3) -> str:
    names = list(dict.fromkeys(names))
    return "、".join(names[:most]) + ("等" if len(names) > most else "")


@lru_cache(maxsize=2)
def suggestion_index(aid: AidGraph) -> tuple[Suggestion, ...]:
    """Everything the search box can suggest, for this graph (built once per served graph)."""
    graph = aid.graph()
    out: list[Suggestion] = []
    # who supports what now: a place's own supporters, and for a prefecture or province those of its places
    supporters: dict[str, list[str]] = {}
    for r in aid.pairings():
        if not r.in_force(aid.now):
            continue
        div = division_of(r.place)
        name = aid.place_name(r.supporter)
        for d in (div, *aid.ancestors(div)):
            supporters.setdefault(d, []).append(name)
    nodes = {division_of(n["id"]): n for label in ("County", "Prefecture", "Province", "District", "Municipality")
             for n in graph.nodes(label)}
    divs = set(nodes)
    for d in list(divs):
        divs.update(aid.ancestors(d))
    for div in sorted(divs):
        ref = aid.place_ref(div, div in nodes)
        node = nodes.get(div, {})
        level = LEVEL_ZH.get(ref.level, ref.level)
        parent = " · ".join(x for x in (ref.prefecture, ref.province) if x)
        if ref.level in ("district", "municipality"):
            n_places = len({division_of(r.place) for r in aid.pairings(supporter=div) if r.in_force(aid.now)})
            ctx = f"{level} · 支援方 · 结对 {n_places} 处" if n_places else f"{level} · 上海市"
            href = f"/district/{ref.code}"
        else:
            sup = supporters.get(div, [])
            ctx = " · ".join(x for x in (level, parent, f"支援方：{_join(sup)}" if sup else "") if x)
            href = f"/place/{ref.code}"
        forms = [ref.name, *node.get("short_names", []), *node.get("former_names", [])]
        out.append(Suggestion(ref.name, "地方", ctx, href, 0, tuple(dict.fromkeys(forms)),
                              keys_exact=frozenset([*forms, ref.code])))
    tasks = aid.tasks()
    leads: dict[str, int] = {}
    for t in tasks:
        for u in t.lead_units:
            leads[u.id] = leads.get(u.id, 0) + 1
    for n in sorted(graph.nodes("Unit"), key=lambda n: n["id"]):
        owner = n["id"].split(":")[1]
        try:
            where = aid.place_name(owner)
        except (AidgraphError, KeyError, ValueError):
            where = ""
        kind = KIND_ZH.get(n.get("kind", ""), "单位")
        ctx = " · ".join(x for x in (kind, where, f"牵头 {leads[n['id']]} 项任务" if leads.get(n["id"]) else "") if x)
        forms = [n["name"], *n.get("names_as_written", [])]
        out.append(Suggestion(n["name"], "单位", ctx, f"/units#{n['id']}", 1, tuple(dict.fromkeys(forms)),
                              keys_exact=frozenset(forms)))
    for doc in aid.documents():
        label = doc.number or f"《{doc.title}》"
        ctx = f"《{doc.title}》 · {doc.issuer} · {doc.date}" if doc.number else f"{doc.issuer} · {doc.date}（文号不详）"
        out.append(Suggestion(label, "文件", ctx, f"/document/{doc.id}", 2, (label, doc.title, doc.id),
                              keys_exact=frozenset(x for x in (doc.number, doc.id, doc.title) if x)))
    for t in tasks:
        no = f"任务{t.number}" if t.kind == "task" else f"保障措施{t.number}"
        lead = "、".join(u.name for u in t.lead_units)
        ctx = " · ".join(x for x in (f"{t.district} {t.year} 年 {no}", f"牵头：{lead}" if lead else "") if x)
        out.append(Suggestion(t.title, "任务", ctx, f"/tasks#{t.id}", 3, (t.title,), words=t.text,
                              keys_exact=frozenset([t.title])))
    return tuple(out)


def suggest(aid: AidGraph, q: str, limit: int = 12) -> list[Suggestion]:
    """The suggestions for what has been typed, best first: a name form that is the text, then one that
    starts with it, then one containing it, then a task whose words contain it; places before units,
    documents and tasks. A name form the gazetteer knows (怒江州, 思茅) leads to its place first."""
    text = " ".join(q.split())
    if not text:
        return []
    scored = []
    resolved = None
    with contextlib.suppress(AidgraphError):
        resolved = aid.place_ref(aid.resolve(text).division).code
    for i, s in enumerate(suggestion_index(aid)):
        if resolved and s.kind == "地方" and s.href.endswith("/" + resolved):
            score = 0
        elif text in s.keys_exact:
            score = 1
        elif any(k.startswith(text) for k in s.keys):
            score = 2
        elif any(text in k for k in s.keys):
            score = 3
        elif s.words and all(w in s.words for w in text.split()):
            score = 4
        else:
            continue
        scored.append((score, s.order, len(s.label), i, s))
    scored.sort(key=lambda x: x[:4])
    return [x[-1] for x in scored[:limit]]


@router.get("", response_model=SearchResult, responses=problem_responses(400, 404, 409, 422))
def search(aid: Aid, q: str = Query(..., min_length=1)) -> SearchResult:
    """Resolve any name form to one place (409 with candidates, 404 with suggestions)."""
    ans = aid.who_supports(q)
    kind = "district" if ans.matched.level in ("district", "municipality") else "place"
    return SearchResult(matched=ans.matched, page=f"/{kind}/{ans.matched.code}")


@router.get("/suggest", response_model=list[SuggestionOut], responses=problem_responses(422))
def suggestions(aid: Aid, q: str = Query(..., min_length=1, max_length=100),
                limit: int = Query(12, ge=1, le=50)) -> list[SuggestionOut]:
    """What the search box suggests for ``q``: places (with level, prefecture, province and supporters),
    units, documents by number and tasks by their words, best first, one entry per thing."""
    return [s.out() for s in suggest(aid, q, limit)]
