"""The corpus of unseen layouts: the seed documents, transformations that make variants of them,
small documents written for the tests (here and in ``tests/corpus/``), and the checks every test
of ``test_unseen_layouts.py`` and ``test_unseen_documents.py`` makes: a parse exact against
hand-written units, or refused with the lines at fault."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from workpoints_expected import MINHANG_SECTION_OF

from aidgraph.loaders.workpoints import ParseRefused, parse
from aidgraph.settings import data_dir

CORPUS = Path(__file__).parent / "corpus"


def corpus(name: str) -> str:
    """A document written for the tests, kept as a file as a user would import it."""
    return (CORPUS / name).read_text(encoding="utf-8")

SRC = data_dir() / "sources"
JINGAN = (SRC / "002_a07dcf24e75dda9a.txt").read_text(encoding="utf-8")
MINHANG = (SRC / "003_7bb536ac4fb74f2c.txt").read_text(encoding="utf-8")
CN = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
SECTION_LINE = re.compile(r"^\s*[（(]([一二三四五六七八九十]+)[）)]\s*(.{1,20})$")
TASK_LINE = re.compile(r"^(\s*)(\d{1,2})\s*[．.]\s*")


def _units(refs) -> str:
    return " ".join(u.name for u in refs)


def got(plan, kind="task") -> dict:
    return {t.number: (_units(t.lead), _units(t.responsible)) for t in plan.tasks if t.kind == kind}


def coop(plan) -> dict:
    return {t.number: _units(t.cooperating) for t in plan.tasks if t.cooperating}


def no_self_check(plan) -> None:
    assert not any("自检" in w.message for w in plan.warnings)


def refused_at(text: str, *fragments: str) -> list:
    """Parse ``text``: it must be refused, naming (at least) the lines holding each fragment."""
    with pytest.raises(ParseRefused) as e:
        parse(text)
    lines = [p.line for p in e.value.problems]
    for fragment in fragments:
        want = [i for i, ln in enumerate(text.splitlines(), start=1) if fragment in ln]
        assert want and set(want) & set(lines), (fragment, want, e.value.problems)
        assert any(f"第{n}行" in str(e.value) for n in want)
    return e.value.problems



def sections_to_parts(text: str, task_part: str, restart: bool = False) -> str:
    """The part holding the tasks dropped and each of its sections （k） made a part of its own; the
    parts after it renumbered; task numbers running on, or restarting in every part."""
    out, k, n, in_tasks, part = [], 0, 0, False, 0
    for line in text.splitlines():
        s = line.strip()
        if re.match(r"^[一二三四五六七八九十]+、", s):
            if task_part in s:
                in_tasks = True
                continue
            in_tasks = False
            part += 1
            out.append(f"{CN[part]}、{s.split('、', 1)[1]}")
            continue
        if in_tasks and (m := SECTION_LINE.match(line)):
            part += 1
            k = 0
            out.append(f"{CN[part]}、{m.group(2).strip()}")
            continue
        if in_tasks and (m := TASK_LINE.match(line)) and int(m.group(2)) == n + 1:
            n, k = n + 1, k + 1
            line = m.group(1) + f"{k if restart else n}." + line[m.end():]
        out.append(line)
    return "\n".join(out)


MINHANG_SECTION_OF_PART = {n: s for s, ns in MINHANG_SECTION_OF.items() for n in ns}


FOOTERS = ["— 2 —", "-3-", "- 4 -", "第5页", "第 6 页 共 12 页", "共12页", "7", "—8—", "第9页 共12页", "- 10 -",
           "· 11 ·", "第12页/共12页", "1/12"]


def footers_between_lines(text: str) -> str:
    """A footer (in turn each form above) after every line that leaves a unit field open."""
    out, k, open_field = [], 0, False
    for line in text.splitlines():
        out.append(line)
        if re.search(r"[（(]责任|牵头单位|责任单位", line):
            open_field = True
        if (open_field and not re.search(r"[）)]\s*$", line) and line.strip()
                and not re.search(r"[）)]\s*$|^\s*$", line)):
            out += ["", FOOTERS[k % len(FOOTERS)], ""]
            k += 1
        if re.search(r"[）)]\s*$", line) or not line.strip():
            open_field = open_field and not re.search(r"[）)]\s*$", line)
    return "\n".join(out)


INLINE = {"区政府办公室": "区政府办公— 1 —室", "区卫生健康委": "区卫生·8·健康委", "区教育局": "区教-2-育局",
          "前方工作机构": "前方工作 第3页 机构", "区委组织部": "区委组织 第 4 页 共 9 页 部",
          "区人力资源和社会保障局": "区人力资源和社会 - 5 - 保障局", "区合作交流办": "区合作交流—6—办",
          "各街镇（工业区）": "各街镇（共7页工业区）"}


def footers_inside_names(text: str) -> str:
    for name, broken in INLINE.items():
        text = text.replace(name, broken)
    return text


HEAD = ["上海市长宁区人民政府合作交流办公室文件", "长合办〔2025〕3号"]


def doc(title: str, *body: str, closing=("长宁区人民政府合作交流办公室", "2025年3月3日")) -> str:
    return "\n".join([*HEAD, title, *body, *closing])


LIST_DOC = doc(
    "2025年长宁区东西部协作重点任务清单",
    "各街道办事处、区政府各委、办、局：",
    "现将任务清单印发给你们，请认真落实。",
    "一、组织保障",
    "1、召开领导小组会议。研究年度重点工作。",
    "牵头：区合作交流办",
    "参与：各成员单位",
    "2、开展调研对接。赴结对地区考察。",
    "牵头：区合作交流办；参与：区委办、区府办",
    "二、产业合作",
    "3、推进园区共建。引导企业落地。",
    "牵头：区投资促进办",
    "参与：区商务委及区国资委",
    "4、扩大消费帮扶。",
    "牵头：区商务委",
    "三、劳务协作",
    "5、稳定务工就业。",
    "牵头：区人社局",
    "参与：各街道、援外机构",
)


def _w(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _w(s))


def _title_of(n: int, titles: dict) -> str:
    return titles.get(n, f"推进第{CN[n % 10] or '十'}项协作任务")


def aligned_table(expected: dict, titles: dict, sections: dict, title: str, wrap: int | None = None,
                  bars: bool = False, lead_first=True) -> str:
    """A 任务分解表: header 序号 重点任务 牵头单位 责任单位 完成时限, a part row 一、… before each section's
    tasks, columns aligned with spaces (or separated by ｜); with ``wrap`` the task and unit cells are
    wrapped over several lines of ``wrap`` characters, the number column left empty."""
    cols = ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"] if lead_first else \
        ["序号", "重点任务", "责任单位", "牵头单位", "完成时限"]
    section_of = {n: s for s, ns in sections.items() for n in ns}
    rows, last, part = [cols], None, 0
    for n, (lead, resp) in expected.items():
        if section_of[n] != last:
            part, last = part + 1, section_of[n]
            rows.append(f"{CN[part]}、{last}")  # a part row
        cell = {"序号": str(n), "重点任务": f"{_title_of(n, titles)}。按计划推进落实。",
                "牵头单位": "、".join(lead.split()), "责任单位": "、".join(resp.split()), "完成时限": "2025年12月底"}
        cells = [cell[c] for c in cols]
        if not wrap:
            rows.append(cells)
            continue
        chunks = [[c[i:i + wrap] for i in range(0, len(c), wrap)] or [""] for c in cells[1:4]]
        for k in range(max(map(len, chunks))):
            first = k == 0
            rows.append([cells[0] if first else "", *(ch[k] if k < len(ch) else "" for ch in chunks),
                         cells[4] if first else ""])
    widths = [max(_w(r[j]) for r in rows if isinstance(r, list)) + 3 for j in range(len(cols))]

    def line(r):
        if isinstance(r, str):
            return r
        if bars:
            return "｜" + "｜".join(r) + "｜"
        return "".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
    return "\n".join([*HEAD, title, "", *map(line, rows), "", "长宁区人民政府合作交流办公室", "2025年3月3日"])


TABLE_TITLE = "长宁区2025年东西部协作和对口支援工作任务分解表"


