"""Name resolution: every form a user may type, ambiguity, unknown names, and
the project's alias table checked against the official yearly code lists."""
import csv

import pytest

from aidgraph.loaders.gazetteer import load_gazetteer
from aidgraph.settings import data_dir

FORMS = [  # typed, official name, kind of form
    ("泸水", "泸水市", "short"),
    ("泸水市", "泸水市", "full"),
    ("喀什", "喀什地区", "short"),
    ("文山州", "文山壮族苗族自治州", "short"),
    ("巍山县", "巍山彝族回族自治县", "short"),
    ("巍山彝族回族自治县", "巍山彝族回族自治县", "full"),
    ("剑川县", "剑川县", "full"),
    ("芒市", "芒市", "full"),
    ("思茅", "普洱市", "former"),
    ("思茅市", "普洱市", "former"),
    ("日喀则地区", "日喀则市", "former"),
    ("潞西市", "芒市", "former"),
    ("530827", "孟连傣族拉祜族佤族自治县", "code"),
    ("上海市普陀区", "普陀区", "qualified"),
    ("浦东", "浦东新区", "alias"),
    (" 泸 水 ", "泸水市", "short"),  # spaces from PDF extraction
]


@pytest.mark.parametrize("typed,official,kind", FORMS)
def test_each_form_resolves(cli, client, typed, official, kind):
    ans = cli.json("who-supports", typed)
    assert ans["matched"]["name"] == official
    assert ans["matched"]["form_kind"] == kind
    assert ans["matched"]["matched_form"] == typed.replace(" ", "")


def test_former_name_reports_the_year(cli):
    m = cli.json("who-supports", "思茅")["matched"]
    assert m["former_until"] == 2006  # renamed 普洱市 in 2007
    m = cli.json("who-supports", "泸水县")["matched"]
    assert m["name"] == "泸水市" and m["former_until"] == 2015


@pytest.mark.parametrize("typed,expected", [
    ("红河", {"红河县", "红河哈尼族彝族自治州"}),
    ("普陀区", {("普陀区", "上海市"), ("普陀区", "浙江省")}),
    ("宝山区", {("宝山区", "上海市"), ("宝山区", "黑龙江省")}),
])
def test_ambiguous_names_return_candidates(cli, client, typed, expected):
    res = cli("who-supports", typed, "--json")
    assert res.exit_code == 5
    import json
    body = json.loads(res.stdout)
    cands = body["candidates"]
    got = {c["name"] for c in cands} if all(isinstance(e, str) for e in expected) else {
        (c["name"], c["province"] or c["name"]) for c in cands}
    assert got == expected
    r = client.get(f"/api/places/{typed}/supporters")
    assert r.status_code == 409 and r.json()["candidates"] == cands


def test_unknown_name_gives_suggestions(cli, client):
    res = cli("who-supports", "泸水县城", "--json")
    assert res.exit_code == 4
    import json
    sugg = json.loads(res.stdout)["suggestions"]
    assert sugg and sugg[0]["name"] == "泸水市"
    r = client.get("/api/places/泸水县城/supporters")
    assert r.status_code == 404 and r.json()["suggestions"] == sugg
    plain = cli("who-supports", "泸水县城")
    assert plain.exit_code == 4 and "泸水市" in plain.stderr


def test_nonsense_is_unknown_without_traceback(cli):
    res = cli("who-supports", "zzzz")
    assert res.exit_code == 4 and "Traceback" not in res.stderr + res.stdout


def test_district_command_prefers_shanghai(cli):
    assert cli.json("district", "普陀区")["district"]["code"] == "310107"
    assert cli.json("district", "浦东")["district"]["name"] == "浦东新区"
    res = cli("district", "泸水")
    assert res.exit_code == 4


def _alias_rows():
    with open(data_dir() / "curated" / "aliases.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("row", [r for r in _alias_rows() if r["kind"] == "former"], ids=lambda r: r["alias"])
def test_alias_table_agrees_with_the_official_lists(row):
    """A renamed place: the lists show the old name up to the year before the change
    and the new one from that year, for the same division."""
    gaz = load_gazetteer(data_dir())
    changed = int(row["changed"])
    (div,) = [d for d in gaz.divisions.values() if d.name == row["name"] and d.last_year == gaz.latest_year]
    names = {n for n, _f, _l in div.names} | {s for s, _f, _l in div.shorts}
    assert row["alias"] in names or row["alias"] + "市" in names
    assert div.name_in(changed - 1) != row["name"]
    assert div.name_in(changed) == row["name"]
