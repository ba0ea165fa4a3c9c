"""The pairing tables' rows -> Pairing nodes: each row's supporter and place resolved and checked against
its programme (supporters allowed, provinces, period), a later table's row ending an earlier pairing,
pairings of one place overlapping, and the seats the pictures draw them at."""
from __future__ import annotations

from ..schema.eras import overlap, period_text
from ..schema.ids import division_of
from ..schema.model import program_id
from .resolving import Resolver
from .table_reader import Row
from .tables import PAIRING_TABLES, PROGRAMMES, SEATS, PairingRow, PairingTableRow, ProgrammeRow, SupporterRow


class PairingRows(Resolver):
    """The pairings of a load (the loader sets up the rows and programmes they are read against)."""
    programmes: dict[str, Row[ProgrammeRow]]
    pairing_rows: list[tuple[Row[PairingTableRow], Row[PairingRow]]]
    supporter_rows: list[Row[SupporterRow]]
    warnings: list[tuple[str, int, str]]

    def pairings(self) -> None:
        seen: dict[tuple, str] = {}
        # (supporter, place, programme) -> pairings
        self.pairing_nodes: dict[tuple, list[tuple[str, Row[PairingRow], str]]] = {}
        self.ends: list[tuple[str, int, str]] = []  # (file, line, pairing id): rows that ended an earlier pairing
        for scope in self.supporter_rows:
            self.refs(scope)  # each scope names the document that makes it a supporter
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
                    if pid2 == pid or not overlap(n.get("valid_from"), n.get("valid_to"),
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
                               f"{period_text(prog.valid_from, prog.valid_to)} 之内 "
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
                self.graph.set_props(pid, valid_to=r.valid_to, source=f"{node['source']}; {r.source}")
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
                self.graph.set_props(nid, longitude=lon, latitude=lat, seat_approximate=True)
