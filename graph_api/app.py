"""The FastAPI application. The store is chosen once, at start-up, and the
``AidGraph`` over it is injected into every route."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from .. import __version__
from ..queries.names import Ambiguous, Unknown
from ..queries.results import Candidate, DistrictProfile, Stats, TaskOut, UnitProfile, WhoSupports
from ..queries.service import AidGraph, NotADistrict, UnknownUnit


class NameProblem(BaseModel):
    error: str  # "ambiguous" | "unknown" | "not-a-district"
    query: str
    candidates: list[Candidate] = []
    suggestions: list[Candidate] = []


def get_aid(request: Request) -> AidGraph:
    return request.app.state.aid


Aid = Annotated[AidGraph, Depends(get_aid)]
PROBLEMS = {404: {"model": NameProblem, "description": "unknown name; `suggestions` lists the nearest places"},
            409: {"model": NameProblem, "description": "ambiguous name; `candidates` lists the places it fits"}}

places = APIRouter(prefix="/api/places", tags=["places"])
districts = APIRouter(prefix="/api/districts", tags=["districts"])
meta = APIRouter(prefix="/api", tags=["stats"])


@places.get("/{name}/supporters", response_model=WhoSupports, responses=PROBLEMS)
def supporters(name: str, aid: Aid, year: Optional[int] = Query(None, ge=1980, le=2100),
               history: bool = False) -> WhoSupports:
    """Who supports a place (same object as `aidgraph who-supports --json`)."""
    return aid.who_supports(name, year=year, history=history)


@districts.get("/{name}", response_model=DistrictProfile, responses=PROBLEMS)
def district(name: str, aid: Aid) -> DistrictProfile:
    """A district's paired places by programme and prefecture."""
    return aid.district(name)


tasks_r = APIRouter(prefix="/api", tags=["tasks and units"])


@tasks_r.get("/tasks", response_model=list[TaskOut], responses=PROBLEMS)
def tasks(aid: Aid, district: Optional[str] = None, year: Optional[int] = None, unit: Optional[str] = None,
          place: Optional[str] = None) -> list[TaskOut]:
    """Work-point tasks (same list as `aidgraph tasks --json`)."""
    return aid.tasks(district=district, year=year, unit=unit, place=place)


@tasks_r.get("/units/{name}", response_model=list[UnitProfile], responses=PROBLEMS)
def unit(name: str, aid: Aid, district: Optional[str] = None) -> list[UnitProfile]:
    """What a unit leads and answers for, per district."""
    return aid.unit(name, district=district)


@meta.get("/stats", response_model=Stats)
def stats(aid: Aid) -> Stats:
    return aid.stats()


def create_app(aid: AidGraph) -> FastAPI:
    app = FastAPI(title="aidgraph", version=__version__,
                  description="Shanghai's paired-assistance graph: who supports whom, under which programme, "
                              "since when, and the source of each fact.")
    app.state.aid = aid

    @app.exception_handler(Ambiguous)
    async def ambiguous(_req: Request, e: Ambiguous):
        body = NameProblem(error="ambiguous", query=e.text, candidates=aid.candidates(e))
        return JSONResponse(status_code=409, content=body.model_dump())

    @app.exception_handler(Unknown)
    async def unknown(_req: Request, e: Unknown):
        body = NameProblem(error="unknown", query=e.text, suggestions=aid.candidates(e))
        return JSONResponse(status_code=404, content=body.model_dump())

    @app.exception_handler(NotADistrict)
    async def not_district(_req: Request, e: NotADistrict):
        body = NameProblem(error="not-a-district", query=e.place.name)
        return JSONResponse(status_code=404, content=body.model_dump())

    @app.exception_handler(UnknownUnit)
    async def unknown_unit(_req: Request, e: UnknownUnit):
        body = NameProblem(error="unknown-unit", query=e.name)
        return JSONResponse(status_code=404, content=body.model_dump())

    for r in (places, districts, tasks_r, meta):
        app.include_router(r)
    return app
