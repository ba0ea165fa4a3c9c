"""Variants of the two seed work-point documents (静安 2022, 闵行 2024), made here at test time, in
the layouts issue 17 names: tasks directly under parts, page footers between and inside unit names,
a stated positional lead convention, the labels 参与 / 参与单位, the classes together; and the
refusals (a numbered item that is not a task, a gap or repeat in the numbers, an unused label).
Each is exact against the hand-written units of ``workpoints_expected`` or refused with its lines —
never silently wrong. The small documents written for the tests are in ``test_unseen_documents``."""
from __future__ import annotations

import re

import pytest
from unseen_corpus import (
    FOOTERS,
    JINGAN,
    LIST_DOC,
    MINHANG,
    MINHANG_SECTION_OF_PART,
    TABLE_TITLE,
    _pad,
    _w,
    aligned_table,
    coop,
    footers_between_lines,
    footers_inside_names,
    got,
    no_self_check,
    refused_at,
    sections_to_parts,
)
from workpoints_expected import (
    JINGAN_2022,
    JINGAN_SAFEGUARDS,
    JINGAN_TITLES,
    MINHANG_2024,
    MINHANG_SECTION_OF,
    MINHANG_TITLES,
)

from aidgraph.loaders.workpoints import LINE_ROLES, ParseRefused, parse


# -- tasks directly under the parts 一、二、… (no （一） level) ---------------------------------------
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
    body = "\n".join(["长宁区人民政府办公室文件", "长府办发〔2025〕7号", "长宁区2025年东西部协作工作要点",
                      "一、重点任务", "1. 推进产业协作。开展对接。", "牵头单位：区发展改", *FOOTERS,
                      "革委；责任单位：区商务委", "2025年3月3日"])
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
    text = _first_separator(JINGAN, "，").replace("区政府合\n\n作交流办）",
                                                  "区政府合\n\n作交流办。逗号前的单位为牵头单位，下同）", 1)
    assert text.count("下同") == 1
    plan = parse(text)
    assert got(plan) == JINGAN_FIRST_LEADS and plan.convention == "comma"
    no_self_check(plan)


def test_without_the_statement_the_lists_stay_responsible():
    plan = parse(_first_separator(JINGAN, "，"))
    assert got(plan) == JINGAN_2022 and plan.convention is None


def test_a_list_without_the_stated_separator_is_refused():
    text = _stated(_first_separator(JINGAN, "，"), "（各项任务中，逗号前的单位为牵头单位，下同）")
    text = text.replace("区投资办、区总工会", "区投资办、区总工会").replace("（责任部门：\n\n区商务委，",
                                                                         "（责任部门：\n\n区商务委、")
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


# -- refusals: a numbered item that is not a task, a unit label no task used --------------------------
def test_a_numbered_item_that_is_not_a_task_is_refused():
    text = MINHANG.replace("\n附件：", "\n25. 其他工作。按要求完成好区委、区政府交办的其他事项。\n\n附件：")
    problems = refused_at(text, "25. 其他工作")
    assert any("没有单位字段" in p.message for p in problems)
    # the same under parts, in a small list
    text = LIST_DOC.replace("4、扩大消费帮扶。\n牵头：区商务委", "4、扩大消费帮扶。办好展销活动。")
    refused_at(text, "4、扩大消费帮扶")


def test_a_numbered_goal_list_without_units_is_text_not_tasks():
    text = LIST_DOC.replace("一、组织保障",
                            "一、工作目标\n1、帮扶机制更加健全。\n2、协作成效持续显现。\n二、组织保障") \
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
    "after a closing bracket": (JINGAN, lambda t: t.replace(
        "（责任部门：区委组织部）\n", "（责任部门：区委组织部）参与单位：区教育局\n", 1), "参与单位：区教育局"),
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
