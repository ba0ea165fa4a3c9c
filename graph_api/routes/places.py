"""/api/places: who supports a place."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from ...queries.results import WhoSupports
from ..deps import Aid, answer
from .api_tags import PLACES
from .problems import problem_responses

router = APIRouter(prefix="/api/places", tags=[PLACES])


@router.get("/{name}/supporters", summary="谁支援这个地方（Supporters of a place）", response_model=WhoSupports,
            responses=problem_responses(400, 404, 409, 422))
async def supporters(name: Annotated[str, Path(description="地方的任一名称形式或区划代码：泸水、泸水市、533301、Gyangze"
                                                           "（any name form or code of a place）")],
                     aid: Aid,
                     year: int | None = Query(None, ge=1980, le=2100,
                                              description="年份，默认为当前（the year; default: now）"),
                     history: bool = Query(False,
                                           description="为 true 时列出各个年份的全部结对（every pairing, any year）"),
                     ) -> WhoSupports:
    """谁支援这个地方：支援方、项目类别、起止年份、前方工作机构和来源文件，与 `aidgraph who-supports --json`
    的答复相同；名称有歧义时答 409 并列出候选，找不到时答 404 并给出建议。

    (Who supports a place: the same object as `aidgraph who-supports --json`; 409 with candidates for an
    ambiguous name, 404 with suggestions for an unknown one.)"""
    return await answer(aid, aid.who_supports, name, year=year, history=history)
