"""The work-point parser against both seed documents, altered copies and broken input."""
import random
import re

import pytest
from workpoints_expected import (
    JINGAN_2022,
    JINGAN_SAFEGUARDS,
    JINGAN_SECTIONS,
    JINGAN_TITLES,
    MINHANG_2024,
    MINHANG_SECTIONS,
    MINHANG_TITLES,
)

from aidgraph.loaders.workpoints import NotAWorkPlan, ParseRefused, decode, parse
from aidgraph.settings import data_dir

SRC = data_dir() / "sources"
JINGAN = SRC / "002_a07dcf24e75dda9a.txt"
MINHANG = SRC / "003_7bb536ac4fb74f2c.txt"


def _units(refs):
    return " ".join(u.name for u in refs)


def _check(plan, tasks, safeguards, titles, sections):
    got = {t.number: (_units(t.lead), _units(t.responsible)) for t in plan.tasks if t.kind == "task"}
    assert got == tasks
    got_s = {t.number: (_units(t.lead), _units(t.responsible)) for t in plan.tasks if t.kind == "safeguard"}
    assert got_s == safeguards
    for n, title in titles.items():
        assert next(t for t in plan.tasks if t.kind == "task" and t.number == n).title == title
    assert len({t.section for t in plan.tasks if t.kind == "task"}) == sections


def test_jingan_2022_every_task():
    plan = parse(JINGAN.read_text(encoding="utf-8"))
    assert (plan.number, plan.district, plan.year, plan.date) == ("静合组办〔2022〕1号", "静安区", 2022, "2022-06-29")
    assert plan.issuer == "上海市静安区对口支援与合作交流工作领导小组办公室"
    assert plan.title == "2022年静安区东西部协作和对口支援工作要点"
    _check(plan, JINGAN_2022, JINGAN_SAFEGUARDS, JINGAN_TITLES, JINGAN_SECTIONS)
    t11 = next(t for t in plan.tasks if t.number == 11)
    assert t11.responsible[-1].etc is True  # 前方工作机构等
    assert {t.responsible_label for t in plan.tasks} == {"责任单位", "责任部门"}
    t16 = next(t for t in plan.tasks if t.number == 16)
    assert "7" not in t16.text  # the stray page number is not part of the text
    assert plan.warnings == []


def test_minhang_2024_every_task():
    plan = parse(MINHANG.read_text(encoding="utf-8"))
    assert (plan.number, plan.district, plan.year, plan.date) == ("闵府办发〔2024〕20号", "闵行区", 2024, "2024-05-24")
    assert plan.issuer == "闵行区人民政府办公室"
    _check(plan, MINHANG_2024, {}, MINHANG_TITLES, MINHANG_SECTIONS)
    assert plan.warnings == []


def _move_breaks(text: str, seed: int) -> str:
    """Move line breaks inside paragraphs, as another PDF extraction would."""
    rnd = random.Random(seed)
    lines = text.splitlines()
    start = re.compile(r"^\s*(\d{1,2}\s*[.．]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|牵头单位|$)")
    for i in range(len(lines) - 1):
        a, b = lines[i], lines[i + 1]
        if len(a.strip()) > 8 and b.strip() and not start.match(b) and not re.fullmatch(r"\s*\d+\s*", b):
            k = rnd.randint(1, 4)
            lines[i], lines[i + 1] = a[:-k], a[-k:] + b
    return "\n".join(lines)


def _half_width(text: str) -> str:
    return text.translate(str.maketrans({"（": "(", "）": ")", "：": ":", "；": ";", "．": "."}))


def _page_numbers(text: str, seed: int) -> str:
    rnd = random.Random(seed)
    out = []
    for i, line in enumerate(text.splitlines()):
        out.append(line)
        if i % 17 == 5:
            out += ["", str(rnd.randint(2, 30)), ""]
    return "\n".join(out)


def _split_labels(text: str) -> str:
    return text.replace("责任单位：", "责任\n单位：").replace("牵头单位：", "牵头\n\n单位：")


ALTERATIONS = {
    "moved-breaks": lambda t: _move_breaks(t, 1),
    "half-width": _half_width,
    "page-numbers": lambda t: _page_numbers(t, 2),
    "split-labels": _split_labels,
    "all-together": lambda t: _split_labels(_page_numbers(_half_width(_move_breaks(t, 3)), 4)),
}


@pytest.mark.parametrize("alteration", list(ALTERATIONS))
def test_altered_copies_give_the_same_tasks(alteration):
    fn = ALTERATIONS[alteration]
    jingan = parse(fn(JINGAN.read_text(encoding="utf-8")))
    _check(jingan, JINGAN_2022, JINGAN_SAFEGUARDS, JINGAN_TITLES, JINGAN_SECTIONS)
    minhang = parse(fn(MINHANG.read_text(encoding="utf-8")))
    _check(minhang, MINHANG_2024, {}, MINHANG_TITLES, MINHANG_SECTIONS)
    assert minhang.number == "闵府办发〔2024〕20号" and jingan.number == "静合组办〔2022〕1号"


def test_altered_copy_really_differs():
    text = JINGAN.read_text(encoding="utf-8")
    for fn in ALTERATIONS.values():
        assert fn(text) != text


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (bytes(range(256)) * 4, "binary"),
    ("这是一份与对口支援无关的会议通知。请各单位准时参加。".encode(), "not a work-points document"),
])
def test_broken_input_is_refused(data, reason):
    with pytest.raises(NotAWorkPlan, match=reason):
        parse(decode(data))


def test_missing_unit_field_is_refused_with_the_line():
    # a numbered item with no unit field may not be a task: refused, unless forced (then a warning)
    text = MINHANG.read_text(encoding="utf-8").replace("牵头单位：区文旅局；责任单位：各街镇（工业区）、援外机构", "")
    with pytest.raises(ParseRefused) as e:
        parse(text)
    (p,) = e.value.problems
    assert "任务13没有单位字段" in p.message
    assert text.splitlines()[p.line - 1].lstrip().startswith("13.")
    plan = parse(text, force=True)
    t13 = next(t for t in plan.tasks if t.number == 13)
    assert t13.lead == [] and t13.responsible == []
    (w,) = plan.warnings
    assert "自检" in w.message and w.line == t13.line == p.line


def test_unknown_label_is_refused_and_never_a_unit():
    # a label the parser does not know, heading the fields or inside them: its units would be lost,
    # so the document is refused with the label's line; forced, the label's units are still never units
    text = MINHANG.read_text(encoding="utf-8").replace("牵头单位：区文旅局；", "督办单位：区文旅局；")
    text = text.replace("牵头单位：区人社局、援外机构；责任单位：各街镇（工业区）",
                        "牵头单位：区人社局、援外机构；督办单位：区审计局；责任单位：各街镇（工业区）")
    with pytest.raises(ParseRefused) as e:
        parse(text)
    lines = text.splitlines()
    assert [p.line for p in e.value.problems] == [i for i, ln in enumerate(lines, 1) if "督办单位" in ln]
    plan = parse(text, force=True)
    t13 = next(t for t in plan.tasks if t.number == 13)
    t17 = next(t for t in plan.tasks if t.number == 17)
    assert (_units(t13.lead), _units(t13.responsible)) == ("", "各街镇（工业区） 援外机构")
    assert (_units(t17.lead), _units(t17.responsible)) == ("区人社局 援外机构", "各街镇（工业区）")
    found = [w for w in plan.warnings if "督办单位" in w.message]
    assert len(found) == 2
    assert all("督办单位" in lines[w.line - 1] for w in found)


def test_cooperating_units_are_a_third_role():
    text = MINHANG.read_text(encoding="utf-8").replace("牵头单位：区文旅局；",
                                                       "牵头单位：区文旅局；配合单位：区财政局、区商务委；")
    plan = parse(text)
    t13 = next(t for t in plan.tasks if t.number == 13)
    assert (_units(t13.lead), _units(t13.responsible), _units(t13.cooperating)) == (
        "区文旅局", "各街镇（工业区） 援外机构", "区财政局 区商务委")
    assert plan.warnings == []


# -- numerals past 十: a synthetic plan laid out as the seeds are (issuer, number, title, parts,
# digit-numbered tasks with unit lines, a 保障措施 part with （一）… items), written for this test
def _long_plan() -> str:
    lines = ["长宁区人民政府办公室文件", "长府办发〔2025〕7号", "长宁区2025年东西部协作和对口支援工作要点",
             "一、工作目标", "全年工作稳步推进。", "二、主要任务", "（一）产业协作"]
    for n in range(1, 22):
        lines += [f"{n}. 推进第{n}项协作工作。开展对接。", f"牵头单位：区发展改革委；责任单位：区协作办{n}"]
    lines.append("三、保障措施")
    numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
                "十五", "十六", "十七", "十八", "十九"]
    for i, numeral in enumerate(numerals, start=1):
        lines.append(f"（{numeral}）落实第{i}项保障。加强督促。（责任单位：区督查室）")
    lines += ["（二十）强化资金监管。规范使用资金。（责任单位：区财政局、区审计局）",
              "（二十一）做好宣传总结。讲好协作故事。（牵头单位：区委宣传部；责任单位：各街镇等）",
              "2025年3月3日"]
    return "\n".join(lines)


def test_items_numbered_twenty_and_more():
    plan = parse(_long_plan())
    assert plan.warnings == []
    assert [t.number for t in plan.tasks if t.kind == "task"] == list(range(1, 22))
    safeguards = {t.number: t for t in plan.tasks if t.kind == "safeguard"}
    assert sorted(safeguards) == list(range(1, 22))
    s20, s21 = safeguards[20], safeguards[21]
    assert (s20.title, _units(s20.lead), _units(s20.responsible)) == ("强化资金监管", "", "区财政局 区审计局")
    assert (s21.title, _units(s21.lead), _units(s21.responsible)) == ("做好宣传总结", "区委宣传部", "各街镇")
    assert s21.responsible[-1].etc is True
    assert (safeguards[10].locator, safeguards[12].locator, s20.locator, s21.locator) == (
        "保障措施(十)", "保障措施(十二)", "保障措施(二十)", "保障措施(二十一)")
    t20 = next(t for t in plan.tasks if t.kind == "task" and t.number == 20)
    assert (t20.locator, _units(t20.responsible)) == ("任务20", "区协作办20")


def test_guidance_articles_numbered_twenty_and_more():
    from aidgraph.loaders.guidance import parse_guidance
    text = "\n".join(["一、总体要求", "（一）不是职责。总体说明。", "二、主要职责",
                      "（十九）联络服务。做好联络。", "（二十）信息报送。及时报送。", "（二十一）安全管理。守住底线。",
                      "（一一）不是编号。读作正文。"])
    arts = parse_guidance(text)
    assert [(a.number, a.title) for a in arts] == [(19, "联络服务"), (20, "信息报送"), (21, "安全管理")]
    assert arts[-1].text == "守住底线。（一一）不是编号。读作正文。"


def _one_task(fields: str, known=()) -> tuple:
    """A minimal plan with one task whose unit lines are ``fields``; (lead, responsible, warnings)."""
    text = "\n".join(["长宁区人民政府办公室文件", "长府办发〔2025〕7号", "长宁区2025年东西部协作和对口支援工作要点",
                      "一、主要任务", "（一）产业协作", "1. 推进协作工作。开展对接。", fields, "2025年3月3日"])
    plan = parse(text, known_units=known)
    (t,) = plan.tasks
    return _units(t.lead), _units(t.responsible), plan.warnings


@pytest.mark.parametrize("fields,lead,resp", [
    # 及 / 和 / spaces split only where every part is a unit
    ("牵头单位：区人力资源和社会保障局及区教育局", "区人力资源和社会保障局 区教育局", ""),
    ("牵头单位：区委宣传部和区文化旅游局 区总工会", "区委宣传部 区文化旅游局 区总工会", ""),
    ("牵头单位：区领导小组成员单位及相关部门", "区领导小组成员单位及相关部门", ""),
    ("牵头单位：区发展和改革委员会", "区发展和改革委员会", ""),
    # a parenthesised list is one name
    ("牵头单位：区农业农村委；责任单位：各县（市、区）、援外机构", "区农业农村委", "各县（市、区） 援外机构"),
    ("牵头单位：区农业农村委;责任单位:各县(市、区),援外机构", "区农业农村委", "各县（市、区） 援外机构"),
    # labels in brackets, and a note that is not a unit
    ("【牵头单位】区经委；〔责任单位〕区商务委", "区经委", "区商务委"),
    ("（牵头单位）区经委；（责任单位）区商务委（排名第一的为牵头单位，下同）", "区经委", "区商务委"),
])
def test_unit_lists(fields, lead, resp):
    got_lead, got_resp, warnings = _one_task(fields)
    assert (got_lead, got_resp) == (lead, resp)
    assert all("下同" in w.message for w in warnings)


def test_a_known_name_is_not_split_at_a_space():
    assert _one_task("牵头单位：区政府 合作交流办", known={"区政府合作交流办"})[0] == "区政府合作交流办"
