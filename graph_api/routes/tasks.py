"""/api/tasks and /api/units: work-point tasks and the units that lead or answer for them."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from ...queries.results import TaskOut, UnitProfile
from ..deps import Aid, answer
from .api_tags import TASKS
from .problems import problem_responses

router = APIRouter(prefix="/api", tags=[TASKS])


@router.get("/tasks", summary="工作要点任务（Work-point tasks）", response_model=list[TaskOut],
            responses=problem_responses(400, 404, 409, 422))
async def tasks(aid: Aid,
                district: str | None = Query(None, description="区：闵行区、310112（a district）"),
                year: int | None = Query(None, description="工作要点的年份（the work points' year）"),
                unit: str | None = Query(None, description="牵头或责任单位，全称或简称（a lead or responsible unit）"),
                place: str | None = Query(None, description="任务涉及的地方（a place the task names）"),
                ) -> list[TaskOut]:
    """各区工作要点中的任务，及其牵头单位、责任单位、涉及的地方和来源，按条件筛选；与 `aidgraph tasks --json`
    的答复相同。

    (Work-point tasks with their units, places and sources, filtered: the same list as
    `aidgraph tasks --json`.)"""
    return await answer(aid, aid.tasks, district=district, year=year, unit=unit, place=place)


@router.get("/units/{name}", summary="一个单位牵头和负责的任务（A unit's tasks）", response_model=list[UnitProfile],
            responses=problem_responses(400, 404, 409, 422))
async def unit(name: Annotated[str, Path(description="单位名称，全称或简称：区合作交流办（a unit's name）")],
               aid: Aid,
               district: str | None = Query(None, description="只看这个区的单位（only this district's unit）"),
               ) -> list[UnitProfile]:
    """一个单位在各区牵头和负责的任务；找不到的单位答 404 `unknown-unit`。

    (What a unit leads and answers for, per district; 404 `unknown-unit`.)"""
    return await answer(aid, aid.unit, name, district=district)
