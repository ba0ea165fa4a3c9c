"""Every form of a name a cooperation-office user types: traditional and Japanese characters,
pinyin with or without tones, English names, township and statistical codes, names qualified
by their parents (also in brackets); candidates shown with their parents; names too long
refused; suggestions for near misses of each form; and the successors of abolished places.
Expected values are written by hand from the official code lists and the exonym table."""
from __future__ import annotations

import json

import pytest

from aidgraph.errors import Ambiguous, LoadError, NameTooLong, Unknown
from aidgraph.loaders.gazetteer import load_gazetteer
from aidgraph.schema.names import MAX_NAME, resolve
from aidgraph.settings import data_dir


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(data_dir())


FORMS = [  # typed, official name, kind of form, matched form as reported
    ("瀘水", "泸水市", "traditional", "瀘水"),
    ("雲南", "云南省", "traditional", "雲南"),
    ("彌渡縣", "弥渡县", "traditional", "彌渡縣"),
    ("硯山県", "砚山县", "traditional", "硯山県"),          # Japanese 県
    ("雲南怒江瀘水", "泸水市", "traditional", "雲南怒江瀘水"),  # traditional and qualified
    ("Lushui", "泸水市", "pinyin", "Lushui"),
    ("lu shui", "泸水市", "pinyin", "lushui"),
    ("Lúshuǐ", "泸水市", "pinyin", "Lúshuǐ"),
    ("lu2shui3", "泸水市", "pinyin", "lu2shui3"),
    ("Minhang", "闵行区", "pinyin", "Minhang"),             # 行 read hang, as in the place name
    ("Pudong", "浦东新区", "pinyin", "Pudong"),
    ("Kashgar", "喀什地区", "english", "Kashgar"),
    ("Shigatse", "日喀则市", "english", "Shigatse"),
    ("Golog", "果洛藏族自治州", "english", "Golog"),
    ("Shangri-La", "香格里拉市", "english", "Shangri-La"),
    ("shangrila", "香格里拉市", "english", "shangrila"),
    ("Shangri La", "香格里拉市", "english", "ShangriLa"),
    ("Karamay", "克拉玛依市", "english", "Karamay"),
    ("Aksu", "阿克苏地区", "english", "Aksu"),
    ("Yarkand", "莎车县", "english", "Yarkand"),
    ("Gyangze", "江孜县", "english", "Gyangze"),          # Tibetan pinyin Gyangzê, written without its mark
    ("Yatung", "亚东县", "english", "Yatung"),            # Wade–Giles
    ("Sakya", "萨迦县", "english", "Sakya"),              # not 沙雅县 (Shaya) or 三亚市 (Sanya)
    ("Yeken", "莎车县", "english", "Yeken"),              # Uyghur Latin script
    ("Qaghiliq", "叶城县", "english", "Qaghiliq"),
    ("Lhazê", "拉孜县", "english", "Lhazê"),
    ("Lhaze", "拉孜县", "english", "Lhaze"),
    ("533301000000", "泸水市", "code", "533301000000"),
    ("533301000", "泸水市", "code", "533301000"),
    ("533301001000", "泸水市", "code-within", "533301001000"),
    ("533301001", "泸水市", "code-within", "533301001"),
    ("云南省怒江傈僳族自治州泸水市", "泸水市", "qualified", "云南省怒江傈僳族自治州泸水市"),
    ("云南怒江泸水", "泸水市", "qualified", "云南怒江泸水"),
    ("泸水市（云南）", "泸水市", "qualified", "泸水市(云南)"),
    ("泸水(怒江)", "泸水市", "qualified", "泸水(怒江)"),
]


@pytest.mark.parametrize("typed,official,kind,form", FORMS)
def test_each_form_resolves_through_the_command_line(cli, typed, official, kind, form):
    m = cli.json("who-supports", typed)["matched"]
    assert (m["name"], m["form_kind"], m["matched_form"]) == (official, kind, form)


@pytest.mark.parametrize("typed,code", [("普陀区(上海)", "310107"), ("普陀区（浙江）", "330903"),
                                        ("上海普陀", "310107"), ("舟山市普陀区", "330903")])
def test_a_parent_picks_one_of_two_putuo(cli, typed, code):
    m = cli.json("who-supports", typed)["matched"]
    assert (m["name"], m["code"], m["form_kind"]) == ("普陀区", code, "qualified")


def test_the_match_says_what_the_text_was_read_as(gaz):
    assert resolve(gaz, "瀘水").via == "泸水"
    assert resolve(gaz, "硯山県").via == "砚山县"
    assert resolve(gaz, "Lúshuǐ").via == "lushui"
    assert resolve(gaz, "Shangri La").via == "shangrila"
    assert resolve(gaz, "533301001000").via == "533301"


def test_pinyin_of_shanghai_districts_within_the_district_command(cli):
    assert cli.json("district", "Putuo")["district"]["code"] == "310107"  # only one 普陀区 in Shanghai
    assert cli.json("district", "Minhang")["district"]["name"] == "闵行区"


def _candidates(cli, typed):
    res = cli("who-supports", typed, "--json")
    assert res.exit_code == 5, (res.exit_code, res.stdout)
    body = json.loads(res.stdout)
    return body, {c["display"] for c in body["candidates"]}


@pytest.mark.parametrize("typed,expected", [
    ("Dali", {"大理白族自治州（云南省）", "大理市（云南省大理白族自治州）", "大荔县（陕西省渭南市）"}),
    ("宝山", {"宝山区（上海市）", "宝山区（黑龙江省双鸭山市）"}),
    ("普陀", {"普陀区（上海市）", "普陀区（浙江省舟山市）"}),
    ("寶山區", {"宝山区（上海市）", "宝山区（黑龙江省双鸭山市）"}),
    ("Changning", {"长宁区（上海市）", "长宁县（四川省宜宾市）", "常宁市（湖南省衡阳市）", "昌宁县（云南省保山市）"}),
    ("Honghe", {"红河哈尼族彝族自治州（云南省）", "红河县（云南省红河哈尼族彝族自治州）"}),
])
def test_ambiguous_names_list_candidates_with_their_parents(cli, client, typed, expected):
    body, shown = _candidates(cli, typed)
    assert shown == expected
    for text in expected:
        assert text in body["detail"]
    r = client.get(f"/api/places/{typed}/supporters")
    assert r.status_code == 409 and r.json()["candidates"] == body["candidates"]


def test_ambiguous_error_carries_codes_and_labels(gaz):
    with pytest.raises(Ambiguous) as e:
        resolve(gaz, "普陀区")
    assert sorted(e.value.labels) == [("310107", "普陀区（上海市）"), ("330903", "普陀区（浙江省舟山市）")]


def test_a_name_over_64_characters_is_refused(cli, client):
    long = "云南省" * 21 + "泸水"  # 65 characters
    assert len(long) == MAX_NAME + 1
    res = cli("who-supports", long, "--json")
    assert res.exit_code == 6
    body = json.loads(res.stdout)
    assert body["type"].endswith("/name-too-long") and body["status"] == 422 and body["limit"] == 64
    plain = cli("who-supports", long)
    assert plain.exit_code == 6 and "64" in plain.stderr and "Traceback" not in plain.stderr
    assert client.get(f"/api/places/{long}/supporters").status_code == 422
    # 64 characters are looked up (and are no place)
    assert cli("who-supports", long[:MAX_NAME], "--json").exit_code == 4


@pytest.mark.parametrize("text", [
    ("云南怒江泸水普陀区上海" * 7)[:MAX_NAME],
    ("雲南怒江瀘水縣寶山區" * 7)[:MAX_NAME],   # traditional: read twice more, simplified
    "泸" * MAX_NAME,
])
def test_resolution_is_linear_in_the_length(gaz, monkeypatch, text):
    """Counted, not timed: every Chinese lookup goes through Gazetteer.lookup; a qualified name is
    read with at most (length x longest name) lookups per reading, never one per way of splitting."""
    calls = []
    real = gaz.lookup

    def counting(t):
        calls.append(t)
        return real(t)
    monkeypatch.setattr(gaz, "lookup", counting)
    counts = {}
    for n in (16, 32, 64):
        calls.clear()
        with pytest.raises(Unknown):
            resolve(gaz, text[:n])
        counts[n] = len(calls)
        readings = 3  # as typed, simplified, and through the Japanese forms
        assert counts[n] <= readings * (1 + n * gaz.max_form_len), (n, counts[n])
    assert gaz.max_form_len <= 30
    assert counts[64] <= 2 * counts[32] + 2 * 3 * gaz.max_form_len  # doubling the text at most doubles the work


def test_a_pinyin_start_suggests_the_graphs_places_first(cli):
    res = cli("who-supports", "lu", "--json")
    assert res.exit_code == 4
    names = [s["name"] for s in json.loads(res.stdout)["suggestions"]]
    # places the pairings name whose pinyin starts lu (六安 Lu'an, 泸西 Luxi, …), not the nation's first
    assert names and set(names) <= {"六安市", "泸西县", "鲁甸县", "泸水市", "禄劝彝族苗族自治县", "绿春县"}, names


def test_the_shanghai_district_is_the_first_candidate(gaz):
    with pytest.raises(Ambiguous) as e:
        resolve(gaz, "宝山区")
    assert [gaz.get(d).code for d in e.value.divisions] == ["310113", "230506"]  # 上海 before 黑龙江 双鸭山


def test_pinyin_is_indexed_once_not_per_query(gaz, monkeypatch):
    import pypinyin

    def no(*a, **k):
        raise AssertionError("pinyin computed at query time")
    monkeypatch.setattr(pypinyin, "lazy_pinyin", no)
    monkeypatch.setattr(pypinyin, "pinyin", no)
    assert gaz.get(resolve(gaz, "Lushui").division).name == "泸水市"
    assert {gaz.get(f.division).name for f in gaz.pinyin["lushui"]} >= {"泸水市"}


@pytest.mark.parametrize("typed", ["瀘水縣城", "泸水(上海)", "Lushiu", "Lushui Shi Qu", "卢水", "卢水市"])
def test_near_misses_of_every_form_suggest_lushui(cli, typed):
    res = cli("who-supports", typed, "--json")
    assert res.exit_code == 4, (res.exit_code, res.stdout)
    names = [s["name"] for s in json.loads(res.stdout)["suggestions"]]
    assert names[0] == "泸水市", names


# -- English names: the table ----------------------------------------------------------------
def test_every_exonym_row_names_a_current_place_with_a_source(gaz):
    import csv
    with open(data_dir() / "curated" / "exonyms.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 10
    for row in rows:
        assert row["source"].strip(), row
        m = resolve(gaz, row["name"])
        assert (m.kind, gaz.get(m.division).code) == ("english", row["code"]), row


def test_an_exonym_for_no_place_stops_the_load_naming_its_line(data_copy):
    path = data_copy / "curated" / "exonyms.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("Atlantis,999999,made up")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as e:
        load_gazetteer(data_copy)
    assert f"curated/exonyms.csv line {len(lines)}, column code" in str(e.value)
    assert "Atlantis" in str(e.value)


# -- abolished places and their successors ----------------------------------------------------
def test_dongchuan_city_is_succeeded_by_the_district(gaz):
    assert gaz.get("530200").name == "东川市"
    assert gaz.abolished("530200") == 1997
    assert gaz.successors("530200") == [("530113", 1998)]
    assert gaz.get("530113").name == "东川区" and gaz.abolished("530113") is None
    assert gaz.successors("533301") == []


def test_curated_successors_override_the_lists(gaz):
    assert gaz.successors("310108") == [("310106", 2015)]          # 闸北区 -> 静安区
    assert gaz.successors("310103") == [("310101", 2011)]          # 卢湾区 -> 黄浦区
    assert gaz.successors("310119") == [("310115", 2009)]          # 南汇区 -> 浦东新区
    assert gaz.successors("511200") == [("500101", 1997)]          # 万县市 -> 万州区 (重庆)
    assert sorted(gaz.successors("341400")) == [("340100", 2011), ("340200", 2011), ("340500", 2011)]
    assert gaz.successors("513023") == [("511723", 1982)]          # not 万源县, whose code it had


def test_curated_successor_years_follow_the_lists(gaz):
    import csv
    with open(data_dir() / "curated" / "place_successors.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        assert row["source"].strip(), row
        assert gaz.abolished(row["abolished_code"]) == int(row["year"]) - 1, row


def test_name_too_long_is_an_unknown_name_for_fallbacks():
    e = NameTooLong("x" * 65, 64)
    assert isinstance(e, Unknown) and e.exit_code == 6 and e.status == 422
