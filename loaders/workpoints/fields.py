"""One numbered item (or table row) -> a task: its text, its unit fields (in a closing bracket or on
lines after it), the units of each field by role, and the checks on them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import Labels
from .lines import _CLOSE, _OPEN, _PAIR
from .model import MAX_UNITS, Block, Task, Warning_
from .units import Found, _Ctx, _unit_like, apply_convention, unit_problem, units


@dataclass
class Reading:
    """What every task of one document is read with, and what reading them finds."""
    lab: Labels
    known: frozenset[str]
    convention: str | None
    warnings: list[Warning_]
    problems: list[Warning_]
    used_labels: set[int] = field(default_factory=set)  # lines whose unit labels were read as fields


def read_task(b: Block, r: Reading, last: bool) -> Task:
    what = "safeguard item" if b.kind == "safeguard" else "task"
    zh = "保障措施" if b.kind == "safeguard" else "任务"
    where = f"{zh}{b.number}"
    roles: dict[str, list[Found]] = {"lead": [], "responsible": [], "cooperating": []}
    resp_label = None
    if b.table is not None:  # a row of a task table: its unit cells are the fields
        ctx = _Ctx(b.table, r.lab)
        text = ctx.text
        fields = []
        for label, cells in b.fields:
            cctx = _Ctx(cells, r.lab)
            fields.append((label, cctx.text, 0, cctx))
        has_fields = any(v for _l, v, _o, _c in fields)
    else:
        ctx = _Ctx(b.parts, r.lab)
        text, fields, has_fields = _fields(ctx, b, what, where, r, last)
        if last and fields and not _opens_field(text, ctx.text):
            _signature_check(b.parts, r.known, where, r.problems)
    written = {r.lab.role_of[label] for label, *_ in fields if label}
    for label, value, off, fctx in fields:
        found = units(value, off, fctx, r.known, where, r.lab, r.warnings)
        for f in found:
            f.line = fctx.line_at(f.offset)
        role = r.lab.role_of[label] if label else "responsible"  # no label: a bracketed list (see _fields)
        if not found and b.table is None:
            r.warnings.append(Warning_(fctx.line_at(off), f"{where}的“{label}”为空 empty {label} in {what} {b.number}"))
        own = [f for f in found if f.role]
        if own:  # units marked with their own role (区经委（牵头）) take it
            for f in own:
                roles[f.role or role].append(f)  # own: f.role is set
            found = [f for f in found if not f.role]
        elif r.convention and role == "responsible" and "lead" not in written and found:
            lead, found = apply_convention(r.convention, found, where, fctx.line_at(off), r.problems)
            roles["lead"] += lead
        roles[role] += found
        if role == "responsible":
            resp_label = label
    if has_fields and not any(roles.values()):
        r.problems.append(Warning_(b.line, f"{where}的单位字段都是空的 every unit field of {what} {b.number} is empty"))
    if not has_fields:
        r.problems.append(Warning_(b.line, f"{where}没有单位字段（牵头单位/责任单位…），不能确定它是任务 "
                                           f"{what} {b.number} has no unit field: a numbered item that is not a task?"))
    for m in r.lab.known.finditer(text):  # a label left in the task's text: its units were not read
        r.problems.append(Warning_(ctx.line_at(m.start()), f"{where}正文中的“{m.group(1)}”未作为单位字段读入 the label "
                                                           f"{m.group(1)!r} in the text of {what} {b.number} was "
                                                           "not read"))
    for m in re.finditer(r"[（〔【]([^（〔【）〕】]*下同[^（〔【）〕】]*)[）〕】]", text):
        r.warnings.append(Warning_(ctx.line_at(m.start()), f"{where}的说明“{m.group(1)}”记为备注 note {m.group(1)!r} "
                                                           f"in {what} {b.number} kept as a note"))
    text = text.strip()
    title = text.split("。", 1)[0].strip()
    if len(title) > 40:
        r.warnings.append(Warning_(b.line, f"task {b.number}: no short heading before the first 。"))
        title = title[:40]
    t = Task(number=b.number, kind=b.kind, section=b.section, title=title, text=text, line=b.line,
             lead=[f.unit for f in roles["lead"]], responsible=[f.unit for f in roles["responsible"]],
             responsible_label=resp_label, cooperating=[f.unit for f in roles["cooperating"]], written=b.written)
    _check_units(t, [(f.unit, f.line) for role in roles.values() for f in role], r)
    return t


def _fields(ctx: _Ctx, b: Block, what: str, where: str, r: Reading, last: bool) -> tuple[str, list, bool]:
    """The task's text without its unit fields, and the fields: (label, value, offset, ctx)."""
    text, lab = ctx.text, r.lab
    groups = []  # closing-bracket fields: (start, end) of each bracket holding labels, the trailing chain
    opens = [m.start() for m in lab.field_open.finditer(text)]
    if opens:
        start = opens[-1]
        end = _closing(text, start)
        if end is None:
            r.problems.append(Warning_(ctx.line_at(start), f"{where}的单位字段缺少右括号 the unit field of {what} "
                                                           f"{b.number} is not closed"))
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
        if m := lab.known.search(text, groups[-1][1] + 1):
            r.problems.append(Warning_(ctx.line_at(m.start()), f"{where}单位字段之后的“{m.group(1)}”未读入 the label "
                                                               f"{m.group(1)!r} after the unit field of {what} "
                                                               f"{b.number} was not read"))
        regions = [(s + 1, e) for s, e in groups]
        # the text around the fields (fields heading the item: 1.【牵头单位：…】加强…); after the last
        # item's fields comes the closing matter
        body = text[:groups[0][0]] + ("" if last and text[:groups[0][0]].strip() else tail)
    else:
        first = lab.known.search(text)
        if not first:
            return _bare_list(ctx, r)
        start = first.start()
        # an unknown label heading the same run of fields (督办单位：…；责任单位：…)
        sentence = max(text.rfind("。", 0, start), text.rfind("）", 0, start))
        for m in _LABEL_ANY.finditer(text, sentence + 1, start):
            start = m.start()
            break
        regions = [(start, len(text))]
        body = text[:start]
    fields: list[tuple[str, str, int, _Ctx]] = []
    for s, e in regions:
        marks = [(m.start(), m.end(), m.group(1)) for m in lab.known.finditer(text, s, e)]
        for m in _LABEL_ANY.finditer(text, s, e):
            if not any(a <= m.start() < z or a < m.end() <= z for a, z, _ in marks):
                marks.append((m.start(), m.end(), m.group(1)))
        marks.sort()
        lead_text = text[s:marks[0][0]].strip("；;， ") if marks else text[s:e]
        if lead_text:
            r.problems.append(Warning_(ctx.line_at(s), f"{where}单位字段前有无法读取的文字“{lead_text[:30]}” "
                                                       f"text before the unit field in {what} {b.number}: "
                                                       f"{lead_text[:30]!r}"))
        for k, (a, z, label) in enumerate(marks):
            stop = marks[k + 1][0] if k + 1 < len(marks) else e
            if label not in lab.role_of:
                r.problems.append(Warning_(ctx.line_at(a), f"{where}中的“{label}”不是已知的单位标签，其后的单位未读入 "
                                                           f"unknown label {label!r} in {what} {b.number}; its units "
                                                           "would be lost"))
                continue
            r.used_labels.add(ctx.line_at(a))
            if any(f[0] == label for f in fields):
                r.problems.append(Warning_(ctx.line_at(a), f"{where}有两处“{label}”，可能是几项任务连在了一起 {what} "
                                                           f"{b.number} has {label!r} twice: several tasks run "
                                                           "together?"))
            fields.append((label, text[z:stop], z, ctx))
    return body, fields, True


def _bare_list(ctx: _Ctx, r: Reading) -> tuple[str, list, bool]:
    """A closing bracket of unit names with no label (（区发改委，区财政局、区商务委）), read as the list
    the document's stated convention divides into lead and responsible units; without a convention
    there is no unit field. (text without the list, fields, whether there were any)"""
    text = ctx.text.rstrip("。； ")
    start = text.rfind("（")
    if not r.convention or not text.endswith("）") or start < 0:
        return ctx.text, [], False
    inner = text[start + 1:-1]
    names = [n for n in re.split("[、，；]", inner) if n]
    if "（" in inner or not names or not all(_unit_like(n, r.known) for n in names):
        return ctx.text, [], False
    return text[:start], [(None, inner, start + 1, ctx)], True


_LABEL_ANY = re.compile(r"(?<![^；。，、）\s])([\u4e00-\u9fff]{2,4}(?:单位|部门))：")


def _opens_field(body: str, text: str) -> bool:
    """The fields were in a closing bracket (the body ends where a bracket of fields opens)."""
    return len(body) < len(text) and text[len(body)] in _OPEN


def _signature_check(parts, known: frozenset[str], where: str, problems: list[Warning_]) -> None:
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


def _check_units(t: Task, found: list[tuple], r: Reading) -> None:
    """The units of one task, each with its line: plausible names, a plausible number of them."""
    where = f"{'任务' if t.kind == 'task' else '保障措施'}{t.number}"
    if len(found) > MAX_UNITS:
        r.problems.append(Warning_(t.line, f"{where}有 {len(found)} 个单位，超过 {MAX_UNITS} 个 "
                                           f"{len(found)} units in one task (more than {MAX_UNITS})"))
    for u, line in found:
        why = unit_problem(u.name, r.lab)
        if why:
            r.problems.append(Warning_(line, f"{where}的单位“{u.name}”：{why}"))
