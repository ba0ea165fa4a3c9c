"""How nodes and edges look, in the interactive network and in the printed pictures: a node type's
colour, shape and legend (from the node types of the schema table), how important it is (what stays
labelled when zoomed out), and the printed pictures' line style of a programme or a relation.

A programme's edge colour is data (programmes.csv), carried by the view; its line style follows the
programmes' order (solid, dashed, dotted, dash-dot), so programmes stay apart in greyscale print."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..schema.labels import RELATION_ZH
from ..schema.model import NODE_TYPES, OTHER_STYLE

if TYPE_CHECKING:
    from .view import View

# label -> (colour, vis shape, legend text), from the node types of the schema table
STYLE = {**{label: nt.style for label, nt in NODE_TYPES.items() if nt.style is not None}, "Other": OTHER_STYLE}
SHOWN_LABELS = set(STYLE) - {"Other"}
# how important a node is: what stays labelled when the picture is zoomed out (smaller: more important)
RANK = {"Municipality": 0, "District": 0, "Province": 1, "Prefecture": 1, "Document": 1, "County": 2, "Agreement": 2,
        "Task": 3, "Unit": 3}

# the printed pictures: matplotlib markers for the vis shapes, line styles by programme order and by relation
MARKERS = {"star": "*", "box": "s", "ellipse": "o", "dot": "o", "square": "s", "triangle": "^", "diamond": "D"}
DASHES = ["-", (0, (6, 3)), (0, (1.2, 2.2)), (0, (7, 2.5, 1.5, 2.5))]  # by programme order
DASH_NAMES = ["实线", "虚线", "点线", "点划线"]
VIS_DASHES: list[bool | list[int]] = [False, [10, 5], [2, 4], [12, 4, 3, 4]]  # the same, in vis-network's pixels
REL_STYLE = {"PART_OF": ("#8c8c8c", 0.8, "-", RELATION_ZH["PART_OF"]),
             "LEAD_UNIT": ("#3d3d3d", 1.3, "-", RELATION_ZH["LEAD_UNIT"]),
             "RESPONSIBLE_UNIT": ("#8c8c8c", 0.9, (0, (4, 2.5)), RELATION_ZH["RESPONSIBLE_UNIT"]),
             "NAMES_PLACE": ("#b0b0b0", 0.6, (0, (1, 2)), RELATION_ZH["NAMES_PLACE"])}
NODE_EDGE = "#333333"


def edge_style(view: View, kind: str) -> tuple[str, float, object, str]:
    """(colour, width, dash pattern, legend text) of an edge kind: a programme or a relation."""
    if kind in view.programmes:
        i = list(view.programmes).index(kind)
        name, colour = view.programmes[kind]
        return colour, 1.7, DASHES[i % len(DASHES)], name
    return REL_STYLE.get(kind, ("#b0b0b0", 0.7, "-", kind))


VIS_REL_DASHES: dict[str, bool | list[int]] = {"RESPONSIBLE_UNIT": [6, 4], "NAMES_PLACE": [2, 3]}


def vis_dashes(view: View, kind: str) -> bool | list[int]:
    """The dash pattern of an edge kind in vis-network (``dashes``): a programme's by its order, as in print."""
    if kind in view.programmes:
        return VIS_DASHES[list(view.programmes).index(kind) % len(VIS_DASHES)]
    return VIS_REL_DASHES.get(kind, False)
