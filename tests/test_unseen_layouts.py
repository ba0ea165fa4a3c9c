"""A growing corpus of work-point documents in layouts the parser was not first built for, each
checked exact against hand-written units or refused with the lines at fault — never silently
wrong. Variants are made here, at test time, from the two seed documents (静安 2022, 闵行 2024);
small synthetic documents are written out below. Issue 17 lists the classes: tasks directly under
parts, page footers inside unit names, a stated positional lead convention, the labels 参与 /
参与单位 and others of the label table, space- and bar-aligned task tables with part rows, and the
refusals (a numbered item that is not a task, a gap or repeat in the numbers, an unused label)."""
from __future__ import annotations

import re
import unicodedata

import pytest

from aidgraph.loaders.workpoints import ParseRefused, parse
from aidgraph.settings import data_dir
from workpoints_expected import (JINGAN_2022, JINGAN_SAFEGUARDS, JINGAN_SECTION_OF, JINGAN_TITLES, MINHANG_2024,
                                 MINHANG_SECTION_OF, MINHANG_TITLES)

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


# -- tasks directly under the parts 一、二、… (no （一） level) ---------------------------------------
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


@pytest.mark.parametrize("restart", [False, True])
def test_tasks_directly_under_parts(restart):
    text = sections_to_parts(MINHANG, "工作任务", restart)
    assert "（一）切实扛稳政治责任" not in text and "二、切实扛稳政治责任" in text
    plan = parse(text)
    assert got(plan) == MINHANG_2024
    assert {t.number: t.section for t in plan.tasks} == MINHANG_SECTION_OF_PART
    assert [t.written for t in plan.tasks][:10] == ([1, 2, 3, 1, 2, 1, 2, 3, 1, 2] if restart else list(range(1, 11)))
    no_self_check(plan)
    text = sections_to_parts(JINGAN, "重点任务", restart)
    plan = parse(text)
    assert got(plan) == JINGAN_2022 and got(plan, "safeguard") == JINGAN_SAFEGUARDS
    assert {t.number: t.title for t in plan.tasks if t.number in JINGAN_TITLES and t.kind == "task"} == JINGAN_TITLES
    no_self_check(plan)


MINHANG_SECTION_OF_PART = {n: s for s, ns in MINHANG_SECTION_OF.items() for n in ns}


def test_a_gap_or_repeat_under_parts_is_refused():
    text = sections_to_parts(MINHANG, "工作任务")
    gap = text.replace("\n9.助力产业发展", "\n10.助力产业发展")
    assert gap != text
    refused_at(gap, "10.助力产业发展")
    repeated = text.replace("\n14.组织赴对口", "\n13.组织赴对口")
    assert repeated != text
    problems = refused_at(repeated, "13.组织赴对口")
    assert any("重复" in p.message for p in problems)
    # numbers may restart only where a part starts: a 1 in the middle of one is refused
    text = sections_to_parts(MINHANG, "工作任务", restart=True)
    restarted = text.replace("\n2.强化统筹协调", "\n1.强化统筹协调")
    assert restarted != text
    refused_at(restarted, "1.强化统筹协调")


# -- page headers and footers, between the lines of a unit list and inside a unit's name ------------
FOOTERS = ["— 2 —", "-3-", "- 4 -", "第5页", "第 6 页 共 12 页", "共12页", "7", "—8—", "第9页 共12页", "- 10 -"]


def footers_between_lines(text: str) -> str:
    """A footer (in turn each form above) after every line that leaves a unit field open."""
    out, k, open_field = [], 0, False
    for line in text.splitlines():
        out.append(line)
        if re.search(r"[（(]责任|牵头单位|责任单位", line):
            open_field = True
        if open_field and not re.search(r"[）)]\s*$", line) and line.strip() and not re.search(r"[）)]\s*$|^\s*$", line):
            out += ["", FOOTERS[k % len(FOOTERS)], ""]
            k += 1
        if re.search(r"[）)]\s*$", line) or not line.strip():
            open_field = open_field and not re.search(r"[）)]\s*$", line)
    return "\n".join(out)


INLINE = {"区政府办公室": "区政府办公— 1 —室", "区教育局": "区教-2-育局", "前方工作机构": "前方工作 第3页 机构",
          "区委组织部": "区委组织 第 4 页 共 9 页 部", "区人力资源和社会保障局": "区人力资源和社会 - 5 - 保障局",
          "区合作交流办": "区合作交流—6—办", "各街镇（工业区）": "各街镇（共7页工业区）"}


def footers_inside_names(text: str) -> str:
    for name, broken in INLINE.items():
        text = text.replace(name, broken)
    return text


@pytest.mark.parametrize("transform", [footers_between_lines, footers_inside_names,
                                       lambda t: footers_inside_names(footers_between_lines(t))])
def test_page_footers_never_reach_a_name(transform):
    jingan, minhang = transform(JINGAN), transform(MINHANG)
    assert jingan != JINGAN and minhang != MINHANG
    plan = parse(jingan)
    assert got(plan) == JINGAN_2022 and got(plan, "safeguard") == JINGAN_SAFEGUARDS
    no_self_check(plan)
    assert not any("页" in t.text or "—" in t.text for t in plan.tasks)
    plan = parse(minhang)
    assert got(plan) == MINHANG_2024
    no_self_check(plan)
    roles = plan.roles
    for n, line in enumerate(minhang.splitlines(), start=1):
        if line.strip() in FOOTERS:
            assert roles[n] == "page"


def test_footer_lines_in_every_form_are_page_lines():
    body = "\n".join(["长宁区人民政府办公室文件", "长府办发〔2025〕7号", "长宁区2025年东西部协作工作要点", "一、重点任务",
                      "1. 推进产业协作。开展对接。", "牵头单位：区发展改", *FOOTERS, "革委；责任单位：区商务委", "2025年3月3日"])
    plan = parse(body)
    assert got(plan) == {1: ("区发展改革委", "区商务委")}
    assert [plan.roles[n] for n in range(7, 7 + len(FOOTERS))] == ["page"] * len(FOOTERS)


def test_a_running_page_header_inside_a_unit_list_is_dropped():
    # the title repeated at the top of a page, between two lines of a unit's name
    text = MINHANG.replace("区审\n\n计局", "区审\n\n闵行区2024年东西部协作和对口支援工作要点\n计局")
    assert text != MINHANG
    plan = parse(text)
    assert got(plan) == MINHANG_2024
    line = text.splitlines().index("闵行区2024年东西部协作和对口支援工作要点") + 1
    assert plan.roles[line] == "page"
