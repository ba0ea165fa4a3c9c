"""The search box: suggestions for every place the graph holds facts about and their prefectures and
provinces, units, documents by number and tasks by their words, each with its context, one entry per
thing; /search opens the right page; a name that is not a district says what it is.
Expected values are written from the documents (表7 of 沪府合办发〔2021〕14号, 闵府办发〔2024〕20号)."""
from __future__ import annotations

import pytest


def suggest(client, q):
    r = client.get("/api/search/suggest", params={"q": q})
    assert r.status_code == 200
    return r.json()


# what one types -> the place offered first, its page (GB/T 2260 codes)
FIRST = {"喀什": ("喀什地区", "/place/653100"), "保山": ("保山市", "/place/530500"),
         "昭通": ("昭通市", "/place/530600"), "怒江州": ("怒江傈僳族自治州", "/place/533300"),
         "云南": ("云南省", "/place/530000"), "泸水": ("泸水市", "/place/533301"),
         "思茅": ("普洱市", "/place/530800"), "浦东新": ("浦东新区", "/district/310115"),
         "闵行": ("闵行区", "/district/310112")}


@pytest.mark.parametrize("q", list(FIRST))
def test_places_prefectures_and_provinces_are_suggested(client, q):
    got = suggest(client, q)
    assert (got[0]["label"], got[0]["href"]) == FIRST[q]
    assert got[0]["kind"] == "地方"


def test_each_suggestion_says_where_it_is_and_who_supports_it(client):
    lushui = suggest(client, "泸水")[0]
    assert lushui["context"] == "县级 · 怒江傈僳族自治州 · 云南省 · 支援方：浦东新区"
    kashi = suggest(client, "喀什")[0]
    assert kashi["context"].startswith("地级 · 新疆维吾尔自治区 · 支援方：") and "闵行区" in kashi["context"]
    assert suggest(client, "保山")[0]["context"] == "地级 · 云南省 · 支援方：闵行区"


def test_one_entry_per_place_whatever_form_is_typed(client):
    for q in ("丘北", "丘北县"):
        labels = [s["label"] for s in suggest(client, q)]
        assert labels.count("丘北县") == 1 and "丘北" not in labels, (q, labels)
    labels = [s["label"] for s in suggest(client, "泸水")]
    assert labels.count("泸水市") == 1
    assert len(labels) == len({(s["label"], s["href"]) for s in suggest(client, "泸水")})


def test_units_documents_and_tasks_are_suggested(client):
    unit = suggest(client, "区人社局")[0]
    assert (unit["label"], unit["kind"]) == ("区人力资源和社会保障局", "单位") and "闵行区" in unit["context"]
    doc = suggest(client, "沪府合办发")[0]
    assert (doc["label"], doc["kind"], doc["href"]) == ("沪府合办发〔2021〕14号", "文件", "/document/hfhbf-2021-14")
    assert "《上海对内开放与合作交流“十四五”规划》" in doc["context"]
    task = suggest(client, "疗休养")[0]
    assert (task["label"], task["kind"]) == ("组织赴对口帮扶地区职工疗休养", "任务")
    assert task["context"].startswith("闵行区 2024 年 任务14") and "区人社局" in task["context"]
    assert task["href"] == "/tasks#task:mfbf-2024-20:14"


def test_suggestions_open_pages_that_exist(client):
    for q in ("喀什", "区人社局", "沪府合办发", "疗休养", "闵行"):
        for s in suggest(client, q):
            page = s["href"].split("#")[0]
            assert client.get(page).status_code == 200, s
            if "#" in s["href"]:
                assert f'id="{s["href"].split("#")[1]}"' in client.get(page).text, s


def test_search_page_opens_the_thing_named(client):
    def goes(q):
        r = client.get("/search", params={"q": q}, follow_redirects=False)
        assert r.status_code == 303, (q, r.status_code)
        return r.headers["location"]
    assert goes("喀什") == "/place/653100"
    assert goes("怒江州") == "/place/533300"
    assert goes("闵行") == "/district/310112"
    assert goes("沪府合办发〔2021〕14号") == "/document/hfhbf-2021-14"
    r = client.get("/search", params={"q": "疗休养"})
    assert r.status_code == 200 and "组织赴对口帮扶地区职工疗休养" in r.text and "/tasks#task:mfbf-2024-20:14" in r.text
    assert client.get("/search", params={"q": "xyzq"}).status_code == 404


def test_the_search_box_is_a_labelled_keyboard_combobox(client):
    page = client.get("/").text
    assert '<label for="q">查询</label>' in page
    assert 'role="combobox"' in page and 'aria-controls="q-list"' in page and 'role="listbox"' in page
    js = client.get("/static/site.js").text
    assert "ArrowDown" in js and "aria-activedescendant" in js and "/api/search/suggest" in js


def test_district_command_for_a_county_says_what_it_is(cli):
    res = cli("district", "泸水")
    assert res.exit_code == 4
    assert "泸水市是县级行政区；其支援方为浦东新区（东西部协作）。" in res.stderr
    assert "533301" in res.stderr and "no place is called" not in res.stderr + res.stdout


def test_cli_tables_are_chinese_and_cite_document_numbers(cli):
    res = cli("who-supports", "泸水")
    assert res.exit_code == 0
    for word in ("支援方", "项目类别", "时期", "来源", "2021–至今", "沪府合办发〔2021〕14号", "县级"):
        assert word in res.stdout, word
    assert "hfhbf-2021-14#" not in res.stdout
    res = cli("district", "闵行")
    assert "共 9 个结对县级行政区" in res.stdout and "保山市：施甸县、昌宁县、隆阳区、龙陵县" in res.stdout
