"""/api/changes: the pairings added, ended and changed between two years (``AidGraph.changes``)."""
from __future__ import annotations

from fastapi import APIRouter, Query

from ...queries.results import Changes
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api", tags=["changes"])
NAME_MAX = 100  # a district's, place's or programme's name or code is far shorter


@router.get("/changes", response_model=Changes, response_model_by_alias=True,
            responses=problem_responses(400, 404, 409, 422))
def changes(aid: Aid, first: int = Query(..., alias="from", ge=1949, le=2100, description="the first year"),
            to: int = Query(..., ge=1949, le=2100, description="the second year"),
            district: str | None = Query(None, min_length=1, max_length=NAME_MAX,
                                         description="a supporter: a Shanghai district or 上海市, any name form"),
            place: str | None = Query(None, min_length=1, max_length=NAME_MAX,
                                      description="a paired place, as who-supports reaches it"),
            programme: str | None = Query(None, min_length=1, max_length=NAME_MAX,
                                          description="a programme id (east-west) or its Chinese name")) -> Changes:
    """What changed from `from` to `to` (same object as `aidgraph changes --json`): `added` (pairings in force
    in `to` whose supporter-place pair was not in `from`), `ended` (the reverse), `changed` (the same pair under
    other terms), `regroupings` (an aggregate such as 上海市 → 云南省 that gave way to county pairings), the
    documents' `totals` for both years, and `notes` for a year the sources do not cover (after the data's date:
    "数据截至 …；此后未见调整，按现行结对处理"). `from` after `to` is refused with 400 `bad-parameter`."""
    return aid.changes(first, to, district=district, place=place, programme=programme)
