"""Layout variants of the two seed work-point documents, generated here from the seed texts
(numbering, labels, brackets, joins, wrapping, a tab-separated table …). Each variant either
gives exactly the hand-written units of tests/workpoints_expected.py, or is refused with the
line of its defect: none may give a wrong unit silently."""
from __future__ import annotations

import re

import pytest
from workpoints_expected import (
    JINGAN_2022,
    JINGAN_SAFEGUARDS,
    JINGAN_SECTION_OF,
    JINGAN_TITLES,
    MINHANG_2024,
    MINHANG_SECTION_OF,
    MINHANG_TITLES,
)

from aidgraph.loaders.workpoints import ParseRefused, parse
from aidgraph.settings import data_dir

SRC = data_dir() / "sources"
JINGAN = (SRC / "002_a07dcf24e75dda9a.txt").read_text(encoding="utf-8")
MINHANG = (SRC / "003_7bb536ac4fb74f2c.txt").read_text(encoding="utf-8")
CN = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

TASK_LINE = re.compile(r"^(\s*)(\d{1,2})\s*[．.]\s*")
SECTION_LINE = re.compile(r"^(\s*)[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$")
PART_LINE = re.compile(r"^\s*[一二三四五六七八九十]+、(.*)$")


# -- transformations of a seed text --------------------------------------------------------
def renumber(text: str, fmt, restart: bool) -> str:
    """Task numbers written by ``fmt(n)``; n restarts in every section when ``restart``."""
    out, expected, k = [], 1, 0
    for line in text.splitlines():
        if SECTION_LINE.match(line) and restart:
            k = 0
        m = TASK_LINE.match(line)
        if m and int(m.group(2)) == expected:
            k += 1
            n = k if restart else expected
            expected += 1
            line = m.group(1) + fmt(n) + line[m.end():]
        out.append(line)
    return "\n".join(out)


def sections_as_parts(text: str) -> str:
    """（一）sections become 一、parts, and the tasks in each are numbered （一）（二）… again."""
    out, expected, k, tasks_part = [], 1, 0, False
    for line in text.splitlines():
        if (p := PART_LINE.match(line)):
            tasks_part = "任务" in p.group(1)
        s = SECTION_LINE.match(line)
        if s and tasks_part:
            out.append(f"{s.group(2)}、{s.group(3)}")
            k = 0
            continue
        m = TASK_LINE.match(line)
        if m and int(m.group(2)) == expected:
            k += 1
            expected += 1
            line = m.group(1) + f"（{CN[k]}）" + line[m.end():]
        out.append(line)
    return "\n".join(out)


def field_brackets(text: str, open_: str, close: str) -> str:
    """The closing unit fields （责任单位：…） written in other brackets (their nested brackets kept)."""
    chars = list(text)
    for m in re.finditer(r"[（(]\s*(?=责任(?:单位|部门)\s*[：:])", text):
        depth = 0
        for i in range(m.start(), len(text)):
            if text[i] in "（(":
                depth += 1
            elif text[i] in "）)":
                depth -= 1
                if depth == 0:
                    chars[m.start()], chars[i] = open_, close
                    break
    return "".join(chars)


def bracket_labels(text: str, open_: str, close: str) -> str:
    return re.sub(r"(牵头|责任)单位：", lambda m: f"{open_}{m.group(1)}单位{close}", text)


def rewrap(text: str, width: int) -> str:
    """Paragraphs (headings, items and label lines start one) joined and wrapped again at ``width``."""
    start = re.compile(r"^\s*(\d{1,2}\s*[．.、]|[（(]\d{1,2}[）)]|[\u2460-\u2473]|[一二三四五六七八九十]+是|"
                       r"[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|[【〔（(]?(牵头|责任)|"
                       r"附件|公开属性|抄送|\d{4}\s*年\s*\d+\s*月\s*\d+\s*日)")
    lines = [ln for ln in text.splitlines() if ln.strip() and not re.fullmatch(r"\s*\d+\s*", ln)]
    body_from = next(i for i, ln in enumerate(lines) if PART_LINE.match(ln))
    paras, out, heading = [], lines[:body_from], False
    for ln in lines[body_from:]:
        if start.match(ln) or not paras or heading:
            paras.append(ln.strip())
        else:
            paras[-1] += ln.strip()
        heading = bool(re.match(r"^\s*([（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)", ln)
                       and len(ln.strip()) <= 20 and "。" not in ln)
    for p in paras:
        out += [p[i:i + width] for i in range(0, len(p), width)]
    return "\n".join(out)


def half_width(text: str) -> str:
    return text.translate(str.maketrans({"（": "(", "）": ")", "：": ":", "；": ";", "．": "."}))


def joined_issuer(text: str, brackets: str, issuer_word: str = "文件") -> str:
    """The issuer line and the document number on one line (…文件静合组办〔2022〕1号), the year in other brackets."""
    return re.sub(r"文件\s*\n\s*\n?\s*([\u4e00-\u9fff]+)〔(\d{4})〕\s*(\d+)\s*号",
                  lambda m: f"{issuer_word}{m.group(1)}{brackets[0]}{m.group(2)}{brackets[1]}{m.group(3)}号", text,
                  count=1)


def table(expected: dict, titles: dict, sections: dict, columns: list[str], restart: bool, header: str) -> str:
    """A tab-separated 任务分解表 built from the hand-written expected tasks."""
    section_of = {n: s for s, ns in sections.items() for n in ns}
    rows = ["\t".join(columns)]
    k, last_section = 0, None
    for n, (lead, resp) in expected.items():
        k = 1 if restart and section_of[n] != last_section else k + 1
        last_section = section_of[n]
        cell = {"序号": str(k if restart else n), "板块": section_of[n],
                "任务": f"{titles.get(n, '第' + CN[n % 10] + '项协作任务')}。按计划推进。",
                "牵头单位": "、".join(lead.split()), "责任单位": "、".join(resp.split())}
        rows.append("\t".join(cell[c] for c in columns))
    return header + "\n" + "\n".join(rows) + "\n\n2024年5月24日\n"


JINGAN_HEAD = ("上海市静安区对口支援与合作交流工作领导小组办公室文件\n静合组办〔2022〕1号\n"
               "2022年静安区东西部协作和对口支援工作要点")
MINHANG_HEAD = ("闵行区人民政府办公室文件\n闵府办发〔2024〕20号\n闵行区2024年东西部协作和对口支援工作要点\n"
                "附件：任务分解表")


def _fields_joined(text: str) -> str:
    """Units joined with 及, 和 and spaces where every part is a unit."""
    return (text.replace("区商务委、区人力资源和社会保障局、区国资委、区文化旅游局、",
                         "区商务委 区人力资源和社会保障局及区国资委和区文化旅游局、")
            .replace("区投资办、区总工会、区工商联、前方工作机构）", "区投资办 区总工会 区工商联 前方工作机构）")
            .replace("牵头单位：区合作交流办、区总工会、区经委、区财政局、区机管局、各街镇（工业区）、援外机构",
                     "牵头单位：区合作交流办及区总工会、区经委和区财政局 区机管局、各街镇（工业区） 援外机构"))


def _cooperating(text: str) -> str:
    return (text.replace("牵头单位：区卫健委、区教育局", "牵头单位：区卫健委、区教育局；配合单位：区财政局")
            .replace("牵头单位：区人社局\n", "牵头单位：区人社局；协办单位：区总工会、区机管局\n")
            .replace("（责任部门：区委组织部）", "（责任部门：区委组织部；配合单位：区教育局）"))


COOPERATING = {("闵行", 7): "区财政局", ("闵行", 14): "区总工会 区机管局", ("静安", 4): "区教育局"}


def _note(text: str) -> str:
    return (text.replace("（责任单位：区委办公室、区政府办公室、区政府合",
                         "（责任单位：区委办公室，区政府办公室（逗号前为牵头单位，下同）、区政府合")
            .replace("二、工作任务\n", "二、工作任务\n（各项任务中逗号前的单位为牵头单位，下同）\n"))


VARIANTS = {
    "restart-numbering": lambda t: renumber(t, lambda n: f"{n}．", restart=True),
    "paren-numbers": lambda t: renumber(t, lambda n: f"（{n}）", restart=False),
    "paren-numbers-restart": lambda t: renumber(t, lambda n: f"（{n}）", restart=True),
    "circled-numbers-restart": lambda t: renumber(t, lambda n: chr(0x245F + n), restart=True),
    "dun-numbers": lambda t: renumber(t, lambda n: f"{n}、", restart=False),
    "yi-shi-numbers": lambda t: renumber(t, lambda n: f"{CN[n]}是", restart=True),
    "sections-as-parts": sections_as_parts,
    "square-bracket-labels": lambda t: bracket_labels(t, "【", "】"),
    "tortoise-bracket-labels": lambda t: bracket_labels(t, "〔", "〕"),
    "round-bracket-labels": lambda t: bracket_labels(t, "（", "）"),
    "tortoise-bracket-fields": lambda t: field_brackets(t, "〔", "〕"),
    "square-bracket-fields": lambda t: field_brackets(t, "【", "】"),
    "cooperating-units": _cooperating,
    "units-joined": _fields_joined,
    "rewrapped-17": lambda t: rewrap(t, 17),
    "rewrapped-33": lambda t: rewrap(t, 33),
    "rewrapped-61": lambda t: rewrap(t, 61),
    "half-width": half_width,
    "split-labels": lambda t: t.replace("责任单位：", "责任\n单位：").replace("牵头单位：", "牵头\n\n单位："),
    "all-together": lambda t: rewrap(half_width(renumber(bracket_labels(_cooperating(_fields_joined(t)), "【", "】"),
                                                         lambda n: chr(0x245F + n), restart=True)), 29),
    "closing-without-attachment": lambda t: re.sub(r"\n附件：[\s\S]*?(?=\n闵行区人民政府办公室\n)", "\n", t),
}
ISSUER_BRACKETS = ["〔〕", "[]", "()", "（）", "【】"]


def _units(refs) -> str:
    return " ".join(u.name for u in refs)


def check(plan, expected: dict, safeguards: dict, titles: dict, sections: dict | None, place: str,
          cooperating: bool = False) -> None:
    got = {t.number: (_units(t.lead), _units(t.responsible)) for t in plan.tasks if t.kind == "task"}
    assert got == expected
    got_s = {t.number: (_units(t.lead), _units(t.responsible)) for t in plan.tasks if t.kind == "safeguard"}
    assert got_s == safeguards
    tasks = {t.number: t for t in plan.tasks if t.kind == "task"}
    for n, title in titles.items():
        assert tasks[n].title == title
    if sections is not None:
        assert {t.number: t.section for t in tasks.values()} == {n: s for s, ns in sections.items() for n in ns}
    coop = {n: _units(t.cooperating) for n, t in tasks.items() if t.cooperating}
    assert coop == ({n: u for (p, n), u in COOPERATING.items() if p == place} if cooperating else {})
    assert not any("自检" in w.message for w in plan.warnings)


def check_jingan(plan, **kw):
    check(plan, JINGAN_2022, JINGAN_SAFEGUARDS, JINGAN_TITLES, JINGAN_SECTION_OF, "静安", **kw)
    assert (plan.number, plan.district, plan.year) == ("静合组办〔2022〕1号", "静安区", 2022)


def check_minhang(plan, **kw):
    check(plan, MINHANG_2024, {}, MINHANG_TITLES, MINHANG_SECTION_OF, "闵行", **kw)
    assert (plan.number, plan.district, plan.year) == ("闵府办发〔2024〕20号", "闵行区", 2024)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant_gives_the_expected_units(name):
    fn = VARIANTS[name]
    jingan, minhang = fn(JINGAN), fn(MINHANG)
    assert jingan != JINGAN or minhang != MINHANG, "the variant changed neither document"
    coop = name in ("cooperating-units", "all-together")
    check_jingan(parse(jingan), cooperating=coop)
    check_minhang(parse(minhang), cooperating=coop)


def test_restarted_numbers_keep_their_section_and_get_a_document_number():
    plan = parse(VARIANTS["restart-numbering"](MINHANG))
    tasks = [t for t in plan.tasks if t.kind == "task"]
    assert len(tasks) == 24 and [t.number for t in tasks] == list(range(1, 25))
    t9 = tasks[8]
    assert (t9.written, t9.section, t9.locator) == (1, "持续深化产业合作", "任务9")


def test_a_convention_note_is_never_a_unit_and_is_applied_or_refused():
    # 闵行 names its lead units with labels: the stated convention changes nothing, the note is no unit
    text = _note(MINHANG)
    plan = parse(text)
    check_minhang(plan)
    notes = [w for w in plan.warnings if "下同" in w.message]
    assert notes and all(text.splitlines()[w.line - 1].startswith("（各项任务中") for w in notes)
    # 静安 states it inside task 1 but writes no comma in task 2's list of three: which leads cannot be told
    text = _note(JINGAN)
    with pytest.raises(ParseRefused) as e:
        parse(text)
    assert _line_of(text, "（责任单位：区委办公室、区政府办公室、区") in [p.line for p in e.value.problems]


def _comma_convention(text: str) -> str:
    """A statement that units before the comma lead, and each closing list's first unit followed by a comma."""
    text = text.replace("二、重点任务\n", "二、重点任务\n（各项任务所列单位中，逗号前的单位为牵头单位，下同）\n")
    return re.sub(r"(责任\s*(?:单\s*位|部\s*门)\s*：)([^、）)]*)、", r"\1\2，", text)


def test_a_stated_comma_convention_gives_the_lead_units():
    plan = parse(_comma_convention(JINGAN))
    assert plan.convention == "comma"
    # hand-written units, the first of each list now leading
    want = {n: (resp.split()[0], " ".join(resp.split()[1:])) for n, (_lead, resp) in JINGAN_2022.items()}
    assert want[9] == ("区商务委",
                       "区人力资源和社会保障局 区国资委 区文化旅游局 区投资办 区总工会 区工商联 前方工作机构")
    assert want[4] == ("区委组织部", "")
    got = {t.number: (_units(t.lead), _units(t.responsible)) for t in plan.tasks if t.kind == "task"}
    assert got == want
    got_s = {t.number: (_units(t.lead), _units(t.responsible)) for t in plan.tasks if t.kind == "safeguard"}
    assert got_s == {1: ("区领导小组成员单位及相关部门", "区政府合作交流办 前方工作机构"),
                     2: ("区领导小组成员单位", ""), 3: ("区委组织部", "前方工作机构")}


@pytest.mark.parametrize("brackets", ISSUER_BRACKETS)
def test_issuer_joined_with_the_number(brackets):
    jingan = parse(joined_issuer(JINGAN, brackets))
    check_jingan(jingan)
    assert jingan.issuer == "上海市静安区对口支援与合作交流工作领导小组办公室"
    minhang = parse(joined_issuer(MINHANG, brackets))
    check_minhang(minhang)
    assert minhang.issuer == "闵行区人民政府办公室"


TABLES = {
    "minimal-columns": (["序号", "任务", "牵头单位", "责任单位"], False),
    "any-order-with-sections": (["责任单位", "板块", "序号", "牵头单位", "任务"], False),
    "restart-per-section": (["板块", "序号", "任务", "牵头单位", "责任单位"], True),
}


@pytest.mark.parametrize("layout", list(TABLES))
def test_task_breakdown_table(layout):
    columns, restart = TABLES[layout]
    sections = JINGAN_SECTION_OF if "板块" in columns else None
    text = table(JINGAN_2022, JINGAN_TITLES, JINGAN_SECTION_OF, columns, restart, JINGAN_HEAD)
    plan = parse(text)
    check(plan, JINGAN_2022, {}, JINGAN_TITLES, sections, "静安")
    assert plan.number == "静合组办〔2022〕1号"
    text = table(MINHANG_2024, MINHANG_TITLES, MINHANG_SECTION_OF, columns, restart, MINHANG_HEAD)
    check(parse(text), MINHANG_2024, {}, MINHANG_TITLES, MINHANG_SECTION_OF if sections else None, "闵行")


# -- variants that cannot be read right are refused, with the line of the defect -----------------
def _line_of(text: str, fragment: str) -> int:
    """The line holding ``fragment`` (its last occurrence when written …$)."""
    last = fragment.endswith("$")
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if fragment.rstrip("$") in line]
    return hits[-1] if last else hits[0]


def _drop_last_bracket(text: str) -> str:
    i = text.rindex("〕")
    return text[:i] + text[i + 1:]


REFUSED = {
    "a task number skipped": (JINGAN, lambda t: t.replace("5．加大专业人才", "6．加大专业人才"), "6．加大专业人才"),
    "a section number skipped": (MINHANG, lambda t: t.replace("（二）持续提升项目管理", "（三）持续提升项目管理"),
                                 "（三）持续提升项目管理"),
    "a field bracket left open before the signature": (
        JINGAN, lambda t: _drop_last_bracket(field_brackets(t, "〔", "〕")), "〔责任部门：$"),
    "a label run into a unit": (
        MINHANG, lambda t: t.replace("牵头单位：区人社局\n", "牵头单位：区人社局督办单位：区总工会\n"),
        "区人社局督办单位"),
    "an issuer run into the number without 文件": (MINHANG, lambda t: joined_issuer(t, "〔〕", issuer_word=""),
                                                  "闵府办发〔2024〕20号"),
    "a signature that may be a unit": (
        MINHANG, lambda t: re.sub(r"\n附件：[\s\S]*", "\n闵行区合作交流办公室\n\n2024年5月24日印发\n", t),
        "闵行区合作交流办公室"),
    "a table row with a cell missing": (
        None, lambda _t: table(JINGAN_2022, JINGAN_TITLES, JINGAN_SECTION_OF, ["序号", "任务", "牵头单位", "责任单位"],
                               False, JINGAN_HEAD).replace("\t\t区委组织部\n", "\t区委组织部\n"), "\t区委组织部"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_unreadable_variant_is_refused_with_its_line(case):
    seed, fn, fragment = REFUSED[case]
    text = fn(seed)
    assert text != seed
    with pytest.raises(ParseRefused) as e:
        parse(text)
    want = _line_of(text, fragment)
    assert want in [p.line for p in e.value.problems], (want, e.value.problems)
    assert f"第{want}行" in str(e.value)
    # with force the same problems are warnings, and the parse goes through
    forced = parse(text, force=True)
    assert any(w.line == want and "自检" in w.message for w in forced.warnings)
