"""A seeded random sample of mutmut's mutants, for ``make mutation MUTATION_SAMPLE=N MUTATION_SEED=S``.

Run in the mutation folder: generates the mutants when they are not there yet (as ``mutmut run`` does,
without running any test), then prints ``N`` of their names, drawn with ``random.Random(S)`` from all of
them sorted (or from those matching the name patterns given after N and S), so the same N, S and code
give the same sample.
"""
from __future__ import annotations

import fnmatch
import json
import random
import sys
from pathlib import Path


def _generate() -> None:
    from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants, set_mutant_under_test
    from mutmut.utils.file_utils import setup_source_paths
    set_mutant_under_test("mutant_generation")
    Path("mutants").mkdir(exist_ok=True)
    copy_src_dir()
    copy_also_copy_files()
    setup_source_paths()
    create_mutants(1)


def names() -> list[str]:
    return sorted(key for meta in Path("mutants").rglob("*.py.meta")
                  for key in json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])


def main(n: int, seed: int, patterns: list[str]) -> None:
    if not names():
        _generate()
    pool = [m for m in names() if not patterns or any(fnmatch.fnmatch(m, p) for p in patterns)]
    print(" ".join(sorted(random.Random(seed).sample(pool, min(n, len(pool))))))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), [p.strip("'") for p in sys.argv[3:]])
