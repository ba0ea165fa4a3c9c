"""``aidgraph import-doc``: add a district's work-points document to the data.

The document is parsed (right or refused: the parser's self-check names the
lines it cannot read with confidence) and the whole graph rebuilt with it in a
scratch copy of the data folder first; only when that load succeeds are the
text and its register row written into ``data/sources`` together (``commit``: the
data folder is switched whole, so a kill leaves it as before or as after). A document
already registered under the same number (compared as ``docnumber`` normalises it:
leading zeros, bracket forms, spaces, full width) is replaced, so
importing it again changes nothing else; but

* a re-import that loses tasks or units the registered copy holds is refused
  without ``force``, and the refusal lists the difference;
* the seed documents shipped with the data (every register row not written
  by this command) are never replaced, not even with ``force``;
* the input must be a regular file (symlinks resolved) of at most
  ``MAX_BYTES``; directories, devices and FIFOs are refused without being
  opened for reading;
* one import at a time: an advisory lock on ``.import.lock`` in the data
  folder (the same lock ``import-pairings`` takes) refuses a second one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ImportRefused, LoadError
from ..schema.docnumber import same_number
from ..schema.places import SHANGHAI
from .commit import commit_files
from .curated import Loaded, load
from .gazetteer import load_gazetteer
from .registers import read as read_register
from .registers import with_row
from .scratch import LOCK, locked, scratch_copy  # noqa: F401 - LOCK: the lock file's name, for callers
from .table_reader import read_table
from .tables import DocumentRow
from .unit_names import load_unit_names
from .workpoints import Labels, NotAWorkPlan, Task, WorkPlan, decode, known_unit_names, load_labels, parse

MAX_BYTES = 2_000_000
IMPORTED = "imported by aidgraph import-doc"  # how the register's origin marks a document this command wrote
ROLES = (("lead", "牵头"), ("responsible", "责任"), ("cooperating", "配合"))


@dataclass
class DocImport:
    plan: WorkPlan
    row: dict                      # the register row
    loaded: Loaded                 # the graph as it loads with the document
    warnings: list[tuple[int, str]]
    replaced: bool
    diff: dict | None = None       # against the registered copy, when one is replaced
    problems: list[dict] = field(default_factory=list)  # self-check problems let through by force
    cleaned: list[str] = field(default_factory=list)    # leftovers of killed imports removed first


def _register(root: Path) -> tuple[list[str], list[dict]]:
    """The register's columns and rows, read by the one table reader (a broken register refuses the import)."""
    try:
        rows = read_table(root, "sources/documents.csv", DocumentRow)
    except LoadError as e:
        raise ImportRefused("the document register does not load:\n  " + "\n  ".join(e.problems)) from None
    return list(DocumentRow.model_fields), [{k: ("" if v is None else v) for k, v in r.data.model_dump().items()}
                                            for r in rows]


def read_input(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES (symlinks resolved); anything else is refused."""
    try:
        real = path.resolve(strict=True)
        st = os.stat(real)
    except (OSError, RuntimeError) as e:
        raise ImportRefused(f"无法读取 cannot read {path}: {getattr(e, 'strerror', None) or e}") from e
    if not stat.S_ISREG(st.st_mode):
        what = "目录 a directory" if stat.S_ISDIR(st.st_mode) else (
            "管道 a FIFO" if stat.S_ISFIFO(st.st_mode) else "设备或套接字 a device or socket")
        raise ImportRefused(f"{path} 不是普通文件，是{what}: not a regular file; give the text file itself")
    if st.st_size > MAX_BYTES:
        raise ImportRefused(f"{path.name}: 文件过大 too large, {st.st_size:,} bytes; a work-points document "
                            f"may have at most {MAX_BYTES:,}")
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as e:
        raise ImportRefused(f"无法读取 cannot read {path}: {e.strerror}") from e
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped since the check
            raise ImportRefused(f"{path} 不是普通文件 not a regular file")
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"{path.name}: 文件过大 too large; a work-points document may have at most "
                            f"{MAX_BYTES:,} bytes")
    return data




def _parse(data: bytes, name: str, known, force: bool, labels: Labels) -> WorkPlan:
    try:
        return parse(decode(data), force=force, known_units=known, labels=labels)
    except NotAWorkPlan as e:
        problems = [{"line": p.line, "message": p.message} for p in getattr(e, "problems", [])]
        raise ImportRefused(f"{name}: {e}" + ("\n给 --force 可把这些问题记为警告后导入 give --force to import "
                                              "with these problems as warnings" if problems else ""),
                            **({"problems": problems} if problems else {})) from e


def _units(t: Task, role: str) -> list[str]:
    return [u.name for u in getattr(t, role)]


def _facts(plan: WorkPlan) -> dict[str, dict]:
    return {t.locator: {"title": t.title, "section": t.section or "", "text": t.text,
                        **{role: _units(t, role) for role, _ in ROLES}} for t in plan.tasks}


def diff_plans(old: WorkPlan, new: WorkPlan) -> dict:
    """Tasks added, removed and changed, and units lost, from the registered copy to the new one."""
    a, b = _facts(old), _facts(new)
    changed, lost = [], []
    for loc in (k for k in b if k in a):
        fields = {f: {"before": a[loc][f], "after": b[loc][f]} for f in a[loc] if a[loc][f] != b[loc][f]}
        if fields:
            changed.append({"task": loc, "fields": fields})
        for role, _zh in ROLES:
            lost += [{"task": loc, "role": role, "unit": u} for u in a[loc][role] if u not in b[loc][role]]
    return {"added": [k for k in b if k not in a], "removed": [k for k in a if k not in b], "changed": changed,
            "units_lost": lost}


def diff_text(diff: dict) -> str:
    zh = dict(ROLES)
    parts = [f"新增 added {len(diff['added'])}，删除 removed {len(diff['removed'])}，变更 changed "
             f"{len(diff['changed'])}，丢失单位 units lost {len(diff['units_lost'])}"]
    if diff["removed"]:
        parts.append("删除的任务 removed: " + "、".join(diff["removed"]))
    if diff["added"]:
        parts.append("新增的任务 added: " + "、".join(diff["added"]))
    for c in diff["changed"]:
        parts.append(f"变更 changed {c['task']}: " + ", ".join(c["fields"]))
    for u in diff["units_lost"]:
        parts.append(f"丢失单位 unit lost {u['task']} {zh[u['role']]}单位 {u['unit']}")
    return "\n  ".join(parts)


def read_and_parse(path: Path, root: Path, *, force: bool = False) -> tuple[WorkPlan, bytes, frozenset[str]]:
    """The document's plan and bytes, and the unit names it was parsed with. Raises ImportRefused."""
    data = read_input(path)
    try:
        known = known_unit_names(load_unit_names(root))
        labels = load_labels(root)
    except LoadError as e:
        raise ImportRefused("the unit alias or label table does not load:\n  " + "\n  ".join(e.problems)) from None
    return _parse(data, path.name, known, force, labels), data, known


def register_row(plan: WorkPlan, path: Path, root: Path, data: bytes) -> tuple[dict, dict | None]:
    """The document's register row, and the row it replaces (or None); refuses seed documents."""
    gaz = load_gazetteer(root)
    forms = [f for f in gaz.forms.get(plan.district, []) if SHANGHAI in gaz.ancestors(f.division)]
    divs = gaz.best(forms)
    if len(divs) != 1:
        raise ImportRefused(f"{path.name}: {plan.district} is not a district of Shanghai")
    if not plan.number:
        raise ImportRefused(f"{path.name}: no document number (文号) found; it is what identifies the document")
    _cols, rows = _register(root)
    old = next((r for r in rows if same_number(r["number"], plan.number)), None)
    if old and not old["origin"].startswith(IMPORTED):
        raise ImportRefused(
            f"{plan.number} 是随数据发布的原始文件（{old['id']}，sources/{old['file']}），"
            "不能用导入替换，--force 也不行 "
            f"is a seed document shipped with the data ({old['id']}); an import never replaces it, not even "
            "with --force. 如需改动，请修改数据本身并经审核 change the data itself, reviewed, instead.")
    serial = re.search(r"〔(\d{4})〕(\d+)号", plan.number)
    code = gaz.get(divs[0]).code
    if old:
        doc_id = old["id"]
    elif serial:
        doc_id = f"wp-{code}-{serial.group(1)}-{serial.group(2)}"
    else:  # a number in another form: an id from its text, stable for the same number
        doc_id = f"wp-{code}-{hashlib.sha256(plan.number.encode()).hexdigest()[:8]}"
    name = old["file"] if old else f"{doc_id}.txt"
    clash = next((r for r in rows if r is not old and (r["id"] == doc_id or r["file"] == name)), None)
    if clash:
        raise ImportRefused(f"{plan.number}: 编号 id {doc_id} 或文件名已被 {clash['number'] or clash['id']} 占用 "
                            "is already taken by another registered document")
    row = {"id": doc_id, "file": name, "sha256": hashlib.sha256(data).hexdigest(), "number": plan.number,
           "title": plan.title, "issuer": plan.issuer, "date": plan.date, "kind": "work-points",
           "origin": old["origin"] if old else f"{IMPORTED} from {path.name} on {dt.date.today()}"}
    return row, old


def import_document(path: Path, root: Path, *, dry_run: bool, force: bool = False,
                    on_committed: Callable[[Loaded], None] | None = None) -> DocImport:
    """Check a document against the whole graph and (unless ``dry_run``) add it to the data. A file
    refused for what it is (not a regular file, too large, not a work-points document) never touches
    the data folder, not even its lock file. ``on_committed(loaded)``: called once the files are
    committed, the folder's lock still held, with the graph as it loads with them (the runtime keeps it
    as the folder's snapshot, so the next command does not build it again)."""
    plan, data, known = read_and_parse(path, root, force=force)
    with locked(root, shared=dry_run) as cleaned:
        row, old = register_row(plan, path, root, data)
        diff = None
        if old:
            try:
                old_plan = parse(decode((root / "sources" / old["file"]).read_bytes()), force=True, known_units=known,
                                 labels=load_labels(root))
            except (OSError, NotAWorkPlan):
                old_plan = None  # the registered copy is unreadable: nothing to lose
            if old_plan is not None:
                diff = diff_plans(old_plan, plan)
                if (diff["removed"] or diff["units_lost"]) and not force:
                    raise ImportRefused(
                        f"{path.name} 与已登记的 {plan.number}（sources/{old['file']}）"
                        "相比会丢失任务或单位，未作任何修改；"
                        "确认无误请加 --force。"
                        f"It would lose tasks or units the registered copy holds; nothing was changed; give --force "
                        f"to replace it anyway.\n  {diff_text(diff)}", diff=diff)
        cols, _rows = _register(root)
        # the other register rows kept byte for byte
        writes = {f"sources/{row['file']}": data,
                  "sources/documents.csv": with_row(read_register(root, "sources/documents.csv"), cols, "id", row)}
        with scratch_copy(root) as scratch:
            for rel, content in writes.items():
                (scratch / rel).write_bytes(content)
            try:
                loaded = load(scratch)
            except LoadError as e:
                raise ImportRefused("the graph would not load with this document:\n  " + "\n  ".join(e.problems),
                                    problems=e.problems) from e
        mine = [(line, msg) for f, line, msg in loaded.warnings if f == row["file"]]
        if not dry_run:
            commit_files(root, writes)
            if on_committed is not None:
                on_committed(loaded)
    return DocImport(plan=plan, row=row, loaded=loaded, warnings=mine, replaced=old is not None, diff=diff,
                     problems=[{"line": line, "message": msg} for line, msg in mine if "自检" in msg],
                     cleaned=cleaned)
