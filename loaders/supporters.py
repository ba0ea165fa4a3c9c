"""Who may be a supporter (``curated/supporters.csv``), and the supporter a look-alike name was meant to be.

Each row of the table names a division (上海市, 江苏省) that, with every division in it, may support
under the programmes it lists (all programmes when it lists none). A pairing whose supporter lies in
no such scope is refused at load, naming the row. When its name sounds or looks like a supporter's —
the same pinyin (黄埔区 / 黄浦区), or one character apart — the refusal names the one likely meant::

    黄埔区（广州市）不是支援方；是否指 黄浦区（上海市）？
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ..schema.places import Gazetteer


@dataclass(frozen=True)
class Scope:
    division: str               # the division named; it and everything in it may support
    programmes: tuple[str, ...]  # empty: every programme
    where: str                  # the table row, for messages


class Supporters:
    """The supporter table resolved against the gazetteer."""

    def __init__(self, gaz: Gazetteer, scopes: list[Scope]):
        self.gaz = gaz
        self.scopes = scopes

    def allowed(self, division: str, programme: str) -> bool:
        lineage = {division, *self.gaz.ancestors(division)}
        return any(s.division in lineage and (not s.programmes or programme in s.programmes) for s in self.scopes)

    def candidates(self, programme: str | None) -> list[str]:
        """Every division that may support under ``programme`` (any programme for None), in force now."""
        out: set[str] = set()
        for s in self.scopes:
            if programme is None or not s.programmes or programme in s.programmes:
                out.update(d for d in (s.division, *self.gaz.descendants(s.division))
                           if self.gaz.get(d).last_year == self.gaz.latest_year)
        return sorted(out)

    def look_alikes(self, name: str, programme: str | None, exclude: str | None = None) -> list[str]:
        """Supporters whose name reads the same in pinyin as ``name`` or is one character from it;
        the same pinyin first."""
        key = _pinyin(name)
        same, near = [], []
        for d in self.candidates(programme):
            if d == exclude:
                continue
            names = {self.gaz.get(d).name} | {s for s, _f, _l in self.gaz.get(d).shorts}
            if any(_pinyin(n) == key for n in names):
                same.append(d)
            elif any(len(n) == len(name) and Levenshtein.distance(n, name) <= 1 for n in names):
                near.append(d)
        return same + near

    def label(self, division: str) -> str:
        """黄埔区（广州市）: the name with the division it lies in (its province for a prefecture)."""
        d = self.gaz.get(division)
        parent = self.gaz.get(d.parent).name if d.parent else None
        return f"{d.name}（{parent}）" if parent else d.name

    def refusal(self, written: str, division: str | None, programme: str) -> str:
        """The message for a supporter outside the table: what it is, and the look-alike it may have meant."""
        name = self.gaz.get(division).name if division else written
        who = self.label(division) if division else f"“{written}”"
        meant = self.look_alikes(name, programme, exclude=division)
        if not meant and name != written:
            meant = self.look_alikes(written, programme, exclude=division)
        if meant:
            return (f"{who}不是支援方；是否指 {'、'.join(self.label(d) for d in meant[:3])}？ "
                    f"{written!r} is not a supporter; did you mean {self.gaz.get(meant[0]).name}?")
        return (f"{who}不是支援方（curated/supporters.csv 未列出）；确为新的支援方请加 --new-supporter "
                f"{written!r} is not a supporter in curated/supporters.csv; give --new-supporter if it is a new one")


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin  # here: its dictionaries take ~0.3 s to import, and answers need none
    return "".join(lazy_pinyin(text))
