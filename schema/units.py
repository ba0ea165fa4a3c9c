"""Unit names within a district: an abbreviation and its full form are one unit
(the alias table ``data/curated/unit_aliases.csv``); collective units and the
front-line aid organisation are marked by ``kind``."""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import UNIT_KINDS  # noqa: F401  (the allowed kinds are declared in the schema table)

COLLECTIVE_PREFIXES = ("各", "相关", "区各")
OFFICES_OUTSIDE = "上海市人民政府驻外办事处"


@dataclass(frozen=True)
class UnitNames:
    table: dict[str, tuple[str, str]] = field(default_factory=dict)  # written -> (canonical, kind)

    @classmethod
    def from_data(cls, data: dict) -> UnitNames:
        """The table as JSON data gives it back (``table``); ValueError or TypeError when it is not one."""
        return cls({str(k): (str(c), str(kind)) for k, (c, kind) in data.items()})

    def canonical(self, written: str) -> tuple[str, str]:
        if written in self.table:
            return self.table[written]
        if written.startswith(COLLECTIVE_PREFIXES) or "成员单位" in written or written.endswith("主管部门"):
            return written, "collective"
        return written, "unit"

    def candidates(self, typed: str) -> set[str]:
        """Canonical names a typed unit name may stand for: as typed, with 区 prefixed, and their aliases."""
        tries = {typed, typed if typed.startswith("区") else "区" + typed}
        return tries | {self.table[t][0] for t in tries if t in self.table}
