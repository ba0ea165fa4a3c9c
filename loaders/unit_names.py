"""This data folder's unit names: the unit alias table read into ``schema.units.UnitNames``."""
from __future__ import annotations

from pathlib import Path

from ..errors import LoadError
from ..schema.units import UnitNames
from .table_reader import Row, read_table, unique_rows
from .tables import UNIT_ALIASES, UnitAliasRow


def unit_names_from(rows: list[Row[UnitAliasRow]], problems: list[str]) -> UnitNames:
    return UnitNames({row.data.written: (row.data.canonical, row.data.kind)
                      for row in unique_rows(rows, "written", problems)})


def load_unit_names(root: Path) -> UnitNames:
    """This data folder's unit alias table."""
    problems: list[str] = []
    names = unit_names_from(read_table(root, UNIT_ALIASES, UnitAliasRow, problems), problems)
    if problems:
        raise LoadError(problems)
    return names
