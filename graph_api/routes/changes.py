"""/api/changes: the pairings added, ended and changed between two years (``AidGraph.changes``)."""
from __future__ import annotations

from fastapi import APIRouter, Query

from ...queries.results import Changes
from ..deps import Aid
from .api_tags import CHANGES
from .problems import problem_responses

router = APIRouter(prefix="/api", tags=[CHANGES])
NAME_MAX = 100  # a district's, place's or programme's name or code is far shorter


@router.get("/changes", summary="两个年份之间的结对调整（Pairing changes between two years）", response_model=Changes,
            response_model_by_alias=True,
            responses=problem_responses(400, 404, 409, 422))
def changes(aid: Aid, first: int = Query(..., alias="from", ge=1949, le=2100, description="起始年份（the first year）"),
            to: int = Query(..., ge=1949, le=2100, description="结束年份（the second year）"),
            district: str | None = Query(None, min_length=1, max_length=NAME_MAX,
                                         description="支援方：上海的区或上海市，任一名称形式"
                                                     "（a supporter: a Shanghai district or 上海市）"),
            place: str | None = Query(None, min_length=1, max_length=NAME_MAX,
                                      description="受援地，按“谁支援”的范围"
                                                  "（a paired place, as who-supports reaches it）"),
            programme: str | None = Query(None, min_length=1, max_length=NAME_MAX,
                                          description="项目类别：east-west 或中文名 东西部协作"
                                                      "（a programme id or its Chinese name）")) -> Changes:
    """从 `from` 到 `to` 的结对调整，与 `aidgraph changes --json` 的答复相同：`added` 新增的结对，`ended` 终止的，
    `changed` 同一对支援方和受援地而条件有变的，`regroupings` 由整体结对（如 上海市 → 云南省）改为结对到县的，
    `totals` 两个年份来源文件所列的总数，`notes` 来源未覆盖的年份的说明；`from` 晚于 `to` 答 400 `bad-parameter`。

    (What changed from `from` to `to` (same object as `aidgraph changes --json`): `added` (pairings in force
    in `to` whose supporter-place pair was not in `from`), `ended` (the reverse), `changed` (the same pair under
    other terms), `regroupings` (an aggregate such as 上海市 → 云南省 that gave way to county pairings), the
    documents' `totals` for both years, and `notes` for a year the sources do not cover (after the data's date:
    "数据截至 …；此后未见调整，按现行结对处理"). `from` after `to` is refused with 400 `bad-parameter`.)"""
    return aid.changes(first, to, district=district, place=place, programme=programme)
