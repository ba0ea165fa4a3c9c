"""A synthetic data folder at 1x, 10x, 100x or national scale, written in the project's own formats.

It copies ``data/`` and adds, the way a curator or ``import-doc`` would:

- pairing tables ``curated/pairings_synth_<year>.csv`` (one per period a pairing starts in), each
  registered in ``curated/pairing_tables.csv`` with programmes of ``curated/programmes.csv`` and
  citing a table of ``curated/cited_documents.csv``; supporters are county-level districts and a few
  prefecture-level cities of ten eastern provinces (Shanghai's 16 districts among them), written with
  their city or province when the bare name is ambiguous (南京市鼓楼区, 江苏省苏州市); places are real
  county-level divisions (and some whole prefectures) of the other provinces, with real codes and names
  from the gazetteer; pairings run over twenty years (2005-2024) and change supporter at period ends;
- a row of ``curated/seat_coordinates.csv`` for every place a pairing draws that has none: the real
  seat where the table already has it, else a deterministic position near its province's seat;
- work-point documents as plain text in the layout of the 闵行 2024 notice (numbered tasks, each
  followed by a ``牵头单位：…；责任单位：…`` line), one per issuing district and year (two when it has
  more tasks than one document numbers), each with its own number ``X府办发〔year〕N号``, registered in
  ``sources/documents.csv`` with its sha256. They are read by the real parser when the folder loads.

Everything is drawn from ``random.Random(seed)``: the same seed and scale give the same bytes.
The folder is then checked by loading it with ``aidgraph.loaders.curated.load`` (``--no-check``
skips that), which prints its size.

What the loader checks holds for every seed by construction, not by drawing again:

- a supporter cell names one division the way the loader reads it (Shanghai first), and a place row
  names its place within its prefecture (or province): only such supporters and places are drawn;
- a district issues work points only in the years it supports a pairing in force (the loader refuses
  a document whose district is not a supporter of the pairings), and only when its bare name, as a
  title gives it, names it alone; a drawn supporter that got no place issues nothing;
- every id, document number and pairing (supporter, place, start) is new, and every source cited is
  registered.

``--tasks N`` keeps the scale's supporters, places and pairings but writes only about N tasks (at
least one per issuing district and year): a quick way to load the breadth of a large scale.

    .venv/bin/python bench/generate.py --scale national --seed 1 --out /tmp/aid-national
    AIDGRAPH_DATA=/tmp/aid-national .venv/bin/aidgraph who-supports 泸水

Scale 1 is the shipped data itself (today's graph); 10 and 100 add synthetic facts until the graph
has about that many times today's relationships; ``national`` is the full national target (~300
supporting districts, ~2,600 county-level places, ~100,000 tasks, ~20,000 units, ~1M relationships).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import random
import shutil
import stat
import sys
import time
from pathlib import Path

from aidgraph.loaders.curated import load
from aidgraph.loaders.gazetteer import load_gazetteer
from aidgraph.schema.places import SHANGHAI

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling modules, however it is loaded
from synth_places import CAPITALS, Supporter, _current, _jitter, issues_docs, names_place, written_supporter
from synth_words import BODIES, BODY, COLLECTIVES, FRONT_LINE, HEADINGS, LEADER, SECTIONS, TOWN_HEADS

REPO_DATA = Path(__file__).resolve().parents[1] / "data"
SEED_RELATIONSHIPS = 1164  # today's graph (data/ as shipped, 2026-11): 461 nodes, 1,164 relationships

# the national target; smaller scales take a fraction of every count
NATIONAL = {"supporters": 300, "tasks": 100_000, "units_per_district": 80}
NATIONAL_RELATIONSHIPS = 1_000_000
YEARS = list(range(2005, 2025))  # twenty years of work points
PERIODS = [(2005, 2010), (2011, 2015), (2016, 2020), (2021, None)]

SUPPORTER_PROVINCES = ["110000", "120000", "130000", "210000", "310000", "320000", "330000", "350000",
                       "370000", "440000"]  # 北京 天津 河北 辽宁 上海 江苏 浙江 福建 山东 广东
# the programme a supported province's pairings fall under (the rest: east-west)
PROGRAMME_OF = {"540000": "paired-support", "650000": "paired-support", "630000": "paired-support",
                "220000": "paired-cooperation", "230000": "paired-cooperation", "150000": "paired-cooperation"}
WANBEI = {"340400", "341500", "341600", "341300", "341200", "340600", "340300", "341100"}  # northern Anhui cities

class Generator:
    def __init__(self, out: Path, seed: int, fraction: float, label: str, tasks: int | None = None):
        self.out, self.rng, self.fraction, self.label = out, random.Random(seed), fraction, label
        self.seed, self.tasks = seed, tasks
        self.gaz = load_gazetteer(out)
        self.cur = _current(self.gaz)

    def n(self, key: str, minimum: int) -> int:
        return max(minimum, round(NATIONAL[key] * self.fraction))

    # -- who and where -------------------------------------------------------------------------
    def choose(self, seed_places: set[str], seed_supporters: set[str]) -> None:
        gaz, rng = self.gaz, self.rng
        n_sup = self.n("supporters", 2)
        county = [d for d in self.cur if d.rank == 3]
        written = {d.id: written_supporter(gaz, d.id) for d in self.cur if d.province in SUPPORTER_PROVINCES
                   and (d.rank == 2 or (d.rank == 3 and d.name.endswith("区")))}
        pool = sorted(d.id for d in county if written.get(d.id))
        cities = sorted(d.id for d in self.cur if d.rank == 2 and written.get(d.id))
        shanghai = sorted(d for d in pool if gaz.get(d).province == SHANGHAI)
        n_cities = n_sup // 20
        picked = ["310112"]  # 闵行区: the benchmarks ask about it at every scale
        rest_sh = [d for d in shanghai if d not in picked]
        rng.shuffle(rest_sh)
        picked += rest_sh[:max(0, min(len(rest_sh), round(16 * n_sup / NATIONAL["supporters"]) - 1))]
        others = [d for d in pool if gaz.get(d).province != SHANGHAI]
        picked += rng.sample(others, n_sup - n_cities - len(picked))
        picked += rng.sample(cities, n_cities)
        self.supporters = [Supporter(d, written[d], gaz.get(d).rank == 3 and issues_docs(gaz, d))
                           for d in picked]
        taken = set(picked) | seed_supporters
        # places: county-level divisions of the other provinces (and the eastern provinces' counties)
        candidates = sorted(d.id for d in county if d.id not in taken and d.id not in seed_places
                            and (d.province not in SUPPORTER_PROVINCES or not d.name.endswith("区"))
                            and d.province != SHANGHAI and names_place(gaz, d.id))
        n_places = max(10, round(len(candidates) * self.fraction))
        self.places = sorted(rng.sample(candidates, min(n_places, len(candidates))))
        # some prefectures are paired whole, by the prefecture-level supporters
        prefs = sorted(d.id for d in self.cur if d.rank == 2 and d.province in PROGRAMME_OF
                       and PROGRAMME_OF[d.province] == "paired-cooperation" and d.id not in seed_places
                       and names_place(gaz, d.id))
        self.whole_prefectures = rng.sample(prefs, min(len(prefs), n_cities * 2))

    # -- pairings ------------------------------------------------------------------------------
    def programme(self, place: str, year: int) -> str:
        d = self.gaz.get(place)
        if year >= 2021 and (place in WANBEI or self.gaz.prefecture_of(place) in WANBEI):
            return "wanbei"
        return PROGRAMME_OF.get(d.province, "east-west")

    def pairings(self) -> dict[int, list[dict]]:
        """Rows by the year their period starts: each place gets a supporter from its province's
        partners; at each period end a third change supporter, a few start late or end early."""
        gaz, rng = self.gaz, self.rng
        districts = [s for s in self.supporters if gaz.get(s.div).rank == 3]
        cities = [s for s in self.supporters if gaz.get(s.div).rank == 2] or districts
        by_prov: dict[str, list[Supporter]] = {}
        for s in districts:
            by_prov.setdefault(gaz.get(s.div).province, []).append(s)
        sup_provs = sorted(by_prov)
        partners: dict[str, list[str]] = {}  # supported province -> supporting provinces
        for prov in sorted({gaz.get(p).province for p in self.places}):
            partners[prov] = rng.sample(sup_provs, min(len(sup_provs), rng.choice((1, 2, 2, 3))))
        rows: dict[int, list[dict]] = {}
        for place in self.places:
            prov = gaz.get(place).province
            cands = [s for p in partners[prov] for s in by_prov[p]]
            start = rng.choice((0, 0, 0, 0, 1, 2))
            sup = rng.choice(cands)
            begin = PERIODS[start][0]
            for i in range(start, len(PERIODS)):
                last = i == len(PERIODS) - 1
                change = not last and rng.random() < 0.33
                stop = not last and rng.random() < 0.03
                if change or stop or last:
                    end = PERIODS[i][1]
                    self._row(rows, sup, place, begin, end)
                    if stop:
                        break
                    if change:
                        sup = rng.choice([c for c in cands if c is not sup] or cands)
                        begin = PERIODS[i + 1][0]
        for i, pref in enumerate(self.whole_prefectures):
            self._row(rows, cities[i % len(cities)], pref, rng.choice((2011, 2016, 2018)), None)
        return rows

    def _row(self, rows: dict, sup: Supporter, place: str, begin: int, end: int | None) -> None:
        gaz = self.gaz
        d = gaz.get(place)
        pref = gaz.prefecture_of(place)
        # a pairing crossing 2021 into northern Anhui's programme is split there
        spans = [(begin, end)]
        if (place in WANBEI or pref in WANBEI) and begin < 2021 and (end is None or end >= 2021):
            spans = [(begin, 2020), (2021, end)]
        for b, e in spans:
            prog = self.programme(place, b)
            if prog == "wanbei" and e is None:
                e = 2030
            sup.places.append(place)
            sup.years.update(y for y in YEARS if b <= y and (e is None or y <= e))
            rows.setdefault(b, []).append({
                "supporter": sup.written, "program": prog, "province": gaz.get(d.province).name,
                "prefecture": gaz.get(pref).name if pref and pref != place else "", "place": d.name,
                "excluding": "", "valid_from": b, "valid_to": "" if e is None else e,
                "period_note": "", "county_count": "", "prefecture_count": "",
                "source": f"synth-pairings-{b}#表1"})

    # -- seats -----------------------------------------------------------------------------------
    def seats(self, have: dict[str, tuple[float, float]]) -> list[dict]:
        gaz = self.gaz
        drawn: set[str] = set()
        for s in self.supporters:
            drawn.add(s.div)
            for p in s.places:
                drawn.add(p)
                pref = gaz.prefecture_of(p)
                if pref:
                    drawn.add(pref)
        out = []
        for div in sorted(drawn):
            d = gaz.get(div)
            if d.code in have:
                continue
            prov = gaz.get(d.province)
            base = have.get(prov.code) or CAPITALS.get(prov.code)
            pref = gaz.prefecture_of(div)
            if d.rank == 3 and pref and gaz.get(pref).code in have:
                base, spread = have[gaz.get(pref).code], 0.5
            else:
                spread = 2.0 if d.rank == 2 else 2.5
            dx, dy = _jitter(d.code, spread)
            pos = (round(base[0] + dx, 6), round(base[1] + dy, 6))
            have[d.code] = pos
            out.append({"code": d.code, "name": d.name, "longitude": pos[0], "latitude": pos[1]})
        return out

    # -- work points -----------------------------------------------------------------------------
    def unit_pool(self, alias_of: dict[str, str]) -> list[str]:
        """The written forms a district's documents use: bodies (some in their short form), towns,
        collectives and the front-line organisation."""
        rng = self.rng
        n = NATIONAL["units_per_district"]
        bodies = rng.sample(BODIES, min(len(BODIES), n - 14))
        towns: list[str] = []
        while len(towns) < 10:
            t = rng.choice(TOWN_HEADS) + rng.choice(TOWN_HEADS) + rng.choice(("镇", "镇", "街道"))
            if t not in towns and t[0] != t[1]:
                towns.append(t)
        short = {v: k for k, v in alias_of.items()}
        written = [short[b] if b in short and rng.random() < 0.7 else b for b in bodies]
        return written + towns + COLLECTIVES

    def documents(self, alias_of: dict[str, str]) -> list[tuple[dict, bytes]]:
        gaz, rng = self.gaz, self.rng
        self.alias_of = alias_of  # written -> canonical: one unit is named once per task
        # a district writes work points in the years it supports a pairing in force, and only then
        issuers = [s for s in self.supporters if s.issues_docs and s.years]
        if not issuers:
            return []
        wanted = NATIONAL["tasks"] * self.fraction if self.tasks is None else self.tasks
        per_doc = wanted / sum(len(s.years) for s in issuers)
        serials: dict[tuple[str, int], int] = {}
        mention = {p for p in {q for s in issuers for q in s.places}
                   if len(gaz.best(gaz.forms.get(gaz.get(p).name, []))) == 1}
        out = []
        for s in issuers:
            d = gaz.get(s.div)
            pool = self.unit_pool(alias_of)
            weights = [1.0 / (i + 3) for i in range(len(pool))]  # a few bodies named often, most now and then
            own = sorted(p for p in s.places if p in mention)
            for year in sorted(s.years):
                total = max(1, round(rng.uniform(0.5, 1.5) * per_doc))
                while total > 0:
                    count = min(total, 99)  # the parser reads task numbers of one or two digits
                    total -= count
                    prefix = d.name[0] + "府办发"
                    serial = serials.get((prefix, year), rng.randint(8, 30)) + rng.randint(1, 4)
                    serials[(prefix, year)] = serial
                    out.append(self.document(s, d, year, serial, count, pool, weights, own))
        return out

    def document(self, s: Supporter, d, year: int, serial: int, count: int, pool: list[str],
                 weights: list[float], own: list[str]) -> tuple[dict, bytes]:
        gaz, rng = self.gaz, self.rng
        number = f"{d.name[0]}府办发〔{year}〕{serial}号"
        title = f"{d.name}{year}年东西部协作和对口支援工作要点"
        issuer = f"{d.name}人民政府办公室"
        month, day = rng.randint(2, 6), rng.randint(1, 28)
        lines = [f"{issuer}文件", "", number, "",
                 f"{issuer}关于印发《{title}》的通知", "",
                 "各镇人民政府、街道办事处，区政府各委、办、局：", "",
                 f"现将《{title}》印发给你们，请结合实际认真组织实施。", "",
                 f"{year}年{month}月{day}日", "", title, "",
                 "一、总体要求", "",
                 "坚持前后方联动，统筹资金、项目、人才和市场，推动结对地区巩固成果、接续发展。", "",
                 "二、重点任务", ""]
        sections = rng.sample(SECTIONS, min(len(SECTIONS), max(1, count // 6)))
        per = max(1, -(-count // len(sections)))
        numeral = "一二三四五六七八九十"
        for i in range(count):
            if i % per == 0:
                lines += [f"（{numeral[i // per]}）{sections[i // per]}", ""]
            heading = rng.choice(HEADINGS)
            body = rng.choice(BODY)
            if own and rng.random() < 0.4:
                body = f"在{gaz.get(rng.choice(own)).name}{body}"
            text = f"{i + 1}. {heading}。{body}。"
            if rng.random() < 0.15 and len(text) > 24:  # a line broken by the extraction, as in real notices
                cut = rng.randint(12, len(text) - 6)
                if "\u4e00" <= text[cut] <= "\u9fff" and text[cut] not in numeral:
                    text = text[:cut] + "\n\n" + text[cut:]
            lines += [text, ""]
            k = rng.randint(1, 8)
            drawn = [LEADER] * (rng.random() < 0.5) + rng.choices(pool, weights, k=k + 2)
            units = list({self.alias_of.get(u, u): u for u in reversed(drawn)}.values())[::-1][:k]
            if rng.random() < 0.4 and FRONT_LINE not in units:
                units = [*units[:k - 1], FRONT_LINE] if len(units) >= k else [*units, FRONT_LINE]
            lead_n = max(1, min(len(units), rng.choice((1, 1, 2, 2, 3))))
            field_line = "牵头单位：" + "、".join(units[:lead_n])
            if units[lead_n:]:
                field_line += "；责任单位：" + "、".join(units[lead_n:])
            lines += [field_line, ""]
        lines += ["抄送：区委各部门、区人大办、区政协办。", "", issuer, "", f"{year}年{month}月{day}日印发", ""]
        data = "\n".join(lines).encode("utf-8")
        sha = hashlib.sha256(data).hexdigest()
        doc = f"wp-{d.code}-{year}-{serial}"
        row = {"id": doc, "file": f"{doc}.txt", "sha256": sha, "number": number, "title": title, "issuer": issuer,
               "date": f"{year}-{month:02d}-{day:02d}", "kind": "work-points",
               "origin": f"synthetic: bench/generate.py --seed {self.seed} --scale {self.label}"}
        return row, data


def _append_csv(path: Path, rows: list[dict]) -> None:
    """Rows added under the file's own header (its comment lines kept)."""
    text = path.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line and not line.startswith("#"))
    cols = next(csv.reader([header]))
    buf = io.StringIO()
    w = csv.DictWriter(buf, cols, lineterminator="\n")
    w.writerows([{c: r.get(c, "") for c in cols} for r in rows])
    path.write_text(text.rstrip("\n") + "\n" + buf.getvalue(), encoding="utf-8")


def _write_csv(path: Path, cols: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, cols, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def fraction_of(scale: str) -> float:
    if scale == "national":
        return 1.0
    factor = float(scale)
    return max(0.0, (factor - 1) * SEED_RELATIONSHIPS / NATIONAL_RELATIONSHIPS)


def generate(out: Path, scale: str, seed: int, tasks: int | None = None, data: Path = REPO_DATA) -> Path:
    """Write the folder ``out`` from the data folder ``data`` (the repository's by default); ``tasks``:
    about that many tasks instead of the scale's share (at least one per issuing district and year)."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(data, out)
    for path in [out, *out.rglob("*")]:  # writable whatever the source's modes (a read-only copy of data/)
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    fraction = fraction_of(scale)
    if fraction == 0:
        return out  # 1x: today's graph as shipped
    seed_graph = load(data).graph
    seed_places = {n["code"] for label in ("County", "Prefecture", "Province") for n in seed_graph.nodes(label)}
    seed_supporters = {seed_graph.node(s)["code"] for p in seed_graph.ids("Pairing")
                       for s in seed_graph.out(p, "SUPPORTER")}
    label = scale if tasks is None else f"{scale} --tasks {tasks}"
    gen = Generator(out, seed, fraction, label, tasks)
    gen.choose(seed_places, seed_supporters)
    rows = gen.pairings()
    cols = ["supporter", "program", "province", "prefecture", "place", "excluding", "valid_from", "valid_to",
            "period_note", "county_count", "prefecture_count", "source"]
    tables, cited = [], []
    for year, rs in sorted(rows.items()):
        name = f"pairings_synth_{year}.csv"
        _write_csv(out / "curated" / name, cols, rs)
        progs = sorted({r["program"] for r in rs})
        tables.append({"file": name, "programmes": " ".join(progs), "source": f"synth-pairings-{year}",
                       "note": f"synthetic pairings starting {year} (bench/generate.py --seed {seed} --scale {label})"})
        cited.append({"id": f"synth-pairings-{year}", "number": "", "title": f"合成结对关系表（{year}年起）",
                      "issuer": "bench/generate.py", "date": "", "kind": "plan",
                      "note": "Synthetic table for benchmarks; not a real document."})
    _append_csv(out / "curated" / "pairing_tables.csv", tables)
    _append_csv(out / "curated" / "cited_documents.csv", cited)
    # as a curator would: the programmes' provinces widened to the places paired, the supporters' provinces
    # added to the supporter table
    used: dict[str, set[str]] = {}
    for rs in rows.values():
        for r in rs:
            used.setdefault(r["program"], set()).add(r["province"])
    with open(out / "curated" / "programmes.csv", encoding="utf-8", newline="") as f:
        progs = list(csv.DictReader(f))
    for r in progs:
        if r.get("provinces"):
            r["provinces"] = " ".join(sorted(set(r["provinces"].split()) | used.get(r["id"], set())))
    _write_csv(out / "curated" / "programmes.csv", list(progs[0]), progs)
    first = f"synth-pairings-{min(rows)}"
    _append_csv(out / "curated" / "supporters.csv", [
        {"scope": prov, "programmes": "", "source": first, "note": "synthetic supporters (bench/generate.py)"}
        for prov in sorted({gen.gaz.get(gen.gaz.get(s.div).province).name for s in gen.supporters})])
    seat_path = out / "curated" / "seat_coordinates.csv"
    have = {}
    with open(seat_path, encoding="utf-8") as f:
        for r in csv.DictReader(line for line in f if not line.startswith("#")):
            have[r["code"]] = (float(r["longitude"]), float(r["latitude"]))
    _append_csv(seat_path, gen.seats(have))
    alias_of = {}
    with open(out / "curated" / "unit_aliases.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["kind"] == "unit" and r["written"] != r["canonical"]:
                alias_of.setdefault(r["written"], r["canonical"])
    docs = gen.documents(alias_of)
    for row, data in docs:
        (out / "sources" / row["file"]).write_bytes(data)
    _append_csv(out / "sources" / "documents.csv", [r for r, _ in docs])
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=["1", "10", "100", "national"], default="10")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="folder to write (replaced if it exists)")
    ap.add_argument("--tasks", type=int, default=None,
                    help="about this many tasks instead of the scale's share (the scale's supporters, places and "
                         "pairings kept; at least one task per issuing district and year)")
    ap.add_argument("--no-check", action="store_true", help="do not load the folder after writing it")
    args = ap.parse_args(argv)
    if args.tasks is not None and args.tasks < 1:
        ap.error("--tasks must be at least 1")
    t = time.perf_counter()
    generate(args.out, args.scale, args.seed, args.tasks)
    files = sum(1 for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {args.out} ({files:,} files) in {time.perf_counter() - t:.1f} s")
    if not args.no_check:
        t = time.perf_counter()
        loaded = load(args.out)
        g = loaded.graph
        print(f"loaded in {time.perf_counter() - t:.1f} s: {g.g.number_of_nodes():,} nodes, "
              f"{g.g.number_of_edges():,} relationships ({g.g.number_of_edges() / SEED_RELATIONSHIPS:.0f}x today's), "
              f"{len(loaded.warnings):,} parser warnings")
        print("  nodes:", ", ".join(f"{k} {v:,}" for k, v in g.label_counts().items()))
        print("  relationships:", ", ".join(f"{k} {v:,}" for k, v in g.rel_counts().items()))
        for w in loaded.warnings[:5]:
            print("  warning:", w)


if __name__ == "__main__":
    sys.exit(main())
