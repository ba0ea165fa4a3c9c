"""/api/imports: the graph's history — each import event with what it added and ended."""
from __future__ import annotations

from fastapi import APIRouter

from ...queries.imports import ImportEventOut
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api/imports", tags=["documents"])


@router.get("", response_model=list[ImportEventOut], responses=problem_responses(422))
def imports(aid: Aid, last: bool = False) -> list[ImportEventOut]:
    """The initial load and every import (import-doc, import-pairings), oldest first, each with its date,
    the documents it used and the pairings and tasks it added or ended; `last=true`: only the newest
    ("what changed since the last import")."""
    return aid.imports(last=last)
