"""`--year`: the eras the sources describe."""


def _sup(ans):
    return [(s["name"], s["program"], s["via"]) for s in ans["supporters"]]


def test_zunyi_2019_versus_2022(cli):
    a2019 = cli.json("who-supports", "遵义", "--year", "2019")
    assert _sup(a2019) == [("上海市", "东西部协作", "self")]
    assert a2019["supporters"][0]["county_count"] == 9
    a2022 = cli.json("who-supports", "遵义", "--year", "2022")
    assert a2022["supporters"] == []
    assert [s["valid_to"] for s in a2022["other_periods"]] == [2020]


def test_puer_in_2005_under_its_former_name(cli, client):
    ans = cli.json("who-supports", "普洱", "--year", "2005")
    assert ans["matched"]["name"] == "普洱市" and ans["matched"]["name_then"] == "思茅市"
    assert _sup(ans) == [("上海市", "东西部协作", "self")]
    s = ans["supporters"][0]
    assert (s["valid_from"], s["valid_to"], s["place_as_written"]) == (2001, 2010, "思茅市")
    assert s["source"].startswith("hff-2007-11#")
    assert client.get("/api/places/普洱/supporters", params={"year": 2005}).json() == ans


def test_yunnan_county_before_2021_is_covered_by_the_municipal_pairing(cli):
    ans = cli.json("who-supports", "澜沧", "--year", "2019")
    assert _sup(ans) == [("上海市", "东西部协作", "province")]
    assert ans["supporters"][0]["county_count"] == 74


def test_nujiang_was_not_paired_before_2021(cli):
    """The end-2020 Yunnan pairing excludes 怒江州 and 昭通市."""
    assert cli.json("who-supports", "泸水", "--year", "2019")["supporters"] == []
    assert cli.json("who-supports", "鲁甸县", "--year", "2020")["supporters"] == []
    assert _sup(cli.json("who-supports", "泸水", "--year", "2021")) == [("浦东新区", "东西部协作", "self")]


def test_pairings_outside_yunnan_unchanged_through_2020(cli):
    assert _sup(cli.json("who-supports", "莎车", "--year", "2019")) == [("浦东新区", "对口支援", "self")]


def test_shigatse_in_2005(cli):
    ans = cli.json("who-supports", "日喀则地区", "--year", "2005")
    assert ans["matched"]["name"] == "日喀则市" and ans["matched"]["name_then"] == "日喀则地区"
    assert ("上海市", "对口支援", "self") in _sup(ans)


def test_history_lists_every_period(cli):
    ans = cli.json("who-supports", "普洱", "--history")
    periods = sorted({(s["valid_from"], s["valid_to"]) for s in ans["supporters"]}, key=str)
    assert (2001, 2010) in periods and (2016, 2020) in periods and (2021, None) in periods
    assert ans["other_periods"] == []


def test_simao_names_the_place_it_named_that_year(cli):
    """思茅市 named two places: the county-level city made from 思茅县 in 1993 (翠云区 from 2003, 思茅区
    from 2007) and, from 2003, the prefecture-level city made from 思茅地区 (普洱市 from 2007). The year
    asked decides which, from the first year each name was in force."""
    def matched(year):
        return cli.json("who-supports", "思茅市", "--year", str(year))["matched"]["name"]
    assert matched(1993) == "思茅区"   # the first year of the county-level city
    assert matched(2002) == "思茅区"
    assert matched(2003) == "普洱市"   # the first year of the prefecture-level city
    assert matched(2006) == "普洱市"
    assert cli.json("who-supports", "思茅市", "--year", "1993")["supporters"] == []


def test_the_municipality_counts_its_aggregate_pairings(cli):
    """At the end of 2020 (沪府合办发〔2021〕14号, note 2) Shanghai as a whole supported Yunnan's 74
    counties outside 怒江 and 昭通 and 遵义's 9 counties, stated only in numbers, and 克拉玛依 (Table 7):
    84 county-level places."""
    prof = cli.json("--as-of", "2020", "district", "上海")
    assert prof["paired_places"] == 84
