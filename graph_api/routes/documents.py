"""/api/documents: the source documents."""
from __future__ import annotations

from fastapi import APIRouter

from ...queries.results import DocumentOut
from ..deps import Aid
from .api_tags import DOCUMENTS
from .problems import problem_responses

router = APIRouter(prefix="/api/documents", tags=[DOCUMENTS])


@router.get("", summary="来源文件（Source documents）", response_model=list[DocumentOut], responses=problem_responses())
def documents(aid: Aid) -> list[DocumentOut]:
    """图谱的来源文件：文号、标题、发文单位、日期，及每条事实的 `source` 所用的文件编号。

    (The source documents, each with the id every fact's `source` names.)"""
    return aid.documents()
