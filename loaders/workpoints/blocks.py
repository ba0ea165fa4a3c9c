"""The body's layout: parts 一、…, sections （一）… (or none), numbered items (1. （1） ① 一是 （一）)
as tasks, their numbers checked (no gap, no repeat; restarting in a section or a part is allowed);
every line of the body gets its role."""
from __future__ import annotations

from ...schema.text import cn2an
from .labels import Labels
from .lines import _heading_like, _Line, _marker, _part_heading
from .model import SAFEGUARD_PART, Block, Warning_
from .units import _Ctx


def split_parts(body: list[_Line]) -> list[tuple[_Line | None, list[_Line]]]:
    """(heading line, its lines) of each part 一、…; a body with no parts is one part without a heading."""
    parts: list[tuple[_Line | None, list[_Line]]] = []
    for ln in body:
        if _part_heading(ln.text) is not None:
            parts.append((ln, []))
        elif parts:
            parts[-1][1].append(ln)
    return parts or [(None, list(body))]


def _levels(lines: list[_Line], lab: Labels, want: set[int]) -> tuple[str | None, str | None]:
    """The item numbers a part uses for its sections and for its tasks (``want``: the values a first
    task may have, 1 or the number after the last task of the part before)."""
    marks = [(k, mk) for k, ln in enumerate(lines) if (mk := _marker(ln.text))]
    pcn = [(k, mk) for k, mk in marks if mk[0] == "pcn"]
    lower = [(k, mk[0]) for k, mk in marks if mk[0] != "pcn" and mk[1] in want]
    lower = lower or [(k, mk[0]) for k, mk in marks if mk[0] != "pcn"][:1]
    if pcn and any(k > pcn[0][0] for k, _ in lower):
        task_type = next(t for k, t in lower if k > pcn[0][0])
        if _heading_like(lines[pcn[0][0]].text[pcn[0][1][2]:], lab):
            return "pcn", task_type
        return None, "pcn"
    if lower:
        return None, lower[0][1]
    if pcn:
        return None, "pcn"
    return None, None


def read_blocks(body: list[_Line], lab: Labels, roles: dict[int, str], warnings: list[Warning_],
                problems: list[Warning_]) -> list[Block]:
    blocks: list[Block] = []
    last_written = 0  # the last task number as written, through the parts
    for head, lines in split_parts(body):
        heading = (_part_heading(head.text) or "").rstrip("。") if head else ""  # split_parts: a part's head
        if head:
            roles[head.no] = "part"
        safeguard = heading.startswith(SAFEGUARD_PART)
        sec_type, task_type = _levels(lines, lab, {1, last_written + 1})
        if task_type is None:
            for ln in lines:
                roles[ln.no] = "note"
            continue
        section = SAFEGUARD_PART if safeguard else ("" if sec_type else heading)
        expected_sec, in_section, sg_last = 1, 0, 0
        current: Block | None = None
        for ln in lines:
            mk = _marker(ln.text)
            if sec_type and mk and mk[0] == sec_type:
                rest = ln.text[mk[2]:]
                if mk[1] == expected_sec and _heading_like(rest, lab):
                    section = SAFEGUARD_PART if safeguard else rest.rstrip("。")
                    expected_sec, in_section, current = expected_sec + 1, 0, None
                    roles[ln.no] = "section"
                    continue
                if _heading_like(rest, lab):
                    problems.append(Warning_(ln.no, f"小节编号（{cn2an.an2cn(mk[1])}）不连续"
                                                    f"（应为（{cn2an.an2cn(expected_sec)}））"
                                                    f" section number {mk[1]} where {expected_sec} was expected"))
            if mk and mk[0] == task_type:
                n = mk[1]
                if safeguard:  # numbered from 1, or on from the tasks' numbers
                    ok = n == sg_last + 1 or (sg_last == 0 and n == last_written + 1)
                    want = sg_last + 1
                elif in_section == 0:
                    ok, want = n in (1, last_written + 1), last_written + 1
                else:
                    ok, want = n == last_written + 1, last_written + 1
                if ok:
                    if safeguard:
                        sg_last = n
                    else:
                        last_written, in_section = n, in_section + 1
                    current = Block(kind="safeguard" if safeguard else "task", written=n, section=section,
                                    line=ln.no, part=heading, parts=[ln.cut(mk[2])])
                    blocks.append(current)
                    roles[ln.no] = "task"
                    continue
                what = "保障措施" if safeguard else "任务"
                how = "重复" if n == want - 1 else "不连续"
                problems.append(Warning_(ln.no, f"{what}编号 {n} {how}（应为 {want}） task number {n} where {want} "
                                                "was expected"))
            if current is not None:
                current.parts.append(ln)
                roles[ln.no] = "task"
            else:
                roles[ln.no] = "note"
                if "下同" in ln.text:
                    warnings.append(Warning_(ln.no, f"说明“{ln.text[:40]}”记为备注 "
                                                    f"note {ln.text[:40]!r} kept as a note"))
    return blocks


def drop_unlabelled(blocks: list[Block], lab: Labels, roles: dict[int, str], warnings: list[Warning_]) -> list[Block]:
    """Numbered items of a part none of whose items names a unit (a numbered list of goals, safeguards
    written as prose) are text, when other parts' items do name units."""
    def labelled(b: Block) -> bool:
        return bool(lab.known.search(_Ctx(b.parts, lab).text))
    by_part: dict[str, list[Block]] = {}
    for b in blocks:
        by_part.setdefault(b.part, []).append(b)
    with_units = {p for p, bs in by_part.items() if any(labelled(b) for b in bs)}
    if not with_units:
        return blocks
    out = []
    for p, bs in by_part.items():
        if p in with_units:
            out += bs
            continue
        warnings.append(Warning_(bs[0].line, f"“{p}”部分的编号条目都没有单位字段，读作正文 the numbered items "
                                             f"of part {p!r} name no units; read as text, not tasks"))
        for b in bs:
            for ln in b.parts:
                roles[ln.no] = "note"
    return out
