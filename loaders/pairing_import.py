"""``aidgraph import-pairings``: a pairing-change notice (CSV or XLSX) becomes a pairing table.

The notice has the columns of the pairing tables (supporter, program, province, prefecture,
place, excluding, valid_from, valid_to, period_note, county_count, prefecture_count, source;
the optional ones may be left out). It is written as ``curated/pairings_<name>.csv`` and
registered in ``curated/pairing_tables.csv``, but only after the whole graph has loaded with
it in a scratch copy of the data folder: every problem is reported as ``<notice> line N,
column C: problem`` and nothing is changed. Importing a notice again under the same name
replaces that table; a re-import that drops pairings the table held is refused without
``force``, and the answer always lists the pairings added, removed and changed.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ImportRefused, LoadError
from ..schema.text import strip_invisible
from .curated import Loaded, load
from .scratch import locked, scratch_copy
from .tables import PAIRING_TABLES, PairingRow, PairingTableRow, read_table
from .xlsx_input import MAX_CELL_CHARS, read_rows as xlsx_rows

MAX_BYTES = 2_000_000
NAME = re.compile(r"[a-z0-9]+(_[a-z0-9]+)*")
COLUMNS = list(PairingRow.model_fields)
KEY = ("supporter", "program", "place", "valid_from")


@dataclass
class PairingImport:
    table: str                     # curated/pairings_<name>.csv
    register_row: dict
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict]] = field(default_factory=list)
    replaced: bool = False
    loaded: Loaded | None = None


def _cells(path: Path) -> list[list[str]]:
    """The notice's rows as text cells, one list per line (CSV) or sheet row (XLSX)."""
    try:
        st = path.stat()
    except OSError as e:
        raise ImportRefused(f"cannot read {path}: {e.strerror}") from e
    if not path.is_file():
        raise ImportRefused(f"{path}: not a regular file")
    if st.st_size > MAX_BYTES:
        raise ImportRefused(f"{path.name}: {st.st_size:,} bytes; a pairing notice may have at most {MAX_BYTES:,}")
    if path.suffix.lower() == ".xlsx":
        rows = xlsx_rows(path)  # its unpacked size checked first, then streamed within row and cell limits
    else:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused(f"{path.name}: not UTF-8 text; save the table as UTF-8 CSV or as XLSX") from None
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            rows = list(reader)
        except csv.Error as e:
            raise ImportRefused(f"{path.name} line {reader.line_num}: not readable as CSV ({e})") from None
    for number, cells in enumerate(rows, 1):
        for column, cell in enumerate(cells, 1):
            if len(cell) > MAX_CELL_CHARS:
                raise ImportRefused(f"{path.name} line {number}, column {column}: 单元格过长 {len(cell):,} "
                                    f"characters; a cell holds at most {MAX_CELL_CHARS:,}")
    return [[strip_invisible(c) for c in cells] for cells in rows]  # no bidi or invisible character is kept


def _as_table(path: Path) -> bytes:
    """The notice as a pairing table: the same rows on the same line numbers, all columns in order."""
    rows = _cells(path)
    if not rows:
        raise ImportRefused(f"{path.name}: empty")
    header = [c.strip() for c in rows[0]]
    unknown = [c for c in header if c and c not in COLUMNS]
    missing = [c for c in ("supporter", "program", "place", "source") if c not in header]
    if unknown or missing:
        raise ImportRefused(f"{path.name} line 1: " + "; ".join(
            ([f"unknown column(s) {', '.join(unknown)}"] if unknown else [])
            + ([f"missing column(s) {', '.join(missing)}"] if missing else []))
            + f" (the columns are: {', '.join(COLUMNS)})")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for cells in rows[1:]:
        by_name = dict(zip(header, cells))
        w.writerow([by_name.get(c, "").strip() for c in COLUMNS])
    return buf.getvalue().encode("utf-8")


def _rows(data: bytes) -> list[dict]:
    return [r for r in csv.DictReader(io.StringIO(data.decode("utf-8"))) if any(v.strip() for v in r.values())]


def _key(r: dict) -> tuple:
    return tuple(r.get(k, "") for k in KEY)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)




def _register_bytes(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, list(PairingTableRow.model_fields), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def import_pairings(path: Path, root: Path, *, name: str, note: str | None = None, dry_run: bool = False,
                    force: bool = False) -> PairingImport:
    """Check a pairing notice against the whole graph and (unless ``dry_run``) add it as
    ``curated/pairings_<name>.csv``. Raises ``ImportRefused`` with every problem."""
    if not NAME.fullmatch(name):
        raise ImportRefused(f"table name {name!r}: use lower-case letters, digits and _ (e.g. wanbei_2027)")
    table = f"pairings_{name}.csv"
    data = _as_table(path)
    new_rows = _rows(data)
    if not new_rows:
        raise ImportRefused(f"{path.name}: no pairing rows below the header")
    try:
        register = [{k: ("" if v is None else (" ".join(v) if isinstance(v, tuple) else v))
                     for k, v in r.data.model_dump().items()}
                    for r in read_table(root, PAIRING_TABLES, PairingTableRow)]
    except LoadError as e:
        raise ImportRefused(f"{PAIRING_TABLES} does not load:\n  " + "\n  ".join(e.problems)) from None
    old_reg = next((r for r in register if r["file"] == table), None)
    programmes = sorted({r["program"] for r in new_rows if r["program"]})
    sources = [r["source"].split("#")[0].split(";")[0].strip() for r in new_rows if r["source"].strip()]
    reg_row = {"file": table, "programmes": " ".join(programmes),
               "source": max(set(sources), key=sources.count) if sources else "",
               "note": note if note is not None else (old_reg["note"] if old_reg else f"imported from {path.name}")}
    result = PairingImport(table=f"curated/{table}", register_row=reg_row, replaced=old_reg is not None)
    old_path = root / "curated" / table
    old_rows = _rows(old_path.read_bytes()) if old_path.is_file() else []
    old_by, new_by = {_key(r): r for r in old_rows}, {_key(r): r for r in new_rows}
    result.added = [r for k, r in new_by.items() if k not in old_by]
    result.removed = [r for k, r in old_by.items() if k not in new_by]
    result.changed = [(old_by[k], r) for k, r in new_by.items() if k in old_by and old_by[k] != r]
    if result.removed and not force:
        raise ImportRefused(
            f"{path.name} would drop {len(result.removed)} pairing(s) that curated/{table} holds: "
            + "; ".join(f"{r['supporter']}—{r['place']} {r['valid_from']}–{r['valid_to'] or '至今'}"
                        for r in result.removed)
            + ". Nothing was changed; give --force to replace the table anyway.",
            diff=_diff(result))
    register_new = [r for r in register if r["file"] != table] + [reg_row]
    with locked(root, shared=dry_run), scratch_copy(root) as scratch:
        (scratch / "curated" / table).write_bytes(data)
        (scratch / PAIRING_TABLES).write_bytes(_register_bytes(register_new))
        try:
            result.loaded = load(scratch)
        except LoadError as e:
            mine = f"curated/{table}"
            problems = [p.replace(mine, path.name) for p in e.problems]
            raise ImportRefused("the graph would not load with this notice; nothing was changed:\n  "
                                + "\n  ".join(problems), problems=problems) from None
        if not dry_run:
            _write_atomic(root / "curated" / table, data)
            _write_atomic(root / PAIRING_TABLES, _register_bytes(register_new))
    return result


def _diff(result: PairingImport) -> dict:
    return {"added": result.added, "removed": result.removed,
            "changed": [{"before": a, "after": b} for a, b in result.changed]}
