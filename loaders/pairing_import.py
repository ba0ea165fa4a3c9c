"""``aidgraph import-pairings``: a pairing-change notice (CSV or XLSX) becomes a pairing table.

A notice is a table as an office writes it: the pairing tables' columns, or their Chinese headings
(支援方, 项目, 省, 市州, 受援地, 起始年, 终止年, 来源 …, see ``notice_reading.HEADINGS``); the programme by its
id or its Chinese name as ``programmes.csv`` gives it (东西部协作); years as ``2026`` or ``2026年``. Every cell
must sit under a heading: an extra cell is refused, naming its line and column.

With ``title`` (``--title``, ``--date``, ``--issuer``) the notice is registered as a source document
of kind ``notice`` in the same step: its number is the one its ``source`` cells give (沪合组〔2025〕12号),
or ``number``; the file is kept verbatim as ``sources/notice-<name>.csv|.xlsx``; every row citing that
number (or citing nothing) cites the notice at its line (``notice-<name>#第3行``).

A row naming a pairing an earlier table holds (same supporter, place and programme) with an end year
ends that pairing with that year — ``valid_to`` is the last year in force, as everywhere — cited to the
notice; a new row starts the successor. Supporters must be in ``curated/supporters.csv`` (a name outside
it is added there only when given with ``new_supporters``); places must lie in the programme's provinces
and years in its period and in 1979–2100: the loader checks these for every table.

The notice is written as ``curated/pairings_<name>.csv`` with its register row only after the whole graph
has loaded with it in a scratch copy of the data folder: every problem is reported as ``<notice> line N,
column C: problem`` and nothing is changed. Importing under the same name again replaces that table; a
re-import that drops pairings is refused without ``force``, and so is one that would rewrite a table
shipped with the data (one not written by this command); the answer lists what is added, removed,
changed and ended.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ImportRefused, LoadError
from ..schema.docnumber import find_number, same_number
from ..schema.eras import period_text
from ..schema.sources import SourceRef, split_refs
from .commit import commit_files
from .curated import Loaded, load
from .notice_reading import COLUMNS, Notice, read_notice
from .registers import read as read_register
from .registers import with_row
from .scratch import locked, scratch_copy
from .table_reader import read_table
from .tables import (
    DOCUMENTS,
    PAIRING_TABLES,
    PROGRAMMES,
    SUPPORTERS,
    DocumentRow,
    PairingTableRow,
    ProgrammeRow,
    SupporterRow,
)

NAME = re.compile(r"[a-z0-9]+(_[a-z0-9]+)*")
KEY = ("supporter", "program", "place", "valid_from")
IMPORTED = "imported by aidgraph import-pairings"  # how an imported table's or notice's origin begins


@dataclass
class PairingImport:
    table: str                     # curated/pairings_<name>.csv
    register_row: dict
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict]] = field(default_factory=list)
    ended: list[dict] = field(default_factory=list)  # rows that end a pairing an earlier table holds
    replaced: bool = False
    document: dict | None = None   # the notice's register row, when registered
    supporters_added: list[dict] = field(default_factory=list)
    cleaned: list[str] = field(default_factory=list)  # leftovers of killed imports removed first
    loaded: Loaded | None = None


def _table_bytes(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _rows(data: bytes) -> list[dict]:
    return [r for r in csv.DictReader(io.StringIO(data.decode("utf-8"))) if any((v or "").strip() for v in r.values())]


def _key(r: dict) -> tuple:
    return tuple(r.get(k, "") for k in KEY)


def _dump(rows) -> list[dict]:
    return [{k: ("" if v is None else (" ".join(v) if isinstance(v, tuple) else str(v)))
             for k, v in r.data.model_dump().items()} for r in rows]


def _read(root: Path, relpath: str, model) -> list[dict]:
    try:
        return _dump(read_table(root, relpath, model))
    except LoadError as e:
        raise ImportRefused(f"{relpath} 无法加载 does not load:\n  " + "\n  ".join(e.problems)) from None


def _cite_notice(path: Path, notice: Notice, number: str | None, doc_id: str | None) -> str | None:
    """Rows whose source is the notice's document number (or empty) cite the notice at their line; the
    number the notice gives (``number`` or its source cells). Problems go to ``notice.problems``."""
    found: dict[str, list[int]] = {}
    for row, line in zip(notice.rows, notice.lines, strict=True):
        m = find_number(row["source"])
        if m:
            found.setdefault(m[0], []).append(line)
    numbers = list(found)
    if number:
        others = [n for n in numbers if not same_number(n, number)]
        if others:
            notice.problems += [f"{path.name} line {found[n][0]}, column {notice.columns['source']}: "
                                f"文号 {n} 与 --number {number} 不同 a document number other than --number"
                                for n in others]
    elif len(numbers) > 1:
        notice.problems.append(f"{path.name}: 来源中有多个文号 the source cells give several document numbers: "
                               + "; ".join(f"{n} (line {', '.join(map(str, found[n]))})" for n in numbers)
                               + "；一份通知只能有一个文号 one notice has one number")
    number = number or (numbers[0] if numbers else None)
    for row, line in zip(notice.rows, notice.lines, strict=True):
        m = find_number(row["source"])
        if doc_id is None:
            if m or not row["source"]:
                col = notice.columns.get("source", "source")
                notice.problems.append(
                    f"{path.name} line {line}, column {col}: " + (
                        f"来源是文号 {m[0]}，但这份通知没有登记：请加 --title 与 --date the source is a document "
                        "number; give --title and --date to register the notice as a document" if m else
                        "没有来源 no source; give --title and --date to register the notice as the source"))
            continue
        if m or not row["source"]:
            rest = m[1] if m else ""
            row["source"] = str(SourceRef(doc_id, rest or f"第{line}行"))
    return number


def import_pairings(path: Path, root: Path, *, name: str, note: str | None = None, dry_run: bool = False,
                    force: bool = False, title: str | None = None, date: str | None = None,
                    number: str | None = None, issuer: str | None = None,
                    new_supporters: tuple[str, ...] = ()) -> PairingImport:
    """Check a pairing notice against the whole graph and (unless ``dry_run``) add it as
    ``curated/pairings_<name>.csv`` (with the notice as a source document when ``title`` is given).
    Raises ``ImportRefused`` with every problem."""
    if not NAME.fullmatch(name):
        raise ImportRefused(f"表名 table name {name!r}: 只用小写字母、数字和 _ use lower-case letters, digits and _ "
                            "(e.g. wanbei_2027)")
    if (number or date or issuer) and not title:
        raise ImportRefused("--number、--date、--issuer 需与 --title 一起给出 register the notice with --title")
    if date is not None and not (re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) and _is_date(date)):
        raise ImportRefused(f"--date {date!r}: 日期写作 YYYY-MM-DD a date is written YYYY-MM-DD")
    table = f"pairings_{name}.csv"
    with locked(root, shared=dry_run) as cleaned:
        programmes = [r.data for r in read_table(root, PROGRAMMES, ProgrammeRow)]
        notice = read_notice(path, programmes)
        doc_id = f"notice-{name.replace('_', '-')}" if title else None
        number = _cite_notice(path, notice, number, doc_id)
        if title and not number:
            notice.problems.append(f"{path.name}: 找不到文号 no document number: the source cells give none; "
                                   "give it with --number")
        if notice.problems:
            raise ImportRefused(f"{path.name} 无法导入，未作任何修改 cannot be imported; nothing was changed:\n  "
                                + "\n  ".join(notice.problems), problems=notice.problems)
        data = _table_bytes(notice.rows)
        new_rows = notice.rows
        register = _read(root, PAIRING_TABLES, PairingTableRow)
        old_reg = next((r for r in register if r["file"] == table), None)
        programmes_used = sorted({r["program"] for r in new_rows if r["program"]})
        sources = [refs[0].doc for r in new_rows if (refs := split_refs(r["source"]))]
        today = dt.date.today().isoformat()
        reg_row = {"file": table, "programmes": " ".join(programmes_used),
                   "source": doc_id or (max(sorted(set(sources)), key=sources.count) if sources else ""),
                   "note": note if note is not None else (old_reg["note"] if old_reg and old_reg["note"]
                                                          else f"pairing-change notice {path.name}"),
                   "origin": f"{IMPORTED} from {path.name} on {today}"}
        result = PairingImport(table=f"curated/{table}", register_row=reg_row, replaced=old_reg is not None,
                               cleaned=cleaned)
        old_path = root / "curated" / table
        old_rows = _rows(old_path.read_bytes()) if old_path.is_file() else []
        old_by, new_by = {_key(r): r for r in old_rows}, {_key(r): r for r in new_rows}
        result.added = [r for k, r in new_by.items() if k not in old_by]
        result.removed = [r for k, r in old_by.items() if k not in new_by]
        result.changed = [(old_by[k], r) for k, r in new_by.items() if k in old_by and old_by[k] != r]
        shipped = old_reg is not None and not (old_reg.get("origin") or "").startswith(IMPORTED)
        if shipped and not force:
            raise ImportRefused(
                f"curated/{table} 是随数据发布的表（不是导入写入的），未作任何修改；确需改写请加 --force 并核对差异。"
                f"It is a table shipped with the data, not one an import wrote; nothing was changed; give --force "
                f"to rewrite it, after checking the difference: {_diff_text(result)}", diff=_diff(result))
        if result.removed and not force:
            raise ImportRefused(
                f"{path.name} 会删除 curated/{table} 中的 {len(result.removed)} 条结对，"
                "未作任何修改；确认请加 --force。"
                f"It would drop {len(result.removed)} pairing(s) that curated/{table} holds: "
                + "; ".join(f"{r['supporter']}—{r['place']} {period_text(r['valid_from'], r['valid_to'])}"
                            for r in result.removed)
                + ". Nothing was changed; give --force to replace the table anyway.", diff=_diff(result))
        writes: dict[str, bytes] = {f"curated/{table}": data,
                                    PAIRING_TABLES: with_row(read_register(root, PAIRING_TABLES),
                                                             list(PairingTableRow.model_fields), "file", reg_row)}
        if title and doc_id and number:  # a title makes the notice a document; its number was found above
            result.document = _notice_document(path, root, doc_id, number, title, date, issuer, today, force, writes)
        if new_supporters:
            result.supporters_added = _new_supporters(path, root, notice, new_supporters, doc_id, table, writes)
        with scratch_copy(root) as scratch:
            for rel, content in writes.items():
                (scratch / rel).write_bytes(content)
            try:
                result.loaded = load(scratch)
            except LoadError as e:
                problems = _in_notice_terms(e.problems, path, table, notice)
                raise ImportRefused(f"{path.name} 与现有数据合起来无法加载，未作任何修改 the graph would not load with "
                                    "this notice; nothing was changed:\n  " + "\n  ".join(problems),
                                    problems=problems) from None
        ends = {line for f, line, _pid in result.loaded.ends if f == f"curated/{table}"}
        for i, row in enumerate(new_rows):
            if i + 2 in ends:  # the table's line: the header, then one row a line
                result.ended.append(row)
        result.added = [r for r in result.added if r not in result.ended]
        overlaps = _overlaps(path, notice, result.ended)
        if not overlaps:  # (a move's overlap says it better)
            overlaps = [f"{path.name} line {notice.lines[line - 2]}, column {notice.columns.get('place', 'place')}: "
                        f"{msg}; 确为同时结对请加 --force (give --force if both do)"
                        for f, line, msg in result.loaded.concurrent
                        if f == f"curated/{table}" and 2 <= line < len(notice.lines) + 2]
        if overlaps and not force:
            raise ImportRefused(f"{path.name} 无法导入，未作任何修改 cannot be imported; nothing was changed:\n  "
                                + "\n  ".join(overlaps), problems=overlaps)
        if not dry_run:
            commit_files(root, writes)
    return result


def _overlaps(path: Path, notice: Notice, ended: list[dict]) -> list[str]:
    """A successor starting in or before the last year of the pairing the notice ends (a move written
    with the end year as the first year of the successor): both would support the place that year."""
    out = []
    line = {id(r): n for r, n in zip(notice.rows, notice.lines, strict=True)}
    for e in ended:
        for a in notice.rows:
            if a is e or a in ended or (a["place"], a["program"]) != (e["place"], e["program"]):
                continue
            if a["valid_from"].isdigit() and int(a["valid_from"]) <= int(e["valid_to"]):
                col = notice.columns.get("valid_to", "valid_to")
                out.append(f"{path.name} line {line[id(e)]}, column {col}: {e['supporter']}—{e['place']} 止于 "
                           f"{e['valid_to']} 年（终止年是最后一个结对年份，含该年），而 line {line[id(a)]} 的 "
                           f"{a['supporter']} 自 {a['valid_from']} 年起：这一年两方同时结对；如是交接，终止年请写 "
                           f"{int(a['valid_from']) - 1}（确为同时结对请加 --force） the end year is the last year in "
                           f"force, so both would support {e['place']} in {a['valid_from']}")
    return out


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _notice_document(path: Path, root: Path, doc_id: str, number: str, title: str, date: str | None,
                     issuer: str | None, today: str, force: bool, writes: dict[str, bytes]) -> dict:
    """The notice's register row (added to ``writes`` with the notice's bytes, kept verbatim)."""
    cols = list(DocumentRow.model_fields)
    rows = _read(root, DOCUMENTS, DocumentRow)
    raw = path.read_bytes()
    file = f"{doc_id}{path.suffix.lower()}"
    for r in rows:
        if r["id"] != doc_id and same_number(r["number"], number):
            raise ImportRefused(f"文号 {number} 已登记为 {r['id']}（sources/{r['file']}） "
                                f"the document number is already registered as {r['id']}; nothing was changed")
    old = next((r for r in rows if r["id"] == doc_id), None)
    if old and not old["origin"].startswith(IMPORTED) and not force:
        raise ImportRefused(f"{doc_id} 是随数据发布的文件，未作任何修改；确需改写请加 --force "
                            f"{doc_id} is a document shipped with the data; give --force to replace it")
    row = {"id": doc_id, "file": file, "sha256": hashlib.sha256(raw).hexdigest(), "number": number, "title": title,
           "issuer": issuer or "", "date": date or "", "kind": "notice",
           "origin": f"{IMPORTED} from {path.name} on {today}; the notice as received"}
    writes[f"sources/{file}"] = raw
    writes[DOCUMENTS] = with_row(read_register(root, DOCUMENTS), cols, "id", row)
    return row


def _new_supporters(path: Path, root: Path, notice: Notice, names: tuple[str, ...], doc_id: str | None,
                    table: str, writes: dict[str, bytes]) -> list[dict]:
    """Rows for ``curated/supporters.csv``: each name given with --new-supporter, for the programmes the
    notice pairs it under."""
    rows = _read(root, SUPPORTERS, SupporterRow) if (root / SUPPORTERS).is_file() else []
    added = []
    for name in names:
        mine = [r for r in notice.rows if r["supporter"] == name]
        if not mine:
            raise ImportRefused(f"--new-supporter {name}: 通知中没有这个支援方 the notice names no such supporter "
                                "(write it exactly as the supporter cells do)")
        progs = " ".join(sorted({r["program"] for r in mine}))
        if any(r["scope"] == name and r["programmes"] == progs for r in rows):
            continue
        src = doc_id or mine[0]["source"].split(";")[0].strip()
        added.append({"scope": name, "programmes": progs, "source": src,
                      "note": f"a new supporter, added with --new-supporter by {IMPORTED} (curated/{table})"})
    if added:
        data = read_register(root, SUPPORTERS)
        for row in added:
            data = with_row(data, list(SupporterRow.model_fields), None, row)
        if data is not None:
            writes[SUPPORTERS] = data
    return added


def _in_notice_terms(problems: list[str], path: Path, table: str, notice: Notice) -> list[str]:
    """The loader's problems with the table's lines and columns as the notice's."""
    pat = re.compile(rf"curated/{re.escape(table)} line (\d+)(?:, column (\w+))?")

    def sub(m: re.Match) -> str:
        line = int(m.group(1))
        where = f"{path.name} line {notice.lines[line - 2] if 2 <= line < len(notice.lines) + 2 else line}"
        return where + (f", column {notice.columns.get(m.group(2), m.group(2))}" if m.group(2) else "")
    return [pat.sub(sub, p) for p in problems]


def _diff(result: PairingImport) -> dict:
    return {"added": result.added, "removed": result.removed,
            "changed": [{"before": a, "after": b} for a, b in result.changed]}


def _diff_text(result: PairingImport) -> str:
    parts = [f"+ {r['supporter']}—{r['place']} {period_text(r['valid_from'], r['valid_to'])}"
             for r in result.added]
    parts += [f"- {r['supporter']}—{r['place']} {period_text(r['valid_from'], r['valid_to'])}"
              for r in result.removed]
    parts += [f"~ {b['supporter']}—{b['place']}: " + ", ".join(f"{k} {a.get(k) or '∅'} → {b[k] or '∅'}" for k in b
                                                              if a.get(k) != b[k]) for a, b in result.changed]
    return "; ".join(parts) or "no difference"
