"""Parser for district work-point documents (工作要点, 任务分解表, 任务清单, 工作计划, 实施方案):
numbered tasks with the units that lead them, answer for them and cooperate on them.

One parser for every district's layout, and it reads a document right or refuses it. The stages,
each in its own module, hand typed objects on (``model``):

* ``lines`` — page headers and footers (— 1 —, -1-, 第1页, 共5页, lone numbers) taken out first,
  whole lines and pieces run into a line; punctuation normalised; item numbers and the title found;
* ``table`` — task tables whose header names the columns (序号, 任务, 牵头单位 …), separated by tabs,
  bars or aligned spaces, with part rows and wrapped cells;
* ``blocks`` — parts 一、…, sections （一）… or none, numbered items (1. （1） ① 一是 （一）) as tasks,
  numbers restarting per section or part or running on;
* ``fields`` / ``units`` — unit fields in a closing bracket or on lines after the task, labels read
  from the data table ``curated/unit_role_labels.csv`` (``labels``), units split on 、，； and on
  及 / 和 / spaces where every part is a unit, a stated positional convention (逗号前 / 分号前 /
  排在第一位的单位为牵头单位) applied;
* the self-check here: every line has a role (``WorkPlan.roles``); a numbered item that is not a
  task (no unit field), a gap or repeat in the numbers, a unit label no task used, a unit name
  holding a label, bracket, digit, date or deadline refuse the document with their lines
  (``ParseRefused``), unless ``force`` turns them into warnings.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .blocks import drop_unlabelled, read_blocks
from .fields import Reading, read_task
from .labels import Labels, default_labels, load_labels
from .lines import (
    _DATE,
    _DOCNO,
    _END,
    _IDEO,
    _find_bare_title,
    _find_title,
    _Line,
    _marker,
    _part_heading,
    _prep,
    decode,
    is_page_line,
    strip_page_marks,
)
from .model import LINE_ROLES, NotAWorkPlan, ParseRefused, Task, UnitRef, Warning_, WorkPlan, cn_number
from .table import find_tables
from .units import find_convention

__all__ = ["LINE_ROLES", "Labels", "NotAWorkPlan", "ParseRefused", "Task", "UnitRef", "Warning_", "WorkPlan",
           "cn_number", "decode", "default_labels", "known_unit_names", "load_labels", "parse"]


def known_unit_names(unit_names) -> frozenset[str]:
    """The names (as written and canonical) of a ``UnitNames`` alias table, for ``parse``."""
    table = getattr(unit_names, "table", {}) or {}
    return frozenset(table) | frozenset(c for c, _kind in table.values())


def parse(text: str, *, force: bool = False, known_units: Iterable[str] = (), labels: Labels | None = None) -> WorkPlan:
    """Read a work-points document. Raises ``NotAWorkPlan`` when it is not one and ``ParseRefused``
    when the self-check fails (unless ``force``: then the problems are warnings).
    ``known_units``: unit names (aliases) that may be split off at 及 / 和 / spaces; ``labels``: the
    unit labels (by default the data folder's ``curated/unit_role_labels.csv``)."""
    lab = labels or default_labels()
    warnings: list[Warning_] = []
    problems: list[Warning_] = []
    roles: dict[int, str] = {}
    clean = []
    for i, raw in enumerate(text.splitlines(), start=1):
        if is_page_line(raw):
            roles[i] = "page"
            clean.append("")
        else:
            clean.append(strip_page_marks(raw)[0])
    table_problems: list[Warning_] = []
    table_blocks = find_tables(clean, lab, roles, table_problems)
    lines = [ln for i, raw in enumerate(clean, start=1) if i not in roles for ln in [_prep(i, raw, lab)] if ln.text]
    texts = [ln.text for ln in lines]
    first_part = next((k for k, ln in enumerate(lines) if _part_heading(ln.text) is not None), len(lines))
    title_at, m_title = _find_title(texts, first_part)
    if m_title:
        title, district = m_title.group(1), m_title.group(2)
    else:
        title_at, title, district = _find_bare_title(texts, first_part)
    if not title:
        raise NotAWorkPlan("找不到写明某区“工作要点”（或任务分解表、任务清单、工作计划、实施方案）的标题，"
                           "不是工作要点文件 "
                           "no title naming a district's work points was found: not a work-points document")
    year_m = re.search(r"(\d{4})年", title)
    if not year_m:
        raise NotAWorkPlan(f"the title {title!r} gives no year")
    heads = {title, texts[title_at], *(s for s in texts[:5] if s.endswith("文件")),
             *(s for s in texts[:min(first_part, 8)] if _DOCNO.search(s) and len(s) <= 20)}
    for ln in lines[max(first_part, title_at + 1):]:  # a running page header: the title, issuer or number again
        if ln.text in heads:
            roles[ln.no] = "page"
    if any(roles.get(ln.no) == "page" for ln in lines):
        lines = [ln for ln in lines if roles.get(ln.no) != "page"]
        texts = [ln.text for ln in lines]
        first_part = next((k for k, ln in enumerate(lines) if _part_heading(ln.text) is not None), len(lines))
    issuer = next((s[:-2] for s in texts[:5] if s.endswith("文件")), "")
    number, issuer2, number_line = _doc_number(lines, issuer, problems)
    issuer = issuer or issuer2
    if not number:
        warnings.append(Warning_(1, "no document number (文号) found"))
    if not issuer:
        warnings.append(Warning_(1, "no issuer line (…文件) found at the top"))
    dates = _DATE.findall("".join(texts))

    body = lines[first_part:] if first_part < len(lines) else lines[title_at + 1:]
    end = next((k for k, ln in enumerate(body) if _END.search(ln.text)), len(body))
    end = _signature_start(body, end, issuer, district)
    blocks = read_blocks(body[:end], lab, roles, warnings, problems)
    blocks = drop_unlabelled(blocks, lab, roles, warnings)
    _number(blocks)
    convention = find_convention(lines)
    if convention and convention[0] == "typeface":
        problems.append(Warning_(convention[1], f"文件以字体标出牵头单位（“{convention[2]}”），文本中无法识别 "
                                                "the document marks its lead units by typeface, which the text does "
                                                "not keep"))
        convention = None
    text_problems: list[Warning_] = []
    reading = Reading(lab, frozenset(known_units), convention[0] if convention else None, warnings, text_problems)
    tasks = [read_task(b, reading, last=(b is blocks[-1])) for b in blocks]
    with_units = any(t.lead or t.responsible or t.cooperating for t in tasks)
    if table_blocks and not with_units:  # the units are in the task table (an attachment, or the document itself)
        text_tasks = [t for t in tasks if t.kind == "task"]
        _number(table_blocks)
        reading.problems = table_problems
        tasks = [read_task(b, reading, last=False) for b in table_blocks]
        problems += table_problems
        if text_tasks:
            n_table = sum(t.kind == "task" for t in tasks)
            if n_table != len(text_tasks):
                problems.append(Warning_(table_blocks[0].line, f"正文有 {len(text_tasks)} 项任务，"
                                                               f"任务分解表有 {n_table} 项，"
                                                               "无法对应 the text lists "
                                                               f"{len(text_tasks)} tasks, the table "
                                                               f"{n_table}"))
            warnings.append(Warning_(table_blocks[0].line, "正文的任务没有单位，以任务分解表为准 "
                                                           "the text's tasks name no units; the task table's are read"))
        for ln in lines:  # a line laid out as a row (a number, then cells) that no table took
            if roles.get(ln.no) != "task" and re.match(r"^\s*\d{1,3}[.．、]?(?:\s{2,}|\t|\u3000|[|｜│])",
                                                       clean[ln.no - 1]):
                problems.append(Warning_(ln.no, "这一行像是任务分解表的一行，却不在表内，未读入 this line looks like a "
                                                "row of the task table but stands outside it; not read"))
    else:
        problems += text_problems
        if table_blocks or table_problems:
            warnings.append(Warning_(table_blocks[0].line if table_blocks else table_problems[0].line,
                                     "正文与任务分解表并存，以正文为准 the text and a task table both list tasks; "
                                     "the text's are read"))
            warnings += table_problems
    if not any(t.kind == "task" for t in tasks):
        raise NotAWorkPlan("找不到编号的任务 no numbered tasks were found: not a work-points document")
    if convention:
        warnings.append(Warning_(convention[1], f"按文件说明“{convention[2]}”读取牵头单位 the lead units are read "
                                                f"by the document's convention ({convention[0]})"))
    _roles(lines, body, end, title_at, number_line, roles)
    body_from = body[0].no if body else 0
    starts = {t.line for t in tasks}
    for ln in lines:  # a unit label that no task read: its units would be lost
        m = lab.known.search(ln.text)
        after = re.split("[。；，、]", ln.text[m.end():].strip("。；，、 "))[0] if m else ""
        # in the head (a notice's 各责任单位：现将…), only a label followed by what may be a name
        if m and ln.no not in reading.used_labels and after and (ln.no >= body_from or len(after) <= 15):
            problems.append(Warning_(ln.no, f"第{ln.no}行的单位标签“{m.group(1)}”没有读入任何任务"
                                            f"（{_role_zh(roles[ln.no])}） "
                                            f"the unit label {m.group(1)!r} on this line belongs to no task"))
        elif ln.no in reading.used_labels and ln.no not in starts:  # a line of units (a task's first line stays task)
            roles[ln.no] = "unit"
    date = "-".join(f"{int(x):02d}" if i else x for i, x in enumerate(dates[-1])) if dates else ""
    if not date:
        warnings.append(Warning_(lines[-1].no if lines else 1, "no date found"))
    if problems:
        problems.sort(key=lambda p: p.line)
        if not force:
            raise ParseRefused(problems)
        warnings += [Warning_(p.line, "自检 self-check (--force): " + p.message) for p in problems]
    return WorkPlan(number=number, title=title, issuer=issuer, date=date, district=district,
                    year=int(year_m.group(1)), tasks=tasks, warnings=warnings, roles=dict(sorted(roles.items())),
                    convention=convention[0] if convention else None)


_ROLE_ZH = {"preamble": "正文前部", "note": "说明文字", "signature": "落款", "closing": "文末", "date": "日期",
            "part": "部分标题", "section": "小节标题", "task": "任务", "addressees": "主送"}


def _role_zh(role: str) -> str:
    return _ROLE_ZH.get(role, role)


def _number(blocks) -> None:
    """The document's own numbers: continuous, whatever the sections' numbering."""
    count = {"task": 0, "safeguard": 0}
    for b in blocks:
        count[b.kind] += 1
        b.number = count[b.kind]


def _roles(lines: list[_Line], body: list[_Line], end: int, title_at: int, number_line: int | None,
           roles: dict[int, str]) -> None:
    """The roles of the lines outside the body's parts: the head and the closing matter."""
    body_from = body[0].no if body else lines[-1].no + 1
    closing = {ln.no for ln in body[end:]}
    for k, ln in enumerate(lines):
        if ln.no in roles:
            continue
        if k == title_at:
            roles[ln.no] = "title"
        elif ln.no == number_line:
            roles[ln.no] = "number"
        elif ln.no < body_from and ln.text.endswith("文件") and k < 5:
            roles[ln.no] = "issuer"
        elif _DATE.fullmatch(ln.text) or re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日印发", ln.text):
            roles[ln.no] = "date"
        elif ln.no < body_from:
            roles[ln.no] = "addressees" if ln.text.endswith("：") else "preamble"
        elif _END.search(ln.text):
            roles[ln.no] = "closing"
        else:
            roles[ln.no] = "signature" if ln.no in closing and len(ln.text) <= 30 else "note"


def _doc_number(lines: list[_Line], issuer: str, problems: list) -> tuple[str, str, int | None]:
    """The document number (文号) wherever it stands on its line, the issuer when the same line starts
    with it (…文件静合组办〔2022〕1号), and the line."""
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
            return f"{p.group()}〔{m.group(1)}〕{m.group(2)}号", found_issuer, ln.no
    return "", "", None


def _signature_start(body: list[_Line], end: int, issuer: str, district: str) -> int:
    """Where the closing matter starts: the signature lines (the issuer's name, perhaps over two or three
    lines; without an issuer line, a name starting with the district's) just before the date or the
    first closing line end the last task."""
    short = issuer.removeprefix("上海市")
    for k in (3, 2, 1):
        if end - k < 0:
            continue
        sig = "".join(ln.text for ln in body[end - k:end])
        if _marker(body[end - k].text) or len(sig) < 4:
            continue
        if issuer and (issuer.endswith(sig) or sig == short):
            return end - k
        if not issuer and k <= 2 and re.fullmatch(rf"(?:上海市)?{district}[{_IDEO}（）]{{3,30}}", sig):
            return end - k
    return end
