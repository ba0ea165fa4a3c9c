"""How the documents count paired places (106 county-level places in 21
prefectures of 6 provinces for 2021): one definition, used by the loader's
validation and by the ``stats`` query of every store."""
from __future__ import annotations

from ..loaders.gazetteer import Gazetteer

AID_PROGRAMS = ("program:east-west", "program:paired-support")


def in_force(record: dict, year: int) -> bool:
    vf, vt = record.get("valid_from"), record.get("valid_to")
    return (vf is None or vf <= year) and (vt is None or year <= vt)


def paired_totals(records: list[dict], year: int, gaz: Gazetteer) -> dict[str, int]:
    """Counties, prefectures and provinces paired in ``year``.

    A pairing with ``county_count`` is an aggregate the source states only in
    numbers (Yunnan except 怒江/昭通 at the end of 2020: 74 counties in 13
    prefectures); any other pairing counts its place once. A county directly
    under a province-level municipality (重庆 万州区) counts as its own
    prefecture-level area, as the documents do; a prefecture paired as a whole
    (克拉玛依市) counts as one county-level place, as the documents do.
    """
    counties = 0
    prefectures: set[str] = set()
    extra_prefectures = 0
    provinces: set[str] = set()
    for r in records:
        if r["program"] not in AID_PROGRAMS or not in_force(r, year):
            continue
        div = r["place"].removeprefix("place:")
        provinces.add(gaz.get(div).province)
        if r.get("county_count") is not None:
            counties += r["county_count"]
            extra_prefectures += r.get("prefecture_count") or 0
            continue
        counties += 1
        prefectures.add(gaz.prefecture_of(div) or div)
    return {"counties": counties, "prefectures": len(prefectures) + extra_prefectures, "provinces": len(provinces)}
