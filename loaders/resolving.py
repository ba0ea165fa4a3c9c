"""Reading a curated row against what the load knows: its names resolved in the gazetteer (``find``,
``find_supporter``), its source checked against the document register (``refs``, ``provenance``), and
each problem reported as ``<file> line <n>, column <name>: <problem>``. The base of the loader."""
from __future__ import annotations

import re

from ..errors import Ambiguous, NameProblem
from ..schema.graph import CanonicalGraph
from ..schema.model import LEVEL_LABEL, place_id
from ..schema.names import resolve
from ..schema.places import GAZETTEER_SOURCE, SHANGHAI, Gazetteer
from ..schema.sources import SourceRef, split_refs
from .supporters import Supporters
from .table_reader import Row


class Resolver:
    """What a load holds while it reads the tables (set up by the loader), and the checks on one row."""
    graph: CanonicalGraph
    problems: list[str]
    gaz: Gazetteer
    doc_ids: set[str]
    seats: dict[str, tuple[float, float]]
    short_names: dict[str, list[str]]
    supporters: Supporters | None

    def fail(self, row: Row, msg: str, column: str | None = None) -> None:
        self.problems.append(f"{row.where(column)}: {msg}")

    def refs(self, row: Row) -> list[SourceRef] | None:
        """The row's source as references (``schema.sources``); None (and a problem) when it names no known
        document."""
        refs = split_refs(row.data.source)
        if not refs:
            self.fail(row, "no source given", "source")
            return None
        for ref in refs:
            if ref.doc not in self.doc_ids:
                self.fail(row, f"{str(ref) if ref.doc else ref.locator!r} names no known document", "source")
                return None
        return refs

    def provenance(self, row: Row, node_id: str, refs: list[SourceRef] | None = None) -> str | None:
        refs = refs if refs is not None else self.refs(row)
        if refs is None:
            return None
        by_doc: dict[str, list[str]] = {}
        for doc, locator in refs:
            by_doc.setdefault(doc, []).append(locator)
        for doc, locators in by_doc.items():
            self.graph.add_edge("DERIVED_FROM", node_id, f"doc:{doc}", locator="; ".join(locators))
        return row.data.source

    def table_item_id(self, row: Row, prefix: str, refs: list[SourceRef]) -> str:
        """``<prefix>:<document>:t<table>:<no>`` from the row's first source (``doc#表5 1``)."""
        doc, locator = refs[0]
        table = re.match(r"表\s*(\d+)", locator)
        return f"{prefix}:{doc}:t{table.group(1)}:{row.data.no}" if table else f"{prefix}:{doc}:{row.data.no}"

    def once(self, seen: dict[str, str], key: str, row: Row, what: str, column: str) -> bool:
        """False (and a problem) when ``key`` was seen before in this table."""
        if key in seen:
            self.fail(row, f"{what} appears twice (first at {seen[key]})", column)
            return False
        seen[key] = f"line {row.line}"
        return True

    def add_place(self, div_id: str) -> str:
        """Add a division and its ancestors, with PART_OF edges; returns the node id."""
        d = self.gaz.get(div_id)
        label = LEVEL_LABEL[d.level]
        former = d.former_names()
        nid = place_id(d.id)
        if nid not in self.graph:
            self.graph.add_node(label, nid, name=d.name, level=d.level, code=d.code,
                                former_codes=[c for c, _f, _l in d.codes[:-1]],
                                short_names=self.short_names.get(div_id, []), former_names=[n for n, _ in former],
                                former_until=[y for _, y in former], source=GAZETTEER_SOURCE,
                                longitude=self.seats.get(d.code, (None, None))[0],
                                latitude=self.seats.get(d.code, (None, None))[1],
                                seat_approximate=False if d.code in self.seats else None)
        if d.parent:
            parent = self.add_place(d.parent)
            self.graph.add_edge("PART_OF", nid, parent, source=GAZETTEER_SOURCE)
        return nid

    def find(self, row: Row, text: str, column: str, within: str | None = None,
             levels: tuple[int, ...] = (1, 2, 3)) -> str | None:
        """Resolve a name as written in a source (the cell ``column``), optionally inside a division."""
        cands = set(self.gaz.best([f for f in self.gaz.forms.get(text, [])
                                   if self.gaz.get(f.division).rank in levels
                                   and (within is None or f.division == within
                                        or within in self.gaz.ancestors(f.division))]))
        if len(cands) == 1:
            return cands.pop()
        where = f" in {self.gaz.get(within).name}" if within else ""
        if not cands:
            self.fail(row, f"{text!r} is not a known division{where}", column)
        else:
            names = ", ".join(sorted(self.gaz.get(c).name for c in cands))
            self.fail(row, f"{text!r} is ambiguous{where}: {names}", column)
        return None

    def find_supporter(self, row: Row, text: str) -> str | None:
        """A supporter: a name within Shanghai first (the shipped data's scope), else a division anywhere
        named by a form or a qualified name (江苏省苏州市, 南京市鼓楼区); an ambiguous name asks for its parent."""
        here = self.gaz.best([f for f in self.gaz.forms.get(text, [])
                              if f.division == SHANGHAI or SHANGHAI in self.gaz.ancestors(f.division)])
        if len(here) == 1:
            return here[0]
        try:
            return resolve(self.gaz, text).division
        except Ambiguous as e:
            def with_parents(c: str) -> str:
                parents = "·".join(self.gaz.get(a).name for a in reversed(self.gaz.ancestors(c)))
                return f"{self.gaz.get(c).name}（{parents}）"
            names = ", ".join(sorted(with_parents(c) for c in e.divisions))
            self.fail(row, f"{text!r} names several places: {names}; write it with its province or city "
                           "(江苏省苏州市, 南京市鼓楼区)", "supporter")
        except NameProblem:
            known = self.supporters
            hint = known.look_alikes(text, row.data.program) if known else []
            self.fail(row, (f"“{text}”不是已知的行政区划；是否指 {'、'.join(known.label(d) for d in hint[:3])}？ "
                            if known and hint else "") + f"{text!r} is not a known division", "supporter")
        return None
