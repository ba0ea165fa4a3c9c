"""/api/imports: the graph's history — each import event with what it added and ended."""
from __future__ import annotations

from fastapi import APIRouter, Query

from ...queries.imports import ImportEventOut
from ..deps import Aid
from .api_tags import DOCUMENTS
from .problems import problem_responses

router = APIRouter(prefix="/api/imports", tags=[DOCUMENTS])


@router.get("", summary="图谱的导入记录（Import history）", response_model=list[ImportEventOut],
            responses=problem_responses(422))
def imports(aid: Aid, last: bool = Query(False, description="为 true 时只看最近一次导入（only the newest import）"),
            ) -> list[ImportEventOut]:
    """初次载入和此后的每次导入（import-doc、import-pairings），按时间先后：日期、所用文件，新增和终止的结对、
    新增的任务；`last=true` 只答最近一次（“上次导入以来的变化”）。

    (The initial load and every import (import-doc, import-pairings), oldest first, each with its date,
    the documents it used and the pairings and tasks it added or ended; `last=true`: only the newest
    ("what changed since the last import").)"""
    return aid.imports(last=last)
