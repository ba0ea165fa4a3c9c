"""The graph's pages, Chinese first: home, search, a place, a district, the network explorer, tasks and
units, and a page of candidates or suggestions for a name that is ambiguous or unknown. They read
through the same ``AidGraph`` as the API, so they work on either store.

Every picture is a named view (``page_views.page_view``) whose download links ask ``/api/export``
for exactly that view with the same filters. Pages call only ``AidGraph`` methods, and answer their
errors (a name problem, a parameter that is not valid) with a page, never with JSON (``page_render``).
The documents' pages, the font and the API documentation have their own modules."""
from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup

from ...errors import AidgraphError, Ambiguous, NotADistrict, Unknown
from ...queries.service import AidGraph
from ...schema.ids import division_of, place_id
from ...schema.labels import FORM_ZH, KIND_ZH, LEVEL_ZH, VIA_ZH
from ...viz.network import network_fragment
from ...viz.sankey import overview_legend, overview_svg
from ...viz.timeline import district_timeline, place_timeline
from ...viz.timeline_svg import render as timeline_svg
from ...viz.view import View
from ...viz.views import build_view
from ..deps import Aid
from ..not_a_district import not_a_district_text
from .page_render import PageRoute, error_page, render_page, sources_of
from .page_views import export_links, page_view, shown_year, years_of

router = APIRouter(include_in_schema=False, route_class=PageRoute)


def _name_problem(request: Request, aid: AidGraph, e: Ambiguous | Unknown) -> HTMLResponse:
    cands = aid.candidates(e)
    ambiguous = isinstance(e, Ambiguous)
    from ...queries.search_index import suggest
    more = [] if ambiguous else [s for s in suggest(aid, e.text, limit=8) if s.kind != "地方"]
    return render_page(request, "names.html", aid, status=409 if ambiguous else 404, query=e.text,
                       ambiguous=ambiguous, candidates=cands, level_zh=LEVEL_ZH, more=more)


# -- the pages ---------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def home(request: Request, aid: Aid):
    stats = aid.stats()
    districts = [aid.place_ref(division_of(n), True) for n in sorted({r.supporter for r in aid.pairings()})]
    figures = {"districts": sum(1 for d in districts if d.level == "district"),
               "places": stats.paired[2021].counties, "prefectures": stats.paired[2021].prefectures,
               "programmes": len(aid.programmes), "documents": len(stats.documents),
               "tasks": stats.nodes.get("Task", 0)}
    return render_page(request, "home.html", aid, figures=figures, districts=districts, documents=aid.documents(),
                       downloads=export_links(None))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, aid: Aid, q: str = ""):
    from ...queries.search_index import document_for, suggest
    text = q.strip()
    if not text:
        return RedirectResponse("/", status_code=303)
    doc = document_for(aid, text)  # a document by its id or its number, however its brackets are written
    if doc:
        return RedirectResponse(f"/document/{quote(doc.id)}", status_code=303)
    try:
        m = aid.resolve(text)
    except Ambiguous as e:
        return _name_problem(request, aid, e)
    except Unknown as e:
        hits = suggest(aid, text, limit=30)
        exact = [s for s in hits if text in s.keys_exact]
        if len(exact) == 1:
            return RedirectResponse(exact[0].href, status_code=303)
        if hits:
            return render_page(request, "search.html", aid, query=text, hits=hits)
        return _name_problem(request, aid, e)
    ref = aid.place_ref(m.division)
    target = "district" if ref.level in ("district", "municipality") else "place"
    return RedirectResponse(f"/{target}/{quote(ref.code)}", status_code=303)


@router.get("/place/{name}", response_class=HTMLResponse)
def place(request: Request, aid: Aid, name: str, year: int | None = None):
    shown, note = shown_year(aid, year)
    try:
        ans = aid.who_supports(name, year=shown)
    except (Ambiguous, Unknown) as e:
        return _name_problem(request, aid, e)
    m = ans.matched
    div = m.code
    title = f"{m.name} 支援方" + (f" {shown}" if shown else "")

    def fallback():
        records = aid.pairings(places=[div, *aid.ancestors(div), *aid.descendants(div)])
        return build_view(aid, "network", records=records, title=title, year=shown) if records else View(title=title)
    view = page_view(aid, "supporters", div, year=shown, program=None, title=title, fallback=fallback)
    order = {p: i for i, p in enumerate(aid.programmes)}  # as the view's table: programme, prefecture, place
    supporters = sorted(ans.supporters, key=lambda s: (order.get(s.program_id, 99),
                                                        aid.prefecture_of(s.place_code) or s.place_code,
                                                        s.place_code, s.code.endswith("0000"), s.code))
    tasks = [t for t in ans.tasks if shown is None or t.year <= shown]  # as the view's handout
    timeline = place_timeline(aid, div, shown)
    return render_page(request, "place.html", aid, ans=ans, m=m, timeline=timeline,
                       timeline_svg=timeline_svg(timeline), level=LEVEL_ZH.get(m.level, m.level),
                       supporters=supporters, tasks=tasks,
                       frag=network_fragment(view, height="440px"), year=shown, year_note=note,
                       years=years_of(aid, shown),
                       downloads=export_links("supporters", div, shown), agreements=aid.agreements(div),
                       sources=sources_of(aid), via_zh=VIA_ZH, form_zh=FORM_ZH, kind_zh=KIND_ZH,
                       year_action=f"/place/{div}")


def _groups(aid: AidGraph, code: str, year: int | None) -> tuple[list[dict], int, list[str]]:
    """A district's pairings in force in ``year`` (None: now), by programme and prefecture; the number
    of county-level places paired under the programmes that count toward the documents' totals."""
    when = year if year is not None else aid.now
    records = [r for r in aid.pairings(supporter=code) if r.in_force(when)]
    groups: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, int] = defaultdict(int)
    for r in records:
        pdiv = division_of(r.place)
        ref = aid.place_ref(pdiv, True)
        pref = aid.prefecture_of(pdiv)
        area = aid.place_name(pref) if pref and pref != pdiv else (ref.province or ref.name)
        groups[r.program][area].append((ref.name, ref.code))
        counts[r.program] += r.county_count or 1
    out = [{"program": prog.name, "id": p, "count": counts[p], "colour": prog.colour,
            "prefectures": {k: sorted(v) for k, v in sorted(groups[p].items())}}
           for p, prog in aid.programmes.items() if p in groups]
    total = sum(counts[p] for p in aid.counted_programmes)
    return out, total, sorted({r.source for r in records})


@router.get("/district/{name}", response_class=HTMLResponse)
def district(request: Request, aid: Aid, name: str, year: int | None = None):
    shown, note = shown_year(aid, year)
    try:
        prof = aid.district(name)
    except (Ambiguous, Unknown) as e:
        return _name_problem(request, aid, e)
    except NotADistrict:
        return RedirectResponse(f"/place/{quote(name)}", status_code=303)
    ref = prof.district
    groups, total, sources = _groups(aid, ref.code, shown)
    title = f"{ref.name} 结对关系" + (f" {shown}" if shown else "")

    def fallback():
        records = aid.pairings(supporter=ref.code)
        return build_view(aid, "network", records=records, title=title, year=shown) if records else View(title)
    view = page_view(aid, "pairings", ref.code, year=shown, program=None, title=title, fallback=fallback)
    tasks = aid.tasks(district=ref.name) if ref.level == "district" else []
    task_years = sorted({t.year for t in tasks})  # said where the year shown has none
    if shown is not None:
        tasks = [t for t in tasks if t.year == shown]
    by_year: dict[int, list] = defaultdict(list)
    for t in tasks:
        by_year[t.year].append(t)
    units = aid.units_of(ref.code)
    timeline = district_timeline(aid, ref.code, shown)
    return render_page(request, "district.html", aid, prof=prof, ref=ref, timeline=timeline,
                       timeline_svg=timeline_svg(timeline), groups=groups, total=total,
                       sources=sources_of(aid), source_list=sources,
                       frag=network_fragment(view, height="480px"), year=shown, year_note=note,
                       years=years_of(aid, shown), tasks_by_year=dict(sorted(by_year.items())),
                       task_years=task_years, units=units, kind_zh=KIND_ZH,
                       downloads=export_links("pairings", ref.code, shown), year_action=f"/district/{ref.code}")


@router.get("/network", response_class=HTMLResponse)
def network(request: Request, aid: Aid, programme: str = "", province: str = "", district: str = "",
            year: str = "", geo: bool = False):
    problems: list[tuple[str, str]] = []  # (text, link)
    prog = programme if programme in aid.programmes else None
    if programme and prog is None and f"program:{programme}" in aid.programmes:
        prog = f"program:{programme}"
    if programme and prog is None:
        problems.append((f"没有名为“{programme}”的项目类别：显示全部类别。", ""))
    prov_code = dist_code = None
    y = None
    if year.strip():
        try:
            y = int(year)
        except ValueError:
            problems.append((f"年份“{year}”无效：请选择列表中的年份。", ""))
    shown, note = shown_year(aid, y)
    if note:
        problems.append((note, ""))
    try:
        if province.strip():
            prov_code = aid.resolve(province).division
        if district.strip():
            dist_code = aid.supporter_scope(district)[1].code
    except (Ambiguous, Unknown) as e:
        return _name_problem(request, aid, e)
    except NotADistrict as e:
        problems.append(not_a_district_text(aid, e))
    if dist_code and prov_code:  # one named view at a time: a district's pairings reach several provinces
        problems.append((f"区和省份只能选一项：显示的是{aid.place_name(dist_code)}的全部结对关系。", ""))
        prov_code, province = None, ""
    records = aid.pairings()
    parts = [aid.place_name(dist_code) if dist_code else "", aid.place_name(prov_code) if prov_code else "",
             aid.programmes[prog].name if prog else ""]
    title = " ".join(p for p in parts if p) or "上海对口帮扶关系网络"
    title += " 结对关系" if dist_code else ""
    title += f" {shown}" if shown else ""

    def fallback():
        return build_view(aid, "network", records=records, title=title, program=prog, province=prov_code,
                           district=place_id(dist_code) if dist_code else None, year=shown)
    center: str | None
    if dist_code:
        view_name, center = "pairings", dist_code
    elif prov_code:
        view_name, center = "province", prov_code
    else:  # one programme, or (none chosen) every programme
        view_name, center = "programme", prog.removeprefix("program:") if prog else None
    view = page_view(aid, view_name, center, year=shown, program=prog if view_name != "programme" else None,
                      title=title, fallback=fallback)
    # no filter chosen: the whole network at a glance first (flows district → province → prefecture)
    overview = overview_svg(view, title=f"{title}：结对总览") if view.kind == "programme" and not prog and not geo \
        else ""
    provinces = sorted({aid.province_of(r.place) for r in records})
    districts = sorted({division_of(r.supporter) for r in records})
    return render_page(request, "network_page.html", aid, frag=network_fragment(view, geographic=geo, height="72vh"),
                       view=view, problems=problems, programme=prog or "", overview=Markup(overview),
                       overview_legend=overview_legend(view) if overview else [],
                       # a code or short form shows selected
                       province=aid.place_name(prov_code) if prov_code else province,
                       district=aid.place_name(dist_code) if dist_code else district,
                       year=shown, geo=geo, years=years_of(aid, shown),
                       provinces=[aid.place_name(p) for p in provinces],
                       districts=[aid.place_name(d) for d in districts],
                       downloads=export_links(view_name, center, shown, prog))


@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(request: Request, aid: Aid, district: str = "", year: int | None = None, unit: str = ""):
    try:
        tasks = aid.tasks(district=district or None, year=year, unit=unit or None)
    except (Ambiguous, Unknown) as e:
        return _name_problem(request, aid, e)
    except NotADistrict as e:
        text, _link = not_a_district_text(aid, e)
        return error_page(request, 404, "不是上海的区", text, [])
    except AidgraphError as e:
        return error_page(request, e.status, e.title, e.detail)
    everything = aid.tasks()
    districts = sorted({(t.district_code, t.district) for t in everything})
    task_years = sorted({t.year for t in everything})
    return render_page(request, "tasks_page.html", aid, tasks=tasks, districts=districts, task_years=task_years,
                       district=district, year=year, unit=unit, sources=sources_of(aid))


@router.get("/units", response_class=HTMLResponse)
def units_page(request: Request, aid: Aid):
    owners = sorted({division_of(r.supporter) for r in aid.pairings()})
    tasks = aid.tasks()
    leads: dict[str, int] = defaultdict(int)
    resp: dict[str, int] = defaultdict(int)
    for t in tasks:
        for u in t.lead_units:
            leads[u.id] += 1
        for u in t.responsible_units:
            resp[u.id] += 1
    groups = []
    for code in owners:
        units = aid.units_of(code)
        if units:
            groups.append((aid.place_name(code), code, units))
    return render_page(request, "units.html", aid, groups=groups, leads=leads, resp=resp, kind_zh=KIND_ZH,
                       sources=sources_of(aid))
