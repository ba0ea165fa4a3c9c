"""Task breakdown tables (任务分解表): a header naming the columns (序号, 任务, 牵头单位, 责任单位 …
in any order), then one row per task, its columns separated by tabs, by bars (｜ | │) or aligned
with spaces; part rows (一、… / （一）…) inside the table start a section, and a row with no number
continues the cells of the row before it (a cell wrapped over several lines)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from ...schema.text import normalise_line
from .labels import Labels
from .lines import _END, _PART, _SECTION, _Line, _prep
from .model import SAFEGUARD_PART, Block, Warning_
from .units import UNIT_ENDINGS

_NUM_HEADS = ("序号", "编号", "任务编号", "序", "项次")
_SEC_HEADS = ("板块", "类别", "领域", "方面", "分类", "工作板块", "专项", "任务类别", "章节", "部分", "工作类别")
_SEC_WORDS = re.compile("板块|类别|领域|方面|分类|专项|章节|部分|类型")
_TASK_WORDS = re.compile("任务|内容|事项|措施|举措|工作要点")
_OTHER_WORDS = re.compile("时限|时间|进度|节点|备注|责任人|领导|目标|要求|指标|成效|说明")
_BARS = "|｜│┃"
_RULE = re.compile(rf"^[\s{_BARS}\-—=+:：_─━┼├┤┌┐└┘┬┴]*$")


def _head_kind(cell: str, lab: Labels) -> str | None:
    if cell in _NUM_HEADS:
        return "number"
    if (k := lab.head_kind(cell)) is not None:
        return k
    if cell in _SEC_HEADS or _SEC_WORDS.search(cell):
        return "section"
    if _TASK_WORDS.search(cell):
        return "task"
    if _OTHER_WORDS.search(cell):
        return "other"
    return None


@lru_cache(maxsize=8192)
def _char_width(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def _width(s: str) -> int:
    return sum(map(_char_width, s))


def _mode(line: str) -> str:
    if "\t" in line:
        return "tab"
    if any(b in line for b in _BARS):
        return "bar"
    return "space"


def _cells(line: str, mode: str) -> list[tuple[int, int, str]]:
    """(display start, display end, text) of each cell (space mode: of each whitespace-separated token)."""
    if mode == "tab":
        return [(0, 0, c) for c in line.split("\t")]
    if mode == "bar":
        s = line.strip()
        s = s[1:] if s[:1] in _BARS else s
        s = s[:-1] if s[-1:] in _BARS else s
        return [(0, 0, c.strip()) for c in re.split(f"[{_BARS}]", s)]
    at = [0, *accumulate(map(_char_width, line))]  # display width of line[:i], for every i
    return [(at[m.start()], at[m.end()], m.group()) for m in re.finditer(r"[^\s\u3000]+", line)]


@dataclass
class _Table:
    mode: str
    kinds: list[str | None]
    bounds: list[int]       # space mode: where each column starts (display), from the header, then the rows
    stops: tuple[str, ...] = ()  # the issuer's name, whose lines (the signature) end a table
    starts: tuple[int, ...] = ()  # space mode: where each column's text starts (the header's, then the rows')


def _row_cells(line: str, t: _Table, no: int, problems: list[Warning_]) -> list[str]:
    """The row's cells, one per column ([] and a problem: a bar or tab row with a cell too many or few)."""
    n = len(t.kinds)
    if t.mode != "space":
        cells = [c for _a, _z, c in _cells(line, t.mode)]
        if len(cells) != n:
            problems.append(Warning_(no, f"表格行有 {len(cells)} 列，表头有 {n} 列，无法对齐 "
                                         f"the table row has {len(cells)} cells where the header has {n}"))
            return []
        return cells
    # each run of text goes to the column it overlaps most; a run reaching over where another column's
    # text starts means the row is not aligned with the header
    runs = [(a, z, run, _column(a, z, t.bounds)) for a, z, run in _runs(line)]
    out = [""] * n
    for _a, _z, run, col in runs:
        out[col] = f"{out[col]} {run}".strip()
    straddle = any(j != col and a < t.starts[j] < z for a, z, _r, col in runs for j in range(n))
    if not straddle:
        return out
    numbered = re.fullmatch(r"\d{1,3}[.．、]?", _cells(line, "space")[0][2])
    for sep in (r"(?:\s{2,}|\u3000|\t)+", r"[\s\u3000]+") if numbered else ():
        cells = re.split(sep, line.strip())
        if len(cells) == n:  # not aligned, but one cell for each column
            return cells
    problems.append(Warning_(no, "表格行与表头的列对不齐，无法确定各单元格所属的列 the row's cells do not line up "
                                 "with the header's columns"))
    return out


def _part_row(cells: list[str]) -> str | None:
    full = [c for c in cells if c.strip()]
    if len(full) != 1:
        return None
    s = normalise_line(full[0])
    m = _PART.match(s) or _SECTION.match(s)
    return m.group(2).rstrip("。") if m and 0 < len(m.group(2)) <= 30 else None


def _runs(line: str) -> list[tuple[int, int, str]]:
    """(display start, display end, text) of each run of text apart from the next by two spaces or more."""
    at = [0, *accumulate(map(_char_width, line))]  # display width of line[:i], for every i
    return [(at[m.start()], at[m.end()], m.group()) for m in re.finditer(r"[^\s\u3000]+(?: [^\s\u3000]+)*", line)]


def _merge_spaced(cells: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A header word spread out to fill its column (序  号, 牵 头 单 位) put back together: neighbouring
    cells of one character each are one word."""
    out: list[tuple[int, int, str]] = []
    for a, z, c in cells:
        if out and len(c) == 1 and _single(out[-1][2]):
            out[-1] = (out[-1][0], z, out[-1][2] + " " + c)
        else:
            out.append((a, z, c))
    return out


def _single(text: str) -> bool:
    return all(len(x) == 1 for x in text.split(" "))


def _header(line: str, mode: str, lab: Labels, below: str | None = None):
    """(cells, heads, kinds) when the line is a task table's header (序号, a task column, a unit label);
    with ``below``, the header written over two lines (牵头 / 单位), the second line's text added to the
    cell above it."""
    for cells in ([_runs(line), _cells(line, mode)] if mode == "space" else [_cells(line, mode)]):
        if mode == "space":
            cells = _merge_spaced(cells)
        if below is not None:
            stacked = _stack(cells, below, mode)
            if stacked is None:
                continue
            cells = stacked
        heads = [normalise_line(c) for _a, _z, c in cells]
        kinds = [_head_kind(c, lab) if c else None for c in heads]
        full = [k for c, k in zip(heads, kinds, strict=True) if c]
        if "number" in kinds and "task" in kinds and "label" in kinds and (mode != "space" or None not in full):
            return cells, heads, kinds
    return None


def _stack(cells: list[tuple[int, int, str]], below: str, mode: str) -> list[tuple[int, int, str]] | None:
    """The cells of a header's first line with the second line's text added to each."""
    if not cells or not below.strip() or _mode(below) != mode or _RULE.match(below):
        return None
    texts = [c[2] for c in cells]
    if mode != "space":
        more = _cells(below, mode)
        if len(more) != len(cells):
            return None
        for k, (_a, _z, text) in enumerate(more):
            texts[k] += text
    else:
        bounds = [0] + [(cells[j - 1][1] + cells[j][0]) // 2 for j in range(1, len(cells))]
        for a, z, text in _merge_spaced(_runs(below)):
            texts[_column(a, z, bounds)] += text
    return [(a, z, text) for (a, z, _old), text in zip(cells, texts, strict=True)]


def find_tables(raw: list[str], lab: Labels, roles: dict[int, str], problems: list[Warning_]) -> list[Block]:
    """The rows of every task table in the text as blocks; the lines they take get their roles."""
    blocks: list[Block] = []
    issuer = next((s[:-2] for s in map(normalise_line, raw[:12]) if s.endswith("文件") and len(s) > 4), "")
    stops = (issuer, issuer.removeprefix("上海市")) if issuer else ()
    i = 0
    while i < len(raw):
        mode = _mode(raw[i])
        if _fewer_cells(raw[i], mode, 3):  # a header has a cell for 序号, one for the task, one per label
            i += 1
            continue
        head, two = _header(raw[i], mode, lab), False
        if i + 1 < len(raw) and (head is None or any(k is None or k == "unknown-label" for k in head[2])):
            stacked = _header(raw[i], mode, lab, below=raw[i + 1])
            if stacked is not None and None not in stacked[2]:
                head, two = stacked, True
        if head is None:
            i += 1
            continue
        cells, heads, kinds = head
        head_no = i + 1
        roles[head_no] = "table-header"
        if two:
            i += 1
            roles[i + 1] = "table-header"
        for c, k in zip(heads, kinds, strict=True):
            if k == "unknown-label":
                problems.append(Warning_(head_no, f"任务分解表的列“{c}”不是已知的单位标签，该列单位未读入 the column "
                                                  f"{c!r} is not a known unit label; its units would be lost"))
        bounds = [0] + [(cells[j - 1][1] + cells[j][0]) // 2 for j in range(1, len(cells))]
        t = _Table(mode, kinds, bounds, stops, tuple(a for a, _z, _c in cells))
        if mode == "space":
            _fit_bounds(raw, i + 1, t)
        found, i = _rows(raw, i + 1, t, heads, lab, roles, problems)
        blocks += found
    return blocks


def _fewer_cells(line: str, mode: str, n: int) -> bool:
    """Whether the line has fewer than ``n`` cells however it is read (a header's second line only adds
    to the cells of its first): most lines, prose, are told from a header without reading them as one."""
    if mode == "space":
        return len(line.split(maxsplit=n - 1)) < n  # the tokens of _cells (runs of _runs join tokens)
    return len(_cells(line, mode)) < n  # an empty cell counts: the line below may fill it


def _line_kind(line: str, t: _Table) -> str:
    """What a line met inside a table is: blank, end, part, row (a task's first line) or cont (more of
    the cells of the row before)."""
    if not line.strip() or _RULE.match(line):
        return "blank"
    text = normalise_line(line)
    if _END.search(text) or (len(text) >= 4 and any(text in s for s in t.stops)):
        return "end"
    if _part_row([re.sub(f"[\t{_BARS}]", " ", line)]) is not None:
        return "part"
    if t.mode != "space":
        return "row" if _mode(line) == t.mode else "end"
    number = t.kinds.index("number")
    tokens = _cells(line, "space")
    if number == 0 and len(t.bounds) > 1 and tokens[0][0] < min(t.bounds[1], t.starts[1]):
        first = tokens[0][2]  # text where the numbers stand
        return "row" if _ROW_NUMBER.fullmatch(first) or _PART_NUMBER.fullmatch(first) else "end"
    in_number = [c for a, z, c in tokens if _column(a, z, t.bounds) == number]
    if not in_number:
        return "cont"
    return "row" if _ROW_NUMBER.fullmatch(in_number[0]) or _PART_NUMBER.fullmatch(in_number[0]) else "end"


def _scan(raw: list[str], i: int, t: _Table) -> list[tuple[int, str]]:
    """(index, kind) of the table's lines from index ``i``. Where the table's rows follow each other
    without blank lines, a blank line before more of a row's cells ends it (the signature below)."""
    out: list[tuple[int, str]] = []
    spaced = i < len(raw) and _line_kind(raw[i], t) == "blank"
    blank = False
    while i < len(raw):
        kind = _line_kind(raw[i], t)
        if kind == "end" or (kind == "cont" and blank and not spaced) or (kind == "cont" and not out):
            break
        blank = kind == "blank"
        out.append((i, kind))
        i += 1
    return out


def _fit_bounds(raw: list[str], i: int, t: _Table) -> None:
    """Column starts taken from the rows themselves: a header centred over its column starts to the
    right of the column's text; each column starts where its first rows' text starts."""
    starts: dict[int, int] = {}
    for k, kind in _scan(raw, i, t):
        if kind != "row":
            continue
        for a, z, _run in _runs(raw[k]):
            col = _column(a, z, t.bounds)
            if not any(j != col and a < s < z for j, s in enumerate(t.starts)):  # runs over two columns: no guide
                starts[col] = min(starts.get(col, a), a)
    fitted = [0]
    for j in range(1, len(t.bounds)):
        fitted.append(max(min(starts.get(j, t.bounds[j]), t.bounds[j]), fitted[-1] + 1))
    t.bounds = fitted
    t.starts = tuple(starts.get(j, t.starts[j]) for j in range(len(t.starts)))


def _column(a: int, z: int, bounds: list[int]) -> int:
    overlap = [min(z, hi) - max(a, lo) for lo, hi in zip(bounds, [*bounds[1:], 10 ** 6], strict=True)]
    return overlap.index(max(overlap))


_ROW_NUMBER = re.compile(r"\d{1,3}[.．、]?|（\d{1,3}）")
_PART_NUMBER = re.compile(r"[一二三四五六七八九十]+[、.．]?|（[一二三四五六七八九十]+）")


def _rows(raw: list[str], i: int, t: _Table, heads: list[str], lab: Labels, roles: dict[int, str],
          problems: list[Warning_]) -> tuple[list[Block], int]:
    """The table's rows from line index ``i`` on, and the index of the first line after the table."""
    out: list[tuple[Block, dict[int, list[_Line]]]] = []
    section, in_section, last = "", 0, 0
    col = {k: j for j, k in enumerate(t.kinds) if k in ("number", "section")}
    tasks = [j for j, k in enumerate(t.kinds) if k == "task"]  # 工作任务, 具体措施 …: read as one text
    labels = [(j, heads[j]) for j, k in enumerate(t.kinds) if k == "label"]
    current: tuple[Block, dict[int, list[_Line]]] | None = None
    scanned = _scan(raw, i, t)
    for k, kind in scanned:
        line, no = raw[k], k + 1
        if kind == "blank":
            continue
        if kind == "part":
            # _scan took the line for a part row: _part_row reads its heading
            section, in_section, current = _part_row([re.sub(f"[\t{_BARS}]", " ", line)]) or "", 0, None
            roles[no] = "table-part"
            continue
        cells = _row_cells(line, t, no, problems)
        roles[no] = "table-row"
        if not cells:
            continue
        for j, kd in enumerate(t.kinds):
            pieces = [p for p in re.split("[、，；,; ]", normalise_line(cells[j])) if p]
            if kd in ("other", None) and any(len(p) >= 2 and p.endswith(UNIT_ENDINGS) for p in pieces):
                problems.append(Warning_(no, f"“{cells[j][:20]}”像是单位，却在“{heads[j]}”列，无法确定所属列 "
                                             f"{cells[j][:20]!r} looks like units but stands in the column "
                                             f"{heads[j]!r}"))
        num = normalise_line(cells[col["number"]])
        if _PART_NUMBER.fullmatch(num):  # 一 | 组织领导: a part row with its numeral in the number column
            section = normalise_line(" ".join(c for j, c in enumerate(cells) if j != col["number"] and c)).rstrip("。")
            in_section, current = 0, None
            roles[no] = "table-part"
            continue
        num = num.strip("（）.．、")
        if not num:
            if current is None:
                problems.append(Warning_(no, "表格行没有序号，也不接在某一任务之后 a table row with no number and "
                                             "no task before it"))
                continue
            block, text = current
            for j in tasks:
                text[j].append(_prep(no, cells[j], lab))
            for (j, _h), (_label, parts) in zip(labels, block.fields, strict=True):
                parts.append(_prep(no, cells[j], lab))  # a unit per line in a cell: see _Ctx's joins
            continue
        if not num.isdigit():
            problems.append(Warning_(no, f"表格行的序号“{cells[col['number']]}”不是数字 "
                                         f"the row's number {cells[col['number']]!r} is not a number"))
            current = None
            continue
        n = int(num)
        if "section" in col and cells[col["section"]].strip():
            sec = normalise_line(cells[col["section"]])
            if sec != section:
                section, in_section = sec, 0
        kind = "safeguard" if section.startswith(SAFEGUARD_PART) else "task"
        if not (n == last + 1 or (in_section == 0 and n == 1)):
            what = "重复" if n <= last and in_section else "不连续"
            problems.append(Warning_(no, f"任务编号 {n} {what}（应为 {last + 1}） task number {n} where "
                                         f"{last + 1} was expected"))
        last, in_section = n, in_section + 1
        current = (Block(kind=kind, written=n, section=section, line=no, part=section,
                         fields=[(h, [_prep(no, cells[j], lab)]) for j, h in labels]),
                   {j: [_prep(no, cells[j], lab)] for j in tasks})
        out.append(current)
    i = scanned[-1][0] + 1 if scanned else i
    for block, text in out:  # the task columns one after the other, each ending a sentence
        block.table = []
        for j in tasks:
            cell = [ln for ln in text[j] if ln.text]
            if cell and block.table and not re.search("[。；！？]$", block.table[-1].text):
                block.table[-1].text += "。"
            block.table += cell
        block.table = block.table or [_Line(block.line, "")]
    return [b for b, _ in out], i
