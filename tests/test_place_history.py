"""Abolished places point to their successors and to who supports those now.

东川市 (a prefecture-level city of Yunnan, code 530200) was abolished in 1998 and became
昆明市东川区 (530113); 表7 of 沪府合办发〔2021〕14号 pairs 东川区 with 普陀区."""
from __future__ import annotations


def test_an_abolished_place_names_its_successor_and_its_supporters(cli):
    ans = cli.json("who-supports", "东川市")
    assert ans["matched"]["code"] == "530200" and ans["abolished"] == 1997
    [nxt] = ans["successors"]
    assert (nxt["place"]["name"], nxt["place"]["code"], nxt["since"]) == ("东川区", "530113", 1998)
    assert [(s["name"], s["program"]) for s in nxt["supporters"]] == [("普陀区", "东西部协作")]
    text = cli("who-supports", "东川市").stdout
    assert "1998年起为云南省昆明市东川区" in text and "普陀区" in text


def test_a_place_in_force_has_no_successor(cli):
    ans = cli.json("who-supports", "东川区")
    assert ans["abolished"] is None and ans["successors"] == []


def test_a_merged_shanghai_district_points_to_the_district_that_took_it_over(cli):
    # 南汇区 merged into 浦东新区 in 2009; 浦东新区 is a supporter, not a supported place
    ans = cli.json("who-supports", "南汇区")
    assert [(n["place"]["name"], n["since"]) for n in ans["successors"]] == [("浦东新区", 2009)]
