"""/api/documents: the source documents."""
from __future__ import annotations

from fastapi import APIRouter

from ...queries.results import DocumentOut
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api/documents", tags=["documents"])


@router.get("", response_model=list[DocumentOut], responses=problem_responses())
def documents(aid: Aid) -> list[DocumentOut]:
    """The source documents, each with the id every fact's `source` names."""
    return aid.documents()
