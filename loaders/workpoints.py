"""Parser for district work-point documents (工作要点): numbered tasks with the
units that lead them (牵头单位), answer for them (责任单位 / 责任部门) and
cooperate on them (配合单位 / 协办单位).

One parser for every district's layout, and it reads a document right or
refuses it:

* fields in a closing bracket (``（责任单位：…）``, ``〔…〕``, ``【…】``) or on
  lines after the task (``牵头单位：…；责任单位：…``); labels written
  ``【牵头单位】``, ``〔牵头单位〕`` or ``（牵头单位）`` as well as ``牵头单位：``;
* tasks numbered ``1.`` ``1．`` ``1、`` ``（1）`` ``①`` ``一是`` or ``（一）``,
  continuous through the document or restarting in every section; a task
  keeps its section and gets a continuous number in the document;
* a tab-separated task breakdown table (任务分解表) whose header names the
  columns (序号, 任务, 牵头单位, 责任单位 … in any order);
* units split on 、，；, and on 及 / 和 / spaces only where every part is a
  known unit or looks like one; parenthesised lists (各县（市、区）) are not
  split; notes in brackets (…为牵头单位，下同) are reported, never read as units.

The text comes from PDF or web extraction, so lines are joined, lone page
numbers dropped, half- and full-width punctuation accepted and labels split
across lines read. Every parse ends with a self-check (task numbers
continuous in each section, no unit carrying a label word or a bracket, a
plausible number and length of units); a failed check raises
``ParseRefused`` naming the lines, unless ``force`` turns the problems into
warnings. Anything read only with a caveat is a warning with its line number.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable

from ..schema.text import cn2an  # imported on first use: a command answering from a snapshot never needs it

from ..schema.text import normalise_line

LEAD_LABELS = ("牵头单位", "牵头部门")
RESP_LABELS = ("责任单位", "责任部门")
COOP_LABELS = ("配合单位", "配合部门", "协办单位", "协办部门")
KNOWN_LABELS = LEAD_LABELS + RESP_LABELS + COOP_LABELS
ROLE_OF = {**dict.fromkeys(LEAD_LABELS, "lead"), **dict.fromkeys(RESP_LABELS, "responsible"),
           **dict.fromkeys(COOP_LABELS, "cooperating")}
SAFEGUARD_PART = "保障措施"
MAX_UNITS = 30       # units of one task, all roles together
MAX_NAME = 40        # characters of one unit's name
# what a unit's name may end in to be split off at 及 / 和 / a space (besides the known names)
UNIT_ENDINGS = ("委员会", "委", "局", "办公室", "办", "室", "中心", "部", "院", "政府", "街道", "街镇", "镇", "乡",
                "公司", "集团", "会", "联", "厅", "处", "所", "站", "队", "机构", "国企", "团区委")


class NotAWorkPlan(ValueError):
    """The file is not a work-points document this parser can read; nothing was changed."""


class ParseRefused(NotAWorkPlan):
    """The document was read, but the self-check failed: ``problems`` name the lines."""

    def __init__(self, problems: list["Warning_"]):
        self.problems = problems
        super().__init__("解析自检未通过，文件被拒绝 the parse did not pass its self-check:\n  "
                         + "\n  ".join(f"第{p.line}行 line {p.line}: {p.message}" for p in problems))


@dataclass
class Warning_:
    line: int
    message: str


@dataclass
class UnitRef:
    name: str          # as written (punctuation normalised, trailing 等 removed)
    etc: bool = False  # the list ended in 等


@dataclass
class Task:
    number: int        # continuous in the document (tasks and safeguard items counted apart)
    kind: str          # task | safeguard
    section: str
    title: str
    text: str
    line: int
    lead: list[UnitRef] = field(default_factory=list)
    responsible: list[UnitRef] = field(default_factory=list)
    responsible_label: str | None = None
    cooperating: list[UnitRef] = field(default_factory=list)
    written: int | None = None  # the number as the document writes it (restarts in each section when the document's do)

    @property
    def locator(self) -> str:
        return f"任务{self.number}" if self.kind == "task" else f"保障措施({cn2an.an2cn(self.number)})"


@dataclass
class WorkPlan:
    number: str
    title: str
    issuer: str
    date: str
    district: str
    year: int
    tasks: list[Task]
    warnings: list[Warning_]


def cn_number(numeral: str) -> int | None:
    """The value of an item numeral such as 十二, 二十, 二十一 (cn2an); None when it is not a
    well-formed numeral (一一), so that the line is read as text."""
    try:
        return int(cn2an.cn2an(numeral, "strict"))
    except ValueError:
        return None


def _join(parts: list[str]) -> str:
    out = ""
    for p in parts:
        if out and re.match(r"[A-Za-z0-9]", p[:1]) and re.match(r".*[A-Za-z0-9]$", out):
            out += " "
        out += p
    return out


def decode(data: bytes) -> str:
    if not data.strip():
        raise NotAWorkPlan("文件为空 the file is empty")
    if b"\x00" in data[:4096]:
        raise NotAWorkPlan("文件是二进制的，不是文本 the file is binary, not text")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise NotAWorkPlan("文件不是 UTF-8 或 GB18030 文本 the file is not UTF-8 or GB18030 text")


def known_unit_names(unit_names) -> frozenset[str]:
    """The names (as written and canonical) of a ``UnitNames`` alias table, for ``parse``."""
    table = getattr(unit_names, "table", {}) or {}
    return frozenset(table) | frozenset(c for c, _kind in table.values())


_CN = "一二三四五六七八九十"
_IDEO = "\u4e00-\u9fff"
_PART = re.compile(rf"^([{_CN}]+)、(.*)$")
_SECTION = re.compile(rf"^（([{_CN}]+)）(.*)$")
_TASK = re.compile(r"^(\d{1,2})[.．、](?!\d)(.*)$")
_PAGE = re.compile(r"^\d{1,3}$")
_DOCNO = re.compile(r"[〔（【](\d{4})[〕）】](\d{1,4})号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TITLE = re.compile(rf"((?:\d{{4}}年)?(?:上海市)?([{_IDEO}]{{2,3}}区)(?:\d{{4}}年)?[{_IDEO}]{{0,30}}?工作要点)")
_END = re.compile(r"^(附件|抄送|公开属性|主送|联系人)：|^\d{4}年\d{1,2}月\d{1,2}日$|\d{4}年\d{1,2}月\d{1,2}日印发$")
_KNOWN = re.compile("(" + "|".join(KNOWN_LABELS) + ")：")
_LABEL_ANY = re.compile(rf"(?<![^；。，、）\s])([{_IDEO}]{{2,4}}(?:单位|部门))：")
_FIELD_OPEN = re.compile("[（〔【](?=(?:" + "|".join(KNOWN_LABELS) + ")：)")
_BRACKET_LABEL = re.compile(rf"(?:[【〔]([{_IDEO}]{{2,4}}(?:单位|部门))[】〕]"
                            rf"|(?<![{_IDEO}])（((?:牵头|责任|配合|协办)(?:单位|部门))）)：?")
_OPEN, _CLOSE = "（〔【", "）〕】"
_PAIR = dict(zip(_OPEN, _CLOSE))
_SEP = "\ue001"        # stands for a space between two Chinese characters until the gaps are taken out
_CIRCLE = "\ue000"     # brackets a circled item number (①) at a line's start: NFKC would make it a plain digit
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
_NOTE = re.compile(r"下同|牵头|责任|配合|协办|：|，|为")


@dataclass
class _Line:
    no: int
    text: str
    gaps: tuple[int, ...] = ()  # positions in text where the source had a space between two Chinese characters
    spaced: bool = False        # the source line started with a space (a space at the line break before it)
    spaced_end: bool = False    # the source line ended with a space

    def cut(self, k: int) -> "_Line":
        return _Line(self.no, self.text[k:], tuple(g - k for g in self.gaps if g > k), k == 0 and self.spaced,
                     self.spaced_end)


def _prep(no: int, raw: str) -> _Line:
    raw = raw.replace(_CIRCLE, "").replace(_SEP, "")  # private-use characters: the parser's own marks
    raw = re.sub(r"^(\s*)([\u2460-\u2473])", lambda m: f"{m.group(1)}{_CIRCLE}{_CIRCLED[m.group(2)]}{_CIRCLE}", raw)
    marked = re.sub(rf"(?<=[{_IDEO}）〕】)\]])[ \t\u3000\xa0]+(?=[{_IDEO}（〔【(\[])", _SEP, raw)
    s = normalise_line(marked)
    s = _BRACKET_LABEL.sub(lambda m: (m.group(1) or m.group(2)) + "：", s)
    text, gaps = [], []
    for ch in s:
        if ch == _SEP:
            if not gaps or gaps[-1] != len(text):
                gaps.append(len(text))
        else:
            text.append(ch)
    return _Line(no, "".join(text).strip(), tuple(g for g in gaps if 0 < g < len(text)), raw[:1].isspace(),
                 raw[-1:].isspace())


def _marker(s: str) -> tuple[str, int, int] | None:
    """(kind of item number, its value, its length) at the start of a line, or None."""
    if (m := re.match(rf"^（([{_CN}]+)）", s)) and (v := cn_number(m.group(1))) is not None:
        return "pcn", v, m.end()
    if m := re.match(r"^(\d{1,2})[.．、）](?!\d)", s):
        return "digit", int(m.group(1)), m.end()
    if m := re.match(r"^（(\d{1,2})）", s):
        return "pdigit", int(m.group(1)), m.end()
    if m := re.match(rf"^{_CIRCLE}(\d{{1,2}}){_CIRCLE}", s):
        return "circled", int(m.group(1)), m.end()
    if (m := re.match(rf"^([{_CN}]{{1,3}})是", s)) and (v := cn_number(m.group(1))) is not None:
        return "cnshi", v, m.end()
    return None


def _heading_like(rest: str) -> bool:
    return 0 < len(rest) <= 25 and not re.search(r"[。；：]", rest[:-1]) and not _KNOWN.search(rest)


def _find_title(lines: list[str]):
    """The title line (工作要点), alone or continued over the lines before it (a title split by extraction)."""
    for i, line in enumerate(lines):
        if "工作要点" not in line:
            continue
        for text in (line, "".join(lines[max(0, i - 1):i + 1]), "".join(lines[max(0, i - 2):i + 1])):
            m = _TITLE.search(text)
            if m:
                return m
    for i in range(len(lines)):  # 工作要点 itself broken over two lines
        m = _TITLE.search("".join(lines[i:i + 3]))
        if m:
            return m
    return None


# -- the tab-separated task breakdown table -----------------------------------------------
_NUM_HEADS = ("序号", "编号", "任务编号", "序")
_SEC_HEADS = ("板块", "类别", "领域", "方面", "分类", "工作板块", "专项", "任务类别", "章节", "部分")


def _head_kind(cell: str) -> str | None:
    if cell in _NUM_HEADS:
        return "number"
    if cell in KNOWN_LABELS:
        return cell
    if re.fullmatch(rf"[{_IDEO}]{{2,4}}(?:单位|部门)", cell):
        return "unknown-label"
    if cell in _SEC_HEADS:
        return "section"
    if re.search("任务|内容|事项|措施|举措", cell):
        return "task"
    return None


def _table(raw: list[str], warnings: list, problems: list) -> tuple[list[dict], set[int]]:
    """Rows of a tab-separated 任务分解表 as blocks (already split into fields), and the lines it took."""
    blocks: list[dict] = []
    used: set[int] = set()
    i = 0
    while i < len(raw):
        if "\t" not in raw[i]:
            i += 1
            continue
        head = [normalise_line(c) for c in raw[i].split("\t")]
        kinds = [_head_kind(c) for c in head]
        if not ("number" in kinds and "task" in kinds and any(k in KNOWN_LABELS for k in kinds)):
            i += 1
            continue
        head_no = i + 1
        used.add(head_no)
        for c, k in zip(head, kinds):
            if k == "unknown-label":
                warnings.append(Warning_(head_no, f"任务分解表的未知列“{c}”未读入 unknown column label {c!r} "
                                                  "in the task table; not read as units"))
        section, in_section, count, sg_count, last = "", 0, 0, 0, 0
        i += 1
        while i < len(raw):
            line = raw[i]
            if not line.strip():
                i += 1
                continue
            if "\t" not in line:
                break
            no = i + 1
            used.add(no)
            cells = line.split("\t")
            i += 1
            if len(cells) != len(head):
                problems.append(Warning_(no, f"表格行有 {len(cells)} 列，表头有 {len(head)} 列，无法对齐 "
                                             f"the table row has {len(cells)} cells where the header has {len(head)}"))
                continue
            row = {k: _prep(no, c) for k, c in zip(kinds, cells) if k and k not in ("unknown-label",)}
            fields = [(k, row[k]) for k in kinds if k in KNOWN_LABELS]
            num = row["number"].text.rstrip(".．、")
            if not num.isdigit():
                problems.append(Warning_(no, f"表格行的序号“{row['number'].text}”不是数字 "
                                             f"the row's number {row['number'].text!r} is not a number"))
                continue
            n = int(num)
            if "section" in row and row["section"].text and row["section"].text != section:
                section, in_section = row["section"].text, 0
            kind = "safeguard" if section.startswith(SAFEGUARD_PART) else "task"
            expected_ok = (n == 1 or n == last + 1) if in_section == 0 else n == last + 1
            if not expected_ok:
                problems.append(Warning_(no, f"任务编号 {n} 不连续（应为 {last + 1}） task number {n} where "
                                             f"{last + 1} was expected"))
            last, in_section = n, in_section + 1
            if kind == "task":
                count += 1
            else:
                sg_count += 1
            blocks.append({"kind": kind, "number": count if kind == "task" else sg_count, "written": n,
                           "section": section, "line": no, "table": row["task"], "fields": fields})
    return blocks, used


# -- units -------------------------------------------------------------------------------
class _Ctx:
    """One block's text with the gaps and line numbers behind each character offset. Labels in
    brackets split over two lines (【责任\n单位】) are read here, on the joined text."""

    def __init__(self, parts: list[_Line]):
        out, gaps, starts, lines = "", [], [], []
        parts_end_spaced = False
        for p in parts:
            if out and re.match(r"[A-Za-z0-9]", p.text[:1]) and re.match(r".*[A-Za-z0-9]$", out):
                out += " "
            if out and (p.spaced or parts_end_spaced):
                gaps.append(len(out))
            parts_end_spaced = p.spaced_end
            starts.append(len(out))
            lines.append(p.no)
            gaps += [len(out) + g for g in p.gaps]
            out += p.text
        new, shift, pos = [], [], 0  # shift: (old offset, new offset) where a bracketed label was rewritten
        for m in _BRACKET_LABEL.finditer(out):
            new.append(out[pos:m.start()])
            label = (m.group(1) or m.group(2)) + "："
            shift.append((m.start(), m.end(), sum(map(len, new)), len(label)))
            new.append(label)
            pos = m.end()
        new.append(out[pos:])

        def moved(o: int) -> int:
            d = 0
            for a, z, n, k in shift:
                if o < a:
                    break
                if o < z:
                    return n
                d = n + k - z
            return o + d
        self.text = "".join(new)
        self.gaps = {moved(g) for g in gaps if not any(a <= g < z for a, z, _n, _k in shift)}
        self.starts, self.lines = [moved(s) for s in starts], lines

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]


def _unit_like(name: str, known: frozenset[str]) -> bool:
    core = re.sub(r"（[^（）]*）$", "", name)
    return name in known or core in known or (len(core) >= 3 and core.endswith(UNIT_ENDINGS))


def _soft_split(chars: list[tuple[str, int]], ctx: _Ctx, known: frozenset[str]) -> list[list[tuple[str, int]]]:
    """Split a unit list at 及 / 和 / a space only where every part is a known unit or looks like one."""
    name = "".join(c for c, _ in chars)
    if name in known:
        return [chars]
    cands, depth = [], 0
    for j, (c, off) in enumerate(chars):
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and 0 < j < len(chars) - 1:
            if c in "及和":
                cands.append((j, True))
            elif off in ctx.gaps:
                cands.append((j, False))
    if not cands or len(cands) > 10:
        return [chars]
    for r in range(len(cands), 0, -1):
        for combo in combinations(cands, r):
            segs, start = [], 0
            for j, drop in combo:
                segs.append(chars[start:j])
                start = j + 1 if drop else j
            segs.append(chars[start:])
            if all(s and _unit_like("".join(c for c, _ in s), known) for s in segs):
                return segs
    return [chars]


def _units(value: str, off: int, ctx: _Ctx, known: frozenset[str], where: str,
           warnings: list[Warning_]) -> list[tuple[UnitRef, int]]:
    """The units of one field's value (at ``off`` in the block's text), each with its offset."""
    pieces, cur, depth = [], [], 0
    for i, c in enumerate(value):
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and c in "、，,；;":
            pieces.append(cur)
            cur = []
            continue
        cur.append((c, off + i))
    pieces.append(cur)
    out = []
    for chars in pieces:
        chars = _drop_notes(chars, ctx, where, warnings)
        while chars and chars[0][0] in "。；;， ":
            chars = chars[1:]
        while chars and chars[-1][0] in "。；;， ":
            chars = chars[:-1]
        if not chars:
            continue
        etc = chars[-1][0] == "等" and len(chars) > 2
        if etc:
            chars = chars[:-1]
        segs = _soft_split(chars, ctx, known)
        for k, seg in enumerate(segs):
            out.append((UnitRef("".join(c for c, _ in seg), etc and k == len(segs) - 1), seg[0][1]))
    return out


def _drop_notes(chars: list[tuple[str, int]], ctx: _Ctx, where: str, warnings: list[Warning_]):
    """Take bracketed notes (…为牵头单位，下同) out of a unit's name; each becomes a warning."""
    out, i = [], 0
    while i < len(chars):
        c = chars[i][0]
        if c in _OPEN:
            depth, j = 0, i
            while j < len(chars):
                if chars[j][0] in _OPEN:
                    depth += 1
                elif chars[j][0] in _CLOSE:
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            inner = "".join(x for x, _ in chars[i + 1:j])
            if j < len(chars) and _NOTE.search(inner):
                warnings.append(Warning_(ctx.line_at(chars[i][1]), f"{where}的括注“{inner}”记为说明，不是单位 note "
                                                                   f"{inner!r} in {where} kept as a note, not a unit"))
                i = j + 1
                continue
        out.append(chars[i])
        i += 1
    return out


def _unit_problem(name: str) -> str | None:
    if "：" in name or re.search("牵头|责任|配合单位|协办单位|单位：|部门：", name):
        return "单位名称中含有标签词 a unit's name holds a label word"
    if re.search(r"[〔〕【】\[\]]", name) or not re.fullmatch(r"[^（）]*(?:（[^（）]*）[^（）]*)*", name):
        return "单位名称中含有括号 a unit's name holds a bracket"
    if re.search(r"[。！？]|\d{4}年|\d{1,2}月\d{1,2}日", name):
        return "单位名称中含有句子或日期 a unit's name holds a sentence or a date"
    if len(name) > MAX_NAME:
        return f"单位名称超过 {MAX_NAME} 个字 a unit's name is longer than {MAX_NAME} characters"
    if len(name) < 2:
        return "单位名称不足两个字 a unit's name is shorter than two characters"
    return None


# -- the parse -----------------------------------------------------------------------------
def parse(text: str, *, force: bool = False, known_units: Iterable[str] = ()) -> WorkPlan:
    """Read a work-points document. Raises ``NotAWorkPlan`` when it is not one and ``ParseRefused``
    when the self-check fails (unless ``force``: then the problems are warnings).
    ``known_units``: unit names (aliases) that may be split off at 及 / 和 / spaces."""
    known = frozenset(known_units)
    warnings: list[Warning_] = []
    problems: list[Warning_] = []
    raw_lines = text.splitlines()
    table_problems: list[Warning_] = []
    table_blocks, table_lines = _table(raw_lines, warnings, table_problems)
    lines = [ln for i, raw in enumerate(raw_lines, start=1) if i not in table_lines
             for ln in [_prep(i, raw)] if ln.text and not _PAGE.match(ln.text)]
    texts = [ln.text for ln in lines]
    m_title = _find_title(texts)
    if not m_title:
        raise NotAWorkPlan("找不到写明某区“工作要点”的标题，不是工作要点文件 "
                           "no title naming a district's 工作要点 was found: not a work-points document")
    title, district = m_title.group(1), m_title.group(2)
    year_m = re.search(r"(\d{4})年", title)
    if not year_m:
        raise NotAWorkPlan(f"the title {title!r} gives no year")
    first_part = next((k for k, ln in enumerate(lines) if (m := _PART.match(ln.text)) and len(m.group(2)) <= 20),
                      len(lines))
    issuer = next((s[:-2] for s in texts[:5] if s.endswith("文件")), "")
    number, issuer2 = _doc_number(lines, issuer, problems)
    issuer = issuer or issuer2
    if not number:
        warnings.append(Warning_(1, "no document number (文号) found"))
    if not issuer:
        warnings.append(Warning_(1, "no issuer line (…文件) found at the top"))
    dates = _DATE.findall("".join(texts))

    body = lines[first_part:]
    end = next((k for k, ln in enumerate(body) if _END.search(ln.text)), len(body))
    end = _signature_start(body, end, issuer)
    blocks = _blocks(body[:end], warnings, problems)
    blocks = _drop_unlabelled(blocks, warnings)
    count = {"task": 0, "safeguard": 0}
    for b in blocks:  # the document's own numbers: continuous, whatever the sections' numbering
        count[b["kind"]] += 1
        b["number"] = count[b["kind"]]
    tasks = [_task(b, known, warnings, problems, last=(b is blocks[-1])) for b in blocks]
    if table_blocks or table_problems:
        if any(t.kind == "task" for t in tasks):
            warnings.append(Warning_(table_blocks[0]["line"] if table_blocks else table_problems[0].line,
                                     "正文与任务分解表并存，以正文为准 the text and a task table both list tasks; "
                                     "the text's are read"))
            warnings += table_problems
        else:
            tasks = [_task(b, known, warnings, table_problems, last=False) for b in table_blocks]
            problems += table_problems
    if not any(t.kind == "task" for t in tasks):
        raise NotAWorkPlan("找不到编号的任务 no numbered tasks were found: not a work-points document")
    date = "-".join(f"{int(x):02d}" if i else x for i, x in enumerate(dates[-1])) if dates else ""
    if not date:
        warnings.append(Warning_(lines[-1].no, "no date found"))
    if problems:
        problems.sort(key=lambda p: p.line)
        if not force:
            raise ParseRefused(problems)
        warnings += [Warning_(p.line, "自检 self-check (--force): " + p.message) for p in problems]
    return WorkPlan(number=number, title=title, issuer=issuer, date=date, district=district,
                    year=int(year_m.group(1)), tasks=tasks, warnings=warnings)


def _doc_number(lines: list[_Line], issuer: str, problems: list) -> tuple[str, str]:
    """The document number (文号) wherever it stands on its line, and the issuer when the same line
    starts with it (…文件静合组办〔2022〕1号)."""
    for ln in lines:
        for m in _DOCNO.finditer(ln.text):
            pre, found_issuer = ln.text[:m.start()], ""
            if "文件" in pre:
                found_issuer, pre = pre.rsplit("文件", 1)
            elif issuer and pre.startswith(issuer):
                pre = pre[len(issuer):]
            p = re.search(rf"[{_IDEO}]{{2,8}}$", pre)
            if not p:
                continue
            if p.start() > 0 and re.match(rf"[{_IDEO}]", pre[p.start() - 1]):
                problems.append(Warning_(ln.no, f"文号前的文字无法与发文字号分开：“{ln.text[:40]}” cannot tell "
                                                "where the document number starts on this line"))
            return f"{p.group()}〔{m.group(1)}〕{m.group(2)}号", found_issuer
    return "", ""


def _signature_start(body: list[_Line], end: int, issuer: str) -> int:
    """Where the closing matter starts: the signature lines (the issuer's name, perhaps over two or three
    lines) just before the date or the first closing line end the last task."""
    if not issuer:
        return end
    short = issuer.removeprefix("上海市")
    for k in (3, 2, 1):
        if end - k < 0:
            continue
        sig = "".join(ln.text for ln in body[end - k:end])
        if len(sig) >= 4 and (issuer.endswith(sig) or sig == short) and not _marker(body[end - k].text):
            return end - k
    return end


def _levels(lines: list[_Line]) -> tuple[str | None, str | None]:
    """The item numbers a part uses for its sections and for its tasks."""
    marks = [(k, _marker(ln.text)) for k, ln in enumerate(lines)]
    pcn = [(k, mk) for k, mk in marks if mk and mk[0] == "pcn"]
    lower = [(k, mk[0]) for k, mk in marks if mk and mk[0] != "pcn" and mk[1] == 1]
    if pcn and any(k > pcn[0][0] for k, _ in lower):
        heads = [lines[k].text[mk[2]:] for k, mk in pcn]
        task_type = next(t for k, t in lower if k > pcn[0][0])
        if all(_heading_like(h) for h in heads[:1]):
            return "pcn", task_type
        return None, "pcn"
    if lower:
        return None, lower[0][1]
    if pcn:
        return None, "pcn"
    return None, None


def _blocks(body: list[_Line], warnings: list[Warning_], problems: list[Warning_]) -> list[dict]:
    parts: list[tuple[_Line, list[_Line]]] = []
    for ln in body:
        if (m := _PART.match(ln.text)) and len(m.group(2)) <= 20:
            parts.append((ln, []))
        elif parts:
            parts[-1][1].append(ln)
    blocks: list[dict] = []
    last_written = 0  # the last task number as written, through the parts
    for head, lines in parts:
        heading = _PART.match(head.text).group(2).rstrip("。")
        safeguard = heading.startswith(SAFEGUARD_PART)
        sec_type, task_type = _levels(lines)
        if task_type is None:
            continue
        section = SAFEGUARD_PART if safeguard else ("" if sec_type else heading)
        expected_sec, in_section, sg_last = 1, 0, 0
        current: dict | None = None
        for ln in lines:
            mk = _marker(ln.text)
            if sec_type and mk and mk[0] == sec_type:
                rest = ln.text[mk[2]:]
                if mk[1] == expected_sec and _heading_like(rest):
                    section = SAFEGUARD_PART if safeguard else rest.rstrip("。")
                    expected_sec, in_section, current = expected_sec + 1, 0, None
                    continue
                if _heading_like(rest):
                    problems.append(Warning_(ln.no, f"小节编号（{cn2an.an2cn(mk[1])}）不连续（应为（{cn2an.an2cn(expected_sec)}））"
                                                    f" section number {mk[1]} where {expected_sec} was expected"))
            if mk and mk[0] == task_type:
                n = mk[1]
                if safeguard:
                    ok, want = n == sg_last + 1, sg_last + 1
                elif in_section == 0:
                    ok, want = n in (1, last_written + 1), last_written + 1
                else:
                    ok, want = n == last_written + 1, last_written + 1
                if ok:
                    if safeguard:
                        sg_last = n
                    else:
                        last_written, in_section = n, in_section + 1
                    current = {"kind": "safeguard" if safeguard else "task", "written": n, "section": section,
                               "line": ln.no, "parts": [ln.cut(mk[2])], "part": heading}
                    blocks.append(current)
                    continue
                what = "保障措施" if safeguard else "任务"
                problems.append(Warning_(ln.no, f"{what}编号 {n} 不连续（应为 {want}） task number {n} where {want} "
                                                "was expected"))
            if current is not None:
                current["parts"].append(ln)
            elif "下同" in ln.text:
                warnings.append(Warning_(ln.no, f"说明“{ln.text[:40]}”记为备注 note {ln.text[:40]!r} kept as a note"))
    return blocks


def _drop_unlabelled(blocks: list[dict], warnings: list[Warning_]) -> list[dict]:
    """Numbered items of a part none of whose items names a unit (a numbered list of goals) are text,
    when other parts' items do name units."""
    def labelled(b):
        return bool(_KNOWN.search(_Ctx(b["parts"]).text))
    by_part: dict[str, list[dict]] = {}
    for b in blocks:
        by_part.setdefault(b["part"], []).append(b)
    with_units = {p for p, bs in by_part.items() if any(labelled(b) for b in bs)}
    if not with_units:
        return blocks
    out = []
    for p, bs in by_part.items():
        if p in with_units or bs[0]["kind"] == "safeguard":
            out += bs
        else:
            warnings.append(Warning_(bs[0]["line"], f"“{p}”部分的编号条目都没有单位字段，读作正文 the numbered items "
                                                    f"of part {p!r} name no units; read as text, not tasks"))
    return out


def _task(b: dict, known: frozenset[str], warnings: list[Warning_], problems: list[Warning_], last: bool) -> Task:
    what = "safeguard item" if b["kind"] == "safeguard" else "task"
    zh = "保障措施" if b["kind"] == "safeguard" else "任务"
    where = f"{zh}{b['number']}"
    ln = b["line"]
    roles: dict[str, list[tuple[UnitRef, int]]] = {"lead": [], "responsible": [], "cooperating": []}
    resp_label = None
    if "table" in b:  # a row of the task table: its unit cells are the fields
        ctx = _Ctx([b["table"]])
        text = ctx.text
        fields = []
        for label, cell in b["fields"]:
            cctx = _Ctx([cell])
            fields.append((label, cell.text, 0, cctx))
        has_fields = any(c.text for _, c in b["fields"])
    else:
        ctx = _Ctx(b["parts"])
        text, fields, has_fields = _fields(ctx, b, what, where, warnings, problems, last)
        if last and fields and not _opens_field(text, ctx.text):
            _signature_check(b["parts"], known, where, problems)
    for label, value, off, fctx in fields:
        value_units = _units(value, off, fctx, known, where, warnings)
        if not value_units and "table" not in b:
            warnings.append(Warning_(fctx.line_at(off), f"{where}的“{label}”为空 empty {label} in {what} {b['number']}"))
        roles[ROLE_OF[label]] += [(u, fctx.line_at(o)) for u, o in value_units]
        if ROLE_OF[label] == "responsible":
            resp_label = label
    if not has_fields:
        warnings.append(Warning_(ln, f"{where}没有单位字段 {what} {b['number']} has no unit field "
                                     "(牵头单位/责任单位/责任部门)"))
    for m in _LABEL_ANY.finditer(text):
        if m.group(1) not in KNOWN_LABELS:
            warnings.append(Warning_(ctx.line_at(m.start()), f"{where}中的未知标签“{m.group(1)}”，其后的文字未读作单位 "
                                                             f"unknown label {m.group(1)!r} in {what} {b['number']}; "
                                                             "not read as units"))
    for m in re.finditer(r"[（〔【]([^（〔【）〕】]*下同[^（〔【）〕】]*)[）〕】]", text):
        warnings.append(Warning_(ctx.line_at(m.start()), f"{where}的说明“{m.group(1)}”记为备注 note {m.group(1)!r} "
                                                         f"in {what} {b['number']} kept as a note"))
    text = text.strip()
    title = text.split("。", 1)[0].strip()
    if len(title) > 40:
        warnings.append(Warning_(ln, f"task {b['number']}: no short heading before the first 。"))
        title = title[:40]
    t = Task(number=b["number"], kind=b["kind"], section=b["section"], title=title, text=text, line=ln,
             lead=[u for u, _ in roles["lead"]], responsible=[u for u, _ in roles["responsible"]],
             responsible_label=resp_label, cooperating=[u for u, _ in roles["cooperating"]], written=b["written"])
    _self_check(t, [x for role in roles.values() for x in role], problems)
    return t


def _fields(ctx: _Ctx, b: dict, what: str, where: str, warnings: list[Warning_], problems: list[Warning_],
            last: bool) -> tuple[str, list, bool]:
    """The task's text without its unit fields, and the fields: (label, value, offset, ctx)."""
    text = ctx.text
    groups = []  # closing-bracket fields: (start, end) of each bracket holding labels, the trailing chain
    opens = [m.start() for m in _FIELD_OPEN.finditer(text)]
    if opens:
        start = opens[-1]
        end = _closing(text, start)
        if end is None:
            problems.append(Warning_(ctx.line_at(start), f"{where}的单位字段缺少右括号 the unit field of {what} "
                                                         f"{b['number']} is not closed"))
            return text[:start], [], True
        groups.append((start, end))
        # an earlier bracket of fields right before it: （牵头单位：…）（责任单位：…）
        for s in reversed(opens[:-1]):
            e = _closing(text, s)
            if e is not None and text[e + 1:groups[0][0]].strip("；; ") == "":
                groups.insert(0, (s, e))
            else:
                break
        tail = text[groups[-1][1] + 1:].strip()
        if tail and not last:
            warnings.append(Warning_(ctx.line_at(groups[-1][1]), f"text after the unit field of {b['kind']} "
                                                                 f"{b['number']} ignored: {tail[:30]!r}"))
        regions = [(s + 1, e) for s, e in groups]
        body = text[:groups[0][0]]
    else:
        first = _KNOWN.search(text)
        if not first:
            return text, [], False
        start = first.start()
        # an unknown label heading the same run of fields (督办单位：…；责任单位：…)
        sentence = max(text.rfind("。", 0, start), text.rfind("）", 0, start))
        for m in _LABEL_ANY.finditer(text, sentence + 1, start):
            start = m.start()
            break
        regions = [(start, len(text))]
        body = text[:start]
    fields = []
    for s, e in regions:
        marks = []
        for m in _KNOWN.finditer(text, s, e):
            marks.append((m.start(), m.end(), m.group(1)))
        for m in _LABEL_ANY.finditer(text, s, e):
            if not any(a <= m.start() < z or a < m.end() <= z for a, z, _ in marks):
                marks.append((m.start(), m.end(), m.group(1)))
        marks.sort()
        lead_text = text[s:marks[0][0]].strip("；;， ") if marks else text[s:e]
        if lead_text:
            warnings.append(Warning_(ctx.line_at(s), f"text before the unit field in {what} {b['number']}: "
                                                     f"{lead_text!r}"))
        for k, (a, z, label) in enumerate(marks):
            stop = marks[k + 1][0] if k + 1 < len(marks) else e
            if label not in KNOWN_LABELS:
                warnings.append(Warning_(ctx.line_at(a), f"{where}中的未知标签“{label}”，其后的单位未读入 unknown label "
                                                         f"{label!r} in {what} {b['number']}; not read as units"))
                continue
            fields.append((label, text[z:stop], z, ctx))
    return body, fields, True


def _opens_field(body: str, text: str) -> bool:
    """The fields were in a closing bracket (the body ends where a bracket of fields opens)."""
    return len(body) < len(text) and text[len(body)] in _OPEN


def _signature_check(parts: list[_Line], known: frozenset[str], where: str, problems: list[Warning_]) -> None:
    """The last task's fields on lines of their own run to the end of the text: a last line that is a
    whole name by itself after a line ending in a whole name may be the signature, not a unit."""
    if len(parts) < 2:
        return
    last, before = parts[-1].text, parts[-2].text
    tail = re.split("[、，,；;：]", before)[-1]
    if (len(last) >= 4 and not re.search("[、，,；;：。]", last) and _unit_like(last, known)
            and _unit_like(tail, known)):
        problems.append(Warning_(parts[-1].no, f"无法判断“{last}”是{where}的单位还是落款 cannot tell whether "
                                               f"{last!r} is a unit of {where} or the signature"))


def _closing(text: str, start: int) -> int | None:
    """Index of the bracket closing the one opened at ``start`` (nested brackets allowed)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in _OPEN:
            depth += 1
        elif text[i] in _CLOSE:
            depth -= 1
            if depth == 0:
                return i if text[i] == _PAIR[text[start]] else None
    return None


def _self_check(t: Task, units: list[tuple[UnitRef, int]], problems: list[Warning_]) -> None:
    """The units of one task, each with its line: plausible names, a plausible number of them."""
    where = f"{'任务' if t.kind == 'task' else '保障措施'}{t.number}"
    if len(units) > MAX_UNITS:
        problems.append(Warning_(t.line, f"{where}有 {len(units)} 个单位，超过 {MAX_UNITS} 个 "
                                         f"{len(units)} units in one task (more than {MAX_UNITS})"))
    for u, line in units:
        why = _unit_problem(u.name)
        if why:
            problems.append(Warning_(line, f"{where}的单位“{u.name}”：{why}"))
