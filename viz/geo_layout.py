"""Places at their seats: the geographic layout of the interactive network (and of a subgraph's
printed picture), Shanghai's districts in a column east of Shanghai."""
from __future__ import annotations

from .view import View

GEO_SCALE = 110.0  # pixels per degree of the geographic layout
GEO_GAP = 44.0    # the least distance between two places there (room for a short label)

def geo_positions(view: View) -> dict[str, tuple[float, float]]:
    """Places at their seats; Shanghai's districts in a column east of Shanghai, in code order."""
    pos = {}
    districts = sorted(n["id"] for n in view.nodes if n["group"] == "District")
    for i, nid in enumerate(districts):
        pos[nid] = (126.0, 36.0 - i * 1.0)
    for n in view.nodes:
        if n["id"] not in pos and n["id"] in view.seats:
            pos[n["id"]] = view.seats[n["id"]]
    return pos



def spread_positions(view: View, pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """The geographic layout in pixels: each place starts at its seat and is pushed (deterministically)
    just far enough from its neighbours that no two share a spot, staying near its seat; Shanghai's
    districts keep their column. Same input, same positions, on every load."""
    import numpy as np
    ids = sorted(pos)
    if not ids:
        return {}
    groups = {n["id"]: n["group"] for n in view.nodes}
    def x_of(lon: float) -> float:  # schematic, not a map: the far west and the far east drawn closer in
        if lon < 95.0:
            return (-5.0 + (lon - 95.0) * 0.35) * GEO_SCALE
        if lon > 110.0:
            return (10.0 + (lon - 110.0) * 0.45) * GEO_SCALE
        return (lon - 100.0) * GEO_SCALE
    seat = np.array([(x_of(pos[i][0]), -(pos[i][1] - 30.0) * GEO_SCALE) for i in ids])
    xy = seat.copy()
    free = np.array([groups.get(i) not in ("District", "Municipality") for i in ids], dtype=float)[:, None]
    n = len(ids)
    # places sharing one seat (a county and its prefecture's seat) start apart along the golden angle
    angle = np.arange(n) * 2.399963
    xy += free * np.stack([np.cos(angle), np.sin(angle)], axis=1) * 0.5
    for _ in range(400):
        diff = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((diff ** 2).sum(-1)) + np.eye(n) * 1e9
        close = dist < GEO_GAP
        if not close.any():
            break
        push = np.where(close, (GEO_GAP - dist) / np.maximum(dist, 1e-6), 0.0)[:, :, None] * diff
        xy += free * (0.5 * push.sum(1) + 0.02 * (seat - xy))
    return {i: (round(float(x), 1), round(float(y), 1)) for i, (x, y) in zip(ids, xy, strict=True)}



TRUNK_SHARE = 0.6  # how far towards its places a district's trunk runs before it fans out


def trunks(view: View, pos: dict[str, tuple[float, float]]) -> dict[tuple[str, str], tuple[float, float]]:
    """Where each bundle of arcs fans out: a supporter's pairings of one programme to two or more placed
    places run together as one trunk from the supporter ``TRUNK_SHARE`` of the way to their centre,
    then spread to each place. {(supporter, programme): the fan-out point}."""
    ends: dict[tuple[str, str], list[str]] = {}
    for e in view.edges:
        if e["kind"] in view.programmes and e["from"] in pos and e["to"] in pos:
            ends.setdefault((e["from"], e["kind"]), []).append(e["to"])
    out = {}
    for (sup, kind), places in sorted(ends.items()):
        places = sorted(set(places))
        if len(places) < 2:
            continue
        cx = sum(pos[p][0] for p in places) / len(places)
        cy = sum(pos[p][1] for p in places) / len(places)
        sx, sy = pos[sup]
        out[(sup, kind)] = (round(sx + TRUNK_SHARE * (cx - sx), 1), round(sy + TRUNK_SHARE * (cy - sy), 1))
    return out
