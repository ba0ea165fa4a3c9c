"""The command line's store: the built graph as an indexed SQLite file (``queries.sqlite_store``), which a
command reads a few rows of instead of loading the whole graph. It answers every named question, page and
subgraph exactly as the embedded store, byte for byte as JSON; the command line uses it once it is written,
and never one that is stale, foreign or not this user's own."""
import json
import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from same_answers import answer_bytes, same

from aidgraph.errors import Ambiguous


@pytest.fixture(scope="module")
def both(aid, tmp_path_factory):
    """(the embedded answers, the same load's answers from its SQLite file)."""
    from aidgraph.graph_api.runtime import load_data
    from aidgraph.queries.service import AidGraph
    from aidgraph.queries.sqlite_store import SqliteStore, write_sqlite
    loaded = load_data()
    path = tmp_path_factory.mktemp("sqlite") / "graph.sqlite"
    write_sqlite(path, "k1", loaded.graph, {"gazetteer": loaded.gazetteer.to_data(),
                                            "unit_names": loaded.unit_names.table, "warnings": loaded.warnings})
    store = SqliteStore.open(path, "k1", lambda: loaded.graph)
    assert store is not None
    yield aid, AidGraph(store, aid.gaz, aid.unit_names, as_of=aid.as_of)
    store.close()


def _place_codes(aid):
    return sorted(n["code"] for label in ("County", "Prefecture", "Province", "District", "Municipality")
                  for n in aid.store.graph.nodes(label))


def test_who_supports_every_place_every_era(both):
    emb, disk = both
    codes = _place_codes(emb)
    assert len(codes) > 150
    for code in codes:
        for kw in ({}, {"year": 2005}, {"year": 2019}, {"year": 2022}, {"history": True}):
            same(disk.who_supports(code, **kw), emb.who_supports(code, **kw), (code, kw))


def test_every_district_task_and_unit(both):
    emb, disk = both
    for n in [*emb.store.graph.nodes("District"), {"code": "310000"}]:
        same(disk.district(n["code"]), emb.district(n["code"]), n["code"])
    same(disk.tasks(), emb.tasks())
    assert len(emb.tasks()) == 45
    for y in (2022, 2023, 2024):
        same(disk.tasks(year=y), emb.tasks(year=y), y)
    for p in {p for t in emb.tasks() for p in t.places}:
        same(disk.tasks(place=p), emb.tasks(place=p), p)
    units = emb.store.units()
    assert disk.store.units() == units
    for u in units:
        district = None if u.owner == "place:310000" else emb.place_name(u.owner)
        same(disk.unit(u.name, district=district), emb.unit(u.name, district=district), u.name)
        same(disk.tasks(unit=u.name, district=district), emb.tasks(unit=u.name, district=district), u.name)


def test_every_primitive_read_is_the_same(both):
    emb, disk = both
    e, d = emb.store, disk.store
    assert d.counts() == e.counts()
    assert d.pairings() == e.pairings()
    assert d.agreements() == e.agreements()
    for p in ("place:630000", "place:210200", "place:530000", "place:310112"):
        assert d.agreements(parties=[p]) == e.agreements(parties=[p]), p
    for label in ("Program", "Document", "ImportEvent", "Duty", "County"):
        assert d.nodes_of(label) == e.nodes_of(label), label
    assert d.edges_of("USED") == e.edges_of("USED")
    assert d.texts() == e.texts()
    for doc in e.document_ids():
        assert d.sources_citing(doc.removeprefix("doc:")) == e.sources_citing(doc.removeprefix("doc:")), doc
    ids = ["place:533301", "place:310115", "doc:hfhbf-2021-14", "no-such-node"]
    assert d.nodes_by_id(ids) == e.nodes_by_id(ids)
    for centre, hops in (("place:533301", 1), ("place:310112", 2), ("place:533301", 0)):
        near = e.neighbourhood(centre, hops)
        assert d.neighbourhood(centre, hops) == near, (centre, hops)
        assert d.subgraph(near).to_data() == e.subgraph(near).to_data(), (centre, hops)


def test_name_errors_documents_and_agreements(both):
    emb, disk = both
    for name in ("红河", "普陀区"):
        with pytest.raises(Ambiguous) as a:
            emb.who_supports(name)
        with pytest.raises(Ambiguous) as b:
            disk.who_supports(name)
        assert disk.candidates(b.value) == emb.candidates(a.value)
    assert disk.documents() == emb.documents()
    assert disk.agreements() == emb.agreements()
    for y, z in ((2020, 2021), (2019, 2024)):
        same(disk.changes(y, z), emb.changes(y, z), (y, z))


def test_pages_and_subgraphs_are_the_same(both):
    from aidgraph.graph_api.app import create_app
    emb, disk = both
    a, b = TestClient(create_app(emb)), TestClient(create_app(disk))
    for url in ("/", "/place/533301", "/place/653124", "/district/310112", "/network", "/search?q=红河",
                "/documents", "/document/hfhbf-2021-14", "/changes?from=2020&to=2021",
                "/api/subgraph?center=泸水&hops=1", "/api/subgraph?center=闵行区&hops=2"):
        ra, rb = a.get(url), b.get(url)
        assert ra.status_code == (409 if "红河" in url else 200), url  # 红河: a choice of two places
        assert (rb.status_code, rb.text) == (ra.status_code, ra.text), url


def _cache_files(folder):
    return sorted((folder / "snapshots").glob("*.sqlite"))


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("AIDGRAPH_CACHE", str(cache))
    return cache


def test_the_command_line_writes_the_file_then_answers_from_it(cli, aid, own_cache):
    """The first command writes the file (and answers from the load); the next one answers from the file."""
    from aidgraph.graph_api import runtime
    expected = json.loads(answer_bytes(aid.who_supports("泸水", year=2022)))
    assert cli.json("who-supports", "泸水", "--year", "2022") == expected
    files = _cache_files(own_cache)
    assert len(files) == 1 and oct(files[0].stat().st_mode & 0o777) == "0o600"
    runtime._on_disk.cache_clear()
    opened = runtime.open_aidgraph("embedded", on_disk=True)
    assert opened.store.name == "sqlite"
    assert cli.json("who-supports", "泸水", "--year", "2022") == expected
    assert cli.json("tasks", "--unit", "区人社局") == json.loads(answer_bytes(aid.tasks(unit="区人社局")))


def test_a_foreign_stale_or_shared_file_is_not_used(aid, own_cache):
    """A file under the right name that holds another key, is not SQLite, or that others may write, is
    rebuilt (and answers stay right), never read."""
    from aidgraph.graph_api import runtime
    runtime.open_aidgraph("embedded", on_disk=True)  # writes it
    (path,) = _cache_files(own_cache)
    for spoil in ("other key", "not sqlite", "shared"):
        runtime._on_disk.cache_clear()
        if spoil == "other key":
            import sqlite3
            con = sqlite3.connect(path)
            con.execute("UPDATE meta SET value = 'x' WHERE name = 'key'")
            con.commit()
            con.close()
        elif spoil == "not sqlite":
            path.write_bytes(b"aidgraph-cache/1 snapshot k x\n{}")
        else:
            os.chmod(path, 0o666)
        opened = runtime.open_aidgraph("embedded", on_disk=True)
        assert opened.store.name == "embedded", spoil  # answered from the load, the file written anew
        same(opened.who_supports("泸水"), aid.who_supports("泸水"), spoil)
        assert oct(path.stat().st_mode & 0o777) == "0o600", spoil
        runtime._on_disk.cache_clear()
        assert runtime.open_aidgraph("embedded", on_disk=True).store.name == "sqlite", spoil


def test_an_answer_on_the_command_line_does_not_load_the_graph(own_cache):
    """Once the file is written, a command's answer reads it alone: networkx (the whole graph's class) and
    the loaders are never imported."""
    code = ("import runpy, sys; sys.argv = ['aidgraph', 'who-supports', '泸水', '--json']\n"
            "try:\n    runpy.run_module('aidgraph.graph_api.cli', run_name='__main__')\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted(m for m in ('networkx', 'aidgraph.loaders.curated', 'aidgraph.schema.graph')"
            " if m in sys.modules), file=sys.stderr)\n")
    env = {**os.environ, "AIDGRAPH_CACHE": str(own_cache)}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "networkx" in first.stderr  # the first command built (or read) the load to write the file
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert again.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(again.stdout) == json.loads(first.stdout)
    assert json.loads(again.stdout)["supporters"][0]["name"] == "浦东新区"


_EXPORT = ("import runpy, sys; sys.argv = ['aidgraph', 'export', '--view', 'pairings', '--center', '闵行区',"
           " '--year', '2024', '--format', sys.argv[1], '--out', sys.argv[2]]\n"
           "try:\n    runpy.run_module('aidgraph.graph_api.cli', run_name='__main__')\n"
           "except SystemExit as e:\n    assert not e.code, e.code\n"
           "print('graph loaded' if 'aidgraph.loaders.curated' in sys.modules else 'graph not loaded',"
           " file=sys.stderr)\n")


def test_a_views_meeting_files_on_the_command_line_do_not_load_the_graph(aid, own_cache, tmp_path):
    """闵行区's pairings as a handout, workbook, picture, page and node-link JSON are written from the
    store's file alone (the graph is not loaded), the same bytes as from the graph in memory; its linked
    data are the graph's facts, so that export loads the graph."""
    from aidgraph.graph_api import runtime
    from aidgraph.viz.formats import render_view
    from aidgraph.viz.views import build_view
    runtime.open_aidgraph("embedded", on_disk=True)  # the command line's file, written once
    env = {**os.environ, "AIDGRAPH_CACHE": str(own_cache)}
    view = build_view(aid, "pairings", "闵行区", year=2024)
    for formats, loaded in (("pdf,xlsx,png,svg,json,html", "graph not loaded"), ("ttl", "graph loaded")):
        out = tmp_path / formats.replace(",", "-")
        run = subprocess.run([sys.executable, "-c", _EXPORT, formats, str(out)], env=env, capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        assert run.stderr.strip().splitlines()[-1] == loaded, formats
        for fmt in formats.split(","):
            written = (out / f"闵行区-结对关系-2024.{fmt}").read_bytes()
            assert written == render_view(aid.graph(), view, fmt), fmt


def test_each_format_says_truly_whether_a_view_needs_the_graph(aid):
    """A format that writes a named view without the graph writes the same bytes as with it; one that
    cannot says so (``view_needs_graph``) and refuses clearly when given none."""
    from aidgraph.viz.formats import REGISTRY, render_view
    from aidgraph.viz.views import build_view
    view = build_view(aid, "supporters", "泸水", year=2024)
    needs = set()
    for name, fmt in REGISTRY.items():
        try:
            alone = render_view(None, view, name)
        except ValueError as e:
            assert "no graph was given" in str(e), name
            needs.add(name)
        else:
            assert alone == render_view(aid.graph(), view, name), name
        assert fmt.view_needs_graph == (name in needs), name
    assert needs == {"ttl", "nt", "jsonld", "cypher"}
