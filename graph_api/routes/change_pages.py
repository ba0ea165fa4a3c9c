"""The ``/changes`` page: what changed between two years (``AidGraph.changes``, what ``/api/changes``
answers), with year pickers marking the years no source covers, the added, ended and changed pairings
with their sources linked to the documents' pages, the totals beside them, and the changes view's
downloads (``/api/export?view=changes``)."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ...errors import AidgraphError, Ambiguous, NotADistrict, Unknown
from ...queries.service import AidGraph
from ..deps import Aid
from ..not_a_district import not_a_district_text
from .page_render import PageRoute, error_page, render_page, sources_of
from .page_views import DOWNLOADS

router = APIRouter(include_in_schema=False, route_class=PageRoute)
CHANGE_DOWNLOADS = ("pdf", "xlsx", "png", "svg")


def change_links(center: str, first: int, second: int, programme: str | None) -> list[tuple[str, str, str]]:
    """(format, label, address) of each download of the changes view of ``center``."""
    labels = dict(DOWNLOADS)
    out = []
    for fmt in CHANGE_DOWNLOADS:
        q = {"view": "changes", "center": center, "from": first, "to": second, "format": fmt}
        if programme:
            q["program"] = programme.removeprefix("program:")
        out.append((fmt, labels.get(fmt, fmt), "/api/export?" + urlencode(q)))
    return out


def _year(text: str, default: int, problems: list[str], what: str) -> int:
    if not text.strip():
        return default
    try:
        y = int(text)
    except ValueError:
        problems.append(f"{what}“{text}”无效：请选择列表中的年份。")
        return default
    if not 1949 <= y <= 2100:
        problems.append(f"{what} {y} 超出范围（1949–2100）。")
        return default
    return y


@router.get("/changes", response_class=HTMLResponse)
def changes_page(request: Request, aid: Aid, district: str = "", place: str = "", programme: str = ""):
    # ``from`` is a Python keyword: the two years are read from the query string as written
    q = request.query_params
    data_year = int(aid.data_date[:4]) if aid.data_date else aid.now
    problems: list[str] = []
    second = _year(q.get("to", ""), data_year, problems, "结束年份")
    first = _year(q.get("from", ""), second - 1, problems, "起始年份")
    if first > second:
        problems.append(f"起始年份 {first} 晚于结束年份 {second}：已对调。")
        first, second = second, first
    district, place, programme = (x.strip()[:100] for x in (district, place, programme))
    try:
        ans = aid.changes(first, second, district=district or None, place=place or None,
                          programme=programme or None)
    except (Ambiguous, Unknown) as e:
        from .pages import _name_problem
        return _name_problem(request, aid, e)
    except NotADistrict as e:
        text, _link = not_a_district_text(aid, e)
        return error_page(request, 404, "不是上海的区", text, [])
    except AidgraphError as e:
        return error_page(request, e.status, e.title, e.detail)
    who = [x for x in (ans.district.name if ans.district else "", ans.place.name if ans.place else "",
                       aid.programmes[ans.programme].name if ans.programme else "") if x]
    center = ans.place.code if ans.place else (ans.district.code if ans.district else "")
    return render_page(request, "changes.html", aid, ans=ans, first=first, second=second,
                       title=f"{' '.join(who) or '全部结对关系'} 结对调整 {first}—{second}",
                       years=aid.year_choices(), problems=problems, district=district, place=place,
                       programme=ans.programme or "", supporters=_supporters(aid), sources=sources_of(aid),
                       downloads=change_links(center, first, second, ans.programme) if center else [])


def _supporters(aid: AidGraph) -> list[str]:
    from ...schema.ids import division_of
    return [aid.place_name(d) for d in sorted({division_of(r.supporter) for r in aid.pairings()})]
