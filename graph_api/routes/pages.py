"""Server-rendered pages (Jinja2, autoescaped), Chinese first: home, place, district, the network
explorer, tasks, units, the documents and each document's text, search, and a page of candidates or
suggestions for a name that is ambiguous or unknown. They read through the same ``AidGraph`` as the
API, so they work on either store, and fetch nothing from outside: vis-network is served from
``/static/vis``, the CJK font as a subset of the glyphs the data and the pages use (``/fonts/…``),
Swagger UI and ReDoc from ``/static/apidocs`` (the fastapi-offline package's copies).

Every picture is a named view (``viz.views.build_view``: pairings, supporters, programme, province,
document) and its download links ask ``/api/export`` for exactly that view with the same filters.
Pages call only ``AidGraph`` methods (and the runtime, for a document's text), and answer their
errors (a name problem, a parameter that is not valid) with a page, never with JSON."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

from ...errors import AidgraphError, Ambiguous, NotADistrict, NotInGraph, Unknown
from ...queries.service import AidGraph
from ...schema.ids import division_of, doc_id, doc_key, place_id
from ...viz import fonts
from ...viz.network import KIND_ZH, LEVEL_ZH, View, aid_network, cite, network_fragment, split_refs
from ..deps import Aid, get_aid, get_runtime
from ..not_a_district import not_a_district_text
from .problems import InvalidParameters

TEMPLATES = Path(__file__).parent.parent / "templates"
_env = Environment(loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), PackageLoader("aidgraph.viz", "templates")]),
                   autoescape=select_autoescape(["html"]))
templates = Jinja2Templates(env=_env)


class PageRoute(APIRoute):
    """A route answering HTML: its errors are answered with an HTML page too (see ``error_page``)."""


router = APIRouter(include_in_schema=False, route_class=PageRoute)
# what a page offers to download: the view on screen, as /api/export makes it
DOWNLOADS = (("png", "图片"), ("svg", "矢量图"), ("pdf", "会议材料"), ("xlsx", "表格"), ("json", "数据"),
             ("html", "交互网页"))
PARAM_NAMES = {"year": "年份", "name": "名称", "q": "查询", "programme": "项目类别", "program": "项目类别",
               "province": "省份", "district": "区", "geo": "地理布局", "view": "视图", "center": "中心"}
VIEW_ZH = {"pairings": "结对关系", "supporters": "支援方", "programme": "项目类别", "province": "省份",
           "document": "文件"}


# -- the data's own date, the font, the text of the pages ---------------------------------------
def data_date(aid: AidGraph) -> str:
    """The date of the newest source document: what the pages' facts are as of."""
    return max((d.date for d in aid.documents() if d.date), default="")


def _template_text() -> str:
    """Every template's text and the interface's own words (this package's modules): the glyphs the
    pages may show besides the data's."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(TEMPLATES.glob("*.html"))]
    viz_templates = files("aidgraph.viz").joinpath("templates")
    parts += [viz_templates.joinpath(n).read_text(encoding="utf-8") for n in ("network.html", "standalone.html")]
    for mod in (Path(__file__).parent.glob("*.py")):
        parts.append(mod.read_text(encoding="utf-8"))
    parts.append(Path(fonts.__file__).parent.joinpath("network.py").read_text(encoding="utf-8"))
    parts.append(Path(__file__).parents[2].joinpath("errors.py").read_text(encoding="utf-8"))
    return "".join(parts)


def _graph_text(aid: AidGraph) -> str:
    graph = aid.graph()
    out = []
    for _, data in graph.g.nodes(data=True):
        out += [str(v) for v in data.values() if isinstance(v, (str, list))]
    for _s, _e, data in graph.g.edges(data=True):
        out += [str(v) for v in data.values() if isinstance(v, str)]
    from .search import suggestion_index
    out += [f"{s.label}{s.context}" for s in suggestion_index(aid)]
    return "".join(out)


@dataclass(frozen=True)
class PageFont:
    version: str
    text: str


_FONTS: dict[int, tuple[AidGraph, PageFont]] = {}


def page_font(request: Request, aid: AidGraph) -> PageFont:
    """The pages' font subset for this graph: the glyphs of the data, the documents' texts and the
    interface; computed once per served graph."""
    hit = _FONTS.get(id(aid))
    if hit and hit[0] is aid:
        return hit[1]
    runtime = get_runtime(request)
    texts = [_template_text(), _graph_text(aid)]
    try:  # the API documentation's own text (its titles are Chinese first)
        import json
        texts.append(json.dumps(request.app.openapi(), ensure_ascii=False))
    except Exception:  # noqa: BLE001 - the pages' glyphs do not depend on it
        pass
    for n in aid.graph().nodes("Document"):
        texts.append(runtime.document_text(n.get("file")) or "")
    chars = fonts.glyphs_of(*texts)
    font = PageFont(fonts.font_version(chars), chars)
    _FONTS.clear()  # one served graph at a time (a reload replaces it)
    _FONTS[id(aid)] = (aid, font)
    return font


# -- what every page gets --------------------------------------------------------------------
def is_page(request: Request) -> bool:
    """Whether an error in this request is answered with a page: the request reached a page route, or it
    reached no route at all outside /api and a browser asked for HTML."""
    route = request.scope.get("route")
    if isinstance(route, PageRoute):
        return True
    return route is None and not request.url.path.startswith("/api") and \
        "text/html" in request.headers.get("accept", "")


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _bilingual(text: str | tuple[str, str]) -> tuple[str, str]:
    """'未找到 not found' -> ('未找到', 'not found'): the Chinese first, the English after it shown as a
    secondary label. A (Chinese, English) pair is taken as it is."""
    if isinstance(text, tuple):
        return text
    for i, c in enumerate(text):
        rest = text[i + 1:]
        if c == " " and _CJK.search(text[:i]) and rest[:1].isascii() and (rest[:1].isalpha() or rest[:1] in "(—-") \
                and not _CJK.search(rest):
            return text[:i].strip(" —-"), rest.strip(" —-")
    return text, ""


def _base(request: Request, aid: AidGraph | None) -> dict:
    if aid is None:
        return {"today": "", "font_url": "", "programs": {}}
    try:
        font = page_font(request, aid)
        font_url = f"/fonts/aidgraph-cjk-{font.version}.woff"
    except Exception:  # noqa: BLE001 - a page still renders (in a system font) if the subset cannot be made
        font_url = ""
    return {"today": data_date(aid), "font_url": font_url, "programs": aid.programmes}


def error_page(request: Request, status: int, title: str, detail: str,
               items: Sequence[str | tuple[str, str]] = (),
               headers: dict | None = None) -> HTMLResponse:
    """The HTML answer to an error in a page: the same title and detail as the API's problem, the
    Chinese first and any English as a secondary label."""
    try:
        aid = get_aid(request)
        base = _base(request, aid)
    except AidgraphError:  # the store itself may be what failed: the page still renders, without the font
        base = _base(request, None)
    zh, en = _bilingual(title)
    dzh, den = _bilingual(detail)
    lines = [_bilingual(i) for i in items]
    return templates.TemplateResponse(request, "error.html",
                                      {**base, "title": zh, "title_en": en, "detail": dzh, "detail_en": den,
                                       "items": lines, "status": status},
                                      status_code=status, headers=headers)


def invalid_parameters_page(request: Request, e: InvalidParameters) -> HTMLResponse:
    items: list[str | tuple[str, str]] = []
    for p in e.errors:
        zh = PARAM_NAMES.get(p.name, p.name)
        if p.type == "missing":
            items.append((f"缺少{zh}", f"{p.name} is missing"))
        else:
            items.append((f"{zh}：“{p.value}” 无效", f"{p.value!r} is not a valid {p.name} ({p.detail})"))
    return error_page(request, e.status, "请求参数无效", "请修改下列参数后重试 Correct these and try again:", items)


def _page(request: Request, template: str, aid: AidGraph, status: int = 200, **ctx) -> HTMLResponse:
    return templates.TemplateResponse(request, template, {**_base(request, aid), **ctx}, status_code=status)


def _docs(aid: AidGraph) -> dict:
    return {d.id: d for d in aid.documents()}


def _sources(aid: AidGraph):
    docs = _docs(aid)
    return lambda source: cite(source, docs)


# -- views and their downloads ---------------------------------------------------------------------
def export_links(view: str | None, center: str | None = None, year: int | None = None,
                 program: str | None = None) -> list[tuple[str, str, str]]:
    """(format, label, address) of each download of the view on screen: ``/api/export`` with the same
    view name and filters (no view: the whole network)."""
    out = []
    for fmt, label in DOWNLOADS:
        q: dict = {}
        if view:
            q["view"] = view
        if center:
            q["center"] = center
        if year is not None:
            q["year"] = year
        if program:
            q["program"] = program.removeprefix("program:")
        q["format"] = fmt
        out.append((fmt, label, "/api/export?" + urlencode(q)))
    return out


def _build_view(aid: AidGraph, view: str, center: str | None, *, year: int | None, program: str | None,
                title: str, fallback) -> View:
    """The named view from ``viz.views`` (what the export makes too); the page's own drawing where that
    module is not there."""
    try:
        from ...viz.views import build_view
    except ImportError:
        return fallback()
    try:
        return build_view(aid, view, center, year=year,
                          program=program.removeprefix("program:") if program else None)
    except AidgraphError:
        return fallback()


@dataclass(frozen=True)
class Years:
    options: list[tuple[int, bool]]  # (year, the sources say something of it)
    silent: list[str]                # ranges the sources are silent on: "2011–2015"
    first: int
    last: int


def years_of(aid: AidGraph) -> Years:
    """The years a year control offers: from the first year a pairing is in force to now, each marked
    with whether the sources say anything of it."""
    records = aid.pairings()
    first = min((r.valid_from for r in records if r.valid_from), default=aid.now)
    last = aid.now
    opts = [(y, any(r.in_force(y) for r in records)) for y in range(first, last + 1)]
    silent, run = [], []
    for y, has in [*opts, (last + 1, True)]:
        if not has:
            run.append(y)
        elif run:
            silent.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
            run = []
    return Years(opts, silent, first, last)


def _year(aid: AidGraph, year: int | None) -> tuple[int | None, str]:
    """The year a page shows and a note when the sources are silent on the year asked, or it is later
    than now (shown as now, said so)."""
    if year is None:
        return None, ""
    ys = years_of(aid)
    if year > ys.last:
        return None, f"所选年份 {year} 年晚于今年（{ys.last} 年）：显示的是 {ys.last} 年的结对关系。"
    if year < ys.first:
        return year, f"来源文件未涉及 {year} 年（最早的资料是 {ys.first} 年）：该年无资料。"
    if not dict(ys.options).get(year, False):
        return year, f"来源文件未涉及 {year} 年（{'、'.join(ys.silent)} 无资料）：该年没有可显示的结对关系。"
    return year, ""


def _name_problem(request: Request, aid: AidGraph, e: Ambiguous | Unknown) -> HTMLResponse:
    cands = aid.candidates(e)
    ambiguous = isinstance(e, Ambiguous)
    from .search import suggest
    more = [] if ambiguous else [s for s in suggest(aid, e.text, limit=8) if s.kind != "地方"]
    return _page(request, "names.html", aid, status=409 if ambiguous else 404, query=e.text,
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
    return _page(request, "home.html", aid, figures=figures, districts=districts, documents=aid.documents(),
                 downloads=export_links(None))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, aid: Aid, q: str = ""):
    from .search import suggest
    text = q.strip()
    if not text:
        return RedirectResponse("/", status_code=303)
    for d in aid.documents():  # a document by its number or id
        if text in (d.id, d.number):
            return RedirectResponse(f"/document/{quote(d.id)}", status_code=303)
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
            return _page(request, "search.html", aid, query=text, hits=hits)
        return _name_problem(request, aid, e)
    ref = aid.place_ref(m.division)
    target = "district" if ref.level in ("district", "municipality") else "place"
    return RedirectResponse(f"/{target}/{quote(ref.code)}", status_code=303)


@router.get("/place/{name}", response_class=HTMLResponse)
def place(request: Request, aid: Aid, name: str, year: int | None = None):
    shown, note = _year(aid, year)
    try:
        ans = aid.who_supports(name, year=shown)
    except (Ambiguous, Unknown) as e:
        return _name_problem(request, aid, e)
    m = ans.matched
    div = m.code
    title = f"{m.name} 支援方" + (f" {shown}" if shown else "")

    def fallback():
        records = aid.pairings(places=[div, *aid.ancestors(div), *aid.descendants(div)])
        return aid_network(aid, records, title=title, year=shown) if records else View(title=title)
    view = _build_view(aid, "supporters", div, year=shown, program=None, title=title, fallback=fallback)
    return _page(request, "place.html", aid, ans=ans, m=m, level=LEVEL_ZH.get(m.level, m.level),
                 frag=network_fragment(view, height="440px"), year=shown, year_note=note, years=years_of(aid),
                 downloads=export_links("supporters", div, shown), agreements=aid.agreements(div),
                 sources=_sources(aid), via_zh=VIA_ZH, form_zh=FORM_ZH, kind_zh=KIND_ZH,
                 year_action=f"/place/{div}")


VIA_ZH = {"self": "", "county": "所辖县", "prefecture": "所在地级行政区", "province": "所在省"}
FORM_ZH = {"full": "全称", "short": "简称", "former": "旧称", "alias": "别称", "code": "代码", "qualified": "限定名称"}


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
    shown, note = _year(aid, year)
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
        return aid_network(aid, records, title=title, year=shown) if records else View(title)
    view = _build_view(aid, "pairings", ref.code, year=shown, program=None, title=title, fallback=fallback)
    tasks = aid.tasks(district=ref.name) if ref.level == "district" else []
    if shown is not None:
        tasks = [t for t in tasks if t.year == shown]
    by_year: dict[int, list] = defaultdict(list)
    for t in tasks:
        by_year[t.year].append(t)
    units = aid.units_of(ref.code)
    return _page(request, "district.html", aid, prof=prof, ref=ref, groups=groups, total=total,
                 sources=_sources(aid), source_list=sources,
                 frag=network_fragment(view, height="480px"), year=shown, year_note=note, years=years_of(aid),
                 tasks_by_year=dict(sorted(by_year.items())), units=units, kind_zh=KIND_ZH,
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
    shown, note = _year(aid, y)
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
        return aid_network(aid, records, title=title, programme=prog, province=prov_code,
                           district=place_id(dist_code) if dist_code else None, year=shown)
    center: str | None
    if dist_code:
        view_name, center = "pairings", dist_code
    elif prov_code:
        view_name, center = "province", prov_code
    else:  # one programme, or (none chosen) every programme
        view_name, center = "programme", prog.removeprefix("program:") if prog else None
    view = _build_view(aid, view_name, center, year=shown, program=prog if view_name != "programme" else None,
                       title=title, fallback=fallback)
    provinces = sorted({aid.province_of(r.place) for r in records})
    districts = sorted({division_of(r.supporter) for r in records})
    return _page(request, "network_page.html", aid, frag=network_fragment(view, geographic=geo, height="72vh"),
                 view=view, problems=problems, programme=prog or "",
                 province=aid.place_name(prov_code) if prov_code else province,  # a code or short form shows selected
                 district=aid.place_name(dist_code) if dist_code else district,
                 year=shown, geo=geo, years=years_of(aid),
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
    return _page(request, "tasks_page.html", aid, tasks=tasks, districts=districts, task_years=task_years,
                 district=district, year=year, unit=unit, sources=_sources(aid))


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
    return _page(request, "units.html", aid, groups=groups, leads=leads, resp=resp, kind_zh=KIND_ZH,
                 sources=_sources(aid))


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, aid: Aid):
    graph = aid.graph()
    held = {doc_key(n["id"]): bool(n.get("file")) for n in graph.nodes("Document")}
    docs = sorted(aid.documents(), key=lambda d: d.date, reverse=True)
    return _page(request, "documents.html", aid, documents=docs, held=held, kind_zh=KIND_ZH,
                 kinds={doc_key(n["id"]): n.get("kind") for n in graph.nodes("Document")})


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
    docs = _docs(aid)
    d = docs.get(key) or next((x for x in docs.values() if x.number == key), None)
    if d is None:
        raise NotInGraph(f"没有编号为“{key}”的文件 (no document {key!r})")
    node = aid.graph().props(doc_id(d.id))
    text = get_runtime(request).document_text(node.get("file"))
    lines = anchored_lines(text) if text else []
    tasks = aid.tasks(document=d.id) if node.get("kind") == "work-points" else []
    # the facts citing this document, by locator
    cited: dict[str, int] = defaultdict(int)
    graph = aid.graph()
    for _, data in graph.g.nodes(data=True):
        for doc, loc in split_refs(data.get("source")):
            if doc == d.id:
                cited[loc.split(" ")[0] if loc else ""] += 1
    title = f"{d.number or ''}《{d.title}》"
    view_fn = lambda: View(title=title)  # noqa: E731
    view = _build_view(aid, "document", d.id, year=None, program=None, title=title, fallback=view_fn)
    return _page(request, "document.html", aid, d=d, node=node, lines=lines, held=text is not None,
                 tasks=tasks, cited=dict(sorted(cited.items())), kind_zh=KIND_ZH, sources=_sources(aid),
                 frag=network_fragment(view, height="440px") if view.nodes else None,
                 downloads=export_links("document", d.id) if view.nodes else [])


# -- the font and the API's documentation, served from packages --------------------------------------
@router.get("/fonts/aidgraph-cjk-{version}.woff")
def font(request: Request, aid: Aid, version: str):
    f = page_font(request, aid)
    body = fonts.subset_woff(f.text)
    cache = "public, max-age=31536000, immutable" if version == f.version else "no-cache"
    return Response(body, media_type="font/woff", headers={"Cache-Control": cache})


def apidocs_dir() -> Path:
    """Swagger UI and ReDoc as the fastapi-offline package ships them (no CDN)."""
    return Path(str(files("fastapi_offline").joinpath("static")))


def _with_font(request: Request, aid: AidGraph, html: str) -> str:
    """An API documentation page with the CJK subset first in every font (its Chinese shows anywhere)."""
    base = _base(request, aid)
    if not base["font_url"]:
        return html
    style = (f"<style>{fonts.font_face_css(base['font_url'])}\n"
             "body, .swagger-ui, .swagger-ui *:not(code):not(pre), redoc, redoc * "
             f"{{ font-family: {fonts.STACK} !important; }}"
             "</style>")
    return html.replace("<head>", "<head>" + style, 1).replace("<html>", '<html lang="zh-CN">', 1)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request, aid: Aid):
    html = get_swagger_ui_html(openapi_url="/openapi.json", title="aidgraph 接口文档 API",
                               swagger_js_url="/static/apidocs/swagger-ui-bundle.js",
                               swagger_css_url="/static/apidocs/swagger-ui.css",
                               swagger_favicon_url="/static/apidocs/favicon.png")
    return HTMLResponse(_with_font(request, aid, bytes(html.body).decode("utf-8")))


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request, aid: Aid):
    html = get_redoc_html(openapi_url="/openapi.json", title="aidgraph 接口文档 API",
                          redoc_js_url="/static/apidocs/redoc.standalone.js",
                          redoc_favicon_url="/static/apidocs/favicon.png", with_google_fonts=False)
    return HTMLResponse(_with_font(request, aid, bytes(html.body).decode("utf-8")))
