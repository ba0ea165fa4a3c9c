"""Curated tables (``data/curated/*.csv``) -> the canonical graph.

Every table is read by ``tables.read_table`` with its row model, so a cell of the wrong
type, an empty required cell or a value out of range is reported there, with the file,
the line and the column, for every table at once. The checks that need the gazetteer or
the other tables stay here: places resolving, documents existing, duplicates and the
documents' own totals, each reported as ``<file> line <n>, column <name>: <problem>``.
Any problem stops the load with ``LoadError``; the graph is built in a fresh object and
only returned once everything checks out, so nothing half-loaded is ever served.

Ids that name a document or a council come from the data: an agreement or indicator is
``<kind>:<document id>:t<table no.>:<no>`` from its row's source (``hfhbf-2021-14#表5 1``),
a council ``council:<id>`` from ``councils.csv``.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import Ambiguous, LoadError, NameProblem
from ..schema.eras import paired_totals, period_text
from ..schema.graph import CanonicalGraph, SchemaError
from ..schema.ids import division_of
from ..schema.model import LEVEL_LABEL, place_id, program_id
from ..schema.names import resolve
from ..schema.places import GAZETTEER_SOURCE, SHANGHAI, Gazetteer, gazetteer
from ..schema.units import UnitNames
from .coordinates import coordinates
from .guidance import parse_guidance
from .supporters import Scope, Supporters
from .tables import (
    PAIRING_TABLES,
    AgreementRow,
    AliasRow,
    CitedDocumentRow,
    CouncilBodyRow,
    CouncilMemberRow,
    CouncilRow,
    DistrictTotalRow,
    DocumentRow,
    DocumentTotalRow,
    ExonymRow,
    FundRow,
    IndicatorRow,
    PairingRow,
    PairingTableRow,
    PlaceSuccessorRow,
    ProgrammeRow,
    Row,
    SeatRow,
    SupporterRow,
    UnitAliasRow,
    read_table,
    unique_rows,
)
from .tasks import TaskBuilder
from .workpoints import decode, known_unit_names, load_labels
from .workpoints import parse as parse_workpoints

DOCUMENTS = "sources/documents.csv"
ALIASES = "curated/aliases.csv"
EXONYMS = "curated/exonyms.csv"                # optional: a data folder without it has no English names
SUCCESSORS = "curated/place_successors.csv"    # optional: then only the successions the lists show
UNIT_ALIASES = "curated/unit_aliases.csv"
SEATS = "curated/seat_coordinates.csv"
COUNCILS = "curated/councils.csv"
PROGRAMMES = "curated/programmes.csv"
CITED = "curated/cited_documents.csv"
SUPPORTERS = "curated/supporters.csv"          # optional: a data folder without it does not check supporters


class _Loader:
    def __init__(self, root: Path):
        self.root = root
        self.graph = CanonicalGraph()
        self.problems: list[str] = []
        self.warnings: list[tuple[str, int, str]] = []  # (file, line, message)
        # every table is read first, so one load reports the broken rows of all of them
        read = self.read
        self.document_rows = read(DOCUMENTS, DocumentRow)
        self.alias_rows = read(ALIASES, AliasRow)
        self.exonym_rows = _optional(root, EXONYMS, ExonymRow, self.problems)
        self.successor_rows = _optional(root, SUCCESSORS, PlaceSuccessorRow, self.problems)
        self.unit_rows = read(UNIT_ALIASES, UnitAliasRow)
        self.seat_rows = read(SEATS, SeatRow)
        self.council_rows = read(COUNCILS, CouncilRow)
        self.cited_rows = read(CITED, CitedDocumentRow)
        self.programme_rows = read(PROGRAMMES, ProgrammeRow)
        self.pairing_table_rows = read(PAIRING_TABLES, PairingTableRow)
        self.supporter_rows = _optional(root, SUPPORTERS, SupporterRow, self.problems)
        # the tables the others refer to: with a row missing, the rest would give false alarms
        self.references_ok = not self.problems
        self.pairing_rows = self.read_pairing_tables()
        self.agreement_rows = read("curated/agreements.csv", AgreementRow)
        self.indicator_rows = read("curated/indicators.csv", IndicatorRow)
        self.fund_rows = read("curated/aid_funds.csv", FundRow)
        self.body_rows = read("curated/yrd_bodies.csv", CouncilBodyRow)
        self.member_rows = read("curated/yrd_new_members.csv", CouncilMemberRow)
        self.document_total_rows = read("curated/document_totals.csv", DocumentTotalRow)
        self.district_total_rows = read("curated/district_totals_2021.csv", DistrictTotalRow)
        self.doc_ids: set[str] = set()
        self.doc_kinds: dict[str, tuple[str, Path]] = {}
        self.councils: dict[str, str] = {}  # council id in the tables -> node id
        self.programmes: dict[str, Row[ProgrammeRow]] = {}  # programme key -> its row

    def read(self, relpath: str, model):
        return read_table(self.root, relpath, model, self.problems)

    def read_pairing_tables(self) -> list[tuple[Row[PairingTableRow], Row[PairingRow]]]:
        """Every pairing table the register names, each row with its register row; a
        ``pairings_*.csv`` the register does not name is a problem, never silently skipped."""
        out = []
        registered = {row.data.file: row for row in unique_rows(self.pairing_table_rows, "file", self.problems)}
        for name, reg in registered.items():
            if not (self.root / "curated" / name).is_file():
                self.fail(reg, f"curated/{name} does not exist", "file")
                continue
            out += [(reg, r) for r in self.read(f"curated/{name}", PairingRow)]
        for path in sorted((self.root / "curated").glob("pairings_*.csv")):
            if path.name not in registered:
                self.problems.append(f"curated/{path.name}: a pairing table not named in {PAIRING_TABLES}; "
                                     "add a row there (file, programmes, source) so it is loaded")
        return out

    def prepare(self) -> None:
        """The gazetteer, unit names and seats the tables are read against (after a clean read)."""
        self.gaz: Gazetteer = gazetteer_from(self.alias_rows, self.exonym_rows, self.successor_rows)
        self.unit_names: UnitNames = unit_names_from(self.unit_rows, self.problems)
        self.seats = coordinates(self.seat_rows, self.problems)
        self.supporters: Supporters | None = None
        if (self.root / SUPPORTERS).is_file():
            scopes = []
            for row in self.supporter_rows:
                try:
                    scopes.append(Scope(resolve(self.gaz, row.data.scope).division, row.data.programmes, row.where()))
                except NameProblem as e:
                    self.fail(row, f"{row.data.scope!r}: {e.detail}", "scope")
            self.supporters = Supporters(self.gaz, scopes)
        self.short_names: dict[str, list[str]] = {}
        for text, flist in sorted(self.gaz.forms.items()):
            for f in flist:
                if f.kind in ("short", "alias"):
                    self.short_names.setdefault(f.division, []).append(text)

    # -- helpers --------------------------------------------------------------
    def fail(self, row: Row, msg: str, column: str | None = None) -> None:
        self.problems.append(f"{row.where(column)}: {msg}")

    def refs(self, row: Row) -> list[tuple[str, str]] | None:
        """The row's source as (document id, locator) pairs; None (and a problem) when it names no known document."""
        text = row.data.source
        refs = [r.strip() for r in text.split(";") if r.strip()]
        if not refs:
            self.fail(row, "no source given", "source")
            return None
        out: list[tuple[str, str]] = []
        last_doc = None
        for ref in refs:
            doc, _, locator = ref.partition("#")
            if doc not in self.doc_ids:
                # a continuation such as "三(二)1 …" refers to the previous document
                if last_doc and not _looks_like_doc_id(doc):
                    doc, locator = last_doc, ref
                else:
                    self.fail(row, f"{ref!r} names no known document", "source")
                    return None
            last_doc = doc
            out.append((doc, locator.strip()))
        return out

    def provenance(self, row: Row, node_id: str, refs: list[tuple[str, str]] | None = None) -> str | None:
        refs = refs if refs is not None else self.refs(row)
        if refs is None:
            return None
        by_doc: dict[str, list[str]] = {}
        for doc, locator in refs:
            by_doc.setdefault(doc, []).append(locator)
        for doc, locators in by_doc.items():
            self.graph.add_edge("DERIVED_FROM", node_id, f"doc:{doc}", locator="; ".join(locators))
        return row.data.source

    def table_item_id(self, row: Row, prefix: str, refs: list[tuple[str, str]]) -> str:
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
        if nid not in self.graph.g:
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

    # -- tables ---------------------------------------------------------------
    def documents(self) -> None:
        seen: dict[str, str] = {}
        for row in self.document_rows:
            r = row.data
            path = self.root / "sources" / r.file
            if not path.is_file():
                self.fail(row, f"source file {r.file} is missing", "file")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != r.sha256:
                self.fail(row, f"source file {r.file} differs from the copy registered (sha256)", "sha256")
            if not self.once(seen, r.id, row, f"document id {r.id}", "id"):
                continue
            self.doc_ids.add(r.id)
            self.doc_kinds[r.id] = (r.kind, path)
            self.graph.add_node("Document", f"doc:{r.id}", number=r.number, title=r.title,
                                issuer=r.issuer or "", date=r.date or "", kind=r.kind, file=r.file,
                                origin=r.origin)
        for row in self.cited_rows:
            r = row.data
            if not self.once(seen, r.id, row, f"document id {r.id}", "id"):
                continue
            self.doc_ids.add(r.id)
            self.graph.add_node("Document", f"doc:{r.id}", number=r.number or None, title=r.title, issuer=r.issuer,
                                date=r.date or "", kind=r.kind, origin=r.note)

    def programs(self) -> None:
        for row in unique_rows(self.programme_rows, "id", self.problems):
            r = row.data
            refs = self.refs(row)
            if refs is None:
                continue
            pid = program_id(r.id)
            self.graph.add_node("Program", pid, name=r.name, name_en=r.name_en, kind=r.kind,
                                counts_toward=r.counts_toward, colour=r.colour, description=r.description,
                                source=r.source)
            self.provenance(row, pid, refs)
            self.programmes[r.id] = row

    def pairings(self) -> None:
        seen: dict[tuple, str] = {}
        # (supporter, place, programme) -> pairings
        self.pairing_nodes: dict[tuple, list[tuple[str, Row[PairingRow], str]]] = {}
        self.ends: list[tuple[str, int, str]] = []  # (file, line, pairing id): rows that ended an earlier pairing
        for row in self.supporter_rows:
            self.refs(row)  # each scope names the document that makes it a supporter
        for reg, row in self.pairing_rows:
            if row.data.program not in self.programmes:
                self.fail(row, f"no programme {row.data.program!r} in {PROGRAMMES} (it has: "
                          f"{', '.join(self.programmes)})", "program")
            elif row.data.program not in reg.data.programmes:
                self.fail(row, f"programme {row.data.program!r} is not one {PAIRING_TABLES} allows in this table "
                          f"({' '.join(reg.data.programmes)})", "program")
            else:
                self.pairing(row, seen)

    def concurrent(self) -> list[tuple[str, int, str]]:
        """(file, line, message) for a pairing whose place another pairing (another supporter's, or the same
        supporter's from another start year) holds under the same programme in some of the same years (none in
        the shipped tables; a notice's slip, such as an end row naming the wrong district or start year, looks
        like this: the import refuses it without --force)."""
        by_place: dict[tuple, list[tuple[str, str, Row[PairingRow]]]] = {}
        for (sup, place, prog), entries in self.pairing_nodes.items():
            by_place.setdefault((place, prog), []).extend((sup, pid, prow) for pid, prow, _f in entries)
        out = []
        for (place, _prog), held in by_place.items():
            for sup, pid, prow in held:
                n = self.graph.props(pid)
                for sup2, pid2, prow2 in held:
                    m = self.graph.props(pid2)
                    if pid2 == pid or not _overlap(n.get("valid_from"), n.get("valid_to"),
                                                   m.get("valid_from"), m.get("valid_to")):
                        continue
                    out.append((prow.file, prow.line, f"{self.gaz.get(place).name} 在同一项目下的两个结对年份重叠："
                                f"{self.gaz.get(sup).name}（{period_text(n.get('valid_from'), n.get('valid_to'))}）与 "
                                f"{self.gaz.get(sup2).name}（{period_text(m.get('valid_from'), m.get('valid_to'))}，"
                                f"{prow2.where()}） two pairings of the place under the same programme overlap"))
        return out

    def programme_checks(self, row: Row[PairingRow], sup: str, place: str) -> bool:
        """The supporter is one the supporter table allows for the programme, the place lies in one of
        the programme's provinces and the years in its period; False (and problems) otherwise."""
        r, ok = row.data, True
        prog = self.programmes[r.program].data
        if self.supporters is not None and not self.supporters.allowed(sup, r.program):
            self.fail(row, self.supporters.refusal(r.supporter, sup, r.program), "supporter")
            ok = False
        gone = self.gaz.abolished(sup)
        if gone is not None and r.valid_from is not None and r.valid_from > gone:
            after = "、".join(self.gaz.get(d).name for d, _y in self.gaz.successors(sup))
            self.fail(row, f"{self.gaz.get(sup).name} 在 {gone} 年后已撤销" + (f"（并入 {after}）" if after else "")
                      + f"，不能自 {r.valid_from} 年起结对 the supporter no longer exists after {gone}", "supporter")
            ok = False
        province = self.gaz.get(place).province or place
        if prog.provinces:
            allowed: set[str] = set()
            for name in prog.provinces:
                allowed.update(f.division for f in self.gaz.forms.get(name, []) if self.gaz.get(f.division).rank == 1)
            if province not in allowed:
                self.fail(row, f"{self.gaz.get(place).name}（{self.gaz.get(province).name}）不在“{prog.name}”的省份"
                               f"（{'、'.join(prog.provinces)}）之内 {r.place!r} is not in a province of the programme "
                               f"{prog.id} ({PROGRAMMES}, column provinces)", "place")
                ok = False
        for col, year in (("valid_from", r.valid_from), ("valid_to", r.valid_to)):
            if year is None:
                continue
            if (prog.valid_from is not None and year < prog.valid_from) or (
                    prog.valid_to is not None and year > prog.valid_to):
                self.fail(row, f"{year} 年不在“{prog.name}”的期限 "
                               f"{prog.valid_from or '?'}–{prog.valid_to or '至今'} 之内 "
                               f"the year {year} is outside the programme's period", col)
                ok = False
        return ok

    def end(self, row: Row[PairingRow], key: tuple) -> bool | None:
        """A row of a later table naming a pairing an earlier table holds (same supporter, place and
        programme, the same start or none) with an end year: it ends that pairing with that year
        (the last year in force; ``valid_to`` is inclusive) and is cited for it. True when the row was
        such an end (applied, or refused with a problem); None when it is a pairing of its own."""
        r = row.data
        if r.valid_to is None:
            return None
        earlier = [(pid, prow) for pid, prow, _file in self.pairing_nodes.get(key, []) if prow.file != row.file
                   and (r.valid_from is None or prow.data.valid_from == r.valid_from)]
        if not earlier:
            return None
        if len(earlier) > 1:
            open_ = [(pid, prow) for pid, prow in earlier if self.graph.props(pid).get("valid_to") is None]
            if len(open_) != 1:
                self.fail(row, f"{r.supporter}—{r.place} 有多个结对（{', '.join(p.where() for _, p in earlier)}）；"
                               "请写明起始年 valid_from to say which pairing ends", "valid_from")
                return True
            earlier = open_
        pid, prow = earlier[0]
        node = self.graph.props(pid)
        start, end = node.get("valid_from"), node.get("valid_to")
        if start is not None and r.valid_to < start:
            self.fail(row, f"终止年 {r.valid_to} 早于该结对的起始年 {start}（{prow.where()}） "
                           "the end year is before the pairing's start", "valid_to")
        elif end is not None and r.valid_to >= end:
            self.fail(row, f"{r.supporter}—{r.place} 已于 {end} 年终止（{prow.where()}），不能改为 {r.valid_to} 年 "
                           "the pairing already ends by then", "valid_to")
        else:
            refs = self.refs(row)
            if refs is not None:
                self.graph.g.nodes[pid].update(valid_to=r.valid_to, source=f"{node['source']}; {r.source}")
                self.provenance(row, pid, refs)
                self.ends.append((row.file, row.line, pid))
        return True

    def pairing(self, row: Row[PairingRow], seen: dict) -> None:
        r = row.data
        prog = program_id(r.program)
        sup = self.find_supporter(row, r.supporter)
        prov = self.find(row, r.province, "province", levels=(1,)) if r.province else None
        if sup is None or (r.province and prov is None):
            return
        within = prov
        if r.prefecture:
            within = self.find(row, r.prefecture, "prefecture", within=prov, levels=(2,))
            if within is None:
                return
        place = self.find(row, r.place, "place", within=within)
        if place is None:
            return
        if not self.programme_checks(row, sup, place):
            return
        if self.end(row, (sup, place, r.program)):
            return
        vf, vt = r.valid_from, r.valid_to
        key = (sup, place, vf)
        if key in seen:
            return self.fail(row, f"duplicate pairing of {r.supporter} and {r.place} from {vf} (first at {seen[key]})",
                             "place")
        seen[key] = row.where()
        found = [self.find(row, x, "excluding", within=place) for x in r.excluding]
        excluded = [x for x in found if x is not None]
        if len(excluded) != len(found):
            return
        refs = self.refs(row)
        if refs is None:
            return
        pid = f"pairing:{self.gaz.get(sup).code}:{self.gaz.get(place).code}:{vf if vf is not None else 'na'}"
        self.graph.add_node("Pairing", pid, valid_from=vf, valid_to=vt, period_note=r.period_note,
                            place_as_written=r.place, county_count=r.county_count,
                            prefecture_count=r.prefecture_count, source=r.source)
        self.pairing_nodes.setdefault((sup, place, r.program), []).append((pid, row, row.file))
        self.provenance(row, pid, refs)
        self.graph.add_edge("SUPPORTER", pid, self.add_place(sup))
        self.graph.add_edge("SUPPORTED", pid, self.add_place(place))
        self.graph.add_edge("UNDER", pid, prog)
        for x in excluded:
            self.graph.add_edge("EXCLUDES", pid, self.add_place(x))

    def check_seats(self) -> None:
        """Every place a pairing draws (supporter, place and the place's prefecture) gets a position in
        the geographic pictures: one without a row in the seat table is reported (a load warning naming
        it) and placed at the seat of the nearest division above it, marked ``seat_approximate``."""
        missing: set[str] = set()
        for p in self.graph.ids("Pairing"):
            for place in self.graph.out(p, "SUPPORTED"):
                missing.update(x for x in [place, *self.graph.out(place, "PART_OF")]
                               if self.graph.props(x)["label"] != "Province")
            missing.update(self.graph.out(p, "SUPPORTER"))
        for nid in sorted(missing):
            n = self.graph.props(nid)
            if n.get("longitude") is not None:
                continue
            above = next((a for a in self.gaz.ancestors(division_of(nid)) if self.gaz.get(a).code in self.seats), None)
            where = f"; drawn at the seat of {self.gaz.get(above).name}" if above else "; no seat above it either"
            self.warnings.append((SEATS, 0, f"no seat coordinates for {n['name']} ({n['code']}), which a pairing "
                                            f"names{where} until its row (code, name, longitude, latitude) is added"))
            if above:
                lon, lat = self.seats[self.gaz.get(above).code]
                self.graph.g.nodes[nid].update(longitude=lon, latitude=lat, seat_approximate=True)

    def agreements(self) -> None:
        seen: dict[str, str] = {}
        for row in self.agreement_rows:
            r = row.data
            found = [self.find(row, p, "parties", levels=(1, 2)) for p in r.parties]
            parties = [p for p in found if p is not None]
            refs = self.refs(row)
            if len(parties) != len(found) or refs is None:
                continue
            aid = self.table_item_id(row, "agreement", refs)
            if not self.once(seen, aid, row, f"agreement {aid}", "no"):
                continue
            self.graph.add_node("Agreement", aid, no=r.no, title=r.title, kind=r.kind, signed=r.signed,
                                source=r.source)
            self.provenance(row, aid, refs)
            for p in parties:
                self.graph.add_edge("PARTY", aid, self.add_place(p))

    def indicators(self) -> None:
        seen: dict[str, str] = {}
        for row in self.indicator_rows:
            r = row.data
            refs = self.refs(row)
            if refs is None:
                continue
            iid = self.table_item_id(row, "indicator", refs)
            if not self.once(seen, iid, row, f"indicator {iid}", "no"):
                continue
            self.graph.add_node("Indicator", iid, no=r.no, name=r.name, target_2025=r.target_2025,
                                target=r.target_yearly_or_cumulative, cumulative=r.cumulative,
                                attribute=r.attribute, source=r.source)
            self.provenance(row, iid, refs)

    def funds(self) -> None:
        seen: dict[str, str] = {}
        for row in self.fund_rows:
            r = row.data
            found = [self.find(row, a, "areas") for a in r.areas]
            areas = [a for a in found if a is not None]
            refs = self.refs(row)
            if len(areas) != len(found) or refs is None or not self.once(seen, r.id, row, f"funding id {r.id}", "id"):
                continue
            fid = f"funding:{r.id}"
            self.graph.add_node("AidFunding", fid, period=r.period, amount_100m_yuan=r.amount_100m_yuan,
                                projects=r.projects, note=r.note, source=r.source)
            self.provenance(row, fid, refs)
            for a in areas:
                self.graph.add_edge("FUNDED", fid, self.add_place(a))

    def council(self) -> None:
        seen: dict[str, str] = {}
        for row in self.council_rows:
            c = row.data
            refs = self.refs(row)
            if refs is None or not self.once(seen, c.id, row, f"council id {c.id}", "id"):
                continue
            council = f"council:{c.id}"
            self.graph.add_node("Council", council, name=c.name, source=c.source)
            self.provenance(row, council, refs)
            self.councils[c.id] = council
        for n, row in enumerate(self.body_rows, start=1):
            r = row.data
            cid = self.council_of(row)
            prov = self.find(row, r.lead_province, "lead_province", levels=(1,))
            lead = prov if prov and r.lead_city == r.lead_province else (
                self.find(row, r.lead_city, "lead_city", within=prov, levels=(2,)) if prov else None)
            refs = self.refs(row)
            if lead is None or cid is None or refs is None:
                continue
            bid = f"councilbody:{n:02d}"
            self.graph.add_node("CouncilBody", bid, name=r.name, kind=r.kind, founded=r.founded, source=r.source)
            self.provenance(row, bid, refs)
            self.graph.add_edge("BODY_OF", bid, cid)
            self.graph.add_edge("LED_BY", bid, self.add_place(lead), source=r.source)
        for row in self.member_rows:
            r = row.data
            cid = self.council_of(row)
            prov = self.find(row, r.province, "province", levels=(1,))
            city = self.find(row, r.city, "city", within=prov, levels=(2,)) if prov else None
            if city is None or cid is None or self.refs(row) is None:
                continue
            self.graph.add_edge("MEMBER_OF", self.add_place(city), cid, joined=r.joined, meeting=r.meeting,
                                source=r.source)

    def council_of(self, row: Row) -> str | None:
        cid = self.councils.get(row.data.council)
        if cid is None:
            self.fail(row, f"no council {row.data.council!r} in {COUNCILS}", "council")
        return cid

    def texts(self) -> None:
        """Tasks and units from the work points, duties from the guidance, read from the texts."""
        builder = TaskBuilder(self, self.unit_names)
        for doc, (kind, path) in sorted(self.doc_kinds.items()):
            if kind == "work-points":
                try:
                    # force: a document in the register was accepted (its import checked it, or --force)
                    plan = parse_workpoints(decode(path.read_bytes()), force=True,
                                            known_units=known_unit_names(self.unit_names),
                                            labels=load_labels(self.root))
                    found = builder.add_plan(doc, plan)
                except ValueError as e:
                    self.problems.append(f"sources/{path.name}: {e}")
                    continue
                self.warnings += [(path.name, w.line, w.message) for w in found]
            elif kind == "guidance":
                builder.add_guidance(doc, parse_guidance(path.read_text(encoding="utf-8")))
        builder.finish()

    # -- the documents' own totals -------------------------------------------
    def check_totals(self) -> None:
        """The documents' own totals, against the pairings that document states (its source) under the
        programmes that count toward paired places: a pairing added later from another source does not
        disturb a check of what an earlier document said."""
        counted = {program_id(k) for k, row in self.programmes.items() if row.data.counts_toward == "paired-places"}
        pairings = self.graph.pairing_records()  # the same records every store returns

        def stated_by(row: Row) -> list:
            docs = {doc for doc, _ in (self.refs(row) or [])}
            return [p for p in pairings if {ref.partition("#")[0] for ref in _docs_of(p.source)} & docs]

        for row in self.document_total_rows:
            r = row.data
            got = paired_totals(stated_by(row), r.as_of, self.gaz, counted)
            want = {"counties": r.counties, "prefectures": r.prefectures, "provinces": r.provinces}
            if got != want:
                self.fail(row, f"the graph gives {got} for {r.as_of}, the document says {want}")
        for row in self.district_total_rows:
            r = row.data
            d = self.find(row, r.district, "district", within=SHANGHAI)
            if d is None:
                continue
            paired = sum(1 for p in stated_by(row) if p.in_force(2021) and p.program in counted
                         and p.supporter == place_id(d))
            if paired != r.paired_places:
                self.fail(row, f"{r.district} has {paired} paired places in the graph, "
                               f"the table says {r.paired_places}",
                          "paired_places")


def _overlap(a_from, a_to, b_from, b_to) -> bool:
    lo = max(a_from if a_from is not None else -10**6, b_from if b_from is not None else -10**6)
    hi = min(a_to if a_to is not None else 10**6, b_to if b_to is not None else 10**6)
    return lo <= hi


def _docs_of(source: str) -> list[str]:
    """The document references of a ``source`` cell (``doc#locator; …``), continuations included."""
    return [ref.strip() for ref in source.split(";") if ref.strip()]


def _looks_like_doc_id(text: str) -> bool:
    return text.isascii() and "-" in text


def gazetteer_from(rows: list[Row[AliasRow]], exonyms: Sequence[Row[ExonymRow]] = (),
                   successors: Sequence[Row[PlaceSuccessorRow]] = ()) -> Gazetteer:
    """The national gazetteer with these alias, exonym and successor rows; ``LoadError`` naming the
    row of one that does not name exactly one division."""
    try:
        return gazetteer(tuple(r.data for r in rows), tuple(r.data for r in exonyms),
                         tuple(r.data for r in successors))
    except ValueError as e:
        text = str(e)
        if text.startswith("exonyms.csv: "):
            msg = text.removeprefix("exonyms.csv: ")
            exonym = next((r for r in exonyms if msg.startswith(f"exonym {r.data.name!r} ")), None)
            raise LoadError([f"{exonym.where('code')}: {msg}" if exonym else f"{EXONYMS}: {msg}"]) from None
        if text.startswith("place_successors.csv: "):
            msg = text.removeprefix("place_successors.csv: ")
            succession = next((r for r in successors if f"code {r.data.abolished_code!r}" in msg
                               and (f"{r.data.successor_code!r}" in msg or msg.startswith("abolished"))), None)
            col = "abolished_code" if msg.startswith("abolished") else "successor_code"
            raise LoadError([f"{succession.where(col)}: {msg}" if succession else f"{SUCCESSORS}: {msg}"]) from None
        msg = text.removeprefix("aliases.csv: ")
        row = next((r for r in rows if msg.startswith(f"alias {r.data.alias!r} ")), None)
        raise LoadError([f"{row.where('name')}: {msg}" if row else f"{ALIASES}: {msg}"]) from None


def _optional(root: Path, relpath: str, model, problems: list[str]) -> list:
    """The rows of a table a data folder may lack (older copies): none when the file is absent."""
    return read_table(root, relpath, model, problems) if (Path(root) / relpath).is_file() else []


def unit_names_from(rows: list[Row[UnitAliasRow]], problems: list[str]) -> UnitNames:
    return UnitNames({row.data.written: (row.data.canonical, row.data.kind)
                      for row in unique_rows(rows, "written", problems)})


def load_gazetteer(root: Path) -> Gazetteer:
    """The national gazetteer with this data folder's alias, exonym and successor tables."""
    problems: list[str] = []
    rows = read_table(root, ALIASES, AliasRow, problems)
    exonyms = _optional(root, EXONYMS, ExonymRow, problems)
    successors = _optional(root, SUCCESSORS, PlaceSuccessorRow, problems)
    if problems:
        raise LoadError(problems)
    return gazetteer_from(rows, exonyms, successors)


def source_text(root: Path, file: str | None) -> str | None:
    """The text of a held source document (``file``, a Document node's file under ``root``/sources), for
    the document pages; None for a document cited but not held, or a file that is not there."""
    if not file:
        return None
    sources = (Path(root) / "sources").resolve()
    path = (sources / file).resolve()
    if path.parent != sources or not path.is_file():
        return None
    try:
        return decode(path.read_bytes())
    except (OSError, ValueError):
        return None


def load_unit_names(root: Path) -> UnitNames:
    """This data folder's unit alias table."""
    problems: list[str] = []
    names = unit_names_from(read_table(root, UNIT_ALIASES, UnitAliasRow, problems), problems)
    if problems:
        raise LoadError(problems)
    return names


@dataclass(frozen=True)
class Loaded:
    """Everything one load of a data folder gives: the validated graph, the gazetteer and
    the unit names it was built with, and the parsers' warnings as (file, line, message)."""
    graph: CanonicalGraph
    gazetteer: Gazetteer
    unit_names: UnitNames
    warnings: list[tuple[str, int, str]]
    ends: tuple[tuple[str, int, str], ...] = ()  # (file, line, pairing id): rows that ended an earlier pairing
    concurrent: tuple[tuple[str, int, str], ...] = ()  # (file, line, message): see _Loader.concurrent

    def to_data(self) -> dict:
        """The whole load as JSON data (for the snapshot cache)."""
        return {"graph": self.graph.to_data(), "gazetteer": self.gazetteer.to_data(),
                "unit_names": self.unit_names.table, "warnings": self.warnings}

    @classmethod
    def from_data(cls, data: dict) -> Loaded:
        """The load ``to_data`` gave; ValueError, TypeError, KeyError or IndexError when ``data`` is not one."""
        return cls(CanonicalGraph.from_data(data["graph"]), Gazetteer.from_data(data["gazetteer"]),
                   UnitNames({str(k): (str(c), str(kind)) for k, (c, kind) in data["unit_names"].items()}),
                   [(str(f), int(n), str(m)) for f, n, m in data["warnings"]])


def load_graph(root: Path) -> CanonicalGraph:
    """Build and validate the canonical graph from ``root`` (``sources/`` + ``curated/``)."""
    return load(root).graph


def load(root: Path) -> Loaded:
    """Load a data folder whole, or raise ``LoadError`` listing every problem: nothing half-loaded."""
    if not (root / "sources").is_dir() or not (root / "curated").is_dir():
        raise LoadError([f"{root}: not a data folder (it needs sources/ and curated/; check AIDGRAPH_DATA)"])
    ld = _Loader(root)
    if not ld.references_ok:
        raise LoadError(ld.problems)
    try:
        ld.prepare()
    except LoadError as e:
        raise LoadError(ld.problems + e.problems) from None
    try:
        ld.documents()
        ld.programs()
        ld.pairings()
        ld.agreements()
        ld.indicators()
        ld.funds()
        ld.council()
        ld.texts()
        if not ld.problems:
            ld.check_seats()
            ld.check_totals()
    except SchemaError as e:
        ld.problems.append(str(e))
    if ld.problems:
        raise LoadError(ld.problems)
    return Loaded(ld.graph, ld.gaz, ld.unit_names, ld.warnings, tuple(ld.ends), tuple(ld.concurrent()))
