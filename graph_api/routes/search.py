"""/api/search: any name form to one place and its page; /api/search/suggest: what the search box
offers while one types (the index and its matching: ``queries.search_index``)."""
from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ...queries.results import SearchResult
from ...queries.search_index import HOW_ZH, MAX_TEXT, Suggestion, suggest
from ...schema.labels import FORM_ZH
from ..deps import Aid, answer
from .api_tags import SEARCH
from .problems import problem_responses

router = APIRouter(prefix="/api/search", tags=[SEARCH])


class SuggestionOut(BaseModel):
    label: str = Field(description="what the suggestion shows: a place's full name, a unit, a document number, a task")
    kind: str = Field(description="地方 (place), 单位 (unit), 文件 (document) or 任务 (task)")
    context: str = Field(description="level, what it belongs to, who supports it; a document's title; "
                                     "a task's district and year; first, how it was found when not by the "
                                     "text as written (按“lu”（拼音开头）匹配), one of: "
                                     + "、".join(dict.fromkeys([*HOW_ZH.values(), *FORM_ZH.values()])))
    href: str = Field(description="the page it opens")


def _out(s: Suggestion) -> SuggestionOut:
    return SuggestionOut(label=s.label, kind=s.kind, context=s.context, href=s.href)


@router.get("", summary="按名称找到一个地方（Find one place by name）", response_model=SearchResult,
            responses=problem_responses(400, 404, 409, 422))
async def search(aid: Aid,
                 q: str = Query(..., min_length=1, description="地名的任一形式或代码（any name form or code）"),
                 ) -> SearchResult:
    """把地名的任一形式解析为一个地方及其页面；有歧义答 409 并列出候选，找不到答 404 并给出建议。

    (Resolve any name form to one place and its page: 409 with candidates, 404 with suggestions.)"""
    ans = await answer(aid, aid.who_supports, q)
    kind = "district" if ans.matched.level in ("district", "municipality") else "place"
    return SearchResult(matched=ans.matched, page=f"/{kind}/{ans.matched.code}")


@router.get("/suggest", summary="搜索框的建议（Search suggestions）", response_model=list[SuggestionOut],
            responses=problem_responses(422))
def suggestions(aid: Aid, q: str = Query(..., min_length=1, max_length=MAX_TEXT,
                                         description="已输入的文字：地名、拼音开头、文号、单位（the text typed）"),
                limit: int = Query(12, ge=1, le=50, description="最多几条建议（at most this many）"),
                ) -> list[SuggestionOut]:
    """搜索框对输入文字的建议：地方（级别、所属地州市和省份、支援方）、单位、文件（文号括号写法不限）和任务，
    其次是读音、拼音或英文名相近的地方；按相关程度排列，每项一条。

    (What the search box suggests for ``q``: places (with level, prefecture, province and supporters),
    units, documents by number (however its brackets are written) and tasks by their words, then places
    by sound, pinyin or English name, best first, one entry per thing.)"""
    return [_out(s) for s in suggest(aid, q, limit)]
