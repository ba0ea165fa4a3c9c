"""The canonical graph's RDF triples as plain strings, one node at a time, for the streamed whole-graph
writers (issue 20 item 4): the triples ``schema.rdf_graph.to_rdf`` makes, with no rdflib term per value
(building a ``Literal`` and checking its datatype was most of the time at national scale).

A triple is ``(subject, predicate, object)``: the subject and predicate bare IRIs, the object a bare IRI
(``str``) or a :class:`Lit`. The rules are ``rdf_graph``'s, step for step (``_node``, ``_props``,
``_interval``, ``_edge``, ``literal``), read from the same schema table; tests/test_stream_exports.py
holds the two to the same N-Triples bytes on the shipped data, which has every node and relationship
type, and ``lit`` to rdflib's lexical forms on awkward values. A value of a Python type ``literal`` does
not expect is handed to rdflib itself.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from rdflib import RDF, XSD, Literal
from rdflib.namespace import ORG, PROV, TIME

from ...schema.graph import CanonicalGraph
from ...schema.model import FLOAT, NODE_TYPES, REL_TYPES, Prop
from ...schema.rdf import BASE, ROLE_SUPPORTED, ROLE_SUPPORTER, SUPPORTS
from ...schema.rdf_graph import iri
from ...schema.sources import split_refs


class Lit(NamedTuple):
    """A literal: its lexical form, language tag (or None) and datatype IRI (None: a plain string)."""
    text: str
    lang: str | None
    datatype: str | None


GYEAR, DOUBLE, INTEGER, BOOLEAN = str(XSD.gYear), str(XSD.double), str(XSD.integer), str(XSD.boolean)
TYPE = str(RDF.type)


def _rdflib(value, datatype=None) -> Lit:
    made = Literal(value, datatype=datatype)
    return Lit(str(made), made.language, None if made.datatype is None else str(made.datatype))


def lit(prop: Prop, value) -> Lit:
    """``rdf_graph.literal``: datatype, else language, else the value's own type."""
    if prop.datatype is not None and str(prop.datatype) == GYEAR:
        return Lit(str(value), None, GYEAR)
    if prop.datatype is not None:
        return Lit(value, None, str(prop.datatype)) if type(value) is str else _rdflib(value, str(prop.datatype))
    if prop.lang and isinstance(value, str):
        return Lit(value, prop.lang, None)
    if prop.type == FLOAT:
        return Lit(repr(float(value)), None, DOUBLE)
    kind = type(value)
    if kind is str:
        return Lit(value, None, None)
    if kind is bool:
        return Lit("true" if value else "false", None, BOOLEAN)
    if kind is int:
        return Lit(str(value), None, INTEGER)
    if kind is float:
        return Lit(repr(value), None, DOUBLE)
    return _rdflib(value)


def quoted(text: str) -> str:
    """A string literal as N-Triples writes it (and rdflib's writer: ``\\``, newline, ``"`` and carriage
    return escaped, every other character as itself in UTF-8)."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if '"' in text:
        text = text.replace('"', '\\"')
    if "\r" in text:
        text = text.replace("\r", "\\r")
    return '"' + text + '"'


def n3(o: str | Lit) -> str:
    """An object as N-Triples (and Turtle) writes it."""
    if not isinstance(o, Lit):
        return "<" + o + ">"
    text, lang, datatype = o
    if lang:
        return quoted(text) + "@" + lang
    if datatype:
        return quoted(text) + "^^<" + datatype + ">"
    return quoted(text)


# -- the schema table, read once --------------------------------------------------------------------------
class _Plain(NamedTuple):
    name: str
    prop: Prop
    preds: tuple[str, ...]


def _table(table: dict[str, Prop]) -> tuple[list[_Plain], list[tuple[str, Prop]]]:
    """The properties written as literals on their owner, and those that form groups or intervals."""
    plain = [_Plain(n, p, (str(p.rdf), *map(str, p.also))) for n, p in table.items()
             if p.group is None and p.interval is None]
    other = [(n, p) for n, p in table.items() if p.group is not None or p.interval is not None]
    return plain, other


_NODES = {label: (tuple(map(str, nt.classes)), _table(nt.all_props)) for label, nt in NODE_TYPES.items()}


class _Rel(NamedTuple):
    preds: tuple[str, ...]
    segment: str | None
    classes: tuple[str, ...]
    from_start: str
    to_start: str | None
    to_end: str
    constants: tuple[tuple[str, str], ...]
    props: dict[str, Prop]


def _rel(rt) -> _Rel:
    q = rt.qualifier
    if q is None:
        return _Rel((str(rt.rdf), *map(str, rt.also)), None, (), "", None, "", (), {})
    return _Rel((str(rt.rdf), *map(str, rt.also)), q.segment, tuple(map(str, q.classes)), str(q.from_start),
                None if q.to_start is None else str(q.to_start), str(q.to_end),
                tuple((str(p), str(o)) for p, o in q.constants), rt.props)


_RELS = {rel: _rel(rt) for rel, rt in REL_TYPES.items()}
_TABLES = {rel: _table(rt.props) for rel, rt in REL_TYPES.items()}
_INVERSE = {rel: str(rt.inverse) for rel, rt in REL_TYPES.items() if rt.inverse is not None}
_DERIVED, _SUPPORTS = str(PROV.wasDerivedFrom), str(SUPPORTS)
_INTERVAL, _INSTANT = str(TIME.Interval), str(TIME.Instant)
_BEGIN, _END, _IN_YEAR = str(TIME.hasBeginning), str(TIME.hasEnd), str(TIME.inXSDgYear)
_MEMBERSHIP, _MEMBER, _ORGANIZATION = str(ORG.Membership), str(ORG.member), str(ORG.organization)
_ROLE, _DURING = str(ORG.role), str(ORG.memberDuring)
_SIDES = (("SUPPORTER", str(ROLE_SUPPORTER)), ("SUPPORTED", str(ROLE_SUPPORTED)))

Add = Callable[[str, str, "str | Lit"], None]


# -- the rules of schema.rdf_graph ------------------------------------------------------------------------
class Triples:
    """Each node's triples: those whose subject is the node or one of its skolem resources (``<iri>/…``).
    The IRIs of the nodes are made once each."""

    def __init__(self, graph: CanonicalGraph) -> None:
        self.graph = graph
        self.g = graph.networkx()
        self._iris: dict[str, str] = {}

    def iri(self, node_id: str) -> str:
        found = self._iris.get(node_id)
        if found is None:
            found = self._iris[node_id] = str(iri(node_id))
        return found

    def _interval(self, add: Add, owner: str, start, end) -> str:
        node = owner + "/period"
        add(node, TYPE, _INTERVAL)
        for pred, year, name in ((_BEGIN, start, "begin"), (_END, end, "end")):
            if year is not None:
                inst = node + "/" + name
                add(node, pred, inst)
                add(inst, TYPE, _INSTANT)
                add(inst, _IN_YEAR, Lit(str(year), None, GYEAR))
        return node

    def _props(self, add: Add, me: str, table: tuple[list[_Plain], list[tuple[str, Prop]]], data: dict,
               qualified: bool = False) -> None:
        plain, other = table
        for name, prop, preds in plain:
            value = data.get(name)
            if value is None:
                continue
            for v in (value if prop.many else [value]):
                o = lit(prop, v)
                for pred in preds:
                    add(me, pred, o)
            if prop.documents and qualified:
                for ref in split_refs(str(value)):
                    if ref.doc and ref.locator:  # a bare id (gbt2260) is no document of the register
                        add(me, _DERIVED, self.iri(f"doc:{ref.doc}"))
        if not other:
            return
        groups: dict = {}
        intervals: dict[str, dict[str, int]] = {}
        for name, prop in other:
            value = data.get(name)
            if value is None:
                continue
            if prop.group is not None:
                groups.setdefault(prop.group, []).append((prop, value))
            else:
                intervals.setdefault(str(prop.rdf), {})[prop.interval] = value  # type: ignore[index]
        for group, members in sorted(groups.items(), key=lambda kv: kv[0].segment):
            link, cls = str(group.link), str(group.cls)
            for i, values in enumerate(zip(*(v for _, v in members), strict=True)):
                res = f"{me}/{group.segment}/{i}"
                add(me, link, res)
                add(res, TYPE, cls)
                for (prop, _), v in zip(members, values, strict=True):
                    add(res, str(prop.rdf), lit(prop, v))
        for pred, ends in sorted(intervals.items()):
            add(me, pred, self._interval(add, me, ends.get("begin"), ends.get("end")))

    def of(self, n: str) -> list[tuple[str, str, str | Lit]]:
        """The node's triples (a triple may come twice)."""
        out: list[tuple[str, str, str | Lit]] = []

        def add(s: str, p: str, o: str | Lit) -> None:
            out.append((s, p, o))
        data = self.g.nodes[n]
        me = self.iri(n)
        classes, table = _NODES[data["label"]]
        for cls in classes:
            add(me, TYPE, cls)
        self._props(add, me, table, data)
        edges = [(e, d) for e, keys in self.g.adj[n].items() for d in keys.values()]
        if data["label"] == "Pairing":
            period = self._interval(add, me, data.get("valid_from"), data.get("valid_to"))
            for side, role in _SIDES:
                member = next(e for e, d in edges if d["type"] == side)
                ms = f"{me}/membership/{side.lower()}"
                add(ms, TYPE, _MEMBERSHIP)
                add(ms, _MEMBER, self.iri(member))
                add(ms, _ORGANIZATION, me)
                add(ms, _ROLE, role)
                add(ms, _DURING, period)
        for e, d in edges:
            self._edge(add, me, e, d)
        for s, keys in self.g.pred[n].items():
            for d in keys.values():
                rel = d["type"]
                if rel in _INVERSE:
                    add(me, _INVERSE[rel], self.iri(s))
                if rel == "SUPPORTER":  # the pairing's direct shortcut: this supporter supports its place
                    place = next(e for e, ps in self.g.adj[s].items() for x in ps.values() if x["type"] == "SUPPORTED")
                    add(me, _SUPPORTS, self.iri(place))
        return out

    def _edge(self, add: Add, a: str, e: str, data: dict) -> None:
        """The relationship's triples whose subject is its start ``a`` or under it (its inverse, whose
        subject is the end, is the end's)."""
        rel = data["type"]
        r = _RELS[rel]
        b = self.iri(e)
        for pred in r.preds:
            add(a, pred, b)
        if r.segment is None:
            return
        me = f"{a}/{r.segment}/{b[len(BASE):]}"
        add(a, r.from_start, me)
        for cls in r.classes:
            add(me, TYPE, cls)
        if r.to_start is not None:
            add(me, r.to_start, a)
        add(me, r.to_end, b)
        for pred, obj in r.constants:
            add(me, pred, obj)
        self._props(add, me, _TABLES[rel], data, qualified=True)

    def groups(self, tick: Callable[[int], None] | None = None) -> Iterator[tuple[str, list]]:
        """(IRI, triples) per node in the order of the IRIs; ``tick`` told of the node and its
        relationships."""
        for key, n in sorted((self.iri(n), n) for n in self.g):
            triples = self.of(n)
            if tick:
                tick(1 + sum(len(keys) for keys in self.g.adj[n].values()))
            yield key, triples
