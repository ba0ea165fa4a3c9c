"""The project's two hot named questions, who-supports and tasks by unit, asked of the same national graph
on several engines side by side in one run: p50/p99 (wall, ms), CPU, the ratio to the service's p50, and
whether each engine gives the same answers as the service ("parity n/n").

Engines:

- ``service``: ``AidGraph(EmbeddedStore(graph), …)`` warmed with ``AidGraph.warm`` (as bench_queries.py and
  ``serve``): the whole cited answer (names, programmes, periods, sources, tasks, front-line units …);
- ``networkx store``: the same graph's ``EmbeddedStore`` reads alone (``pairings(places=…)`` with the
  gazetteer's ancestors and descendants, ``units(names=…)`` + ``tasks(units=…, district=…)``): no answer
  assembled, so the service's overhead shows;
- ``ladybug``: LadybugDB (embedded, a Kùzu fork, Cypher), in a temporary folder: one node table per label
  and one relationship table per type of the schema table (``schema.model``), bulk loaded with ``COPY …
  FROM`` a pandas frame each (a relationship type with several label pairs: one COPY per pair);
  parameterised Cypher (``Connection.execute(query, parameters)``: 0.22 deprecates a separate ``prepare``);
  the place hierarchy is read with variable-length paths (``PART_OF*0..4``), each of which costs LadybugDB
  ≈ 10 ms at national scale (the same question with fixed one- and two-hop branches: ≈ 3× faster);
- ``oxigraph``: pyoxigraph's in-memory ``Store``, bulk loaded from the project's own streamed N-Triples
  export of the whole graph (``viz.formats.streaming.ntriples``, the bytes ``export --format nt`` writes);
  SPARQL with ``substitutions=`` (SEP-0007: a substituted variable must be projected) for the place, the
  year, the district and the unit's names (one query per name, as no list can be substituted);
- with ``--neo4j``: the tests' Neo4j 5 (tests/neo4j-server, started here as bench_queries.py does, heap
  AIDGRAPH_TEST_NEO4J_HEAP, default 4g; or the server of AIDGRAPH_TEST_NEO4J_URI), after the same push:
  the service over the Neo4j store, and the same Cypher as LadybugDB's over the driver (Bolt on loopback).

The peers are asked the core lookup only (place → pairings in force → supporters' codes; unit → its tasks'
ids) and return rows of codes; the service's answer is a full object. Names are resolved once beforehand,
outside the timing, with the service's own gazetteer and unit names (泸水 → place:533301, 区人社局 → its
written forms): the peers are given node ids and name lists, the service the text. Who-supports asks
about the fixed sample of bench_queries.py (200 paired places, seeded, 泸水 among them); tasks by unit
about 区人社局 in 闵行. Parity compares the set of supporter codes per place (the service's ``supporters``:
the pairings in force this year that reach the place itself, a county in it, or its prefecture or
province unless excluded) and the set of task ids (the tasks of 闵行 whose lead, responsible or
cooperating units include the unit), on the first pass over the inputs.

Each question is asked --n times per engine (cycling over the inputs) after one untimed call, for at most
--seconds (default 60); each load is bounded by --load-timeout (default 900 s) and an engine whose load
fails or runs over is left out with a message. CPU is this process's CPU time (all its threads: LadybugDB
and Oxigraph work in threads of their own; Neo4j's CPU, in the server, is not counted).

    .venv/bin/pip install -e '.[bench]'    # ladybug, pyoxigraph
    AIDGRAPH_CACHE=/tmp/peers-cache .venv/bin/python bench/bench_peers.py --data /tmp/aid-national \
        [--n 400] [--seconds 60] [--load-timeout 900] [--engines service,store,ladybug,oxigraph] [--neo4j]

The graph is read from the snapshot in AIDGRAPH_CACHE when one of --data is there, else built and saved
there (national scale: ≈ 90 s once, then ≈ 6 s).
"""
from __future__ import annotations

import argparse
import gc
import io
import random
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, header, load_avg, pct, peak_rss_mib, service_of

from aidgraph.queries.service import AidGraph
from aidgraph.queries.task_answers import district_scope
from aidgraph.schema.ids import division_of, place_id
from aidgraph.schema.model import BOOL, FLOAT, INT, INTS, NODE_TYPES, PLACE_LABELS, REL_TYPES, STR, STRS
from aidgraph.schema.rdf_graph import iri
from aidgraph.schema.text import normalise_line

WHO, TASKS = "who-supports (200 places)", "tasks --unit 区人社局 --district 闵行"
UNIT, DISTRICT = "区人社局", "闵行"
PART_OF_DEPTH = len(PLACE_LABELS) - 1  # the longest PART_OF chain the schema's place levels allow


@dataclass(frozen=True)
class Asked:
    """One input as every engine gets it: the service the text; the peers the node id (the place, or the
    district) and, for a unit, the names it may be written as, resolved beforehand by the service."""
    text: str
    node: str
    names: tuple[str, ...] = ()


class Skip(Exception):
    """An engine left out (its load failed or ran over its time)."""


def bounded(what: str, seconds: float, fn: Callable[[], object], cancel: Callable[[], None] | None = None):
    """``fn()`` in a thread, waited for at most ``seconds``; ``Skip`` with a clear message when it runs over
    (``cancel`` is called then, to stop it) or fails."""
    box: dict = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - reported below
            box["error"] = e

    t = threading.Thread(target=run, name=what, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        if cancel is not None:
            cancel()
        raise Skip(f"{what}: not done within {seconds:.0f} s (--load-timeout); left out")
    if "error" in box:
        raise Skip(f"{what} failed: {type(box['error']).__name__}: {str(box['error'])[:300]}")
    return box["value"]


# -- the engines ---------------------------------------------------------------------------------------------
class Engine:
    name = "?"
    returns = "?"
    version = ""

    def who(self, a: Asked) -> set[str]:
        raise NotImplementedError

    def tasks(self, a: Asked) -> set[str]:
        raise NotImplementedError

    def close(self) -> None:
        pass


class Service(Engine):
    returns = "WhoSupports / list[TaskOut]: the full cited answer"

    def __init__(self, aid: AidGraph, name: str = "service (embedded)"):
        self.aid, self.name = aid, name

    def who(self, a):
        return {s.code for s in self.aid.who_supports(a.text).supporters}

    def tasks(self, a):
        return {t.id for t in self.aid.tasks(unit=a.text, district=DISTRICT)}


class RawStore(Engine):
    """The service's store reads without its answers: what ``who_supports`` and ``tasks`` read."""
    name = "networkx store"
    returns = "PairingRecord / TaskRecord lists (records made once, kept)"

    def __init__(self, aid: AidGraph):
        import networkx
        self.aid, self.store, self.version = aid, aid.store, f"networkx {networkx.__version__}"

    def who(self, a):
        gaz, div = self.aid.gaz, division_of(a.node)
        ancestors = gaz.ancestors(div)
        up = {place_id(x) for x in [div, *ancestors]}
        above = up - {a.node}
        now = self.aid.now
        records = self.store.pairings(places=[place_id(x) for x in [div, *ancestors, *gaz.descendants(div)]])
        sup = {r.supporter for r in records
               if r.in_force(now) and not (r.place in above and any(x in up for x in r.excluding))}
        return {n["code"] for n in self.store.nodes_by_id(sorted(sup)).values()}

    def tasks(self, a):
        units = [u.id for u in self.store.units(names=list(a.names), owners=[a.node])]
        return {t.id for t in self.store.tasks(units=units, district=a.node)} if units else set()


def _labels(labels) -> str:
    return "|".join(f"`{x}`" for x in labels)


# the same Cypher for LadybugDB and Neo4j 5 (both read ``:A|B`` as "either label")
CYPHER_WHO = f"""
MATCH (p:{_labels(PLACE_LABELS)} {{id: $place}})<-[:PART_OF*0..{PART_OF_DEPTH}]-(t)<-[:SUPPORTED]-(pr:Pairing)
      -[:SUPPORTER]->(s)
WHERE (pr.valid_from IS NULL OR pr.valid_from <= $now) AND (pr.valid_to IS NULL OR pr.valid_to >= $now)
RETURN s.code AS code
UNION
MATCH (p:{_labels(PLACE_LABELS)} {{id: $place}})-[:PART_OF*1..{PART_OF_DEPTH}]->(t)<-[:SUPPORTED]-(pr:Pairing)
      -[:SUPPORTER]->(s)
WHERE (pr.valid_from IS NULL OR pr.valid_from <= $now) AND (pr.valid_to IS NULL OR pr.valid_to >= $now)
  AND NOT EXISTS {{ MATCH (p)-[:PART_OF*0..{PART_OF_DEPTH}]->(x)<-[:EXCLUDES]-(pr) }}
RETURN s.code AS code
"""
CYPHER_TASKS = f"""
WITH $names AS names
MATCH (u:Unit)-[:UNIT_OF]->(d:{_labels(REL_TYPES["UNIT_OF"].end)} {{id: $district}})
WHERE u.name IN names OR any(n IN u.names_as_written WHERE n IN names)
MATCH (t:Task)-[:LEAD_UNIT|RESPONSIBLE_UNIT|COOPERATING_UNIT]->(u)
MATCH (t)-[:TASK_OF]->(d)
RETURN DISTINCT t.id AS id
"""

_LADYBUG_TYPE = {STR: "STRING", INT: "INT64", FLOAT: "DOUBLE", BOOL: "BOOLEAN", STRS: "STRING[]", INTS: "INT64[]"}


class Ladybug(Engine):
    name = "ladybug (Cypher)"
    returns = "rows of codes / task ids"

    def __init__(self, aid: AidGraph):
        import ladybug
        self.version = f"ladybug {ladybug.__version__}"
        self.now = aid.now
        self.dir = Path(tempfile.mkdtemp(prefix="peers-ladybug-"))
        self.db = ladybug.Database(str(self.dir / "db"), buffer_pool_size=4 << 30)
        self.conn = ladybug.Connection(self.db)
        self.loaded = ""

    def load(self, graph) -> None:
        """One node table per label, one relationship table per type (every label pair the schema allows),
        each filled by COPY from a pandas frame (the frame is found by its name in this function). Every column
        is of dtype object: a column of pandas 3's default ``str`` dtype with missing values (NaN) crashes
        LadybugDB 0.22's frame scan (a segmentation fault, at Pairing.period_note)."""
        import pandas as pd
        conn = self.conn
        frames_s = copy_s = 0.0
        for label, nt in NODE_TYPES.items():
            cols = list(nt.all_props)
            conn.execute(f"CREATE NODE TABLE `{label}`(" + ", ".join(
                f"`{k}` {_LADYBUG_TYPE[p.type]}{' PRIMARY KEY' if k == 'id' else ''}"
                for k, p in nt.all_props.items()) + ")")
            t = time.perf_counter()
            frame = pd.DataFrame([[n.get(k) for k in cols] for n in graph.nodes(label)], columns=cols,
                                 dtype=object)
            frames_s += time.perf_counter() - t
            t = time.perf_counter()
            if len(frame):
                conn.execute(f"COPY `{label}` FROM frame")
            copy_s += time.perf_counter() - t
        label_of = {nid: d["label"] for nid, d in graph.g.nodes(data=True)}
        by_pair: dict[tuple[str, str, str], list] = {}
        for s, e, d in graph.edges():
            by_pair.setdefault((d["type"], label_of[s], label_of[e]), []).append(
                [s, e, *(d.get(k) for k in REL_TYPES[d["type"]].props)])
        for rel, rt in REL_TYPES.items():
            pairs = ", ".join(f"FROM `{a}` TO `{b}`" for a in rt.start for b in rt.end)
            props = "".join(f", `{k}` {_LADYBUG_TYPE[p.type]}" for k, p in rt.props.items())
            conn.execute(f"CREATE REL TABLE `{rel}`({pairs}{props})")
            for (r, a, b), rows in sorted(by_pair.items()):
                if r != rel:
                    continue
                t = time.perf_counter()
                edges = pd.DataFrame(rows, columns=["from", "to", *rt.props], dtype=object)  # noqa: F841
                frames_s += time.perf_counter() - t
                t = time.perf_counter()
                conn.execute(f"COPY `{rel}` FROM edges (from='{a}', to='{b}')")
                copy_s += time.perf_counter() - t
        self.loaded = f"frames {frames_s:.1f} s + COPY {copy_s:.1f} s"

    def who(self, a):
        return {r[0] for r in self.conn.execute(CYPHER_WHO, {"place": a.node, "now": self.now}).get_all()}

    def tasks(self, a):
        return {r[0] for r in self.conn.execute(CYPHER_TASKS, {"names": list(a.names), "district": a.node}).get_all()}

    def cancel(self) -> None:
        self.conn.interrupt()

    def close(self) -> None:
        self.conn.close()
        self.db.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class _Chunks(io.RawIOBase):
    """A generator of byte chunks as a binary stream (for ``Store.bulk_load``); stops it when ``stop`` is set."""

    def __init__(self, chunks: Iterator[bytes], stop: threading.Event):
        self.chunks, self.stop, self.rest, self.size = chunks, stop, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        while not self.rest:
            if self.stop.is_set():
                raise TimeoutError("load stopped")
            self.rest = next(self.chunks, b"")
            if not self.rest:
                return 0
        n = min(len(buf), len(self.rest))
        buf[:n], self.rest = self.rest[:n], self.rest[n:]
        self.size += n
        return n


def _sparql_terms() -> dict[str, str]:
    """The predicates the SPARQL uses, from the schema table (as the RDF export writes them)."""
    return {"partOf": REL_TYPES["PART_OF"].rdf, "supported": REL_TYPES["SUPPORTED"].rdf,
            "supporter": REL_TYPES["SUPPORTER"].rdf, "excludes": REL_TYPES["EXCLUDES"].rdf,
            "code": NODE_TYPES["County"].props["code"].rdf, "from": NODE_TYPES["Pairing"].props["valid_from"].rdf,
            "to": NODE_TYPES["Pairing"].props["valid_to"].rdf, "unitOf": REL_TYPES["UNIT_OF"].rdf,
            "name": NODE_TYPES["Unit"].props["name"].rdf, "written": NODE_TYPES["Unit"].props["names_as_written"].rdf,
            "lead": REL_TYPES["LEAD_UNIT"].rdf, "resp": REL_TYPES["RESPONSIBLE_UNIT"].rdf,
            "coop": REL_TYPES["COOPERATING_UNIT"].rdf, "taskOf": REL_TYPES["TASK_OF"].rdf,
            "id": NODE_TYPES["Task"].all_props["id"].rdf}


_T = _sparql_terms()
SPARQL_WHO = f"""
SELECT DISTINCT ?code ?place ?now WHERE {{
  {{ ?t <{_T['partOf']}>* ?place . ?pr <{_T['supported']}> ?t . }}
  UNION
  {{ ?place <{_T['partOf']}>+ ?a . ?pr <{_T['supported']}> ?a .
     FILTER NOT EXISTS {{ ?place <{_T['partOf']}>* ?x . ?pr <{_T['excludes']}> ?x . }} }}
  ?pr <{_T['supporter']}> ?s . ?s <{_T['code']}> ?code .
  OPTIONAL {{ ?pr <{_T['from']}> ?from }} OPTIONAL {{ ?pr <{_T['to']}> ?to }}
  FILTER ((!BOUND(?from) || ?from <= ?now) && (!BOUND(?to) || ?to >= ?now))
}}"""
SPARQL_TASKS = f"""
SELECT DISTINCT ?id ?name ?district WHERE {{
  {{ ?u <{_T['name']}> ?name }} UNION {{ ?u <{_T['written']}> ?name }}
  ?u <{_T['unitOf']}> ?district .
  ?t <{_T['lead']}>|<{_T['resp']}>|<{_T['coop']}> ?u .
  ?t <{_T['taskOf']}> ?district ; <{_T['id']}> ?id .
}}"""


class Oxigraph(Engine):
    name = "oxigraph (SPARQL)"
    returns = "solutions of codes / task ids"

    def __init__(self, aid: AidGraph):
        import pyoxigraph as ox
        self.ox = ox
        self.version = f"pyoxigraph {ox.__version__}"
        self.store = ox.Store()
        self.stop = threading.Event()
        year = NODE_TYPES["Pairing"].props["valid_from"].rdf_datatype
        self.now = ox.Literal(str(aid.now), datatype=ox.NamedNode(str(year)))
        self.lang = NODE_TYPES["Unit"].props["name"].lang
        assert self.lang == NODE_TYPES["Unit"].props["names_as_written"].lang
        self.v = {k: ox.Variable(k) for k in ("place", "now", "name", "district")}
        self.loaded = ""

    def load(self, graph) -> None:
        from aidgraph.viz.formats.streaming import ntriples
        stream = _Chunks(ntriples(graph), self.stop)
        self.store.bulk_load(input=io.BufferedReader(stream, 1 << 20), format=self.ox.RdfFormat.N_TRIPLES)
        self.loaded = f"{stream.size / 1e6:,.0f} MB of N-Triples, {len(self.store):,} triples"

    def who(self, a):
        rows = self.store.query(SPARQL_WHO, substitutions={self.v["place"]: self.ox.NamedNode(str(iri(a.node))),
                                                           self.v["now"]: self.now})
        return {r["code"].value for r in rows}

    def tasks(self, a):
        district = self.ox.NamedNode(str(iri(a.node)))
        return {r["id"].value for n in a.names
                for r in self.store.query(SPARQL_TASKS, substitutions={
                    self.v["name"]: self.ox.Literal(n, language=self.lang), self.v["district"]: district})}

    def cancel(self) -> None:
        self.stop.set()


class Neo4jCypher(Engine):
    name = "neo4j (Cypher, Bolt)"
    returns = "records of codes / task ids"

    def __init__(self, store, now: int):
        self.driver, self.db, self.now = store.driver, store.settings.database, now
        rows = self.driver.execute_query("CALL dbms.components() YIELD name, versions, edition "
                                         "RETURN name, versions[0] AS v, edition", database_=self.db).records
        self.version = "; ".join(f"{r['name']} {r['v']} {r['edition']}" for r in rows)

    def _rows(self, query: str, **params) -> list:
        return self.driver.execute_query(query, params, database_=self.db, routing_="r").records

    def who(self, a):
        return {r["code"] for r in self._rows(CYPHER_WHO, place=a.node, now=self.now)}

    def tasks(self, a):
        return {r["id"] for r in self._rows(CYPHER_TASKS, names=list(a.names), district=a.node)}


# -- the questions and the runs --------------------------------------------------------------------------
def inputs(aid: AidGraph, graph, seed: int) -> dict[str, list[Asked]]:
    """The inputs of bench_queries.py (the same seeded sample of paired places), resolved for the peers."""
    rng = random.Random(seed)
    places = sorted({graph.node(p)["code"] for pr in graph.ids("Pairing") for p in graph.out(pr, "SUPPORTED")})
    places = ["泸水", *rng.sample(places, min(len(places), 199))]
    who = [Asked(x, place_id(aid.resolve(x).division)) for x in places]
    names = tuple(sorted(aid.unit_names.candidates(normalise_line(UNIT))))
    return {WHO: who, TASKS: [Asked(UNIT, district_scope(aid, DISTRICT), names)]}


@dataclass
class Result:
    samples: list[float]
    cpu: list[float]
    checked: int
    equal: int
    differ: list[str]
    error: str = ""


def ask(engine: Engine, question: str, args: list[Asked], n: int, seconds: float,
        expected: dict[str, set[str]]) -> Result:
    fn = engine.who if question == WHO else engine.tasks
    res = Result([], [], 0, 0, [])
    try:
        fn(args[0])  # untimed: first-use caches and compiled plans
        deadline = time.perf_counter() + seconds
        for i in range(n):
            a = args[i % len(args)]
            t, c = time.perf_counter(), time.process_time()
            got = fn(a)
            res.cpu.append(time.process_time() - c)
            res.samples.append(time.perf_counter() - t)
            if i < len(args):
                if a.text + a.node not in expected:  # the service's own run: its answers are the reference
                    expected[a.text + a.node] = got
                res.checked += 1
                if got == expected[a.text + a.node]:
                    res.equal += 1
                else:
                    res.differ.append(f"{a.text} ({a.node}): {sorted(got ^ expected[a.text + a.node])[:6]}")
            if time.perf_counter() > deadline:
                break
    except Exception as e:  # noqa: BLE001 - reported in the table
        res.error = f"{type(e).__name__}: {str(e)[:300]}"
    return res


def report(question: str, rows: list[tuple[Engine, Result]], total: int, expected: dict[str, set[str]]) -> None:
    print(f"-- {question}  [load {load_avg()}]  (the service's answers: {sum(map(len, expected.values())):,} "
          f"codes or ids over {len(expected)} inputs)")
    print(f"   {'engine':28s} {'n':>5s} {'p50 ms':>9s} {'p99 ms':>9s} {'CPU p50':>9s} {'CPU p99':>9s} "
          f"{'× service':>9s}  parity")
    base = None
    for engine, r in rows:
        if r.error and not r.samples:
            print(f"   {engine.name:28s} failed: {r.error}")
            continue
        ms = [x * 1000 for x in r.samples]
        cpu = [x * 1000 for x in r.cpu]
        p50 = pct(ms, 50)
        base = base or p50
        print(f"   {engine.name:28s} {len(ms):5d} {p50:9.3f} {pct(ms, 99):9.3f} {pct(cpu, 50):9.3f} "
              f"{pct(cpu, 99):9.3f} {p50 / base:9.2f}  parity {r.equal}/{r.checked}"
              + (f" of {total}" if r.checked < total else "") + (f"  ERROR {r.error}" if r.error else ""))
        for d in r.differ[:5]:
            print(f"      differs (symmetric difference with the service): {d}")
        if len(r.differ) > 5:
            print(f"      … and {len(r.differ) - 5} more")
    sys.stdout.flush()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--n", type=int, default=400, help="calls per question per engine (cycling over the inputs)")
    ap.add_argument("--seconds", type=float, default=60, help="at most this long per question per engine")
    ap.add_argument("--load-timeout", type=float, default=900, help="at most this long per engine's load")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--engines", default="service,store,ladybug,oxigraph",
                    help="comma-separated: service (always), store, ladybug, oxigraph")
    ap.add_argument("--neo4j", action="store_true", help="also push to the tests' Neo4j 5 and ask there")
    args = ap.parse_args()
    wanted = set(args.engines.split(",")) | {"service"}
    header("the hot named questions on the service and its peers", args.data.resolve())
    import networkx
    versions = [f"networkx {networkx.__version__}"]
    for mod in ("ladybug", "pyoxigraph", "neo4j"):
        try:
            versions.append(f"{mod} {__import__(mod).__version__}")
        except ImportError:
            versions.append(f"{mod} not installed (pip install -e '.[bench]')")
    print("engines: " + "; ".join(versions) + " (the neo4j entry: the Python driver)")
    loaded, aid = service_of(args.data, ' (networkx, the snapshot or the files)')
    graph = loaded.graph
    t, cpu = time.perf_counter(), time.process_time()
    aid.warm()
    print(f"service warmed (AidGraph.warm) in {time.perf_counter() - t:.1f} s, CPU {time.process_time() - cpu:.1f} s")
    questions = inputs(aid, graph, args.seed)
    a = questions[TASKS][0]
    print(f"resolved beforehand for the peers: {len(questions[WHO])} places ({questions[WHO][0].text} → "
          f"{questions[WHO][0].node}); {a.text} in {DISTRICT} → names {list(a.names)}, district {a.node}; "
          f"\"now\" = {aid.now}")

    engines: list[Engine] = [Service(aid)]
    if "store" in wanted:
        engines.append(RawStore(aid))
    for key, cls in (("ladybug", Ladybug), ("oxigraph", Oxigraph)):
        if key not in wanted:
            continue
        try:
            eng = cls(aid)
        except ImportError as e:
            print(f"{key}: not installed ({e}); pip install -e '.[bench]'")
            continue
        t, cpu = time.perf_counter(), time.process_time()
        try:
            bounded(f"{key} load", args.load_timeout, lambda eng=eng: eng.load(graph), eng.cancel)
        except Skip as e:
            print(e)
            continue
        print(f"{eng.version}: loaded in {time.perf_counter() - t:.1f} s wall, CPU {time.process_time() - cpu:.1f} s "
              f"({eng.loaded}) [load {load_avg()}; peak RSS {peak_rss_mib():,.0f} MiB]")
        engines.append(eng)
    gc.collect()
    gc.freeze()

    server = neo = None
    if args.neo4j:
        import os
        sys.path.insert(0, str(REPO / "tests"))
        from neo4jserver import make_server

        from aidgraph.queries.neo4j_push import push
        from aidgraph.queries.neo4j_store import open_neo4j
        os.environ.setdefault("AIDGRAPH_TEST_NEO4J_HEAP", "4g")
        try:
            server = make_server()
            bounded("neo4j start", args.load_timeout, server.start)
            settings = server.settings()
            t = time.perf_counter()
            bounded("neo4j push", args.load_timeout, lambda: push(graph, settings, wipe_first=True))
            store = open_neo4j(settings)
            neo = store
            eng = Neo4jCypher(store, aid.now)
            print(f"{eng.version} ({server.kind}): pushed in {time.perf_counter() - t:.1f} s (the project's push, "
                  f"≤ {settings.batch_rows} rows a request) [load {load_avg()}]")
            engines += [Service(AidGraph(store, loaded.gazetteer, loaded.unit_names), "service (neo4j store)"), eng]
        except Skip as e:
            print(e)
    try:
        print("what each engine returns: " + "; ".join(f"{e.name}: {e.returns}" for e in engines))
        print(f"each question: ≤ {args.n} calls per engine after one untimed call, ≤ {args.seconds:.0f} s; "
              "parity on the first pass over the inputs, against the embedded service's answers")
        for question, qargs in questions.items():
            expected: dict[str, set[str]] = {}
            rows = [(e, ask(e, question, qargs, args.n, args.seconds, expected)) for e in engines]
            report(question, rows, len(qargs), expected)
    finally:
        for e in engines:
            e.close()
        if neo is not None:
            neo.close()
        if server is not None:
            server.cleanup()
    print(f"peak RSS of this process: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
