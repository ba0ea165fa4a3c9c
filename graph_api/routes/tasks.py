"""/api/tasks and /api/units: work-point tasks and the units that lead or answer for them."""
from __future__ import annotations

from fastapi import APIRouter

from ...queries.results import TaskOut, UnitProfile
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api", tags=["tasks and units"])


@router.get("/tasks", response_model=list[TaskOut], responses=problem_responses(400, 404, 409, 422))
def tasks(aid: Aid, district: str | None = None, year: int | None = None, unit: str | None = None,
          place: str | None = None) -> list[TaskOut]:
    """Work-point tasks (same list as `aidgraph tasks --json`)."""
    return aid.tasks(district=district, year=year, unit=unit, place=place)


@router.get("/units/{name}", response_model=list[UnitProfile], responses=problem_responses(400, 404, 409, 422))
def unit(name: str, aid: Aid, district: str | None = None) -> list[UnitProfile]:
    """What a unit leads and answers for, per district (404 `unknown-unit`)."""
    return aid.unit(name, district=district)
