"""Every export gives the same bytes in every process.

Python salts the hashes of strings per process (PYTHONHASHSEED), so a set or
an rdflib graph iterates in a different order in each run: comparing two
exports made in ONE process cannot see that. Here each format is exported by
two separate `aidgraph export` processes with different seeds, run side by
side, and the files must be byte-identical."""
from __future__ import annotations

import os
import subprocess
import sys

from aidgraph.viz.formats import REGISTRY

CENTRE, HOPS = "闵行区", 1
STEM = "aidgraph-place-310112-1hops"


def _export(seed: int, out) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    cmd = [sys.executable, "-m", "aidgraph.graph_api.cli", "export", "--format", ",".join(REGISTRY),
           "--center", CENTRE, "--hops", str(HOPS), "--out", str(out)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_every_format_is_byte_identical_across_hash_seeds(tmp_path):
    outs = {seed: tmp_path / f"seed{seed}" for seed in (1, 2)}
    procs = {seed: _export(seed, out) for seed, out in outs.items()}
    for seed, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=240)
        assert proc.returncode == 0, (seed, stdout, stderr)
    for name, fmt in REGISTRY.items():
        a, b = (outs[seed] / f"{STEM}{fmt.suffix}" for seed in (1, 2))
        assert a.exists() and b.exists(), name
        assert a.stat().st_size > 100, name
        assert a.read_bytes() == b.read_bytes(), f"{name}: {a.name} differs between PYTHONHASHSEED 1 and 2"
    written = sorted(p.name for p in outs[1].iterdir())
    assert written == sorted(f"{STEM}{f.suffix}" for f in REGISTRY.values())  # no temporary files left
