"""/api/districts: a Shanghai district's (or the municipality's) pairings."""
from __future__ import annotations

from fastapi import APIRouter

from ...queries.results import DistrictProfile
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api/districts", tags=["districts"])


@router.get("/{name}", response_model=DistrictProfile, responses=problem_responses(400, 404, 409, 422))
def district(name: str, aid: Aid) -> DistrictProfile:
    """A district's paired places by programme and prefecture (404 `not-a-district` for a place outside
    Shanghai, `unknown-name` with suggestions for a name that is nowhere)."""
    return aid.district(name)
