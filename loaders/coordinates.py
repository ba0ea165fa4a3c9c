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

from ..settings import data_dir

from ..schema.model import SEAT_CREDIT as CREDIT


def load_coordinates(root: Path) -> dict[str, tuple[float, float]]:
    """code -> (longitude, latitude)."""
    path = root / "curated" / "seat_coordinates.csv"
    with open(path, encoding="utf-8", newline="") as f:
        return {r["code"]: (float(r["longitude"]), float(r["latitude"]))
                for r in csv.DictReader(row for row in f if not row.startswith("#"))}


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
