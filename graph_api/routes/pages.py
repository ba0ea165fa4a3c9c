"""Server-rendered pages (Jinja2, autoescaped): home, place, district, network,
and a page of candidates or suggestions for a name that is ambiguous or unknown.
They read through the same ``AidGraph`` as the API, so they work on either store,
and fetch nothing from outside: vis-network is served from ``/static/vis``.
Pages call only ``AidGraph`` methods, and answer their errors (a name problem, a
parameter that is not valid) with a page, never with JSON."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

from ...errors import AidgraphError, Ambiguous, NotADistrict, Unknown
from ...queries.service import AidGraph
from ...schema.ids import division_of, place_id
from ...viz.formats import FORMATS
from ...viz.network import View, aid_network, network_fragment
from ..deps import Aid, get_aid
from .problems import InvalidParameters

_env = Environment(loader=ChoiceLoader([FileSystemLoader(str(Path(__file__).parent.parent / "templates")),
                                        PackageLoader("aidgraph.viz", "templates")]),
                   autoescape=select_autoescape(["html"]))
templates = Jinja2Templates(env=_env)


class PageRoute(APIRoute):
    """A route answering HTML: its errors are answered with an HTML page too (see ``error_page``)."""


router = APIRouter(include_in_schema=False, route_class=PageRoute)
DOWNLOADS = list(FORMATS)
PARAM_NAMES = {"year": "年份", "name": "名称", "q": "查询", "programme": "项目", "province": "省份",
               "district": "区", "geo": "地理布局 geo"}


def is_page(request: Request) -> bool:
    """Whether an error in this request is answered with a page: the request reached a page route, or it
    reached no route at all outside /api and a browser asked for HTML."""
    route = request.scope.get("route")
    if isinstance(route, PageRoute):
        return True
    return route is None and not request.url.path.startswith("/api") and \
        "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, title: str, detail: str, items: list[str] = (),
               headers: dict | None = None) -> HTMLResponse:
    """The HTML answer to an error in a page: the same title and detail as the API's problem."""
    try:
        aid = get_aid(request)
        names, programs = aid.name_forms, aid.programmes
    except AidgraphError:  # the store itself may be what failed: the page still renders, without suggestions
        names, programs = [], {}
    return templates.TemplateResponse(request, "error.html",
                                      {"names": names, "today": date.today().isoformat(), "programs": programs,
                                       "title": title, "detail": detail, "items": list(items)},
                                      status_code=status, headers=headers)


def invalid_parameters_page(request: Request, e: InvalidParameters) -> HTMLResponse:
    items = []
    for p in e.errors:
        zh = PARAM_NAMES.get(p.name, p.name)
        label = zh if zh == p.name else f"{zh} {p.name}"
        if p.type == "missing":
            items.append(f"缺少{label} — {p.name} is missing")
        else:
            items.append(f"{label}：“{p.value}” 无效 — {p.value!r} is not a valid {p.name} ({p.detail})")
    return error_page(request, e.status, e.title, "请修改下列参数后重试 Correct these and try again:", items)


def _page(request: Request, template: str, aid: AidGraph, status: int = 200, **ctx) -> HTMLResponse:
    return templates.TemplateResponse(request, template, {"names": aid.name_forms, "today": date.today().isoformat(),
                                                          "programs": aid.programmes, **ctx}, status_code=status)


def _downloads(center: str | None, hops: int = 2) -> list[tuple[str, str]]:
    out = []
    for fmt in DOWNLOADS:
        q = {"format": fmt, "hops": hops}
        if center:
            q["center"] = center
        out.append((fmt, "/api/export?" + urlencode(q)))
    return out


def _name_problem(request: Request, aid: AidGraph, e: Ambiguous | Unknown) -> HTMLResponse:
    cands = aid.candidates(e)
    ambiguous = isinstance(e, Ambiguous)
    return _page(request, "names.html", aid, status=409 if ambiguous else 404, query=e.text,
                 ambiguous=ambiguous, candidates=cands)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, aid: Aid):
    stats = aid.stats()
    districts = [aid.place_ref(division_of(n), True) for n in sorted({r.supporter for r in aid.pairings()})]
    figures = {"districts": sum(1 for d in districts if d.level == "district"),
               "places": stats.paired[2021].counties, "prefectures": stats.paired[2021].prefectures,
               "programmes": len(aid.programmes), "documents": len(stats.documents), "tasks": stats.nodes.get("Task", 0)}
    return _page(request, "home.html", aid, figures=figures, districts=districts, downloads=_downloads(None))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, aid: Aid, q: str = ""):
    if not q.strip():
        return RedirectResponse("/", status_code=303)
    try:
        m = aid.resolve(q)
    except (Ambiguous, Unknown) as e:
        return _name_problem(request, aid, e)
    d = aid.place_ref(m.division)
    target = "district" if d.level in ("district",) else "place"
    return RedirectResponse(f"/{target}/{quote(d.code)}", status_code=303)


@router.get("/place/{name}", response_class=HTMLResponse)
def place(request: Request, aid: Aid, name: str, year: Optional[int] = None):
    try:
        ans = aid.who_supports(name, year=year)
    except (Ambiguous, Unknown) as e:
        return _name_problem(request, aid, e)
    div = ans.matched.code
    view = View(title=ans.matched.name)
    records = aid.pairings(places=[div, *aid.ancestors(div), *aid.descendants(div)])
    if records:
        view = aid_network(aid, records, title=ans.matched.name, year=year)
    agreements = aid.agreements(ans.matched.code)
    return _page(request, "place.html", aid, ans=ans, frag=network_fragment(view, height="420px"),
                 downloads=_downloads(ans.matched.code), agreements=agreements)


@router.get("/district/{name}", response_class=HTMLResponse)
def district(request: Request, aid: Aid, name: str):
    try:
        prof = aid.district(name)
    except (Ambiguous, Unknown) as e:
        return _name_problem(request, aid, e)
    except NotADistrict:
        return RedirectResponse(f"/place/{quote(name)}", status_code=303)
    sup = place_id(prof.district.code)
    records = aid.pairings(supporter=prof.district.code)
    view = aid_network(aid, records, title=prof.district.name) if records else View(prof.district.name)
    tasks = aid.tasks(district=prof.district.name) if prof.district.level == "district" else []
    by_year: dict[int, list] = defaultdict(list)
    for t in tasks:
        by_year[t.year].append(t)
    units = aid.units_of(prof.district.code)
    return _page(request, "district.html", aid, prof=prof, frag=network_fragment(view, height="480px"),
                 tasks_by_year=dict(sorted(by_year.items())), units=units, downloads=_downloads(prof.district.code))


@router.get("/network", response_class=HTMLResponse)
def network(request: Request, aid: Aid, programme: str = "", province: str = "", district: str = "", year: str = "",
            geo: bool = False):
    problems = []
    prog = programme if programme in aid.programmes else None
    prov_id = dist_id = None
    y = None
    if year.strip():
        try:
            y = int(year)
        except ValueError:
            problems.append(f"year {year!r} is not a year")
    try:
        if province.strip():
            prov_id = aid.resolve(province).division
        if district.strip():
            dist_id = place_id(aid.supporter_scope(district)[0].division)
    except (Ambiguous, Unknown) as e:
        return _name_problem(request, aid, e)
    except NotADistrict as e:
        problems.append(f"{e.name} is not a district")
    records = aid.pairings()
    view = aid_network(aid, records, title="上海对口帮扶关系网络", programme=prog, province=prov_id,
                       district=dist_id, year=y)
    provinces = sorted({aid.province_of(r.place) for r in records})
    districts = sorted({r.supporter for r in records})
    return _page(request, "network_page.html", aid, frag=network_fragment(view, geographic=geo, height="75vh"),
                 view=view, problems=problems, programme=programme, province=province, district=district,
                 year=year, geo=geo, provinces=[aid.place_name(p) for p in provinces],
                 districts=[aid.place_name(d) for d in districts], downloads=_downloads(None))
