"""/api/search: any name form to one place and its page."""
from __future__ import annotations

from fastapi import APIRouter, Query

from ...queries.results import SearchResult
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api/search", tags=["search"])


@router.get("", response_model=SearchResult, responses=problem_responses(400, 404, 409, 422))
def search(aid: Aid, q: str = Query(..., min_length=1)) -> SearchResult:
    """Resolve any name form to one place (409 with candidates, 404 with suggestions)."""
    ans = aid.who_supports(q)
    kind = "district" if ans.matched.level == "district" else "place"
    return SearchResult(matched=ans.matched, page=f"/{kind}/{ans.matched.code}")
