"""The Chinese names users see for the schema's values: administrative levels, node types, the kinds of
tasks, units and documents, relations and a node's facts — one table each, keyed by the values of the
schema table (``schema.model``), so every page, picture, handout, workbook and tooltip says the same.

Each table is built from the schema's own tuple of allowed values (``LEVELS``, ``TASK_KINDS``,
``UNIT_KINDS``, ``DOCUMENT_KINDS``, ``PLACE_LABELS``, the node types drawn, the relation types): a value
added to the schema without a Chinese name fails at import, not in a user's picture."""
from __future__ import annotations

from .model import (
    DOCUMENT_KINDS,
    FORM_KINDS,
    IMPORT_KINDS,
    LEVELS,
    NODE_TYPES,
    PLACE_LABELS,
    REL_TYPES,
    TASK_KINDS,
    UNIT_KINDS,
    VIA,
)


def _named(values: tuple[str, ...] | list[str], names: dict[str, str], what: str) -> dict[str, str]:
    """``names`` in the schema's order of ``values``; every value must have a name."""
    missing = [v for v in values if v not in names]
    if missing:
        raise ValueError(f"{what}: no Chinese name for {missing}")
    return {v: names[v] for v in values}


# an administrative level as a place's page, a tooltip and the pairing table write it
LEVEL_ZH = _named(LEVELS, {"municipality": "直辖市", "district": "区", "province": "省级", "prefecture": "地级",
                           "county": "县级"}, "levels")

# a level as a sentence names a place of it (泸水市是县级行政区)
LEVEL_PHRASE_ZH = _named(LEVELS, {"county": "县级行政区", "prefecture": "地级行政区", "province": "省级行政区",
                                  "district": "上海市的区", "municipality": "直辖市"}, "level phrases")

# the named queries' answers: how a name matched (a place's page says 按“巍山”（简称）匹配), how a pairing
# reaches a place (self: the place itself, said with no word)
FORM_ZH = _named(FORM_KINDS, {"full": "全称", "short": "简称", "former": "旧称", "alias": "别称", "code": "代码",
                              "qualified": "限定名称", "traditional": "繁体或异体字", "pinyin": "拼音",
                              "english": "英文名", "code-within": "辖区内的代码"}, "name forms")
VIA_ZH = _named(VIA, {"self": "", "county": "所辖县", "prefecture": "所在地级行政区", "province": "所在省"}, "via")

# a task's kind, a unit's kind, a document's kind (the ``kind`` property of Task, Unit and Document)
TASK_KIND_ZH = _named(TASK_KINDS, {"task": "任务", "safeguard": "保障措施"}, "task kinds")
UNIT_KIND_ZH = _named(UNIT_KINDS, {"unit": "单位", "collective": "集合称谓", "front-line": "前方工作机构",
                                   "office-outside": "驻外办事处"}, "unit kinds")
DOCUMENT_KIND_ZH = _named(DOCUMENT_KINDS, {"guidance": "指导意见", "plan": "规划", "work-points": "工作要点",
                                           "notice": "通知"}, "document kinds")
KIND_ZH = {**TASK_KIND_ZH, **UNIT_KIND_ZH, **DOCUMENT_KIND_ZH}
# how a document came into the graph (the ``kind`` of an ImportEvent)
IMPORT_KIND_ZH = _named(IMPORT_KINDS, {"initial": "初始数据（随项目发布的来源文件）",
                                       "import-doc": "导入工作要点文件", "import-pairings": "导入结对调整通知"},
                       "import kinds")

# a node type as the legends and the node tables name it (the place types with their level's kinds)
_DRAWN = [label for label, nt in NODE_TYPES.items() if nt.style is not None]
GROUP_ZH = {**_named(_DRAWN, {"Municipality": "市", "District": "区（支援方）", "Province": "省级",
                              "Prefecture": "地级（地、州、市）", "County": "县级（县、区、市）", "Document": "文件",
                              "Agreement": "协议", "Task": "任务", "Unit": "单位"}, "node types drawn"),
            "Other": "其他"}
assert set(PLACE_LABELS) <= set(GROUP_ZH)

# a relation as a tooltip, a legend and the view's GraphML name it
RELATION_ZH = _named([t for t in REL_TYPES if t in ("PART_OF", "LEAD_UNIT", "RESPONSIBLE_UNIT", "NAMES_PLACE",
                                                     "UNIT_OF", "TASK_OF", "DERIVED_FROM", "PARTY")],
                     {"PART_OF": "隶属", "LEAD_UNIT": "牵头单位", "RESPONSIBLE_UNIT": "责任单位",
                      "NAMES_PLACE": "涉及地方", "UNIT_OF": "所属", "TASK_OF": "所属文件", "DERIVED_FROM": "出处",
                      "PARTY": "协议方"}, "relations")

# a node's facts as its tooltip lists them (properties of the node types)
FACT_ZH = {"level": "级别", "code": "代码", "number": "文号", "date": "日期", "kind": "类别", "signed": "签署日期"}
assert all(any(k in nt.all_props for nt in NODE_TYPES.values()) for k in FACT_ZH)


def level_zh(level: str) -> str:
    """A level's Chinese name (the value itself when the schema has no such level)."""
    return LEVEL_ZH.get(level, level)


def kind_zh(kind: str) -> str:
    """A task's, unit's or document's kind in Chinese (the value itself when unknown)."""
    return KIND_ZH.get(kind, kind)

