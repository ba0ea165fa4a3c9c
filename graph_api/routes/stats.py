"""/api/stats: counts by type and the documents' totals of paired places."""
from __future__ import annotations

from fastapi import APIRouter

from ...queries.results import Stats
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api", tags=["stats"])


@router.get("/stats", response_model=Stats, responses=problem_responses())
def stats(aid: Aid) -> Stats:
    """Nodes per label, relationships per type, paired places per year, the documents."""
    return aid.stats()
