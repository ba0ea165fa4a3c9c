"""Arbitrary text (hypothesis) never crashes name resolution, the unit lookup, the work-points parser
or the API routes that take names: they answer, or raise the project's own errors / answer a problem
document with a 4xx status, never anything else and never a 500."""
from __future__ import annotations

import contextlib
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from aidgraph.errors import AidgraphError
from aidgraph.loaders.workpoints import NotAWorkPlan, decode, parse
from aidgraph.schema.names import resolve

FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# pieces of the names and documents the project reads, to reach past the first check
NAME_PIECES = ["泸水", "泸水市", "云南", "怒江州", "闵行区", "上海市", "普陀区", "区人社局", "区卫健委", "喀什",
               "Lushui", "lu shui", "瀘水", "533301", "310112", "（", "）", "(", ")", "州", "县", "市", "区", "·",
               " ", "\u3000", "\u200b", "\u202e", "\ufeff", "\u00ad", "%", "/", "\\", "?", "#", "&", "..", "\x00",
               "\n", "'", '"', "<script>", "𠀀"]
names = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(NAME_PIECES), max_size=8).map("".join),
    st.tuples(st.sampled_from(NAME_PIECES), st.text(max_size=6), st.sampled_from(NAME_PIECES)).map("".join),
)

DOC_PIECES = ["上海市闵行区人民政府合作交流办公室文件", "闵合办〔2024〕3号", "2024年闵行区对口支援工作要点",
              "关于印发《2024年闵行区对口帮扶工作要点》的通知", "一、", "二、总体要求", "（一）", "（二）产业合作",
              "1.", "2．", "3、", "牵头单位：", "责任单位：", "区人社局", "区卫健委、区教育局", "及", "和", "等",
              "保山市", "昭通", "任务分解表", "序号\t任务\t牵头单位\t责任单位", "1\t产业帮扶\t区发改委\t区商务委",
              "—1—", "- 2 -", "2024年3月1日", "抄送：", "（此件公开发布）", "", " ", "\t", "：", "。"]
documents = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(DOC_PIECES), st.text(max_size=12)), max_size=40).map("\n".join),
    st.lists(st.sampled_from(DOC_PIECES), min_size=3, max_size=60).map("\n".join),
)


@FUZZ
@given(text=names, year=st.one_of(st.none(), st.integers(1900, 2100)))
def test_name_resolution_raises_only_its_own_errors(aid, text, year):
    with contextlib.suppress(AidgraphError):
        resolve(aid.gaz, text, year=year)


@FUZZ
@given(text=names)
def test_unit_lookup_raises_only_its_own_errors(aid, text):
    with contextlib.suppress(AidgraphError):
        aid.unit(text)


@FUZZ
@given(text=documents, force=st.booleans())
def test_the_work_points_parser_refuses_or_reads(text, force):
    try:
        plan = parse(text, force=force, known_units=["区人社局", "区卫健委"])
    except NotAWorkPlan as e:  # ParseRefused is one
        event(type(e).__name__)
        return
    event("read")
    assert plan.tasks and all(t.number >= 1 for t in plan.tasks)


@FUZZ
@given(data=st.binary(max_size=300))
def test_decoding_a_file_refuses_or_reads(data):
    with contextlib.suppress(NotAWorkPlan):
        assert isinstance(decode(data), str)


def _segment(text: str) -> str:
    """A path segment that stays one segment: every reserved character and the dots escaped."""
    return quote(text, safe="").replace(".", "%2E")


ROUTES = [
    lambda n: ("/api/places/" + _segment(n) + "/supporters", {}),
    lambda n: ("/api/districts/" + _segment(n), {}),
    lambda n: ("/api/units/" + _segment(n), {}),
    lambda n: ("/api/search", {"q": n}),
    lambda n: ("/api/search/suggest", {"q": n}),
    lambda n: ("/api/tasks", {"unit": n}),
    lambda n: ("/api/tasks", {"place": n}),
    lambda n: ("/api/tasks", {"district": n}),
    lambda n: ("/api/agreements", {"place": n}),
    lambda n: ("/api/subgraph", {"center": n, "hops": 1}),
]


@pytest.mark.parametrize("route", range(len(ROUTES)))
@settings(FUZZ, max_examples=100)
@given(text=names.filter(lambda s: s != ""))
def test_routes_taking_names_answer_or_refuse_never_fail(client, route, text):
    path, params = ROUTES[route](text)
    r = client.get(path, params=params)
    event(str(r.status_code))
    assert r.status_code in (200, 404, 409, 422), (path, params, r.status_code, r.text[:300])
    if r.status_code != 200:
        assert r.headers["content-type"].startswith("application/problem+json"), (path, r.headers["content-type"])
        body = r.json()
        assert body["status"] == r.status_code and body["type"].startswith("https://w3id.org/aidgraph/problems/")
