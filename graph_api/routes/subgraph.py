"""/api/subgraph: the neighbourhood of a node, in node-link form."""
from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, TypeAlias, Union

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ...queries.results import api_model
from ...schema.model import NODE_TYPES
from ..deps import Aid
from .api_tags import SUBGRAPH
from .problems import problem_responses

router = APIRouter(prefix="/api/subgraph", tags=[SUBGRAPH])


# one model per node type, generated from the schema table, told apart by `label`
if TYPE_CHECKING:  # the models are made at run time: to the type checker a node is a model
    NodeOut: TypeAlias = BaseModel
else:  # a Union built from a runtime tuple of models: the `X | Y` spelling cannot take a tuple
    NodeOut = Annotated[Union[tuple(api_model(label) for label in sorted(NODE_TYPES))],  # noqa: UP007
                        Field(discriminator="label")]


class Subgraph(BaseModel):
    center: str
    hops: int
    nodes: list[NodeOut]
    links: list[dict]


@router.get("", summary="以一个节点为中心的关系子图（Subgraph around a node）", response_model=Subgraph,
            response_model_exclude_none=True, responses=problem_responses(400, 404, 409, 422))
def subgraph(aid: Aid,
             center: str = Query(..., description="中心：地方、区、单位或文件（a place, district, unit or document）"),
             hops: int = Query(2, ge=0, le=4, description="从中心出发的步数（how many steps from the centre）"),
             ) -> Subgraph:
    """中心节点 `hops` 步以内的节点和关系（node-link 格式）；没有任何事实的中心答 404 `not-in-graph`。

    (The nodes and relationships within `hops` of a place, district, unit or document (node-link form);
    404 `not-in-graph` for a centre with no facts.)"""
    cid = aid.centre(center)
    sub = aid.subgraph(aid.neighbourhood(cid, hops))
    return Subgraph(center=cid, hops=hops, nodes=[dict(n) for n in sorted(sub.nodes(), key=lambda n: n["id"])],
                    links=[{"source": s, "target": e, **d}
                           for s, e, d in sorted(sub.edges(), key=lambda x: (x[0], x[1], x[2]["type"]))])
