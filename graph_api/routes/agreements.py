"""/api/agreements: framework agreements (Table 5)."""
from __future__ import annotations

from fastapi import APIRouter, Query

from ...queries.results import AgreementOut
from ..deps import Aid
from .api_tags import AGREEMENTS
from .problems import problem_responses

router = APIRouter(prefix="/api/agreements", tags=[AGREEMENTS])


PLACE_DOC = "只看签约方是这个地方或包含它的协议（only agreements with this place or one containing it）"


@router.get("", summary="合作协议（Framework agreements）", response_model=list[AgreementOut],
            responses=problem_responses(400, 404, 409, 422))
def agreements(aid: Aid, place: str | None = Query(None, description=PLACE_DOC)) -> list[AgreementOut]:
    """合作框架协议（表5）；给出 `place` 时，只列签约方是该地方或包含该地方的协议。

    (Framework agreements (Table 5), optionally those with a party that is or contains `place`.)"""
    return aid.agreements(place)
