"""/api/places: who supports a place."""
from __future__ import annotations

from fastapi import APIRouter, Query

from ...queries.results import WhoSupports
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api/places", tags=["places"])


@router.get("/{name}/supporters", response_model=WhoSupports, responses=problem_responses(400, 404, 409, 422))
def supporters(name: str, aid: Aid, year: int | None = Query(None, ge=1980, le=2100),
               history: bool = False) -> WhoSupports:
    """Who supports a place (same object as `aidgraph who-supports --json`)."""
    return aid.who_supports(name, year=year, history=history)
