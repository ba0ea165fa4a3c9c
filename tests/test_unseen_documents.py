"""Work-point documents written for the tests, small and in layouts districts use (a task list, a
work plan, an implementation plan, a notice, task tables aligned with spaces, bars or tabs, headers
centred or over two lines …), here or as files in ``tests/corpus/``, each with its units written by
hand: every one parsed exactly, or refused with the lines at fault."""
from __future__ import annotations

import json

import pytest
from unseen_corpus import (
    HEAD,
    LIST_DOC,
    MINHANG_SECTION_OF_PART,
    TABLE_TITLE,
    _w,
    aligned_table,
    coop,
    corpus,
    doc,
    got,
    no_self_check,
    refused_at,
)
from workpoints_expected import (
    JINGAN_2022,
    JINGAN_SECTION_OF,
    JINGAN_TITLES,
    MINHANG_2024,
    MINHANG_SECTION_OF,
    MINHANG_TITLES,
)

from aidgraph.loaders.workpoints import parse

# -- small documents written for these tests ---------------------------------------------------------
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
    text = aligned_table(MINHANG_2024, MINHANG_TITLES, MINHANG_SECTION_OF, TABLE_TITLE)
    text = text.replace("责任单位", "督办单位", 1)
    refused_at(text, "督办单位")


def test_a_table_row_out_of_line_is_refused():
    text = aligned_table(MINHANG_2024, MINHANG_TITLES, MINHANG_SECTION_OF, TABLE_TITLE, wrap=9)
    # a wrapped line of task 12's lead units shifted under the deadline column: never read as a deadline
    lines = text.splitlines()
    deadline_at = _w(lines[4][:lines[4].index("完成时限")])
    k = next(i for i, ln in enumerate(lines) if ln.strip() == "政局、区机管局、各")
    lines[k] = " " * deadline_at + "政局、区机管局、各"
    refused_at("\n".join(lines), "政局、区机管局、各")


# -- more ways of writing units and tables ------------------------------------------------------------
def test_units_marked_with_their_own_role_and_other_spellings():
    text = doc("长宁区2025年东西部协作工作要点", "一、重点任务",
               "1. 推进园区共建。（责任单位：区投资促进办（牵头）、区商务委、区国资委（配合））",
               "2. 扩大消费帮扶。（牵头单位（部门）：区商务委/区总工会；责任单位/部门：各街道）",
               "3. 做好劳务协作。（牵头单位∶区人社局；责任单位∶援外机构）")
    plan = parse(text)
    assert got(plan) == {1: ("区投资促进办", "区商务委"), 2: ("区商务委 区总工会", "各街道"),
                         3: ("区人社局", "援外机构")}
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
# a table as a PDF's text layer gives it: headers centred over their columns, cells wrapped, the
# signature below the table at the right
CENTRED_TABLE = corpus("centred-table.txt")
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
# a notice carrying the work points, tasks （一）… directly under a part, fields in closing brackets
# broken by page footers, safeguards as prose
NOTICE_DOC = corpus("notice-footers.txt")
# no issuer line: the signature is known by the district's name before the date
NO_ISSUER_DOC = corpus("no-issuer.txt")


def test_a_notice_with_bracket_fields_broken_by_footers():
    plan = parse(NOTICE_DOC)
    assert (plan.title, plan.number, plan.date) == ("浦东新区2025年东西部协作和对口支援工作要点", "浦合办〔2025〕5号",
                                                    "2025-03-10")
    assert got(plan) == {1: ("区合作交流办", ""), 2: ("区商务委 区投资办", ""), 3: ("区商务委", ""),
                         4: ("区委组织部", "")}
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
    assert [t.section for t in plan.tasks] == (["持续深化产业合作推动结对地区特色产业高质量发展"] * 2
                                               + ["加强干部人才交流"])
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


# tasks numbered （一）… straight under the parts and running on through them, fields on a line of
# their own in brackets or 【】, a footer inside a field
PCN_UNDER_PARTS = corpus("items-under-parts.txt")
# a tab-separated list with one unit column and the convention stated in a note below it
NOTED_TABLE = corpus("noted-table.txt")


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


def test_a_title_without_the_district_takes_it_from_the_issuer():
    text = LIST_DOC.replace("2025年长宁区东西部协作重点任务清单", "2025年东西部协作重点任务清单")
    plan = parse(text)
    assert (plan.title, plan.district, plan.year) == ("2025年东西部协作重点任务清单", "长宁区", 2025)
    assert got(plan) == got(parse(LIST_DOC))


def test_unlabelled_lists_under_a_stated_convention():
    text = doc("长宁区2025年东西部协作工作要点", "（各项任务括号内逗号前的单位为牵头单位，逗号后的为责任单位）",
               "一、重点任务",
               "1. 推进园区共建。引导企业落地。（区投资促进办，区商务委、区国资委）",
               "2. 扩大消费帮扶。（区商务委、区总工会，各街道）",
               "3. 做好劳务协作。（区人社局）")
    plan = parse(text)
    assert got(plan) == {1: ("区投资促进办", "区商务委 区国资委"), 2: ("区商务委 区总工会", "各街道"),
                         3: ("区人社局", "")}
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


def test_documents_of_the_corpus_import_with_their_units(cli, data_copy):
    # through import-doc and the whole load, as a user would bring them; then asked for by district
    from unseen_corpus import CORPUS
    for name, district, lead_of_1 in (("notice-footers.txt", "浦东", "区合作交流办"),
                                      ("centred-table.txt", "徐汇", "区合作交流办"),
                                      ("items-under-parts.txt", "黄浦", "区合作交流办")):
        res = cli("import-doc", str(CORPUS / name))
        assert res.exit_code == 0, (name, res.stderr)
        out = cli("tasks", "--district", district, "--year", "2025", "--json")
        tasks = [t for t in json.loads(out.stdout) if t["kind"] == "task"]
        assert len(tasks) == 4, name
        assert [u["name"] for u in next(t for t in tasks if t["number"] == 1)["lead_units"]] == [lead_of_1]


def test_a_label_word_in_the_notice_text_is_not_a_lost_field():
    text = LIST_DOC.replace("各街道办事处、区政府各委、办、局：\n现将任务清单印发给你们，请认真落实。",
                            "各责任单位：现将2025年东西部协作重点任务清单印发给你们，请认真落实。")
    assert text != LIST_DOC
    assert got(parse(text)) == got(parse(LIST_DOC))
    # a unit name after the label in the head is a field no task took: refused
    refused_at(LIST_DOC.replace("现将任务清单印发给你们，请认真落实。", "责任单位：区财政局"), "责任单位：区财政局")


def test_the_title_is_the_line_that_is_only_a_title():
    # a plan cited before the title line (根据《…实施方案》) is not the document's title
    body = LIST_DOC.split("\n")[3:]  # after the issuer, the number and the title
    text = "\n".join([*HEAD, "根据《长宁区2024年东西部协作实施方案》，制定本清单。",
                      "2025年长宁区东西部协作重点任务清单", *body])
    plan = parse(text)
    assert (plan.title, plan.year) == ("2025年长宁区东西部协作重点任务清单", 2025)
    assert got(plan) == got(parse(LIST_DOC))


@pytest.mark.parametrize("name", ["LABELS_DOC", "LIST_DOC", "PLAN_DOC", "SPACED_TABLE", "CENTRED_TABLE", "NOTICE_DOC",
                                  "NO_ISSUER_DOC", "CHAPTERS_DOC", "MARKDOWN_TABLE", "PCN_UNDER_PARTS", "NOTED_TABLE",
                                  "SINGLE_SPACED_TABLE"])
def test_every_line_of_every_document_has_a_role(name):
    from aidgraph.loaders.workpoints import LINE_ROLES
    text = globals()[name]
    plan = parse(text)
    assert set(plan.roles) == {n for n, ln in enumerate(text.splitlines(), start=1) if ln.strip()}
    assert set(plan.roles.values()) <= set(LINE_ROLES)
    # every task starts on a line whose role says so
    assert all(plan.roles[t.line] in ("task", "table-row") for t in plan.tasks)


def test_a_cell_marked_empty_holds_no_unit():
    text = MARKDOWN_TABLE.replace("| 2 | 开展调研互访。 | 区委办、区府办 | 区合作交流办 |",
                                  "| 2 | 开展调研互访。 | 区委办、区府办 | — |")
    text = text.replace("| 1 | 召开领导小组会议。 | 区合作交流办 | 各成员单位 |",
                        "| 1 | 召开领导小组会议。 | 区合作交流办 | 无 |")
    plan = parse(text)
    assert got(plan) == {1: ("区合作交流办", ""), 2: ("区委办 区府办", ""), 3: ("区商务委", "区国资委 区科委 区投资办")}


def test_safeguards_numbered_on_from_the_tasks():
    text = LIST_DOC.replace("参与：各街道、援外机构", "参与：各街道、援外机构\n四、保障措施\n6、加强督促检查。\n"
                                                  "牵头：区合作交流办\n7、强化宣传引导。\n牵头：区委宣传部")
    plan = parse(text)
    assert got(plan) == got(parse(LIST_DOC))
    assert got(plan, "safeguard") == {1: ("区合作交流办", ""), 2: ("区委宣传部", "")}
    assert [t.written for t in plan.tasks if t.kind == "safeguard"] == [6, 7]
