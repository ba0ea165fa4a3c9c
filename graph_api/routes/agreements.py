"""/api/agreements: framework agreements (Table 5)."""
from __future__ import annotations

from fastapi import APIRouter

from ...queries.results import AgreementOut
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api/agreements", tags=["agreements"])


@router.get("", response_model=list[AgreementOut], responses=problem_responses(400, 404, 409, 422))
def agreements(aid: Aid, place: str | None = None) -> list[AgreementOut]:
    """Framework agreements (Table 5), optionally those with a party that is or contains `place`."""
    return aid.agreements(place)
