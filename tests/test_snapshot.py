"""A built graph is kept as a snapshot on disk, so a command answers without rebuilding from the
texts; any change under data/ makes a new one."""
from __future__ import annotations


def test_snapshot_is_written_and_a_data_change_is_seen(data_copy, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_CACHE", str(tmp_path / "cache"))
    assert [s["name"] for s in cli.json("--as-of", "2026", "who-supports", "淮南")["supporters"]] == ["闵行区"]
    snaps = list((tmp_path / "cache" / "snapshots").glob("*.json"))
    assert len(snaps) == 1
    table = data_copy / "curated" / "pairings_wanbei.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("闵行区,wanbei", "嘉定区,wanbei"), encoding="utf-8")
    assert [s["name"] for s in cli.json("--as-of", "2026", "who-supports", "淮南")["supporters"]] == ["嘉定区"]
    assert len(list((tmp_path / "cache" / "snapshots").glob("*.json"))) == 2


def test_an_unreadable_snapshot_is_rebuilt(data_copy, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_CACHE", str(tmp_path / "cache"))
    cli.json("--as-of", "2026", "who-supports", "淮南")
    [snap] = (tmp_path / "cache" / "snapshots").glob("*.json")
    snap.write_bytes(b"not a snapshot")
    from aidgraph.graph_api import runtime
    runtime._load.cache_clear()
    assert [s["name"] for s in cli.json("--as-of", "2026", "who-supports", "淮南")["supporters"]] == ["闵行区"]
