"""A place's or a district's pairings as bands over the years: the timeline the place and district
pages draw (``viz.timeline_svg``) and the handout prints (``viz.timeline_print``), with its table.

A place's timeline is exactly ``who_supports(…, history=True)``: one row per supporter, one band per
period the answer lists (the same periods, supporters, programmes and sources). A district's has one
row per place it supports; with more places than ``MAX_ROWS`` the places are grouped by their
prefecture (or province), one band per programme and period shared. Years no source covers
(``AidGraph.uncovered``: 2011–2015, every year after the data's date) are marked."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..queries.service import AidGraph
from ..schema.eras import period_text
from ..schema.ids import division_of
from ..schema.labels import VIA_ZH
from .citations import cite_short
from .styles import DASH_NAMES

MAX_ROWS = 14  # a district with more places than this is drawn by prefecture


@dataclass(frozen=True)
class Band:
    programme_id: str
    programme: str
    valid_from: int | None
    valid_to: int | None
    source: str        # the source cell (document id#locator; …)
    cite: str          # its documents' numbers with the tables or items
    note: str = ""     # how the pairing reaches the row's place, or the places a grouped band holds

    @property
    def period(self) -> str:
        return period_text(self.valid_from, self.valid_to)


@dataclass(frozen=True)
class Row:
    label: str
    href: str
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class Programme:
    name: str
    colour: str
    style: int          # index into the line styles (viz.styles.DASHES / DASH_NAMES)

    @property
    def style_name(self) -> str:
        return DASH_NAMES[self.style % len(DASH_NAMES)]


@dataclass(frozen=True)
class Timeline:
    title: str
    first: int
    last: int
    uncovered: dict[int, str]          # year -> why no source covers it
    rows: tuple[Row, ...]
    programmes: dict[str, Programme]   # the programmes its bands use, in the graph's order
    data_date: str
    grouped: bool = False              # a district's places grouped by prefecture
    year: int | None = None            # the year the page answers for (marked)
    row_kind: str = "支援方"            # what a row is: 支援方, 受援地 or 地州市

    @property
    def uncovered_spans(self) -> list[tuple[int, int, str]]:
        """Runs of consecutive uncovered years with one note: (first, last, note)."""
        out: list[tuple[int, int, str]] = []
        for y in sorted(self.uncovered):
            text = _kind(self.uncovered[y])
            if out and out[-1][1] == y - 1 and out[-1][2] == text:
                out[-1] = (out[-1][0], y, text)
            else:
                out.append((y, y, text))
        return out

    def texts(self) -> str:
        """Every character the timeline writes (for font subsets)."""
        parts = [self.title, "年份来源未覆盖至今图例表来源起止项目类别支援方受援地", *[r.label for r in self.rows],
                 *[b.cite + b.note + b.programme + b.period for r in self.rows for b in r.bands],
                 *[p.name + p.style_name for p in self.programmes.values()],
                 *[s[2] for s in self.uncovered_spans], "0123456789–?（）：；，、 个县地"]
        return "".join(parts)


def _kind(note: str) -> str:
    """The span text for a year's uncovered note: the after-data note as it is; the not-stated note
    without its year (one text for a run of years)."""
    return "来源未记载这些年份的结对" if note.startswith("来源未记载") else note


def _axis(aid: AidGraph) -> tuple[int, int]:
    """The years any timeline may show: from the first year a source states a pairing for to the later of
    now, the year after the data's date and the last year a period runs to."""
    records = aid.pairings()
    first = min((r.valid_from for r in records if r.valid_from), default=aid.now)
    data_year = int(aid.data_date[:4]) if aid.data_date else aid.now
    last = max([aid.now, data_year + 1, *(r.valid_to for r in records if r.valid_to)])
    return first, last


def _frame(aid: AidGraph, title: str, rows: list[Row], grouped: bool, year: int | None, row_kind: str) -> Timeline:
    first, last = _axis(aid)
    starts = [b.valid_from for r in rows for b in r.bands]
    if starts and None not in starts:  # from the year before its first band: where that band begins shows
        first = max(first, min(y for y in starts if y is not None) - 1)
    used = {b.programme_id for r in rows for b in r.bands}
    progs = {pid: Programme(p.name, p.colour, i) for i, (pid, p) in enumerate(aid.programmes.items()) if pid in used}
    uncovered = {y: note for y in range(first, last + 1) if (note := aid.uncovered(y))}
    return Timeline(title=title, first=first, last=last, uncovered=uncovered, rows=tuple(rows), programmes=progs,
                    data_date=aid.data_date, grouped=grouped, year=year, row_kind=row_kind)


def _docs(aid: AidGraph) -> dict:
    return {d.id: d for d in aid.documents()}


def _order(b: Band) -> tuple:
    return (b.valid_from or 0, b.valid_to or 9999, b.programme_id, b.source)


def place_timeline(aid: AidGraph, name: str, year: int | None = None) -> Timeline:
    """A place's supporters over the years: the periods ``who_supports(name, history=True)`` lists."""
    ans = aid.who_supports(name, history=True)
    docs = _docs(aid)
    by_sup: dict[str, list[Band]] = defaultdict(list)
    labels: dict[str, str] = {}
    for s in ans.supporters:
        via = VIA_ZH.get(s.via) or ""
        note = f"经{s.place}（{via}）" if via else ""
        by_sup[s.code].append(Band(s.program_id, s.program, s.valid_from, s.valid_to, s.source,
                                   cite_short(s.source, docs), note))
        labels[s.code] = s.name
    rows = [Row(labels[code], f"/district/{code}", tuple(sorted(bands, key=_order)))
            for code, bands in by_sup.items()]
    rows.sort(key=lambda r: (_order(r.bands[0]), r.href))
    return _frame(aid, f"{ans.matched.name} 支援方时间线", rows, False, year, "支援方")


def district_timeline(aid: AidGraph, code: str, year: int | None = None) -> Timeline:
    """A district's (or the municipality's) pairings over the years: one row per place, or per
    prefecture when there are more than ``MAX_ROWS`` places."""
    records = aid.pairings(supporter=code)
    docs = _docs(aid)
    places = sorted({division_of(r.place) for r in records})
    grouped = len(places) > MAX_ROWS
    rows: dict[str, list[Band]] = defaultdict(list)
    labels: dict[str, str] = {}
    members: dict[tuple[str, str, int | None, int | None], list[str]] = defaultdict(list)
    sources: dict[tuple[str, str, int | None, int | None], list[str]] = defaultdict(list)
    for r in records:
        div = division_of(r.place)
        prog = aid.programmes[r.program]
        if not grouped:
            labels[div] = _short(aid, div)
            rows[div].append(Band(r.program, prog.name, r.valid_from, r.valid_to, r.source,
                                  cite_short(r.source, docs),
                                  f"{r.county_count} 个县" if r.county_count else ""))
            continue
        pref = aid.prefecture_of(div)
        area = pref if pref and pref != div else (aid.province_of(div) if div != aid.province_of(div) else div)
        labels[area] = _short(aid, area)
        key = (area, r.program, r.valid_from, r.valid_to)
        members[key].append(_short(aid, div))
        sources[key].extend(s.strip() for s in r.source.split(";") if s.strip())
    for (area, prog_id, vf, vt), names in members.items():
        source = "; ".join(dict.fromkeys(sources[(area, prog_id, vf, vt)]))
        rows[area].append(Band(prog_id, aid.programmes[prog_id].name, vf, vt, source, cite_short(source, docs),
                               "、".join(sorted(names)) if names != [labels[area]] else ""))
    held = {area: {n for (a, *_rest), names in members.items() if a == area for n in names} for area in rows}
    out = [Row(labels[k] + (f"（{len(held[k])} 处）" if grouped and held[k] != {labels[k]} else ""), f"/place/{k}",
               tuple(sorted(bands, key=_order))) for k, bands in rows.items()]
    out.sort(key=lambda r: (_order(r.bands[0]), r.href))
    return _frame(aid, f"{aid.place_name(code)} 结对时间线" + ("（按地州市归并）" if grouped else ""), out, grouped,
                  year, "地州市" if grouped else "受援地")



def _short(aid: AidGraph, div: str) -> str:
    """A place as the pairing tables write it: an autonomous county or prefecture by its short name and
    kind (巍山彝族回族自治县 -> 巍山县, 文山壮族苗族自治州 -> 文山州); other names as they are."""
    name = aid.place_name(div)
    if "自治" not in name:
        return name
    short = aid.short_name_in(div, aid.now)
    return short + name[-1] if short else name
