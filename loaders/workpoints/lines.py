"""A document's lines made ready to read: decoded, page headers and footers taken out (whole lines
and pieces inside a line), punctuation normalised, spaces between Chinese characters remembered,
item numbers at a line's start recognised, the title found."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ...schema.text import normalise_line
from .labels import IDEO, Labels
from .model import NotAWorkPlan, cn_number

_IDEO = IDEO
_CN = "一二三四五六七八九十"
_PART = re.compile(rf"^([{_CN}]+)、(.*)$")
_SECTION = re.compile(rf"^（([{_CN}]+)）(.*)$")
_CHAPTER = re.compile(rf"^第([{_CN}]+)(?:部分|章|篇)[、，.： ]?(.*)$")
_DOCNO = re.compile(r"[〔（【](\d{4})[〕）】](\d{1,4})号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# the kinds of document read as work points, as their titles name them
TITLE_WORDS = ("工作要点", "任务分解表", "任务清单", "工作计划", "实施方案")
_TITLE = re.compile(rf"((?:\d{{4}}年)?(?:上海市)?([{_IDEO}]{{2,3}}区)(?:\d{{4}}年)?[{_IDEO}]{{0,30}}?"
                    rf"(?:{'|'.join(TITLE_WORDS)}))")
# a title without the district's name (2025年东西部协作工作要点), the district then read from the issuer
_BARE_TITLE = re.compile(rf"(\d{{4}}年度?[{_IDEO}]{{0,30}}?(?:{'|'.join(TITLE_WORDS)}))")
_DISTRICT = re.compile(rf"(?:(?<=上海市)|(?<![{_IDEO}]))([{_IDEO}]{{2,3}}区)")
_END = re.compile(r"^(附件|抄送|公开属性|主送|联系人)：|^\d{4}年\d{1,2}月\d{1,2}日$|\d{4}年\d{1,2}月\d{1,2}日印发$")
_OPEN, _CLOSE = "（〔【", "）〕】"
_PAIR = dict(zip(_OPEN, _CLOSE, strict=True))
_SEP = "\ue001"        # stands for a space between two Chinese characters until the gaps are taken out
_CIRCLE = "\ue000"     # brackets a circled item number (①) at a line's start: NFKC would make it a plain digit
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}

# page headers and footers: a whole line (— 1 —, -1-, - 1 -, 第1页, 第 1 页 共 5 页, 共5页, 1/5, a lone number) …
_DASH = "\\-—–－―~～·•‧∙"
_PAGE = re.compile(rf"^(?:[{_DASH}]*\s*\d{{1,3}}\s*[{_DASH}]*|第\s*\d{{1,3}}\s*页(?:\s*[，,/]?\s*共\s*\d{{1,3}}\s*页)?"
                   rf"|共\s*\d{{1,3}}\s*页(?:\s*[，,/]?\s*第\s*\d{{1,3}}\s*页)?|\d{{1,3}}\s*/\s*\d{{1,3}})$")
# … or the same inside a line, where extraction ran it into the text (区政府办公— 1 —室)
_PAGE_IN = re.compile(rf"\s*(?:(?<![\d{_DASH}])[—–－―·•]{{1,2}}\s*\d{{1,3}}\s*[—–－―·•]{{1,2}}(?![\d{_DASH}])"
                      rf"|(?<![\dA-Za-z{_DASH}])-\s*\d{{1,3}}\s*-(?![\dA-Za-z{_DASH}])"
                      rf"|第\s*\d{{1,3}}\s*页(?:\s*[，,/]?\s*共\s*\d{{1,3}}\s*页)?|共\s*\d{{1,3}}\s*页)\s*")


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


def _join(parts: list[str]) -> str:
    out = ""
    for p in parts:
        if out and re.match(r"[A-Za-z0-9]", p[:1]) and re.match(r".*[A-Za-z0-9]$", out):
            out += " "
        out += p
    return out


def is_page_line(raw: str) -> bool:
    """The whole line is a page header or footer."""
    s = unicodedata.normalize("NFKC", raw).strip()
    return bool(s) and bool(_PAGE.match(s))


def strip_page_marks(raw: str) -> tuple[str, bool]:
    """The line without page footers run into it, and whether it held one."""
    out = _PAGE_IN.sub("", raw)
    return out, out != raw


@dataclass
class _Line:
    no: int
    text: str
    gaps: tuple[int, ...] = ()  # positions in text where the source had a space between two Chinese characters
    spaced: bool = False        # the source line started with a space (a space at the line break before it)
    spaced_end: bool = False    # the source line ended with a space

    def cut(self, k: int) -> _Line:
        return _Line(self.no, self.text[k:], tuple(g - k for g in self.gaps if g > k), k == 0 and self.spaced,
                     self.spaced_end)


def _prep(no: int, raw: str, lab: Labels) -> _Line:
    raw = raw.replace(_CIRCLE, "").replace(_SEP, "")  # private-use characters: the parser's own marks
    raw = re.sub(r"^(\s*)([\u2460-\u2473])", lambda m: f"{m.group(1)}{_CIRCLE}{_CIRCLED[m.group(2)]}{_CIRCLE}", raw)
    marked = re.sub(rf"(?<=[{_IDEO}）〕】)\]])[ \t\u3000\xa0]+(?=[{_IDEO}（〔【(\[])", _SEP, raw)
    s = normalise_line(marked.replace("∶", "："))
    # 牵头单位（部门）：, 责任单位/部门： -> the label alone
    s = lab.label_variant.sub(r"\1", s)
    s = lab.bracket_label.sub(lambda m: (m.group(1) or m.group(2)) + "：", s)
    parts = s.split(_SEP)  # the text, and where a space between two Chinese characters was (once each)
    gaps: list[int] = []
    n = 0
    for part in parts[:-1]:
        n += len(part)
        if not gaps or gaps[-1] != n:
            gaps.append(n)
    text = "".join(parts)
    return _Line(no, text.strip(), tuple(g for g in gaps if 0 < g < len(text)), raw[:1].isspace(),
                 raw[-1:].isspace())


def _marker(s: str) -> tuple[str, int, int] | None:
    """(kind of item number, its value, its length) at the start of a line, or None."""
    if (m := re.match(rf"^（([{_CN}]+)）", s)) and (v := cn_number(m.group(1))) is not None:
        return "pcn", v, m.end()
    if m := re.match(r"^(\d{1,2})([.．、）])(?!\d)", s):  # 1. and 1、 are two kinds: a list inside a task
        return "digit" + {"．": "."}.get(m.group(2), m.group(2)), int(m.group(1)), m.end()
    if m := re.match(r"^（(\d{1,2})）", s):
        return "pdigit", int(m.group(1)), m.end()
    if m := re.match(rf"^{_CIRCLE}(\d{{1,2}}){_CIRCLE}", s):
        return "circled", int(m.group(1)), m.end()
    if (m := re.match(rf"^([{_CN}]{{1,3}})是", s)) and (v := cn_number(m.group(1))) is not None:
        return "cnshi", v, m.end()
    return None


def _part_heading(text: str) -> str | None:
    """The heading of a part 一、… (short, not a sentence with a label), or None."""
    m = _PART.match(text) or _CHAPTER.match(text)
    if m and 0 < len(m.group(2)) <= 30 and not re.search("[：；]", m.group(2)):
        return m.group(2)
    return None


def _heading_like(rest: str, lab: Labels) -> bool:
    return 0 < len(rest) <= 40 and not re.search(r"[。；：]", rest[:-1]) and not lab.known.search(rest)


def _find_bare_title(lines: list[str], first_part: int):
    """(index, title, district) of a title naming no district, the district taken from the issuer line
    (…区…文件) at the top; (None, None, None) when there is none."""
    issuer = next((s for s in lines[:5] if s.endswith("文件")), "")
    district = _DISTRICT.search(issuer)
    if not district:
        return None, None, None
    for i in range(min(first_part, len(lines))):
        if m := _BARE_TITLE.search(lines[i]):
            return i, m.group(1), district.group(1)
    return None, None, None


def _find_title(lines: list[str], first_part: int):
    """(index of the title line, match): the title (工作要点, 任务分解表 …) alone or continued over the lines
    before it (a title split by extraction); looked for before the first part, then anywhere."""
    head = range(min(first_part, len(lines)))
    for i in head:  # a line that is the title and nothing else (not a title cited in a sentence: 根据《…》)
        for text in (lines[i], "".join(lines[max(0, i - 1):i + 1]), "".join(lines[max(0, i - 2):i + 1])):
            if any(w in lines[i] for w in TITLE_WORDS) and (m := _TITLE.fullmatch(text)):
                return i, m
    for scope in (head, range(len(lines))):
        for i in scope:
            if not any(w in lines[i] for w in TITLE_WORDS):
                continue
            for text in (lines[i], "".join(lines[max(0, i - 1):i + 1]), "".join(lines[max(0, i - 2):i + 1])):
                m = _TITLE.search(text)
                if m:
                    return i, m
        for i in scope:  # the title word itself broken over two lines
            m = _TITLE.search("".join(lines[i:i + 3]))
            if m:
                return i, m
    return None, None
