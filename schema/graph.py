"""The canonical graph: a networkx MultiDiGraph whose nodes and relationships
are checked against ``schema.model`` as they are added. Loaders build it; the
embedded store queries it; writers copy it into other stores.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..schema.model import BOOL, FLOAT, INT, INTS, NODE_TYPES, REL_TYPES, STR, STRS, Prop

_CHECK = {
    STR: lambda v: isinstance(v, str),
    INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
    FLOAT: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    BOOL: lambda v: isinstance(v, bool),
    STRS: lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    INTS: lambda v: isinstance(v, list) and all(isinstance(x, int) for x in v),
}



if TYPE_CHECKING:
    import networkx as nx

    from .records import PairingRecord


class SchemaError(ValueError):
    pass


def _checked(kind: str, name: str, allowed: dict[str, Prop], props: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in props.items():
        if key not in allowed:
            raise SchemaError(f"{kind} {name}: property {key!r} is not in the schema")
        if value is None:
            continue
        prop = allowed[key]
        if not _CHECK[prop.type](value):
            raise SchemaError(f"{kind} {name}: property {key!r} must be {prop.type}, got {value!r}")
        if prop.enum is not None:
            wrong = [v for v in (value if prop.many else [value]) if v not in prop.enum]
            if wrong:
                raise SchemaError(f"{kind} {name}: property {key!r} is {wrong[0]!r}, "
                                  f"not one of the allowed values {', '.join(prop.enum)}")
        out[key] = value
    return out


class CanonicalGraph:
    def __init__(self) -> None:
        import networkx as nx  # imported with the first graph: an answer read from disk never needs it
        self.g: nx.MultiDiGraph = nx.MultiDiGraph()
        self._by_label: dict[str, set[str]] = {}

    # -- building -----------------------------------------------------------
    def add_node(self, label: str, node_id: str, **props: Any) -> str:
        nt = NODE_TYPES.get(label)
        if nt is None:
            raise SchemaError(f"unknown label {label!r}")
        if not node_id.startswith(nt.prefix + ":"):
            raise SchemaError(f"{label} id {node_id!r} must start with {nt.prefix!r}:")
        clean = _checked(label, node_id, nt.props, props)
        missing = [k for k in nt.required if k != "id" and k not in clean]
        if missing:
            raise SchemaError(f"{label} {node_id}: missing {', '.join(missing)}")
        if node_id in self.g:
            existing = self.g.nodes[node_id]
            if existing["label"] != label or {k: v for k, v in existing.items() if k not in ("label", "id")} != clean:
                raise SchemaError(f"node {node_id} added twice with different content")
            return node_id
        self.g.add_node(node_id, label=label, id=node_id, **clean)
        self._by_label.setdefault(label, set()).add(node_id)
        return node_id

    def add_edge(self, rel: str, start: str, end: str, **props: Any) -> None:
        rt = REL_TYPES.get(rel)
        if rt is None:
            raise SchemaError(f"unknown relationship type {rel!r}")
        for node, allowed, side in ((start, rt.start, "start"), (end, rt.end, "end")):
            if node not in self.g:
                raise SchemaError(f"{rel}: {side} node {node} does not exist")
            if self.g.nodes[node]["label"] not in allowed:
                raise SchemaError(f"{rel}: {side} node {node} is a {self.g.nodes[node]['label']}, expected {allowed}")
        clean = _checked(rel, f"{start}->{end}", rt.props, props)
        if self.g.has_edge(start, end, key=rel):
            if self.g.edges[start, end, rel] != {"type": rel, **clean}:
                raise SchemaError(f"{rel} {start}->{end} added twice with different content")
            return
        if rt.one_each and self.out(start, rel):
            raise SchemaError(f"{rel}: {start} has one already ({self.out(start, rel)[0]}), {end} would be a second")
        self.g.add_edge(start, end, key=rel, type=rel, **clean)

    def set_props(self, node_id: str, **props: Any) -> None:
        """Change properties of a node the graph holds, checked against its label's schema."""
        node = self.g.nodes[node_id]
        node.update(_checked(node["label"], node_id, NODE_TYPES[node["label"]].props, props))

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.g

    # -- as JSON data, for the snapshot cache -------------------------------------------
    def to_data(self) -> dict:
        """Nodes, relationships and both adjacency orders, as JSON data: ``from_data`` gives back a graph
        that iterates exactly as this one (out- and in-relationships in the same order)."""
        g = self.g
        return {"nodes": [[nid, attrs] for nid, attrs in g.nodes(data=True)],
                "out": [[u, [[v, list(keys.items())] for v, keys in nbrs.items()]]
                        for u, nbrs in g.succ.items() if nbrs],
                "in": [[v, list(nbrs)] for v, nbrs in g.pred.items() if nbrs]}

    @classmethod
    def from_data(cls, data: dict) -> CanonicalGraph:
        """The graph ``to_data`` gave (already checked when it was built); ValueError, TypeError or KeyError
        when ``data`` is not one. Built directly in networkx's adjacency, in the saved order."""
        out = cls()
        g = out.g
        for nid, attrs in data["nodes"]:
            if not isinstance(nid, str) or not isinstance(attrs, dict) or attrs.get("id") != nid:
                raise ValueError(f"not a node: {nid!r}")
            g.add_node(nid, **attrs)
            out._by_label.setdefault(attrs["label"], set()).add(nid)
        # networkx's adjacency: MultiDiGraph shares each key dict both ways (private, so not in its stubs)
        succ, pred = g._succ, g._pred  # type: ignore[attr-defined]
        for u, nbrs in data["out"]:
            for v, keys in nbrs:
                if v not in succ or u in pred[v]:
                    raise ValueError(f"not a relationship: {u!r} -> {v!r}")
                keydict = {str(k): dict(attrs) for k, attrs in keys}
                succ[u][v] = keydict
                pred[v][u] = keydict
        for v, nbrs in data["in"]:  # the in-relationships' order as it was built
            now = pred[v]
            if sorted(nbrs) != sorted(now):
                raise ValueError(f"in-relationships of {v!r} do not match")
            pred[v] = {u: now[u] for u in nbrs}
        return out

    # -- reading ------------------------------------------------------------
    def node(self, node_id: str) -> dict[str, Any] | None:
        return dict(self.g.nodes[node_id]) if node_id in self.g else None

    def props(self, node_id: str) -> dict[str, Any]:
        """The properties of a node the graph holds (KeyError for one it does not)."""
        return dict(self.g.nodes[node_id])

    def nodes(self, label: str | None = None) -> Iterator[dict[str, Any]]:
        if label is None:
            for _, data in self.g.nodes(data=True):
                yield data
            return
        for nid in sorted(self._by_label.get(label, ())):
            yield self.g.nodes[nid]

    def ids(self, label: str) -> list[str]:
        """Ids of the nodes with this label, sorted (from an index kept as nodes are added)."""
        return sorted(self._by_label.get(label, ()))

    def edges(self, rel: str | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for s, e, data in self.g.edges(data=True):
            if rel is None or data["type"] == rel:
                yield s, e, data

    def out(self, node_id: str, rel: str) -> list[str]:
        return [e for _, e, k in self.g.out_edges(node_id, keys=True) if k == rel]

    def into(self, node_id: str, rel: str) -> list[str]:
        return [s for s, _, k in self.g.in_edges(node_id, keys=True) if k == rel]

    def node_ids(self) -> set[str]:
        """The ids of every node."""
        return set(self.g.nodes)

    def edge_props(self, start: str, end: str, rel: str) -> dict[str, Any]:
        """The properties of the ``rel`` relationship from ``start`` to ``end`` (KeyError when there is none)."""
        return dict(self.g.edges[start, end, rel])

    def networkx(self, nodes: set[str] | None = None) -> nx.MultiDiGraph:
        """The graph, or a view of the subgraph on ``nodes``, for writers that take a networkx graph
        (GraphML, node-link JSON, Cypher): to be read, not changed."""
        return self.g if nodes is None else self.g.subgraph(nodes)

    def pairing_record(self, pid: str) -> PairingRecord:
        """A Pairing node with its supporter, place, programme and exclusions, as a typed record."""
        from .records import PAIRING_PROPS, PairingRecord
        node = self.g.nodes[pid]
        return PairingRecord(id=pid, supporter=self.out(pid, "SUPPORTER")[0], place=self.out(pid, "SUPPORTED")[0],
                             program=self.out(pid, "UNDER")[0], source=node["source"],
                             excluding=tuple(sorted(self.out(pid, "EXCLUDES"))),
                             **{k: node.get(k) for k in PAIRING_PROPS})

    def pairing_records(self) -> list[PairingRecord]:
        return [self.pairing_record(p) for p in self.ids("Pairing")]

    def label_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(d["label"] for _, d in self.g.nodes(data=True)).items()))

    def rel_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(k for _, _, k in self.g.edges(keys=True)).items()))
