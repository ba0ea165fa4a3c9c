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

from aidgraph.loaders.workpoints import LINE_ROLES, ParseRefused, parse
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
FOOTERS = ["— 2 —", "-3-", "- 4 -", "第5页", "第 6 页 共 12 页", "共12页", "7", "—8—", "第9页 共12页", "- 10 -",
           "· 11 ·", "第12页/共12页", "1/12"]


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


INLINE = {"区政府办公室": "区政府办公— 1 —室", "区卫生健康委": "区卫生·8·健康委", "区教育局": "区教-2-育局", "前方工作机构": "前方工作 第3页 机构",
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
    # the document number as a running header, inside 静安's unit list of task 1
    text = JINGAN.replace("区政府合\n\n作交流办）", "区政府合\n\n静合组办〔2022〕1 号\n作交流办）", 1)
    assert text != JINGAN
    plan = parse(text)
    assert got(plan) == JINGAN_2022 and plan.number == "静合组办〔2022〕1号"


# -- a positional lead convention stated by the document -------------------------------------------
def _first_separator(text: str, sep: str) -> str:
    """The first separator of each closing 责任单位 / 责任部门 list written ``sep``."""
    return re.sub(r"(责任\s*(?:单\s*位|部\s*门)\s*：)([^、）)]*)、", lambda m: m.group(1) + m.group(2) + sep, text)


def _stated(text: str, statement: str) -> str:
    return text.replace("二、重点任务\n", f"二、重点任务\n{statement}\n")


# 静安's lists with the first unit leading: written by hand from the document
JINGAN_FIRST_LEADS = {
    1: ("区委办公室", "区政府办公室 区政府合作交流办"),
    2: ("区委办公室", "区政府办公室 区政府合作交流办"),
    3: ("区委办公室", "区政府办公室 区政府合作交流办 前方工作机构"),
    4: ("区委组织部", ""),
    5: ("区教育局", "区卫生健康委 前方工作机构"),
    6: ("区委组织部", "区教育局 区人力资源和社会保障局 区卫生健康委 区政府合作交流办"),
    7: ("区司法局", "区财政局 区人力资源和社会保障局 区残联 各街镇 前方工作机构"),
    8: ("区各对口支援领导小组成员单位", "区慈善基金会 前方工作机构"),
    9: ("区商务委", "区人力资源和社会保障局 区国资委 区文化旅游局 区投资办 区总工会 区工商联 前方工作机构"),
    10: ("各领导小组成员单位", "区政府合作交流办 前方工作机构"),
    11: ("各领导小组成员单位", "各相关部门 前方工作机构"),
    12: ("区委宣传部", "区商务委 区投资办 团区委 区妇联 区工商联 各街镇 前方工作机构"),
    13: ("区人力资源和社会保障局", "前方工作机构"),
    14: ("区人力资源和社会保障局", "前方工作机构"),
    15: ("结对企业主管部门", "各街镇 区慈善基金会 区政府合作交流办 前方工作机构"),
    16: ("区教育局", "区卫生健康委 前方工作机构"),
    17: ("区委宣传部", "区民宗办 区文化旅游局 团区委 前方工作机构"),
    18: ("前方工作机构", ""),
}


@pytest.mark.parametrize("statement,sep", [
    ("（各项任务中，逗号前的单位为牵头单位，下同）", "，"),
    ("注：分号前的部门为牵头部门。", "；"),
    ("（责任单位中排在第一位的单位为牵头单位，下同）", "、"),
    ("各项任务所列单位，排名第一的为牵头单位。", "、"),
    ("（牵头单位排在首位，下同）", "、"),
    ("说明：牵头单位列在逗号前。", "，"),
])
def test_a_stated_convention_names_the_lead(statement, sep):
    text = _stated(_first_separator(JINGAN, sep), statement)
    plan = parse(text)
    assert got(plan) == JINGAN_FIRST_LEADS
    assert plan.convention in ("comma", "semicolon", "first")
    no_self_check(plan)


def test_a_convention_stated_at_the_end_of_the_first_list():
    text = _first_separator(JINGAN, "，").replace("区政府合\n\n作交流办）", "区政府合\n\n作交流办。逗号前的单位为牵头单位，下同）", 1)
    assert text.count("下同") == 1
    plan = parse(text)
    assert got(plan) == JINGAN_FIRST_LEADS and plan.convention == "comma"
    no_self_check(plan)


def test_without_the_statement_the_lists_stay_responsible():
    plan = parse(_first_separator(JINGAN, "，"))
    assert got(plan) == JINGAN_2022 and plan.convention is None


def test_a_list_without_the_stated_separator_is_refused():
    text = _stated(_first_separator(JINGAN, "，"), "（各项任务中，逗号前的单位为牵头单位，下同）")
    text = text.replace("区投资办、区总工会", "区投资办、区总工会").replace("（责任部门：\n\n区商务委，", "（责任部门：\n\n区商务委、")
    assert "区商务委，区人力" not in text
    refused_at(text, "区商务委、区人力资源和社会保障局、区国资委")


def test_explicit_labels_win_over_a_stated_convention():
    text = MINHANG.replace("二、工作任务\n", "二、工作任务\n（排在第一位的单位为牵头单位，下同）\n")
    plan = parse(text)
    assert got(plan) == MINHANG_2024 and plan.convention == "first"


# -- the labels of the label table: 参与 / 参与单位 and the other words ---------------------------------
def test_participating_units_are_cooperating():
    text = MINHANG.replace("；责任单位：", "；参与单位：").replace("；责任\n\n单位：", "；参与\n\n单位：")
    plan = parse(text)
    assert got(plan) == {n: (lead, "") for n, (lead, _resp) in MINHANG_2024.items()}
    assert coop(plan) == {n: resp for n, (_lead, resp) in MINHANG_2024.items() if resp}
    no_self_check(plan)
    bare = MINHANG.replace("牵头单位：", "牵头：").replace("；责任单位：", "；参与：")
    plan = parse(bare)  # task 22's label is split over two lines (责任 / 单位：) and stays 责任单位
    assert got(plan) == {n: (lead, resp if n == 22 else "") for n, (lead, resp) in MINHANG_2024.items()}
    assert coop(plan) == {n: resp for n, (_lead, resp) in MINHANG_2024.items() if resp and n != 22}


# -- small documents written for these tests ---------------------------------------------------------
HEAD = ["上海市长宁区人民政府合作交流办公室文件", "长合办〔2025〕3号"]


def doc(title: str, *body: str, closing=("长宁区人民政府合作交流办公室", "2025年3月3日")) -> str:
    return "\n".join([*HEAD, title, *body, *closing])


LABELS_DOC = doc(
    "长宁区2025年对口支援工作计划",
    "一、总体要求", "坚持稳中求进，压实各方责任。",
    "二、工作安排",
    "（1）深化产业协作。推动园区共建。（主责单位：区发展改革委；协同单位：区商务委、区科委）",
    "（2）扩大消费帮扶。办好展销活动。（负责部门：区商务委；承办单位：区总工会；协助单位：各街道）",
    "（3）加强人才交流。选派专业人才。（牵头部门：区委组织部；配合部门：区教育局、区卫生健康委；参加单位：区人社局）",
    "（4）做好宣传总结。（责任部门：区委宣传部；协办：区融媒体中心）",
)


def test_every_label_of_the_table():
    plan = parse(LABELS_DOC)
    assert plan.title == "长宁区2025年对口支援工作计划" and plan.district == "长宁区"
    assert got(plan) == {1: ("区发展改革委", ""), 2: ("区商务委", "区总工会"), 3: ("区委组织部", ""),
                         4: ("", "区委宣传部")}
    assert coop(plan) == {1: "区商务委 区科委", 2: "各街道", 3: "区教育局 区卫生健康委 区人社局", 4: "区融媒体中心"}
    assert {t.number: t.section for t in plan.tasks} == dict.fromkeys(range(1, 5), "工作安排")
    no_self_check(plan)


# a 任务清单 with tasks directly under its parts, fields on lines of their own, bare labels
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


def test_a_task_list_with_tasks_under_parts_and_bare_labels():
    plan = parse(LIST_DOC)
    assert plan.title == "2025年长宁区东西部协作重点任务清单"
    assert got(plan) == {1: ("区合作交流办", ""), 2: ("区合作交流办", ""), 3: ("区投资促进办", ""), 4: ("区商务委", ""),
                         5: ("区人社局", "")}
    assert coop(plan) == {1: "各成员单位", 2: "区委办 区府办", 3: "区商务委 区国资委", 5: "各街道 援外机构"}
    assert {t.number: t.section for t in plan.tasks} == {1: "组织保障", 2: "组织保障", 3: "产业合作", 4: "产业合作",
                                                         5: "劳务协作"}
    roles = plan.roles
    lines = LIST_DOC.splitlines()
    assert roles[lines.index("各街道办事处、区政府各委、办、局：") + 1] == "addressees"
    assert roles[lines.index("二、产业合作") + 1] == "part"
    assert roles[lines.index("牵头：区商务委") + 1] == "unit"
    assert roles[len(lines)] == "date" and roles[len(lines) - 1] == "signature"
    assert roles[1] == "issuer" and roles[2] == "number" and roles[3] == "title"
    assert set(roles) == {n for n, ln in enumerate(lines, start=1) if ln.strip()}
    no_self_check(plan)


# an 实施方案 whose lists name the lead first, as it says
PLAN_DOC = doc(
    "长宁区2025年携手兴乡村实施方案",
    "各项任务的责任单位中，排在第一位的单位为牵头单位，下同。",
    "一、主要任务",
    "（一）深化村企结对。动员企业参与结对。（责任单位：区工商联、区国资委、各街道）",
    "（二）推进示范村建设。（责任单位：区农业农村委）",
    "（三）加强公益帮扶。（责任单位：区民政局；区慈善基金会、区红十字会）",
    "二、保障措施",
    "（一）加强组织领导。健全工作机制。",
    "（二）强化督促检查。定期通报进展。",
)


def test_an_implementation_plan_with_a_first_unit_convention():
    plan = parse(PLAN_DOC)
    assert plan.convention == "first"
    assert got(plan) == {1: ("区工商联", "区国资委 各街道"), 2: ("区农业农村委", ""),
                         3: ("区民政局", "区慈善基金会 区红十字会")}
    # safeguards written as prose, with no units, are text, not tasks
    assert got(plan, "safeguard") == {}
    lines = PLAN_DOC.splitlines()
    assert plan.roles[lines.index("（一）加强组织领导。健全工作机制。") + 1] == "note"


# -- task tables: aligned with spaces or bars, part rows inside, cells wrapped ------------------------
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
        cell = {"序号": str(n), "重点任务": f"{_title_of(n, titles)}。按计划推进落实。", "牵头单位": "、".join(lead.split()),
                "责任单位": "、".join(resp.split()), "完成时限": "2025年12月底"}
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
        return "".join(_pad(c, w) for c, w in zip(r, widths)).rstrip()
    return "\n".join([*HEAD, title, "", *map(line, rows), "", "长宁区人民政府合作交流办公室", "2025年3月3日"])


TABLE_TITLE = "长宁区2025年东西部协作和对口支援工作任务分解表"


@pytest.mark.parametrize("wrap,bars,lead_first", [(None, False, True), (9, False, True), (None, True, True),
                                                  (7, True, False), (None, False, False)])
def test_an_aligned_task_table_with_part_rows(wrap, bars, lead_first):
    text = aligned_table(MINHANG_2024, MINHANG_TITLES, MINHANG_SECTION_OF, TABLE_TITLE, wrap, bars, lead_first)
    plan = parse(text)
    assert plan.title == TABLE_TITLE and plan.number == "长合办〔2025〕3号"
    assert got(plan) == MINHANG_2024
    assert {t.number: t.section for t in plan.tasks} == MINHANG_SECTION_OF_PART
    assert {n: t.title for n, t in ((t.number, t) for t in plan.tasks) if n in MINHANG_TITLES} == MINHANG_TITLES
    no_self_check(plan)
    lines = text.splitlines()
    assert plan.roles[lines.index("一、切实扛稳政治责任") + 1] == "table-part"
    text = aligned_table(JINGAN_2022, JINGAN_TITLES, JINGAN_SECTION_OF, TABLE_TITLE, wrap, bars, lead_first)
    assert got(parse(text)) == JINGAN_2022


def test_a_table_whose_unit_column_is_unknown_is_refused():
    text = aligned_table(MINHANG_2024, MINHANG_TITLES, MINHANG_SECTION_OF, TABLE_TITLE).replace("责任单位", "督办单位", 1)
    refused_at(text, "督办单位")


def test_a_table_row_out_of_line_is_refused():
    text = aligned_table(MINHANG_2024, MINHANG_TITLES, MINHANG_SECTION_OF, TABLE_TITLE, wrap=9)
    # a wrapped line of task 12's lead units shifted under the deadline column: never read as a deadline
    lines = text.splitlines()
    deadline_at = _w(lines[4][:lines[4].index("完成时限")])
    k = next(i for i, ln in enumerate(lines) if ln.strip() == "政局、区机管局、各")
    lines[k] = " " * deadline_at + "政局、区机管局、各"
    refused_at("\n".join(lines), "政局、区机管局、各")


# -- refusals: a numbered item that is not a task, a unit label no task used --------------------------
def test_a_numbered_item_that_is_not_a_task_is_refused():
    text = MINHANG.replace("\n附件：", "\n25. 其他工作。按要求完成好区委、区政府交办的其他事项。\n\n附件：")
    problems = refused_at(text, "25. 其他工作")
    assert any("没有单位字段" in p.message for p in problems)
    # the same under parts, in a small list
    text = LIST_DOC.replace("4、扩大消费帮扶。\n牵头：区商务委", "4、扩大消费帮扶。办好展销活动。")
    refused_at(text, "4、扩大消费帮扶")


def test_a_numbered_goal_list_without_units_is_text_not_tasks():
    text = LIST_DOC.replace("一、组织保障", "一、工作目标\n1、帮扶机制更加健全。\n2、协作成效持续显现。\n二、组织保障") \
        .replace("二、产业合作", "三、产业合作").replace("三、劳务协作", "四、劳务协作")
    plan = parse(text)
    assert got(plan) == got(parse(LIST_DOC))
    lines = text.splitlines()
    assert plan.roles[lines.index("1、帮扶机制更加健全。") + 1] == "note"


UNUSED = {  # where a unit label line is put: (seed, transform, the line's text)
    "before the first task of a section": (MINHANG, lambda t: t.replace(
        "（三）接续开展干部人才支援\n", "（三）接续开展干部人才支援\n\n责任单位：区财政局\n"), "责任单位：区财政局"),
    "in the goals": (MINHANG, lambda t: t.replace("一、工作目标\n", "一、工作目标\n\n牵头单位：区审计局\n"),
                     "牵头单位：区审计局"),
    "after the signature": (JINGAN, lambda t: t.rstrip() + "\n\n配合单位：区财政局\n", "配合单位：区财政局"),
    "after a closing bracket": (JINGAN, lambda t: t.replace("（责任部门：区委组织部）\n", "（责任部门：区委组织部）参与单位：区教育局\n", 1),
                                "参与单位：区教育局"),
}


@pytest.mark.parametrize("where", list(UNUSED))
def test_a_unit_label_no_task_used_is_refused(where):
    seed, transform, fragment = UNUSED[where]
    text = transform(seed)
    assert text != seed
    refused_at(text, fragment)
    line = next(n for n, ln in enumerate(text.splitlines(), start=1) if fragment in ln)
    forced = parse(text, force=True)
    assert any("自检" in w.message and w.line == line for w in forced.warnings)


def test_every_line_of_the_seeds_has_a_role():
    for text in (JINGAN, MINHANG):
        plan = parse(text)
        lines = text.splitlines()
        assert set(plan.roles) == {n for n, ln in enumerate(lines, start=1) if ln.strip()}
        assert set(plan.roles.values()) <= {"title", "number", "issuer", "addressees", "preamble", "part", "section",
                                            "task", "unit", "note", "signature", "date", "closing", "page"}
        assert set(plan.roles.values()) <= set(LINE_ROLES)
    plan = parse(JINGAN)
    lines = JINGAN.splitlines()
    assert plan.roles[lines.index("7") + 1] == "page"
    assert plan.roles[lines.index("二、重点任务") + 1] == "part"
    assert plan.roles[lines.index("（一）组织领导") + 1] == "section"
    assert plan.roles[lines.index("2022 年 6 月 29 日") + 1] == "date"
    plan = parse(MINHANG)
    lines = MINHANG.splitlines()
    assert plan.roles[lines.index("牵头单位：区合作交流办；责任单位：各成员单位") + 1] == "unit"
    assert plan.roles[lines.index("公开属性：依申请公开") + 1] == "closing"
    assert plan.roles[lines.index("闵行区人民政府办公室文件") + 1] == "issuer"
    assert plan.roles[lines.index("闵府办发〔2024〕20号") + 1] == "number"


# -- more ways of writing units and tables ------------------------------------------------------------
def test_units_marked_with_their_own_role_and_other_spellings():
    text = doc("长宁区2025年东西部协作工作要点", "一、重点任务",
               "1. 推进园区共建。（责任单位：区投资促进办（牵头）、区商务委、区国资委（配合））",
               "2. 扩大消费帮扶。（牵头单位（部门）：区商务委/区总工会；责任单位/部门：各街道）",
               "3. 做好劳务协作。（牵头单位∶区人社局；责任单位∶援外机构）")
    plan = parse(text)
    assert got(plan) == {1: ("区投资促进办", "区商务委"), 2: ("区商务委 区总工会", "各街道"), 3: ("区人社局", "援外机构")}
    assert coop(plan) == {1: "区国资委"}
    no_self_check(plan)


def test_a_lead_marked_by_typeface_is_refused():
    text = doc("长宁区2025年东西部协作工作要点", "一、重点任务", "（加粗的单位为牵头单位）",
               "1. 推进园区共建。（责任单位：区投资促进办、区商务委）")
    refused_at(text, "加粗的单位为牵头单位")


SPACED_TABLE = "\n".join([
    *HEAD, "长宁区2025年对口支援重点任务清单", "",
    "序  号    重点领域      工作任务          具体举措                  牵 头 单 位     配合单位        完成时间",
    "一          产业协作",
    "1          产业协作      推进园区共建      引导企业落地投资          区投资促进办    区商务委        全年",
    "2                        扩大消费帮扶      办好展销活动              区商务委        区总工会、      年底前",
    "                                                                                    各街道",
    "二          劳务协作",
    "3          劳务协作      稳定务工就业      组织专场招聘              区人社局        援外机构        全年",
    "", "长宁区人民政府合作交流办公室", "2025年3月3日"])


def test_a_spaced_header_two_task_columns_and_part_rows_by_numeral():
    plan = parse(SPACED_TABLE)
    assert got(plan) == {1: ("区投资促进办", ""), 2: ("区商务委", ""), 3: ("区人社局", "")}
    assert coop(plan) == {1: "区商务委", 2: "区总工会 各街道", 3: "援外机构"}
    t = {t.number: t for t in plan.tasks}
    assert (t[1].title, t[1].text) == ("推进园区共建", "推进园区共建。引导企业落地投资")
    assert {n: x.section for n, x in t.items()} == {1: "产业协作", 2: "产业协作", 3: "劳务协作"}
    no_self_check(plan)


def test_a_row_left_outside_the_table_is_refused():
    text = SPACED_TABLE.replace("\n二          劳务协作", "\n注：以上任务按季度报送进展。\n二          劳务协作")
    refused_at(text, "3          劳务协作")


# a table as a PDF's text layer gives it: headers centred over their columns, cells wrapped, the
# signature below the table at the right
CENTRED_TABLE = """\
上海市徐汇区对口支援与合作交流工作领导小组办公室文件
徐合组办〔2025〕2号
徐汇区2025年东西部协作和对口支援工作任务分解表

  序号            重点任务                        牵头单位               责任单位           完成时限
                                       一、加强组织领导
   1     召开区对口支援与合作交流工作领导     区合作交流办        各成员单位               2025年3月
         小组全体会议，部署年度工作。
   2     区主要领导赴结对地区调研对接。       区委办、区府办      区合作交流办、援外       2025年10月
                                                                  机构
                                       二、深化产业协作
   3     推进园区共建，引导企业落地。         区投资促进办        区商务委、区国资委、     全年
                                                                  区科委
   4     扩大消费帮扶规模，完成采购任务。     区商务委            区总工会、各街道（镇）   全年

                                                       徐汇区对口支援与合作交流
                                                       工作领导小组办公室
                                                       2025年2月20日
"""
CENTRED_UNITS = {1: ("区合作交流办", "各成员单位"), 2: ("区委办 区府办", "区合作交流办 援外机构"),
                 3: ("区投资促进办", "区商务委 区国资委 区科委"), 4: ("区商务委", "区总工会 各街道（镇）")}


def test_a_table_with_centred_headers_and_a_signature_below():
    plan = parse(CENTRED_TABLE)
    assert got(plan) == CENTRED_UNITS
    assert [t.title for t in plan.tasks] == ["召开区对口支援与合作交流工作领导小组全体会议，部署年度工作",
                                             "区主要领导赴结对地区调研对接", "推进园区共建，引导企业落地",
                                             "扩大消费帮扶规模，完成采购任务"]
    assert [t.section for t in plan.tasks] == ["加强组织领导", "加强组织领导", "深化产业协作", "深化产业协作"]
    no_self_check(plan)
    # without the issuer's line on top, the blank line before the signature still ends the table
    plan = parse(CENTRED_TABLE.replace("上海市徐汇区对口支援与合作交流工作领导小组办公室文件\n", ""))
    assert got(plan) == CENTRED_UNITS


def test_a_row_with_an_empty_cell_keeps_its_columns():
    text = CENTRED_TABLE.replace("   4     扩大消费帮扶规模，完成采购任务。     区商务委            区总工会",
                                 "   4     扩大消费帮扶规模，完成采购任务。                         区总工会")
    assert text != CENTRED_TABLE
    assert got(parse(text))[4] == ("", "区总工会 各街道（镇）")


# a notice carrying the work points, tasks （一）… directly under a part, fields in closing brackets
# broken by page footers, safeguards as prose
NOTICE_DOC = """\
上海市浦东新区人民政府合作交流办公室文件

浦合办〔2025〕5号

关于印发《浦东新区2025年东西部协作和对口支援工作要点》的通知

各街道办事处、镇人民政府，区政府各委、办、局：
现将《浦东新区2025年东西部协作和对口支援工作要点》印发给你们，请结合实际认真贯彻落实。

浦东新区人民政府合作交流办公室
2025年3月10日

浦东新区2025年东西部协作和对口支援工作要点

一、总体要求
坚持以习近平新时代中国特色社会主义思想为指导，推动帮扶工作提质增效。

二、重点工作
（一）强化组织领导，压实帮扶责任。召开领导小组会议，研究部署全年工作；区主要领导赴结对地区考察对接。（牵头单位：区合作交流办；配合单位：区委办、区府办、
— 1 —
各成员单位）
（二）深化产业合作。引导企业到结对地区投资兴业，推进产业园区共建。（牵头单位：区商务委、区投资办；配合单位：区国资委、区科经委）
（三）拓展消费帮扶。组织开展展销活动，推动帮扶产品进机关、进企业。（牵头单位：区商务委；配合单位：区总工会、各街镇）
（四）加强人才交流。选派党政干部和专业技术人才到结对地区挂职。（牵头单位：区委组织部；配合单位：区教育局、区卫生健康委、区人力资源和社会保
— 2 —
障局）
三、保障措施
（一）加强统筹协调。各成员单位要按照职责分工，抓好各项任务落实。
（二）强化督促检查。区合作交流办定期通报工作进展。
"""
# no issuer line: the signature is known by the district's name before the date
NO_ISSUER_DOC = """\
杨浦区2025年对口支援工作要点

为做好2025年对口支援工作，制定本要点。

一、加强组织保障
1．召开领导小组会议。研究年度重点工作。
责任单位：区合作交流办（牵头）、各成员单位
2．开展调研互访。区领导带队赴对口地区考察。
责任单位：区委办、区府办、区合作交流办
二、深化产业协作
3．推进产业合作。引导企业投资兴业。
责任单位：区商务委（牵头），区国资委、区科委
4．扩大消费帮扶。举办展销活动。
责任单位：区商务委
三、推进人才支援
5．选派干部人才。选派优秀干部挂职。
责任单位：区委组织部（牵头）、区教育局、区卫生健康委

杨浦区人民政府合作交流办公室
2025年2月28日
"""


def test_a_notice_with_bracket_fields_broken_by_footers():
    plan = parse(NOTICE_DOC)
    assert (plan.title, plan.number, plan.date) == ("浦东新区2025年东西部协作和对口支援工作要点", "浦合办〔2025〕5号",
                                                    "2025-03-10")
    assert got(plan) == {1: ("区合作交流办", ""), 2: ("区商务委 区投资办", ""), 3: ("区商务委", ""), 4: ("区委组织部", "")}
    assert coop(plan) == {1: "区委办 区府办 各成员单位", 2: "区国资委 区科经委", 3: "区总工会 各街镇",
                          4: "区教育局 区卫生健康委 区人力资源和社会保障局"}
    assert got(plan, "safeguard") == {}
    no_self_check(plan)


def test_a_document_without_issuer_line_and_leads_marked_in_the_list():
    plan = parse(NO_ISSUER_DOC)
    assert got(plan) == {1: ("区合作交流办", "各成员单位"), 2: ("", "区委办 区府办 区合作交流办"),
                         3: ("区商务委", "区国资委 区科委"), 4: ("", "区商务委"),
                         5: ("区委组织部", "区教育局 区卫生健康委")}
    lines = NO_ISSUER_DOC.splitlines()
    assert plan.roles[lines.index("杨浦区人民政府合作交流办公室") + 1] == "signature"
    no_self_check(plan)


CHAPTERS_DOC = doc(
    "静安区2025年对口支援和东西部协作工作要点",
    "第一部分 工作目标", "巩固拓展帮扶成果。",
    "第二部分 重点任务",
    "（一）持续深化产业合作推动结对地区特色产业高质量发展",
    "1. 推进园区共建。（牵头单位：区商务委；责任单位：区国资委、区投资办等单位）",
    "2. 引导企业投资。（牵头单位：区投资办；责任单位：各街道等）",
    "（二）加强干部人才交流",
    "3. 选派专业人才。（牵头单位：区委组织部；责任单位：区教育局）",
)


def test_chapters_long_section_headings_and_lists_ending_in_etc():
    plan = parse(CHAPTERS_DOC)
    assert got(plan) == {1: ("区商务委", "区国资委 区投资办"), 2: ("区投资办", "各街道"), 3: ("区委组织部", "区教育局")}
    assert [t.section for t in plan.tasks] == ["持续深化产业合作推动结对地区特色产业高质量发展"] * 2 + ["加强干部人才交流"]
    assert [t.responsible[-1].etc for t in plan.tasks] == [True, True, False]
    no_self_check(plan)


def test_tasks_run_together_are_refused():
    # a section heading read as a task would carry the fields of the tasks under it: two 牵头单位
    text = CHAPTERS_DOC.replace("（一）持续深化产业合作推动结对地区特色产业高质量发展",
                                "（一）持续深化产业合作。推动结对地区特色产业高质量发展。")
    refused_at(text, "1. 推进园区共建")


MARKDOWN_TABLE = "\n".join([
    *HEAD, "长宁区2025年东西部协作工作任务分解表",
    "| 序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限 |",
    "| --- | --- | --- | --- | --- |",
    "| | 一、组织保障 | | | |",
    "| 1 | 召开领导小组会议。 | 区合作交流办 | 各成员单位 | 3月 |",
    "| 2 | 开展调研互访。 | 区委办、区府办 | 区合作交流办 | 全年 |",
    "| | 二、产业协作 | | | |",
    "| 3 | 推进园区共建。 | 区商务委 | 区国资委、区科委 | 全年 |",
    "| | 引导企业落地。 | | 区投资办 | |",
    "", "长宁区人民政府合作交流办公室", "2025年3月3日"])


def test_a_markdown_table():
    plan = parse(MARKDOWN_TABLE)
    assert got(plan) == {1: ("区合作交流办", "各成员单位"), 2: ("区委办 区府办", "区合作交流办"),
                         3: ("区商务委", "区国资委 区科委 区投资办")}
    assert [t.section for t in plan.tasks] == ["组织保障", "组织保障", "产业协作"]
    assert plan.tasks[2].text == "推进园区共建。引导企业落地。"
    no_self_check(plan)


def test_role_words_after_the_units_they_name():
    text = doc("长宁区2025年东西部协作工作要点", "一、重点任务",
               "1. 推进园区共建。（责任单位：区发改委牵头，区财政局、区商务委配合）",
               "2. 扩大消费帮扶。（责任单位：区商务委牵头，区总工会参与，各街道）",
               "3. 做好劳务协作。（责任单位：区人社局、援外机构）")
    plan = parse(text)
    assert got(plan) == {1: ("区发改委", ""), 2: ("区商务委", "各街道"), 3: ("", "区人社局 援外机构")}
    assert coop(plan) == {1: "区财政局 区商务委", 2: "区总工会"}
    no_self_check(plan)


def test_text_without_units_and_the_units_in_an_attached_table():
    # the work points list their tasks in the text; the attachment's table names the units
    table = aligned_table(MINHANG_2024, MINHANG_TITLES, MINHANG_SECTION_OF, TABLE_TITLE).splitlines()
    header = next(i for i, ln in enumerate(table) if ln.startswith("序号"))
    text = re.sub(r"(?m)^牵头单位：.*\n(?:\n?单位：.*\n)?", "", MINHANG)
    assert "牵头单位" not in text
    text = text.replace("\n附件：", "\n附件：\n" + "\n".join(table[header:header + 40]) + "\n", 1)
    plan = parse(text)
    assert got(plan) == MINHANG_2024
    no_self_check(plan)
    # a table with one task fewer than the text cannot be matched to it
    short = aligned_table({n: u for n, u in MINHANG_2024.items() if n < 24}, MINHANG_TITLES,
                          {s: tuple(n for n in ns if n < 24) for s, ns in MINHANG_SECTION_OF.items()}, TABLE_TITLE)
    rows = short.splitlines()
    h = next(i for i, ln in enumerate(rows) if ln.startswith("序号"))
    text2 = re.sub(r"(?m)^牵头单位：.*\n(?:\n?单位：.*\n)?", "", MINHANG).replace(
        "\n附件：", "\n附件：\n" + "\n".join(rows[h:h + 38]) + "\n", 1)
    problems = refused_at(text2, "加强组织领导。按计划推进落实")
    assert any("正文有 24 项任务，任务分解表有 23 项" in p.message for p in problems)


# -- the classes together: every pair of transformations, exact or refused, never silently wrong -------
def _participating(text: str) -> str:
    return text.replace("；责任单位：", "；参与单位：").replace("；责任\n\n单位：", "；参与\n\n单位：")


def _rewrap(width: int):
    from test_layout_variants import rewrap
    return lambda t: rewrap(t, width)


def _half_width(text: str) -> str:
    return text.translate(str.maketrans({"（": "(", "）": ")", "：": ":", "；": ";", "．": "."}))


COMBINABLE = {
    "participating": _participating,  # applied first: the others rewrite the labels it looks for
    "parts": lambda t: sections_to_parts(t, "工作任务" if "工作任务" in t else "重点任务"),
    "parts-restart": lambda t: sections_to_parts(t, "工作任务" if "工作任务" in t else "重点任务", True),
    "footers": footers_between_lines,
    "footers-inside": footers_inside_names,
    "rewrapped": _rewrap(23),
    "half-width": _half_width,
}
PAIRS = [(a, b) for i, a in enumerate(COMBINABLE) for b in list(COMBINABLE)[i + 1:]
         if {a, b} != {"parts", "parts-restart"}]


@pytest.mark.parametrize("pair", PAIRS, ids="+".join)
def test_pairs_of_layouts_are_exact_or_refused(pair):
    for seed, expected in ((JINGAN, JINGAN_2022), (MINHANG, MINHANG_2024)):
        text = seed
        for name in pair:
            text = COMBINABLE[name](text)
        if "participating" in pair and seed is MINHANG:
            expected = {n: (lead, "") for n, (lead, _resp) in expected.items()}
        # rewrapping at a fixed width cuts footers apart (第 6 页 | 共 12 页), which no PDF does: the
        # pieces left inside unit names must refuse the document, naming their lines
        may_refuse = "rewrapped" in pair and any(name.startswith("footers") for name in pair)
        try:
            plan = parse(text)
        except ParseRefused as e:
            lines = text.splitlines()
            assert may_refuse and e.problems, e.problems
            assert all(0 < p.line <= len(lines) and lines[p.line - 1].strip() for p in e.problems)
            continue
        assert got(plan) == expected


def test_a_list_inside_a_task_numbered_another_way_is_text():
    text = LIST_DOC.replace("1、召开领导小组会议。研究年度重点工作。",
                            "1、召开领导小组会议。研究年度重点工作：\n1.审议工作要点；\n2.听取进展汇报。")
    plan = parse(text)
    assert got(plan) == got(parse(LIST_DOC))
    assert "1.审议工作要点；2.听取进展汇报。" in plan.tasks[0].text


# tasks numbered （一）… straight under the parts and running on through them, fields on a line of
# their own in brackets or 【】, a footer inside a field
PCN_UNDER_PARTS = """\
上海市黄浦区人民政府办公室文件
黄府办〔2025〕8号
2025年黄浦区对口支援与合作交流工作要点
一、总体目标
全面完成年度帮扶任务。
二、加强组织领导
（一）召开领导小组会议。研究部署全年工作。
（牵头单位：区合作交流办；责任单位：各成员单位）
（二）开展调研互访。区主要领导带队赴结对地区。
（牵头单位：区委办、区府办；责任单位：区合作交流办）
三、深化产业合作
（三）推进园区共建。引导企业投资兴业。
【牵头单位】区商务委【责任单位】区国资委、区投资促进办
- 2 -
（四）扩大消费帮扶。完成年度采购任务，总量不低于
5000万元。（牵头单位：区商务委；责任单位：区总工会、各街道、区
机管局）
四、保障措施
（一）强化统筹。区合作交流办加强协调。
（二）严格考核。纳入年度绩效考核。
上海市黄浦区人民政府办公室
2025年1月20日
"""
# a tab-separated list with one unit column and the convention stated in a note below it
NOTED_TABLE = """\
长宁区2025年东西部协作重点任务清单
序号	重点任务	责任单位	完成时限
一、组织领导
1	召开领导小组会议。	区合作交流办、各成员单位	3月底前
2	开展调研互访。	区委办、区府办、区合作交流办	全年
二、产业协作
3	推进园区共建。	区商务委	全年
注：责任单位中排在第一位的为牵头单位。
长宁区人民政府合作交流办公室
2025年2月1日
"""


def test_items_numbered_in_brackets_under_parts():
    plan = parse(PCN_UNDER_PARTS)
    assert got(plan) == {1: ("区合作交流办", "各成员单位"), 2: ("区委办 区府办", "区合作交流办"),
                         3: ("区商务委", "区国资委 区投资促进办"), 4: ("区商务委", "区总工会 各街道 区机管局")}
    assert [t.written for t in plan.tasks] == [1, 2, 3, 4]
    assert [t.section for t in plan.tasks] == ["加强组织领导"] * 2 + ["深化产业合作"] * 2
    assert plan.tasks[3].text.endswith("总量不低于5000万元。")
    no_self_check(plan)


def test_a_table_with_one_unit_column_and_a_noted_convention():
    plan = parse(NOTED_TABLE)
    assert plan.convention == "first"
    assert got(plan) == {1: ("区合作交流办", "各成员单位"), 2: ("区委办", "区府办 区合作交流办"), 3: ("区商务委", "")}
    lines = NOTED_TABLE.splitlines()
    assert [plan.roles[n] for n in range(1, len(lines) + 1)] == [
        "title", "table-header", "table-part", "table-row", "table-row", "table-part", "table-row", "note",
        "signature", "date"]
    no_self_check(plan)


def test_a_task_whose_fields_are_all_empty_is_refused():
    refused_at(LIST_DOC.replace("牵头：区商务委", "牵头："), "4、扩大消费帮扶")
    text = aligned_table(MINHANG_2024, MINHANG_TITLES, MINHANG_SECTION_OF, TABLE_TITLE, bars=True)
    refused_at(text.replace("｜区人社局｜｜", "｜｜｜"), "｜14｜")


@pytest.mark.parametrize("bars", [False, True])
def test_a_header_written_over_two_lines(bars):
    text = aligned_table(MINHANG_2024, MINHANG_TITLES, MINHANG_SECTION_OF, TABLE_TITLE, bars=bars)
    lines = text.splitlines()
    k = next(i for i, ln in enumerate(lines) if "序号" in ln)
    if bars:
        lines[k:k + 1] = ["｜序号｜重点任务｜牵头｜责任｜完成｜", "｜｜｜单位｜单位｜时限｜"]
    else:
        head, low = lines[k], ""
        top = head.replace("牵头单位", "牵头    ").replace("责任单位", "责任    ").replace("完成时限", "完成    ")
        for word, second in (("牵头单位", "单位"), ("责任单位", "单位"), ("完成时限", "时限")):
            low = _pad(low, _w(head[:head.index(word)]) + 4) + second  # under the word's second half
        lines[k:k + 1] = [top.rstrip(), low]
    plan = parse("\n".join(lines))
    assert got(plan) == MINHANG_2024
    assert plan.roles[k + 1] == plan.roles[k + 2] == "table-header"


def test_a_title_without_the_district_takes_it_from_the_issuer():
    text = LIST_DOC.replace("2025年长宁区东西部协作重点任务清单", "2025年东西部协作重点任务清单")
    plan = parse(text)
    assert (plan.title, plan.district, plan.year) == ("2025年东西部协作重点任务清单", "长宁区", 2025)
    assert got(plan) == got(parse(LIST_DOC))


def test_unlabelled_lists_under_a_stated_convention():
    text = doc("长宁区2025年东西部协作工作要点", "（各项任务括号内逗号前的单位为牵头单位，逗号后的为责任单位）", "一、重点任务",
               "1. 推进园区共建。引导企业落地。（区投资促进办，区商务委、区国资委）",
               "2. 扩大消费帮扶。（区商务委、区总工会，各街道）",
               "3. 做好劳务协作。（区人社局）")
    plan = parse(text)
    assert got(plan) == {1: ("区投资促进办", "区商务委 区国资委"), 2: ("区商务委 区总工会", "各街道"), 3: ("区人社局", "")}
    assert plan.tasks[0].text == "推进园区共建。引导企业落地。"
    no_self_check(plan)
    # without the statement the same lists are no unit fields: refused
    refused_at(text.replace("（各项任务括号内逗号前的单位为牵头单位，逗号后的为责任单位）\n", ""), "1. 推进园区共建")


def test_fields_heading_the_item():
    text = doc("长宁区2025年东西部协作工作要点", "一、重点任务",
               "1.【牵头单位：区投资促进办；责任单位：区商务委】推进园区共建。引导企业落地。",
               "2.（牵头单位：区商务委）扩大消费帮扶。办好展销活动。")
    plan = parse(text)
    assert got(plan) == {1: ("区投资促进办", "区商务委"), 2: ("区商务委", "")}
    assert [(t.title, t.text) for t in plan.tasks] == [("推进园区共建", "推进园区共建。引导企业落地。"),
                                                       ("扩大消费帮扶", "扩大消费帮扶。办好展销活动。")]
    no_self_check(plan)


SINGLE_SPACED_TABLE = "\n".join([
    *HEAD, "长宁区2025年东西部协作和对口支援工作任务分解表",
    "序号 重点任务 牵头单位 责任单位 完成时限",
    "一、加强组织领导",
    "1 召开领导小组全体会议 区合作交流办 各成员单位 2025年3月",
    "2 区领导赴结对地区调研 区委办、区府办 区合作交流办 全年",
    "二、深化产业协作",
    "3 推进园区共建 区投资促进办 区商务委、区国资委 全年",
    "", "长宁区人民政府合作交流办公室", "2025年3月3日"])


def test_a_table_with_one_space_between_its_cells():
    plan = parse(SINGLE_SPACED_TABLE)
    assert got(plan) == {1: ("区合作交流办", "各成员单位"), 2: ("区委办 区府办", "区合作交流办"),
                         3: ("区投资促进办", "区商务委 区国资委")}
    assert [t.section for t in plan.tasks] == ["加强组织领导", "加强组织领导", "深化产业协作"]
    no_self_check(plan)
    # a cell holding a space cannot be told from two cells: refused
    refused_at(SINGLE_SPACED_TABLE.replace("区委办、区府办", "区委办 区府办"), "区委办 区府办")


def test_one_unit_per_line_without_separators():
    text = doc("长宁区2025年东西部协作工作要点", "一、重点任务", "1. 推进园区共建。引导企业落地。",
               "牵头单位：", "区投资促进办", "责任单位：", "区商务委", "区国资委", "各街道",
               "2. 扩大消费帮扶。", "牵头单位：区商务委；责任单位：区政府", "合作交流办、区总", "工会")
    plan = parse(text)
    assert got(plan) == {1: ("区投资促进办", "区商务委 区国资委 各街道"), 2: ("区商务委", "区政府合作交流办 区总工会")}
    no_self_check(plan)


def test_a_label_word_with_nothing_after_it_loses_nothing():
    # a notice addressed to 各牵头单位、责任单位： holds the words but no units
    text = LIST_DOC.replace("各街道办事处、区政府各委、办、局：", "各牵头单位、责任单位：")
    plan = parse(text)
    assert got(plan) == got(parse(LIST_DOC))
    assert plan.roles[text.splitlines().index("各牵头单位、责任单位：") + 1] == "addressees"
