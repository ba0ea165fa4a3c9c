"""Seat coordinates of the graph's places for the geographic layout.

``data/curated/seat_coordinates.csv`` is this project's own small table,
converted once from the ``adcodes.csv`` of the ``cpca`` package (MIT), whose
coordinates come from the CC BY 4.0 ``adcode`` dataset. To rebuild it:
``python -m aidgraph.loaders.coordinates PATH/TO/cpca/resources/adcodes.csv``.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from ..errors import LoadError
from ..schema.model import SEAT_CREDIT as CREDIT
from ..settings import data_dir
from .table_reader import Row, read_table, unique_rows
from .tables import SeatRow

SEATS = "curated/seat_coordinates.csv"


def coordinates(rows: list[Row[SeatRow]], problems: list[str]) -> dict[str, tuple[float, float]]:
    """code -> (longitude, latitude) from the table's rows; a code given twice is a problem."""
    return {row.data.code: (row.data.longitude, row.data.latitude) for row in unique_rows(rows, "code", problems)}


def load_coordinates(root: Path) -> dict[str, tuple[float, float]]:
    """code -> (longitude, latitude); ``LoadError`` naming every broken row."""
    problems: list[str] = []
    seats = coordinates(read_table(root, SEATS, SeatRow, problems), problems)
    if problems:
        raise LoadError(problems)
    return seats


def build(adcodes_csv: Path, out: Path) -> int:
    from .curated import load_graph
    graph = load_graph(data_dir())
    codes = {n["code"]: n["name"] for label in ("Municipality", "District", "Province", "Prefecture", "County")
             for n in graph.nodes(label)}
    rows = []
    with open(adcodes_csv, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            code = r["adcode"][:6]
            if code in codes and r["adcode"].endswith("000000"):
                rows.append({"code": code, "name": codes[code], "longitude": r["longitude"], "latitude": r["latitude"]})
    rows.sort(key=lambda r: r["code"])
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(f"# {CREDIT}\n")
        w = csv.DictWriter(f, ["code", "name", "longitude", "latitude"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]), data_dir() / "curated" / "seat_coordinates.csv"), "places written")
