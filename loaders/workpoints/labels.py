"""The labels a document writes before its units (牵头单位：…, 参与：…) and the role each gives,
read from ``curated/unit_role_labels.csv`` (data, not code), with the patterns built from them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ...errors import LoadError
from ...settings import data_dir
from ..table_reader import read_table
from ..tables import RoleLabelRow

ROLE_LABELS = "curated/unit_role_labels.csv"
IDEO = "\u4e00-\u9fff"
SUFFIXES = ("单位", "部门")


@dataclass(frozen=True)
class Labels:
    role_of: dict[str, str]        # label as written -> lead | responsible | cooperating

    @cached_property
    def full(self) -> tuple[str, ...]:
        """Labels ending in 单位 / 部门 (a label wherever they stand before a colon), longest first."""
        return tuple(sorted((k for k in self.role_of if k.endswith(SUFFIXES)), key=lambda k: (-len(k), k)))

    @cached_property
    def bare(self) -> tuple[str, ...]:
        """Bare words (参与：…): a label only where a field starts."""
        return tuple(sorted((k for k in self.role_of if not k.endswith(SUFFIXES)), key=lambda k: (-len(k), k)))

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(sorted({k.removesuffix("单位").removesuffix("部门") for k in self.role_of},
                            key=lambda k: (-len(k), k)))

    def _alt(self, names) -> str:
        return "|".join(map(re.escape, names)) or "(?!)"

    @cached_property
    def known(self) -> re.Pattern:
        """A known label and its colon; group 1 is the label."""
        return re.compile(f"((?:{self._alt(self.full)})|(?<![^；;。，,（〔【\\s])(?:{self._alt(self.bare)}))：")

    @cached_property
    def label_variant(self) -> re.Pattern:
        """A label written with its other suffix beside it (牵头单位（部门）：, 责任单位/部门：); group 1 is
        the label alone."""
        return re.compile(f"((?:{'|'.join(self.words)})(?:单位|部门))(?:（(?:单位|部门)）|/(?:单位|部门))(?=：)")

    @cached_property
    def field_open(self) -> re.Pattern:
        return re.compile(f"[（〔【](?=(?:{self._alt(self.full + self.bare)})：)")

    @cached_property
    def bracket_label(self) -> re.Pattern:
        """A label written in brackets (【牵头单位】, 〔责任部门〕, （参与单位）), to be rewritten label：."""
        return re.compile(f"(?:[【〔]([{IDEO}]{{2,4}}(?:单位|部门)|{self._alt(self.bare)})[】〕]"
                          f"|(?<![{IDEO}])（((?:{self._alt(self.words)})(?:单位|部门)?)）)：?")

    @cached_property
    def note(self) -> re.Pattern:
        """What marks a bracket inside a unit list as a note, not part of a name."""
        return re.compile(f"下同|：|，|为|{self._alt(self.words)}")

    @cached_property
    def in_name(self) -> re.Pattern:
        """A label word inside a unit's name."""
        return re.compile(f"{self._alt(self.full)}|牵头|责任|单位：|部门：")

    def head_kind(self, cell: str) -> str | None:
        if cell in self.role_of:
            return "label"
        if re.fullmatch(f"[{IDEO}]{{2,4}}(?:单位|部门)", cell):
            return "unknown-label"
        return None


def labels_from(rows) -> Labels:
    return Labels({r.data.label: r.data.role for r in rows})


def load_labels(root: Path) -> Labels:
    """This data folder's label table (``curated/unit_role_labels.csv``), as the file is now (read anew
    each time: a reload after the table was edited reads the edit; a load reads it once)."""
    problems: list[str] = []
    rows = read_table(root, ROLE_LABELS, RoleLabelRow, problems)
    if problems:
        raise LoadError(problems)
    return labels_from(rows)


def default_labels() -> Labels:
    return load_labels(data_dir())
