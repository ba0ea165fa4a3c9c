"""The canonical graph as CSV files for ``neo4j-admin database import`` (``aidgraph neo4j export-bulk``):
the way to load a national-scale graph into an empty Neo4j database in one step, much faster than a
push. One file per node label and one per relationship type, each with the import tool's header
(``id:ID``, ``valid_from:int``, ``former_names:string[]`` …, ``:START_ID``/``:END_ID``), typed from the
schema table; ``import.sh`` holds the command line and ``after-import.cypher`` the constraints and
indexes to create once the database is started (the same DDL ``push`` creates).

The files are data for Neo4j, not spreadsheets: values are written as they are (quoted, ``"``
doubled), with no formula escaping. A missing value is an empty unquoted field (no property), an
empty string a quoted ``""``. List elements are joined by ``ARRAY_DELIMITER``; a value holding that
character is refused rather than split wrongly.
"""
from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import BulkExportRefused
from ..schema.graph import CanonicalGraph
from ..schema.model import BOOL, FLOAT, INT, INTS, NODE_TYPES, REL_TYPES, STRS
from ..schema.neo4j import META_LABEL, SCHEMA_VERSION, neo4j_ddl, whitelisted_label, whitelisted_type

ARRAY_DELIMITER = "|"
_HEADER_TYPE = {INT: "int", FLOAT: "double", BOOL: "boolean", STRS: "string[]", INTS: "int[]"}


def _header(name: str, type_: str) -> str:
    kind = _HEADER_TYPE.get(type_)
    return f"{name}:{kind}" if kind else name


def _field(value: Any, type_: str, where: str) -> str:
    if value is None:
        return ""
    if type_ in (STRS, INTS):
        items = [str(v) for v in value]
        if any(ARRAY_DELIMITER in v for v in items):
            raise BulkExportRefused(f"{where}: a list value holds {ARRAY_DELIMITER!r}, the array delimiter")
        text = ARRAY_DELIMITER.join(items)
    elif type_ == BOOL:
        text = "true" if value else "false"
    else:
        text = str(value)
    return '"' + text.replace('"', '""') + '"'


def _write(path: Path, header: list[str], rows: Iterable[list[str]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")
            n += 1
    return n


def export_bulk(graph: CanonicalGraph, out: Path, database: str = "neo4j") -> dict[str, Any]:
    """Writes the files into ``out`` (created); returns what was written: files, counts, command."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, int] = {}
    node_args, rel_args = [], []
    for label, nt in sorted(NODE_TYPES.items()):
        props = sorted(nt.props.items())
        name = f"nodes-{label}.csv"
        rows = ([_field(n["id"], "str", n["id"])] + [_field(n.get(k), p.type, f"{n['id']}.{k}") for k, p in props]
                for n in graph.nodes(label))
        files[name] = _write(out / name, ["id:ID"] + [_header(k, p.type) for k, p in props], rows)
        node_args.append(f"--nodes={whitelisted_label(label)}={name}")
    meta = f"nodes-{META_LABEL}.csv"
    files[meta] = _write(out / meta, ["id:ID", "schema_version:int"], [['"meta"', f'"{SCHEMA_VERSION}"']])
    node_args.append(f"--nodes={META_LABEL}={meta}")
    by_type: dict[str, list[tuple[str, str, dict]]] = {t: [] for t in REL_TYPES}
    for s, e, data in graph.edges():
        by_type[data["type"]].append((s, e, data))
    for rel, rt in sorted(REL_TYPES.items()):
        props = sorted(rt.props.items())
        name = f"rels-{rel}.csv"
        rows = ([_field(s, "str", s), _field(e, "str", e)]
                + [_field(d.get(k), p.type, f"{s}-{rel}->{e}.{k}") for k, p in props]
                for s, e, d in sorted(by_type[rel], key=lambda x: (x[0], x[1])))
        files[name] = _write(out / name, [":START_ID", ":END_ID"] + [_header(k, p.type) for k, p in props], rows)
        rel_args.append(f"--relationships={whitelisted_type(rel)}={name}")
    command = ["neo4j-admin", "database", "import", "full", f"--array-delimiter={ARRAY_DELIMITER}",
               "--multiline-fields=true", "--overwrite-destination=true", *node_args, *rel_args, database]
    script = io.StringIO()
    script.write("#!/bin/sh\n# Load these files into an EMPTY Neo4j 5 database named below (the server stopped),\n"
                 "# then start it and run after-import.cypher (constraints and indexes), e.g. with cypher-shell.\n"
                 'set -e\ncd "$(dirname "$0")"\n')
    script.write(" \\\n  ".join(command) + "\n")
    (out / "import.sh").write_text(script.getvalue(), encoding="utf-8")
    (out / "import.sh").chmod(0o755)
    (out / "after-import.cypher").write_text("".join(f"{s};\n" for s in neo4j_ddl()), encoding="utf-8")
    return {"directory": str(out), "files": files, "command": " ".join(command),
            "nodes": sum(graph.label_counts().values()) + 1, "relationships": sum(graph.rel_counts().values())}
