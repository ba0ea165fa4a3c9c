"""``aidgraph import-doc``: add a district's work-points document to the data.

The document is parsed and the whole graph rebuilt with it in a scratch copy
of the data folder first; only when that load succeeds are the text and its
register row written into ``data/sources`` (each by an atomic rename). A
document already registered under the same number is replaced, so importing
it again changes nothing else.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import ImportRefused, LoadError
from ..schema.places import SHANGHAI
from .curated import load, load_gazetteer
from .tables import DocumentRow, read_table
from .workpoints import NotAWorkPlan, WorkPlan, decode, parse


def _register(root: Path) -> tuple[list[str], list[dict]]:
    """The register's columns and rows, read by the one table reader (a broken register refuses the import)."""
    try:
        rows = read_table(root, "sources/documents.csv", DocumentRow)
    except LoadError as e:
        raise ImportRefused("the document register does not load:\n  " + "\n  ".join(e.problems)) from None
    return list(DocumentRow.model_fields), [{k: ("" if v is None else v) for k, v in r.data.model_dump().items()}
                                            for r in rows]


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _register_bytes(cols: list[str], rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, cols, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def prepare(path: Path, root: Path) -> tuple[WorkPlan, dict, bytes, bool]:
    """Parse and check a document; returns the plan, its register row, its bytes and
    whether it replaces a registered document. Raises ImportRefused."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ImportRefused(f"cannot read {path}: {e.strerror}") from e
    try:
        plan = parse(decode(data))
    except NotAWorkPlan as e:
        raise ImportRefused(f"{path.name}: {e}") from e
    gaz = load_gazetteer(root)
    forms = [f for f in gaz.forms.get(plan.district, []) if SHANGHAI in gaz.ancestors(f.division)]
    divs = gaz.best(forms)
    if len(divs) != 1:
        raise ImportRefused(f"{path.name}: {plan.district} is not a district of Shanghai")
    if not plan.number:
        raise ImportRefused(f"{path.name}: no document number (文号) found; it is what identifies the document")
    _cols, rows = _register(root)
    old = next((r for r in rows if r["number"] == plan.number), None)
    serial = re.search(r"〔(\d{4})〕(\d+)号", plan.number)
    doc_id = old["id"] if old else f"wp-{gaz.get(divs[0]).code}-{serial.group(1)}-{serial.group(2)}"
    name = old["file"] if old else f"{doc_id}.txt"
    row = {"id": doc_id, "file": name, "sha256": hashlib.sha256(data).hexdigest(), "number": plan.number,
           "title": plan.title, "issuer": plan.issuer, "date": plan.date, "kind": "work-points",
           "origin": old["origin"] if old else f"imported by aidgraph import-doc from {path.name} on {dt.date.today()}"}
    return plan, row, data, old is not None


def import_document(path: Path, root: Path, *, dry_run: bool):
    """Returns (plan, register row, graph, warnings for this document, replaced)."""
    plan, row, data, replaced = prepare(path, root)
    cols, rows = _register(root)
    new_rows = [r for r in rows if r["id"] != row["id"]] + [row]
    with tempfile.TemporaryDirectory(prefix="aidgraph-import-") as tmp:
        scratch = Path(tmp) / "data"
        shutil.copytree(root, scratch)
        (scratch / "sources" / row["file"]).write_bytes(data)
        (scratch / "sources" / "documents.csv").write_bytes(_register_bytes(cols, new_rows))
        try:
            loaded = load(scratch)
        except LoadError as e:
            raise ImportRefused("the graph would not load with this document:\n  " + "\n  ".join(e.problems)) from e
    mine = [(line, msg) for f, line, msg in loaded.warnings if f == row["file"]]
    if not dry_run:
        _write_atomic(root / "sources" / row["file"], data)
        _write_atomic(root / "sources" / "documents.csv", _register_bytes(cols, new_rows))
    return plan, row, loaded, mine, replaced
