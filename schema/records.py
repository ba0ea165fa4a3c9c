"""Typed records: what every store returns for the named queries to work on.

Ids are node ids (``place:…``, ``doc:…``, ``unit:…``); lists are tuples, so a
record is immutable and hashable, and two stores' answers compare equal."""
from __future__ import annotations

from dataclasses import dataclass

from .eras import in_force

# a Pairing node's own properties that its record carries as they are
PAIRING_PROPS = ("valid_from", "valid_to", "period_note", "place_as_written", "county_count", "prefecture_count")


@dataclass(frozen=True)
class PairingRecord:
    id: str
    supporter: str
    place: str
    program: str
    source: str
    valid_from: int | None = None
    valid_to: int | None = None
    period_note: str | None = None
    place_as_written: str | None = None
    county_count: int | None = None
    prefecture_count: int | None = None
    excluding: tuple[str, ...] = ()

    def in_force(self, year: int) -> bool:
        return in_force(self.valid_from, self.valid_to, year)


@dataclass(frozen=True)
class UnitLink:
    """A task's lead or responsible unit, as the task writes it."""
    unit: str
    as_written: str
    position: int
    etc: bool = False


@dataclass(frozen=True)
class TaskRecord:
    id: str
    number: int
    kind: str
    title: str
    text: str
    year: int
    source: str
    district: str
    document: str
    section: str | None = None
    lead: tuple[UnitLink, ...] = ()
    responsible: tuple[UnitLink, ...] = ()
    places: tuple[str, ...] = ()
    cooperating: tuple[UnitLink, ...] = ()  # 配合单位 / 协办单位

    def unit_ids(self) -> set[str]:
        return {x.unit for x in self.lead + self.responsible + self.cooperating}


@dataclass(frozen=True)
class UnitRecord:
    id: str
    name: str
    kind: str
    owner: str
    source: str
    names_as_written: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgreementRecord:
    id: str
    no: int
    title: str
    kind: str
    signed: str
    source: str
    parties: tuple[str, ...] = ()
