"""/api/export: the graph or a subgraph as a download."""
from __future__ import annotations

from typing import Optional
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ...errors import BadParameter
from ...queries.subgraph import neighbourhood
from ...viz.formats import FORMATS, REGISTRY, render
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api", tags=["linked data and exports"])


@router.get("/export", summary="Download the graph or a subgraph",
            description="`format`: ttl, nt, jsonld, graphml, json or cypher; `center` (a place, district, unit "
                        "or document) and `hops` choose a subgraph; without `center`, the whole graph. "
                        "An unknown `format` is refused with 400 `bad-parameter`.",
            responses=problem_responses(400, 404, 409, 422))
def export(aid: Aid, format: str = "ttl", center: Optional[str] = None, hops: int = Query(2, ge=0, le=4),
           geo: bool = False):
    if format not in FORMATS:
        raise BadParameter(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    graph = aid.graph()
    nodes, stem, title = None, "aidgraph", "上海对口帮扶关系网络 Shanghai paired-assistance network"
    if center:
        cid = aid.centre(center)
        nodes, stem = neighbourhood(graph, cid, hops), f"aidgraph-{cid.replace(':', '-')}-{hops}hops"
        n = graph.node(cid)
        title = f"{n.get('name') or n.get('title') or cid} — {hops} hops"
    filename = quote(stem + REGISTRY[format].suffix)
    return Response(content=render(graph, nodes, format, title, geo), media_type=REGISTRY[format].media,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"})
