"""/api/districts: a Shanghai district's (or the municipality's) pairings."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from ...queries.results import DistrictProfile
from ..deps import Aid, answer
from .api_tags import DISTRICTS
from .problems import problem_responses

router = APIRouter(prefix="/api/districts", tags=[DISTRICTS])


@router.get("/{name}", summary="一个区的结对关系（A district's pairings）", response_model=DistrictProfile,
            responses=problem_responses(400, 404, 409, 422))
async def district(name: Annotated[str, Path(description="上海的区（或上海市）的名称或代码：闵行区、闵行、310112"
                                                         "（a Shanghai district or the municipality, "
                                                         "a name or code）")],
                   aid: Aid) -> DistrictProfile:
    """一个区现行的结对地方，按项目类别和地州市分组；上海以外的地方答 404 `not-a-district`，
    哪里都找不到的名称答 404 `unknown-name` 并给出建议。

    (A district's paired places by programme and prefecture; 404 `not-a-district` for a place outside
    Shanghai, `unknown-name` with suggestions for a name that is nowhere.)"""
    return await answer(aid, aid.district, name)
