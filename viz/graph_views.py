"""The views built from the graph rather than named by officials: the pages' network (pairing records
filtered by programme, province and supporter) and a subgraph around a centre (the experts' hops form,
and the exports of a subgraph). Registered by name in ``viz.views`` (the one builder)."""
from __future__ import annotations

from ..schema.eras import period_text
from ..schema.graph import CanonicalGraph
from ..schema.ids import division_of, doc_key, place_id
from ..schema.labels import FACT_ZH, RELATION_ZH, kind_zh, level_zh
from ..schema.model import LEVEL_LABEL
from .citations import GAZETTEER_CITE, chinese_note, cite_text
from .styles import SHOWN_LABELS
from .view import View, dedupe_edges


def _tip(*lines: str) -> str:
    return "\n".join(x for x in lines if x)


def network_view(aid, pairings: list, *, title: str,
                programme: str | None = None, province: str | None = None, district: str | None = None,
                year: int | None = None) -> View:
    """The aid network from pairing records (any store): supporters -> places, places -> prefectures.
    ``province`` is a division code, ``district`` a node id. Without ``year``, the pairings in force now."""
    docs = {d.id: d for d in aid.documents()}
    view = View(title=title, source_line="来源：" + "；".join(
        cite_text(d, docs) for d in sorted({p.source.split("#")[0] for p in pairings})))
    seen: set[str] = set()
    when = year if year is not None else aid.now

    def add_place(nid: str):
        if nid in seen:
            return
        seen.add(nid)
        ref = aid.place_ref(division_of(nid), True)
        where = " · ".join(x for x in (ref.prefecture, ref.province) if x)
        level = level_zh(ref.level)
        view.nodes.append({"id": nid, "label": ref.name, "group": LEVEL_LABEL[ref.level], "code": ref.code,
                           "title": _tip(ref.name, f"{level} · {where}" if where else level,
                                         f"代码 {ref.code}", f"来源：{GAZETTEER_CITE}")})

    for p in pairings:
        if programme and p.program != programme:
            continue
        if not p.in_force(when):
            continue
        place = division_of(p.place)
        if province and aid.province_of(place) != province and place != province:
            continue
        if district and p.supporter != district:
            continue
        add_place(p.supporter)
        add_place(p.place)
        pref = aid.prefecture_of(place)
        if pref and pref != place:
            add_place(place_id(pref))
            view.edges.append({"from": p.place, "to": place_id(pref), "kind": "PART_OF", "dashes": True,
                               "title": f"{aid.place_name(p.place)} 属于 {aid.place_name(pref)}"})
        prog = aid.programmes[p.program]
        view.programmes[p.program] = (prog.name, prog.colour)
        names = f"{aid.place_name(p.supporter)} → {aid.place_name(p.place)}"
        view.edges.append({"from": p.supporter, "to": p.place, "kind": p.program,
                           "label": prog.name, "title": _tip(names,
                                                             prog.name, period_text(p.valid_from, p.valid_to),
                                                             f"说明：{chinese_note(p.period_note)}"
                                                             if chinese_note(p.period_note) else "",
                                                             f"来源：{cite_text(p.source, docs)}")})
    view.edges = dedupe_edges(view.edges)
    view.seats = aid.seats([n["id"] for n in view.nodes])
    return view


def subgraph_view(graph: CanonicalGraph, node_ids: set[str], title: str) -> View:
    """A display view of a canonical subgraph: pairings drawn as edges, other facts as nodes."""
    view = View(title=title, facts=set(node_ids))
    docs: set[str] = set()
    register = {doc_key(d["id"]): d for d in graph.nodes("Document")}
    for nid in sorted(node_ids):
        data = graph.props(nid)
        label = data["label"]
        if label == "Pairing":
            sup, place, prog = graph.out(nid, "SUPPORTER"), graph.out(nid, "SUPPORTED"), graph.out(nid, "UNDER")
            if sup and place and sup[0] in node_ids and place[0] in node_ids:
                p = graph.props(prog[0])
                view.programmes[prog[0]] = (p["name"], p["colour"])
                names = f"{graph.props(sup[0])['name']} → {graph.props(place[0])['name']}"
                view.edges.append({"from": sup[0], "to": place[0], "kind": prog[0], "label": p["name"],
                                   "title": _tip(names, p["name"],
                                                 period_text(data.get("valid_from"), data.get("valid_to")),
                                                 f"来源：{cite_text(data['source'], register)}")})
                docs.update(s.split("#")[0] for s in data["source"].split("; ") if "#" in s)
            continue
        if label not in SHOWN_LABELS:
            continue
        name = data.get("name") or data.get("title") or data.get("number") or nid
        if label == "Task":
            name = f"{data['year']} {kind_zh(data['kind'])}{data['number']} {data['title']}"
        facts = [f"{FACT_ZH[k]}：{level_zh(v) if k == 'level' else kind_zh(v) if k == 'kind' else v}"
                 for k, v in data.items() if k in FACT_ZH and v]
        view.nodes.append({"id": nid, "label": name, "group": label, "code": data.get("code"),
                           "title": _tip(name, *facts, f"来源：{cite_text(data.get('source', ''), register)}"
                                         if data.get("source") else "")})
        if data.get("source") and "#" in data.get("source", ""):
            docs.add(data["source"].split("#")[0])
    shown = view.node_ids()
    for s, e, data in graph.edges():
        if s in shown and e in shown and data["type"] in RELATION_ZH:
            view.edges.append({"from": s, "to": e, "kind": data["type"], "dashes": data["type"] == "PART_OF",
                               "title": RELATION_ZH.get(data["type"], data["type"])
                               + (f"（原文：{data['as_written']}）" if data.get("as_written") else "")})
    view.edges = dedupe_edges(view.edges)
    view.source_line = ("来源：" + "；".join(cite_text(d, register) for d in sorted(docs)) if docs
                        else f"来源：{GAZETTEER_CITE}")
    from .workbook import data_date
    view.data_date = data_date(graph).date().isoformat()
    seats = {n["id"]: graph.props(n["id"]) for n in view.nodes}
    view.seats = {nid: (p["longitude"], p["latitude"]) for nid, p in seats.items() if "longitude" in p}
    return view
