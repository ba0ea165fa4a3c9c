"""Reading the units out of one field's value: split on 、，；, on 及 / 和 / spaces only where every
part is a unit, notes in brackets taken out, a stated positional convention (逗号前 / 分号前 /
排在第一位的单位为牵头单位) applied, and each name checked."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import combinations

from .labels import IDEO, Labels
from .lines import _CLOSE, _OPEN, _Line
from .model import MAX_NAME, UnitRef, Warning_

# what a unit's name may end in to be split off at 及 / 和 / a space (besides the known names)
UNIT_ENDINGS = ("委员会", "委", "局", "办公室", "办", "室", "中心", "部", "院", "政府", "街道", "街镇", "镇", "乡",
                "公司", "集团", "会", "联", "厅", "处", "所", "站", "队", "机构", "国企", "团区委")
_LEAD = r"(?:为|是|作为)?牵头(?:单位|部门)?"
# a document's statement of which units of a list lead: (kind, pattern)
CONVENTIONS = (
    ("comma", re.compile(rf"(?:逗号|，)(?:之|以)?前(?:面)?(?:的)?(?:单位|部门)?{_LEAD}"
                         rf"|牵头(?:单位|部门)(?:在|列在|列于|排在|写在)(?:逗号)(?:之|以)?前")),
    ("semicolon", re.compile(rf"(?:分号|；)(?:之|以)?前(?:面)?(?:的)?(?:单位|部门)?{_LEAD}"
                             rf"|牵头(?:单位|部门)(?:在|列在|列于|排在|写在)(?:分号)(?:之|以)?前")),
    ("first", re.compile(rf"(?:排在?|列在?|位于)?(?:第一位|首位|第一个|最前面?|排名第一|排序第一|第一)(?:的)?"
                         rf"(?:单位|部门)?{_LEAD}|牵头(?:单位|部门)(?:排|列|位)(?:在|于)?(?:第一位|首位|最前面?)")),
    ("star", re.compile(rf"(?:带|标有?|注有?)?[*★☆](?:号)?(?:的)?(?:单位|部门)?{_LEAD}")),
    # marked by the typeface, which a text does not keep: refused
    ("typeface", re.compile(rf"(?:加粗|黑体|粗体|下划线|斜体|字体加黑|红色)(?:标注|标出|显示)?"
                            rf"(?:的)?(?:单位|部门)?{_LEAD}")),
)
SEPARATOR = {"comma": "，", "semicolon": "；"}


def find_convention(lines: list[_Line]) -> tuple[str, int, str] | None:
    """(kind, line, statement) of the positional lead convention the document states, if any."""
    for ln in lines:
        for kind, pat in CONVENTIONS:
            if m := pat.search(ln.text):
                return kind, ln.no, ln.text[max(0, m.start() - 10):m.end() + 4]
    return None


class _Ctx:
    """One block's text with the gaps and line numbers behind each character offset. Labels in
    brackets split over two lines (【责任\n单位】) are read here, on the joined text."""

    def __init__(self, parts: list[_Line], lab: Labels):
        out, gaps, starts, lines, joins = "", [], [], [], []
        parts_end_spaced = False
        for p in parts:
            if out and re.match(r"[A-Za-z0-9]", p.text[:1]) and re.match(r".*[A-Za-z0-9]$", out):
                out += " "
            if out and (p.spaced or parts_end_spaced):
                gaps.append(len(out))
            elif out:  # a line break: a new unit may start here (one unit per line, no separator)
                joins.append(len(out))
            if out and out[-1] not in "；;。（〔【" and lab.known.match(p.text):
                out += "；"  # a line starting with a label (参与：…) starts a field
            parts_end_spaced = p.spaced_end
            starts.append(len(out))
            lines.append(p.no)
            gaps += [len(out) + g for g in p.gaps]
            out += p.text
        new, shift, pos = [], [], 0  # shift: (old offset, new offset) where a bracketed label was rewritten
        for m in lab.bracket_label.finditer(out):
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
        self.joins = {moved(j) for j in joins}

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]


def _unit_like(name: str, known: frozenset[str]) -> bool:
    core = re.sub(r"（[^（）]*）$", "", name)
    return name in known or core in known or (len(core) >= 3 and core.endswith(UNIT_ENDINGS)
                                              and core not in UNIT_ENDINGS and core != "办公室")


# how a unit's name starts: where a table cell's line break may start a new unit
UNIT_STARTS = ("区", "市", "县", "镇", "各", "相关", "有关", "团区委", "援外", "前方", "上海")


def _starts_unit(chars: list[tuple[str, int]], known: frozenset[str]) -> bool:
    rest = "".join(c for c, _ in chars)
    return rest.startswith(UNIT_STARTS) or any(rest.startswith(k) for k in known if len(k) >= 3)


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
            elif off in ctx.gaps or (off in ctx.joins and _starts_unit(chars[j:], known)):
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


@dataclass
class Found:
    unit: UnitRef
    offset: int
    after: str     # the separator before it (、，；) or "" for the first
    line: int = 0  # set by the caller, which knows the block's lines
    role: str | None = None  # its own role, written after it: 区经委（牵头）


def units(value: str, off: int, ctx: _Ctx, known: frozenset[str], where: str, lab: Labels,
          warnings: list[Warning_]) -> list[Found]:
    """The units of one field's value (at ``off`` in the block's text), each with its offset."""
    if re.fullmatch(r"[\s—\-－/／无、。]*", value) and value.strip():  # a cell marked empty (—, /, 无)
        return []
    for _kind, pattern in CONVENTIONS:  # a convention stated at the end of the list: …、区财政局。逗号前的…
        if (m := pattern.search(value)) and (cut := max(value.rfind(c, 0, m.start()) for c in "。；，")) > 0:
            warnings.append(Warning_(ctx.line_at(off + cut), f"{where}的说明“{value[cut + 1:].strip()}”记为说明，"
                                                             f"不是单位 note {value[cut + 1:].strip()!r} in {where} "
                                                             "kept as a note, not a unit"))
            value = value[:cut]
            break
    pieces: list[tuple[str, list[tuple[str, int]]]] = []
    cur: list[tuple[str, int]] = []
    depth, sep = 0, ""
    for i, c in enumerate(value):
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and (c in "、，,；;" or (c == "/" and re.match(f"[{IDEO}）]/[{IDEO}]", value[i - 1:i + 2]))):
            pieces.append((sep, cur))
            cur, sep = [], {",": "，", ";": "；", "/": "、"}.get(c, c)
            continue
        cur.append((c, off + i))
    pieces.append((sep, cur))
    out: list[Found] = []
    carry = ""  # the separator before the next unit (a comma or semicolon outlives an empty piece)
    for sep, chars in pieces:
        carry = carry if carry in ("，", "；") else sep
        chars, own_role = _drop_notes(chars, ctx, where, lab, warnings)
        while chars and chars[0][0] in "。；;， ":
            chars = chars[1:]
        while chars and chars[-1][0] in "。；;， ":
            chars = chars[:-1]
        if not chars:
            continue
        name = "".join(c for c, _ in chars)
        if own_role is None and (word := _role_suffix(name, lab, known)):  # 区发改委牵头, 区财政局、区商务委配合
            own_role, chars = lab.role_of[word], chars[:len(name) - len(word)]
            if carry not in ("，", "；"):  # the units since the last comma or semicolon share the word
                for f in reversed(out):
                    if f.role is not None:
                        break
                    f.role = own_role
                    if f.after in ("，", "；"):
                        break
            name = "".join(c for c, _ in chars)
        tail = re.search(r"等(?:相关|有关)?(?:单位|部门)?$", name)
        etc = tail is not None and tail.start() >= 2
        if tail is not None and etc:
            chars = chars[:tail.start()]
        segs = _soft_split(chars, ctx, known)
        for k, seg in enumerate(segs):
            out.append(Found(UnitRef("".join(c for c, _ in seg), etc and k == len(segs) - 1), seg[0][1],
                             (carry if out else "") if k == 0 else " ", role=own_role))
        carry = ""
    return out


def _role_suffix(name: str, lab: Labels, known: frozenset[str]) -> str | None:
    """The role word a unit's name ends in (区发改委牵头), when what comes before it is a unit."""
    for word in lab.bare:
        if name.endswith(word) and _unit_like(name[:-len(word)], known):
            return word
    return None


def _drop_notes(chars: list[tuple[str, int]], ctx: _Ctx, where: str, lab: Labels, warnings: list[Warning_]):
    """Take bracketed notes (…为牵头单位，下同) out of a unit's name; each becomes a warning. A bracket
    holding only a label word (区经委（牵头）) gives the unit that role: (chars, role or None)."""
    out: list[tuple[str, int]] = []
    i, role = 0, None
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
            if j < len(chars) and (inner in lab.role_of or inner + "单位" in lab.role_of) and out:
                role = lab.role_of.get(inner) or lab.role_of[inner + "单位"]
                i = j + 1
                continue
            if j < len(chars) and lab.note.search(inner):
                warnings.append(Warning_(ctx.line_at(chars[i][1]), f"{where}的括注“{inner}”记为说明，不是单位 note "
                                                                   f"{inner!r} in {where} kept as a note, not a unit"))
                i = j + 1
                continue
        out.append(chars[i])
        i += 1
    return out, role


def apply_convention(kind: str, found: list[Found], where: str, line: int,
                     problems: list[Warning_]) -> tuple[list[Found], list[Found]]:
    """(lead, responsible) of one list under the document's positional convention."""
    if kind == "first":
        return found[:1], found[1:]
    if kind == "star":
        lead = [f for f in found if f.unit.name[:1] in "*★☆" or f.unit.name[-1:] in "*★☆"]
        for f in found:
            f.unit.name = f.unit.name.strip("*★☆ ")
        rest = [f for f in found if f not in lead]
        if not lead and len(found) > 1:
            problems.append(Warning_(line, f"文件说明带星号的单位为牵头单位，但{where}的单位都没有星号，"
                                           "无法判断牵头单位 "
                                           f"the document marks lead units with a star, but none of {where}'s has one"))
        return (lead, rest) if lead else (found[:1], found[1:]) if len(found) == 1 else ([], found)
    sep = SEPARATOR[kind]
    cut = next((k for k, f in enumerate(found) if k and f.after == sep), None)
    if cut is None:
        if len(found) > 1:
            word = "逗号" if kind == "comma" else "分号"
            problems.append(Warning_(line, f"文件说明{word}前的单位为牵头单位，但{where}的单位之间没有{word}，"
                                           "无法判断牵头单位 "
                                           f"the document says the units before the {kind} lead, but {where} "
                                           f"has no {kind} between its units"))
            return [], found
        return found, []
    return found[:cut], found[cut:]


_DEADLINE = re.compile(r"^(?:全年|长期|持续|常态|年底|年内|年中|上半年|下半年|每年|每季度|每月|即时|适时)"
                       r"|(?:前|底|末|完成|推进|落实)$|^\d")


def unit_problem(name: str, lab: Labels) -> str | None:
    if "：" in name or lab.in_name.search(name):
        return "单位名称中含有标签词 a unit's name holds a label word"
    if re.search(r"[〔〕【】\[\]]", name) or not re.fullmatch(r"[^（）]*(?:（[^（）]*）[^（）]*)*", name):
        return "单位名称中含有括号 a unit's name holds a bracket"
    if re.search(r"[。！？]|\d{4}年|\d{1,2}月\d{1,2}日", name):
        return "单位名称中含有句子或日期 a unit's name holds a sentence or a date"
    if re.search(rf"[{IDEO}]\d{{1,3}}[{IDEO}]|[—–\-－~～|｜]|页", name):
        return ("单位名称中含有数字、横线或“页”（可能是页码或时限） "
                "a unit's name holds a digit, a dash or 页 (a page number or a deadline?)")
    if _DEADLINE.search(name):
        return "单位名称像是完成时限 a unit's name looks like a deadline"
    if len(name) > MAX_NAME:
        return f"单位名称超过 {MAX_NAME} 个字 a unit's name is longer than {MAX_NAME} characters"
    if len(name) < 2:
        return "单位名称不足两个字 a unit's name is shorter than two characters"
    if not re.search(f"[{IDEO}]", name):
        return "单位名称中没有汉字 a unit's name holds no Chinese character"
    return None
