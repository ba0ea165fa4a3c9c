"""The API, one router per resource, and the HTML pages. ``ROUTERS`` is the order ``create_app`` includes them."""
from __future__ import annotations

from . import (
    agreements,
    apidocs,
    change_pages,
    changes,
    districts,
    document_pages,
    documents,
    export,
    imports,
    page_font,
    pages,
    places,
    search,
    sparql,
    stats,
    subgraph,
    tasks,
)

ROUTERS = (places.router, districts.router, tasks.router, changes.router, documents.router, imports.router,
           agreements.router, search.router, subgraph.router, export.router, sparql.router, stats.router, pages.router,
           change_pages.router, document_pages.router, page_font.router, apidocs.router)
