"""Parser for district work-point documents (工作要点): numbered tasks with the
units that lead them (牵头单位) and answer for them (责任单位 / 责任部门).

One parser for every district's format: fields in a closing bracket
(``（责任单位：…）``, 静安 2022) or on lines after the task
(``牵头单位：…；责任单位：…``, 闵行 2024). The text comes from PDF or web
extraction, so the parser joins lines, drops lone page numbers, accepts half-
or full-width punctuation and labels split across lines, and reports anything
it cannot read with confidence as a warning with its line number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import cn2an

from ..schema.text import normalise_line

LEAD_LABELS = ("牵头单位", "牵头部门")
RESP_LABELS = ("责任单位", "责任部门")
KNOWN_LABELS = LEAD_LABELS + RESP_LABELS
SAFEGUARD_PART = "保障措施"



class NotAWorkPlan(ValueError):
    """The file is not a work-points document this parser can read; nothing was changed."""


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
    number: int
    kind: str          # task | safeguard
    section: str
    title: str
    text: str
    line: int
    lead: list[UnitRef] = field(default_factory=list)
    responsible: list[UnitRef] = field(default_factory=list)
    responsible_label: str | None = None

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
        raise NotAWorkPlan("the file is empty")
    if b"\x00" in data[:4096]:
        raise NotAWorkPlan("the file is binary, not text")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise NotAWorkPlan("the file is not UTF-8 or GB18030 text")


_PART = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
_SECTION = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$")
_TASK = re.compile(r"^(\d{1,2})[.．、](?!\d)(.*)$")
_PAGE = re.compile(r"^\d{1,3}$")
_NUMBER = re.compile(r"([\u4e00-\u9fff]{2,8})〔(\d{4})〕(\d+)号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TITLE = re.compile(r"((?:\d{4}年)?([\u4e00-\u9fff]{2,3}区)(?:\d{4}年)?[\u4e00-\u9fff]{0,30}?工作要点)")
_END = re.compile(r"^(附件|抄送|公开属性|主送|联系人)：|^\d{4}年\d{1,2}月\d{1,2}日$|\d{4}年\d{1,2}月\d{1,2}日印发$")
_LABEL_ANY = re.compile(r"([\u4e00-\u9fff]{2,3}(?:单位|部门))：")


def parse(text: str) -> WorkPlan:
    lines = [(i, normalise_line(raw)) for i, raw in enumerate(text.splitlines(), start=1)]
    lines = [(i, s) for i, s in lines if s and not _PAGE.match(s)]
    flat = "".join(s for _, s in lines)
    m_title = _find_title([s for _, s in lines])
    if not m_title:
        raise NotAWorkPlan("no title naming a district's 工作要点 was found: not a work-points document")
    title, district = m_title.group(1), m_title.group(2)
    year_m = re.search(r"(\d{4})年", title)
    m_num = next((m for _, ln_ in lines if (m := _NUMBER.search(ln_))), None)
    dates = _DATE.findall(flat)
    warnings: list[Warning_] = []
    if not year_m:
        raise NotAWorkPlan(f"the title {title!r} gives no year")
    if not m_num:
        warnings.append(Warning_(1, "no document number (文号) found"))
    issuer = next((s[:-2] for _, s in lines[:5] if s.endswith("文件")), "")
    if not issuer:
        warnings.append(Warning_(1, "no issuer line (…文件) found at the top"))

    blocks: list[dict] = []
    part, section, expected = "", "", 1
    for ln, s in lines:
        if _END.search(s):
            blocks.append({"kind": None})  # the closing matter of the document
            continue
        if (m := _PART.match(s)) and len(m.group(2)) <= 20:
            part, section = m.group(2), ""
            blocks.append({"kind": None})  # closes the previous block
            continue
        if (m := _SECTION.match(s)) and (number := cn_number(m.group(1))) is not None:
            if part.startswith(SAFEGUARD_PART):
                rest = m.group(2)
                blocks.append({"kind": "safeguard", "number": number, "section": SAFEGUARD_PART,
                               "line": ln, "parts": [rest]})
            else:
                section = m.group(2).rstrip("。")
                blocks.append({"kind": None})
            continue
        if (m := _TASK.match(s)) and int(m.group(1)) == expected and part and not part.startswith(SAFEGUARD_PART):
            expected += 1
            blocks.append({"kind": "task", "number": int(m.group(1)), "section": section, "line": ln,
                           "parts": [m.group(2)]})
            continue
        if (m := _TASK.match(s)) and part and not part.startswith(SAFEGUARD_PART) and int(m.group(1)) > expected:
            warnings.append(Warning_(ln, f"task number {m.group(1)} where {expected} was expected; read as text"))
        if blocks and blocks[-1]["kind"]:
            blocks[-1]["parts"].append(s)

    real = [b for b in blocks if b["kind"]]
    tasks = [_task(b, warnings, last=(b is real[-1])) for b in real]
    if not any(t.kind == "task" for t in tasks):
        raise NotAWorkPlan("no numbered tasks were found: not a work-points document")
    date = "-".join(f"{int(x):02d}" if i else x for i, x in enumerate(dates[-1])) if dates else ""
    if not date:
        warnings.append(Warning_(lines[-1][0], "no date found"))
    number = f"{m_num.group(1)}〔{m_num.group(2)}〕{m_num.group(3)}号" if m_num else ""
    return WorkPlan(number=number, title=title, issuer=issuer, date=date, district=district,
                    year=int(year_m.group(1)), tasks=tasks, warnings=warnings)


def _find_title(lines: list[str]):
    """The title line (工作要点), alone or continued from the line before it (a title split by extraction)."""
    for i, line in enumerate(lines):
        if "工作要点" not in line:
            continue
        for text in (line, lines[i - 1] + line if i else line):
            m = _TITLE.search(text)
            if m:
                return m
    return None


def _units(value: str) -> list[UnitRef]:
    out = []
    for piece in re.split(r"[、，,]", value):
        piece = piece.strip().strip("。；")
        if not piece:
            continue
        etc = piece.endswith("等") and len(piece) > 2
        out.append(UnitRef(piece[:-1] if etc else piece, etc))
    return out


def _closing(text: str, start: int) -> int | None:
    """Index of the bracket closing the one opened at ``start`` (nested brackets allowed)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "（":
            depth += 1
        elif text[i] == "）":
            depth -= 1
            if depth == 0:
                return i
    return None


def _task(b: dict, warnings: list[Warning_], last: bool) -> Task:
    text = _join(b["parts"])
    ln = b["line"]
    lead: list[UnitRef] = []
    resp: list[UnitRef] = []
    resp_label = None
    # fields: either a closing bracket （责任单位：…） or label lines after the text
    fields_text = ""
    opens = [m.start() for m in re.finditer("（(?:" + "|".join(KNOWN_LABELS) + ")：", text)]
    if opens:
        start = opens[-1]
        end = _closing(text, start)
        fields_text = text[start + 1:end if end is not None else len(text)]
        tail = text[end + 1:].strip() if end is not None else ""
        if end is None:
            warnings.append(Warning_(ln, f"the unit field of {b['kind']} {b['number']} is not closed with ）"))
        if tail and not last:
            warnings.append(Warning_(ln, f"text after the unit field of {b['kind']} {b['number']} ignored: {tail[:30]!r}"))
        text = text[:start]
    else:
        first = re.search("(" + "|".join(KNOWN_LABELS) + ")：", text)
        if first:
            fields_text, text = text[first.start():], text[:first.start()]
    for m in _LABEL_ANY.finditer(text):
        before = text[:m.start()][-1:]
        if m.group(1) not in KNOWN_LABELS and before in ("", "。", "；", "）"):
            warnings.append(Warning_(ln, f"unknown label {m.group(1)!r} in task {b['number']}; not read as units"))
    if fields_text:
        parts = re.split("(" + "|".join(KNOWN_LABELS) + ")：", fields_text)
        # parts: ['', label, value, label, value …]
        if parts[0].strip("；; "):
            warnings.append(Warning_(ln, f"text before the unit field in task {b['number']}: {parts[0]!r}"))
        for label, value in zip(parts[1::2], parts[2::2]):
            value = value.strip().rstrip("；;。")
            units = _units(value)
            if not units:
                warnings.append(Warning_(ln, f"empty {label} in task {b['number']}"))
            if label in LEAD_LABELS:
                lead += units
            else:
                resp += units
                resp_label = label
    else:
        what = "safeguard item" if b["kind"] == "safeguard" else "task"
        warnings.append(Warning_(ln, f"{what} {b['number']} has no unit field (牵头单位/责任单位/责任部门)"))
    text = text.strip()
    title = text.split("。", 1)[0].strip()
    if len(title) > 40:
        warnings.append(Warning_(ln, f"task {b['number']}: no short heading before the first 。"))
        title = title[:40]
    return Task(number=b["number"], kind=b["kind"], section=b["section"], title=title, text=text, line=ln,
                lead=lead, responsible=resp, responsible_label=resp_label)
