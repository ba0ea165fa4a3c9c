"""Who supports each of the 106 places of 2021, through the CLI and the API."""
import pytest
from table7 import COUNTS, EAST_WEST, PAIRED_SUPPORT, ROWS


def test_table_written_by_hand_adds_up_to_the_documents_totals():
    assert len(ROWS) == 106
    for d, n in COUNTS.items():
        assert sum(len(c.split()) for c in EAST_WEST[d].values()) + len(PAIRED_SUPPORT[d]) == n
    assert sum(COUNTS.values()) == 105


@pytest.mark.parametrize("district,program,county,pref", ROWS, ids=[r[2] for r in ROWS])
def test_who_supports_every_place_of_2021(cli, client, district, program, county, pref):
    ans = cli.json("who-supports", county)
    m = ans["matched"]
    assert m["level"] in ("county", "prefecture") and m["province"]
    # the place found is the one in the table: same stem, same prefecture
    assert m["name"].startswith(county.rstrip("县市区") or county)
    if pref == "三峡库区":
        assert (m["prefecture"] or m["province"]) in ("重庆市", "宜昌市")
    else:
        assert pref.rstrip("州市") in (m["prefecture"] or m["name"])
    now = [s for s in ans["supporters"] if s["via"] == "self"]
    assert [(s["name"], s["program"]) for s in now] == [(district, program)]
    assert now[0]["valid_to"] is None and now[0]["valid_from"] <= 2021
    assert now[0]["kind"] == ("municipality" if district == "上海市" else "district")
    assert now[0]["source"].startswith("hfhbf-2021-14#表7")
    # the API answers with the very same object
    r = client.get(f"/api/places/{county}/supporters")
    assert r.status_code == 200 and r.json() == ans
    # and in 2021 the same district is in force
    in_2021 = cli.json("who-supports", county, "--year", "2021")["supporters"]
    assert (district, program) in [(s["name"], s["program"]) for s in in_2021]


@pytest.mark.parametrize("district", list(COUNTS))
def test_district_profile_matches_table(cli, client, district):
    ans = cli.json("district", district)
    assert ans["paired_places"] == COUNTS[district]
    ew = next((g for g in ans["programs"] if g["program"] == "东西部协作"), None)
    want_ew = sum(len(c.split()) for c in EAST_WEST[district].values())
    assert ew is not None and ew["count"] == want_ew
    assert len(ew["prefectures"]) == len(EAST_WEST[district])
    ps = next((g for g in ans["programs"] if g["program"] == "对口支援"), None)
    assert (ps["count"] if ps else 0) == len(PAIRED_SUPPORT[district])
    assert client.get(f"/api/districts/{district}").json() == ans


def test_prefecture_lists_its_counties_supporters(cli):
    ans = cli.json("who-supports", "大理州")
    assert ans["matched"]["name"] == "大理白族自治州"
    names = {(s["name"], s["place"]) for s in ans["supporters"]}
    assert ("浦东新区", "巍山彝族回族自治县") in names and ("奉贤区", "漾濞彝族自治县") in names
    assert len(ans["supporters"]) == 11 and {s["via"] for s in ans["supporters"]} == {"county"}


def test_karamay_is_supported_by_the_municipality(cli):
    ans = cli.json("who-supports", "克拉玛依")
    assert [(s["name"], s["kind"], s["program"]) for s in ans["supporters"]] == [("上海市", "municipality", "对口支援")]


def test_stats_reproduce_document_totals(cli, client):
    ans = cli.json("stats")
    assert ans["paired"]["2021"] == {"counties": 106, "prefectures": 21, "provinces": 6}
    assert ans["paired"]["2020"] == {"counties": 101, "prefectures": 20, "provinces": 7}
    # five documents held in data/sources and one cited (the northern-Anhui programme's plan)
    assert ans["nodes"]["District"] == 16 and ans["nodes"]["Document"] == 6
    assert client.get("/api/stats").json() == ans
