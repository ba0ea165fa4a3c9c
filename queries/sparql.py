"""Read-only SPARQL over the RDF view of the current graph (rdflib).

A query is refused when it is an update, longer than the character limit, or
still running after the time limit (``limits()``, set by environment variables): it runs in a forked child process
that is stopped at the time limit, so a runaway query cannot hold the server.
"""
from __future__ import annotations

import multiprocessing as mp
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate

from ..errors import SparqlRefused
from ..schema.rdf_graph import to_rdf
from ..settings import get_settings
from ..schema.rdf import PREFIXES

def limits() -> tuple[int, float, int]:
    """(longest query in characters, seconds a query may run, most rows or triples returned)."""
    s = get_settings()
    return s.sparql_max_chars, s.sparql_timeout, s.sparql_max_rows


MEDIA = {"json": "application/sparql-results+json", "csv": "text/csv; charset=utf-8",
         "ttl": "text/turtle; charset=utf-8"}


@dataclass
class SparqlResult:
    kind: str        # SELECT | ASK | CONSTRUCT | DESCRIBE
    body: bytes
    media_type: str


@lru_cache(maxsize=2)
def rdf_of(graph) -> Graph:
    """The RDF view of a canonical graph, built once per loaded graph."""
    return to_rdf(graph)


def _check(query: str, max_chars: int):
    if len(query) > max_chars:
        raise SparqlRefused(f"the query is {len(query)} characters long; the limit is {max_chars}")
    try:
        return prepareQuery(query, initNs=PREFIXES)
    except Exception as e:  # noqa: BLE001 - rdflib raises pyparsing errors of several kinds
        try:
            parseUpdate(query)
        except Exception:  # noqa: BLE001
            raise SparqlRefused(f"not a valid SPARQL query: {str(e).splitlines()[0][:200]}") from None
        raise SparqlRefused("updates are refused: this endpoint is read-only") from None


def _run(g: Graph, prepared, fmt: str, max_rows: int, conn) -> None:
    try:
        res = g.query(prepared)
        if res.type in ("CONSTRUCT", "DESCRIBE"):
            if len(res.graph) > max_rows:
                conn.send(("refused", f"the answer has {len(res.graph)} triples; the limit is {max_rows}"))
                return
            conn.send(("ok", res.type, res.graph.serialize(format="turtle").encode("utf-8"), "ttl"))
            return
        if res.type == "SELECT" and len(res) > max_rows:
            conn.send(("refused", f"the answer has {len(res)} rows; the limit is {max_rows}"))
            return
        conn.send(("ok", res.type, res.serialize(format=fmt), fmt))
    except Exception as e:  # noqa: BLE001 - reported to the caller as a refusal
        conn.send(("refused", f"the query failed: {e}"))
    finally:
        conn.close()


def run_sparql(g: Graph, query: str, fmt: str = "json", timeout: float | None = None) -> SparqlResult:
    if fmt not in ("json", "csv"):
        raise SparqlRefused(f"results come as json or csv, not {fmt!r}")
    max_chars, limit_s, max_rows = limits()
    prepared = _check(query, max_chars)
    timeout = limit_s if timeout is None else timeout
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run, args=(g, prepared, fmt, max_rows, child), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise SparqlRefused(f"the query ran longer than {timeout:g} s and was stopped")
        msg = parent.recv()
    except EOFError:
        raise SparqlRefused("the query process ended without an answer") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if msg[0] == "refused":
        raise SparqlRefused(msg[1])
    _ok, kind, body, out_fmt = msg
    return SparqlResult(kind, body, MEDIA[out_fmt])
