"""Answers of the named queries. Every store returns these same objects; the
API uses them as response models and the CLI prints them as JSON."""
from __future__ import annotations

from pydantic import BaseModel, Field


class PlaceRef(BaseModel):
    name: str = Field(description="current official full name")
    level: str = Field(description="municipality | district | province | prefecture | county")
    prefecture: str | None = None
    province: str | None = None
    code: str = Field(description="current GB/T 2260 division code")
    in_graph: bool = Field(True, description="the sources state facts about this place")


class MatchedPlace(PlaceRef):
    matched_form: str = Field(description="the form of the name that matched, as typed")
    form_kind: str = Field(description="full | short | former | alias | code | qualified")
    former_until: int | None = Field(None, description="for a former name: the last year it was in force")
    name_then: str | None = Field(None, description="the official name in the year asked, where it differs")


class Supporter(BaseModel):
    name: str = Field(description="the supporting district, or 上海市 where no district is named")
    kind: str = Field(description="district | municipality")
    program: str = Field(description="东西部协作 | 对口支援 | 对口合作")
    program_id: str
    valid_from: int | None
    valid_to: int | None
    period_note: str | None = None
    place: str = Field(description="the place the pairing names (the place asked, or a county, prefecture or province it belongs to or contains)")
    via: str = Field(description="self | county | prefecture | province: how the pairing's place relates to the place asked")
    place_as_written: str
    county_count: int | None = Field(None, description="for a pairing the source states only in numbers")
    source: str = Field(description="document id#table or note; several joined by '; '")


class WhoSupports(BaseModel):
    matched: MatchedPlace
    year: int | None = Field(None, description="the year asked; None: pairings in force now")
    supporters: list[Supporter]
    other_periods: list[Supporter] = Field(default_factory=list, description="pairings of this place not in force in the year asked")


class Candidate(PlaceRef):
    pass


class ProgramGroup(BaseModel):
    program: str
    program_id: str
    count: int
    prefectures: dict[str, list[str]] = Field(description="prefecture (or province for places directly under it) -> paired places")


class DistrictProfile(BaseModel):
    district: PlaceRef
    matched_form: str
    paired_places: int = Field(description="county-level places paired now (the table's 结对县数)")
    programs: list[ProgramGroup]
    sources: list[str]


class Totals(BaseModel):
    counties: int
    prefectures: int
    provinces: int


class Stats(BaseModel):
    nodes: dict[str, int]
    relationships: dict[str, int]
    paired: dict[int, Totals] = Field(description="county-level places, prefectures and provinces paired, by year")
    documents: list[str]
