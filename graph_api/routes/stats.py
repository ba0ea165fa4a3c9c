"""/api/stats: counts by type and the documents' totals of paired places."""
from __future__ import annotations

from fastapi import APIRouter

from ...queries.results import Stats
from ..deps import Aid
from .api_tags import STATS
from .problems import problem_responses

router = APIRouter(prefix="/api", tags=[STATS])


@router.get("/stats", summary="图谱的统计数字（Graph statistics）", response_model=Stats, responses=problem_responses())
def stats(aid: Aid) -> Stats:
    """各类节点和关系的数目、每年的结对地方数、来源文件。

    (Nodes per label, relationships per type, paired places per year, the documents.)"""
    return aid.stats()
