"""What the work-points parser hands from stage to stage and to its callers: the errors, the
problems and warnings (each with its line), the units of a task, the tasks, the plan."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from ...schema.text import cn2an  # imported on first use: a command answering from a snapshot never needs it

SAFEGUARD_PART = "保障措施"
MAX_UNITS = 30       # units of one task, all roles together
MAX_NAME = 40        # characters of one unit's name
ROLES = ("lead", "responsible", "cooperating")


class NotAWorkPlan(ValueError):
    """The file is not a work-points document this parser can read; nothing was changed."""


class ParseRefused(NotAWorkPlan):
    """The document was read, but the self-check failed: ``problems`` name the lines."""

    def __init__(self, problems: list[Warning_]):
        self.problems = problems
        super().__init__("解析自检未通过，文件被拒绝 the parse did not pass its self-check:\n  "
                         + "\n  ".join(f"第{p.line}行 line {p.line}: {p.message}" for p in problems))


@dataclass
class Warning_:
    line: int
    message: str


@dataclass
class UnitRef:
    name: str          # as written (punctuation normalised, trailing 等 removed)
    etc: bool = False  # the list ended in 等


@dataclass
class Task:
    number: int        # continuous in the document (tasks and safeguard items counted apart)
    kind: str          # task | safeguard
    section: str
    title: str
    text: str
    line: int
    lead: list[UnitRef] = field(default_factory=list)
    responsible: list[UnitRef] = field(default_factory=list)
    responsible_label: str | None = None
    cooperating: list[UnitRef] = field(default_factory=list)
    written: int | None = None  # the number as the document writes it (restarts in each section when the document's do)

    @property
    def locator(self) -> str:
        return f"任务{self.number}" if self.kind == "task" else f"保障措施({cn2an.an2cn(self.number)})"


@dataclass
class WorkPlan:
    number: str
    title: str
    issuer: str
    date: str
    district: str
    year: int
    tasks: list[Task]
    warnings: list[Warning_]
    roles: dict[int, str] = field(default_factory=dict)  # every non-blank line -> what it is (LINE_ROLES)
    convention: str | None = None  # a stated positional lead convention that was applied (comma, semicolon …)


# what a line of a document can be; every non-blank line gets one
LINE_ROLES = ("title", "number", "issuer", "addressees", "preamble", "part", "section", "task", "unit",
              "note", "signature", "date", "closing", "page", "table-header", "table-row", "table-part")


@dataclass
class Block:
    """One numbered item (or one table row) on its way to becoming a task."""
    kind: str                  # task | safeguard
    written: int               # its number as written
    section: str
    line: int
    part: str = ""
    parts: list = field(default_factory=list)          # the item's lines (_Line), marker cut off
    table: list | None = None                          # a table row: the task cell's lines
    fields: list = field(default_factory=list)         # a table row: (label, [lines of its cell])
    number: int = 0                                    # continuous in the document, set once all are read


def cn_number(numeral: str) -> int | None:
    """The value of an item numeral such as 十二, 二十, 二十一 (cn2an); None when it is not a
    well-formed numeral (一一), so that the line is read as text."""
    try:
        return int(cn2an.cn2an(numeral, "strict"))
    except ValueError:
        return None


# -- a plan as JSON data (the plan cache of a load: loaders/workpoint_texts.py) ---------------------------
_NESTED = {"tasks": Task, "warnings": Warning_, "lead": UnitRef, "responsible": UnitRef, "cooperating": UnitRef}
_FIELDS = {cls: frozenset(f.name for f in fields(cls)) for cls in (WorkPlan, Task, Warning_, UnitRef)}


def plan_to_data(plan: WorkPlan) -> dict:
    """The plan as JSON data, every field of every dataclass in it by name (the line roles as pairs:
    JSON keys are strings)."""
    return _to_data(plan)


def _to_data(obj) -> dict:
    out = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.name in _NESTED:
            value = [_to_data(x) for x in value]
        elif isinstance(value, dict):
            value = sorted(value.items())
        out[f.name] = value
    return out


def plan_from_data(data: dict) -> WorkPlan:
    """The plan ``plan_to_data`` gave; KeyError or TypeError when the data is not such a plan."""
    plan = _from_data(WorkPlan, data)
    plan.roles = {int(k): str(v) for k, v in data["roles"]}
    return plan


def _from_data(cls, data: dict):
    if data.keys() != _FIELDS[cls]:
        raise KeyError(f"not a {cls.__name__}: {sorted(data)}")
    return cls(**{k: [_from_data(_NESTED[k], x) for x in v] if k in _NESTED else v for k, v in data.items()})
