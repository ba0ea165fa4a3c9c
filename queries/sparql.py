"""Read-only SPARQL over the RDF view of the current graph (rdflib).

Every query runs in a forked child process, parsing included, so nothing a query says can hold or
break the server:

- the child is stopped at the time limit (``limits()``), whether it is still parsing or evaluating;
- its address space may grow by ``AIDGRAPH_SPARQL_MEMORY_MB`` at most (``RLIMIT_AS``): a query that
  needs more is refused, the server goes on;
- it never reaches out: ``SERVICE``, ``FROM`` / ``FROM NAMED`` and ``LOAD`` are refused once the
  query is parsed and before it is evaluated, rdflib's loading of ``FROM`` graphs is switched off,
  and an audit hook in the child stops any network connection or process it would open anyway;
- at most ``AIDGRAPH_SPARQL_CONCURRENCY`` queries run at once; one more is ``SparqlBusy`` (503), and the
  RDF view of the graph is built (once per graph version, shared by every query) only by a query that
  holds a slot;
- an answer over ``AIDGRAPH_SPARQL_MAX_BYTES`` is refused in the child, before it is sent.

Updates, over-long queries and answers over the row limit are refused as before. CSV answers have every
cell that could start a spreadsheet formula quote-prefixed (``schema.text.spreadsheet_safe``).
"""
from __future__ import annotations

import csv
import io
import math
import multiprocessing as mp
import os
import sys
import threading
from dataclasses import dataclass

from rdflib import Graph

from ..errors import SparqlBusy, SparqlRefused
from ..schema.rdf import PREFIXES
from ..schema.rdf_graph import to_rdf
from ..schema.text import spreadsheet_safe
from ..settings import get_settings
from .slots import Slots


def limits() -> tuple[int, float, int]:
    """(longest query in characters, seconds a query may run, most rows or triples returned)."""
    s = get_settings()
    return s.sparql_max_chars, s.sparql_timeout, s.sparql_max_rows


def too_large(size: int, limit: int) -> str:
    return (f"the answer is {size:,} bytes; the limit is {limit:,} (AIDGRAPH_SPARQL_MAX_BYTES)"
            f"（结果超过 {limit:,} 字节，请缩小查询范围）")


MEDIA = {"json": "application/sparql-results+json", "csv": "text/csv; charset=utf-8",
         "ttl": "text/turtle; charset=utf-8"}


@dataclass
class SparqlResult:
    kind: str        # SELECT | ASK | CONSTRUCT | DESCRIBE
    body: bytes
    media_type: str


# -- the RDF view: one per graph version, built inside a slot --------------------------------
_views_lock = threading.Lock()
_views: list[tuple[object, Graph]] = []  # (canonical graph, its RDF view), the newest last


def rdf_of(graph) -> Graph:
    """The RDF view of a canonical graph, built once per loaded graph and shared by every query: a second
    caller waits for the first one's build instead of building its own (the two newest are kept)."""
    with _views_lock:
        for g, view in _views:
            if g is graph:
                return view
        view = to_rdf(graph)
        _views.append((graph, view))
        del _views[:-2]
        return view


# -- at most N at once ----------------------------------------------------------------------
def _busy(allowed: int, retry_after: int) -> SparqlBusy:
    return SparqlBusy(f"{allowed} SPARQL queries are running, the most allowed at once; "
                      f"please ask again in {retry_after} s（查询繁忙，请稍后再试）", retry_after=retry_after)


SLOTS = Slots(lambda: get_settings().sparql_concurrency, _busy)


def running() -> int:
    """How many queries are running now (in this process)."""
    return SLOTS.running


# -- what a query may not do ----------------------------------------------------------------
_NETWORK_EVENTS = frozenset({
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.sendto",
    "socket.sendmsg", "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect",
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
})


class OutboundRefused(PermissionError):
    """Raised inside the child when anything tries to reach the network or start a process."""


def _no_outbound(event: str, _args) -> None:
    if event in _NETWORK_EVENTS:
        raise OutboundRefused(f"{event} is not allowed while a SPARQL query runs")


def _sandbox(memory_mb: int) -> None:
    """Run once, first thing in the child: no loading of remote graphs, no network, a memory cap."""
    import rdflib.plugins.sparql as rdflib_sparql
    rdflib_sparql.SPARQL_LOAD_GRAPHS = False
    sys.addaudithook(_no_outbound)  # cannot be removed: the child ends with the query
    try:
        import resource
        with open("/proc/self/statm") as f:
            now = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = now + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, OSError, ValueError):  # no /proc or no rlimits (not Linux): the time limit still holds
        pass


def _walk(node):
    """Every CompValue in a parsed query or algebra tree."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    stack, seen = [node], set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, CompValue):
            yield n
            stack.extend(n.values())
        elif isinstance(n, dict):
            stack.extend(n.values())
        elif isinstance(n, (list, tuple, ParseResults)):
            stack.extend(n)


def outbound(parsed) -> str | None:
    """Why a parsed query would read data from elsewhere, or None."""
    for n in _walk(parsed):
        if n.name == "ServiceGraphPattern":
            return ("SERVICE is refused: this endpoint never sends queries to other endpoints "
                    "(SERVICE 子句被拒绝：不访问外部端点)")
        if n.name == "DatasetClause" or dict.get(n, "datasetClause"):
            return ("FROM / FROM NAMED are refused: this endpoint answers over its own graph only and never "
                    "loads graphs from elsewhere (FROM 子句被拒绝：不加载外部数据)")
    return None


def _first_line(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0][:200] if text else type(e).__name__


def _prepare(query: str):
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    try:
        parsed = parseQuery(query)
    except Exception as e:  # noqa: BLE001 - rdflib raises pyparsing errors of several kinds
        try:
            update = parseUpdate(query)
        except Exception:  # noqa: BLE001
            raise SparqlRefused(f"not a valid SPARQL query: {_first_line(e)}") from None
        if any(n.name == "Load" for n in _walk(update)):
            raise SparqlRefused("LOAD is refused: this endpoint never fetches remote graphs, and updates are "
                                "refused: this endpoint is read-only") from None
        raise SparqlRefused("updates are refused: this endpoint is read-only") from None
    why = outbound(parsed)
    if why:
        raise SparqlRefused(why)
    try:
        prepared = translateQuery(parsed, initNs=PREFIXES)
        # rdflib takes namespace objects as prefixes everywhere; this attribute's annotation says str
        prepared._original_args = (query, PREFIXES, None)  # type: ignore[assignment]
    except Exception as e:  # noqa: BLE001
        raise SparqlRefused(f"not a valid SPARQL query: {_first_line(e)}") from None
    why = outbound(prepared.algebra)
    if why:
        raise SparqlRefused(why)
    return prepared


def _run(g: Graph, query: str, fmt: str, max_rows: int, max_bytes: int, memory_mb: int, conn) -> None:
    """The child: parse, check, evaluate and send one message back (an answer over ``max_bytes`` is not
    sent: the refusal is)."""
    try:
        _sandbox(memory_mb)
        msg = _answer(g, query, fmt, max_rows)
        if msg[0] == "ok" and len(msg[2]) > max_bytes:
            msg = ("refused", too_large(len(msg[2]), max_bytes))
    except SparqlRefused as e:
        msg = ("refused", e.detail)
    except MemoryError:
        msg = ("refused", f"the query needed more than {memory_mb} MB of memory and was stopped "
                          f"(查询所需内存超出 {memory_mb} MB)")
    except RecursionError:
        msg = ("refused", "the query is nested too deeply to parse or evaluate")
    except OutboundRefused as e:
        msg = ("refused", f"the query tried to reach out of the server and was stopped: {e}")
    except Exception as e:  # noqa: BLE001 - reported to the caller as a refusal
        msg = ("refused", f"the query failed: {type(e).__name__}: {str(e)[:300]}")
    try:
        conn.send(msg)
    except MemoryError:
        pass  # the parent sees the child end without an answer
    finally:
        conn.close()


def _answer(g: Graph, query: str, fmt: str, max_rows: int):
    prepared = _prepare(query)
    res = g.query(prepared)
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        answer = res.graph
        assert answer is not None  # rdflib sets the graph of these two kinds of result
        if len(answer) > max_rows:
            return "refused", f"the answer has {len(answer)} triples; the limit is {max_rows}"
        return "ok", res.type, answer.serialize(format="turtle").encode("utf-8"), "ttl"
    if res.type == "SELECT" and len(res) > max_rows:
        return "refused", f"the answer has {len(res)} rows; the limit is {max_rows}"
    return "ok", res.type, res.serialize(format=fmt), fmt


def csv_cells_safe(body: bytes) -> bytes:
    """SPARQL CSV results with every cell that could start a spreadsheet formula quote-prefixed
    (``spreadsheet_safe``, the XLSX writer's rule)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(body.decode("utf-8"), newline="")):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def run_sparql(source, query: str, fmt: str = "json", timeout: float | None = None) -> SparqlResult:
    """Answer ``query`` over ``source``: a canonical graph (its RDF view is built, once per graph, only once
    the query holds a slot) or an RDF graph."""
    if fmt not in ("json", "csv"):
        raise SparqlRefused(f"results come as json or csv, not {fmt!r}")
    max_chars, limit_s, max_rows = limits()
    if len(query) > max_chars:
        raise SparqlRefused(f"the query is {len(query)} characters long; the limit is {max_chars}")
    timeout = limit_s if timeout is None else timeout
    settings = get_settings()
    with SLOTS.hold(retry_after=math.ceil(timeout)):
        g = source if isinstance(source, Graph) else rdf_of(source)
        msg = _in_child(g, query, fmt, max_rows, settings.sparql_max_bytes, settings.sparql_memory_mb, timeout)
    if msg[0] == "refused":
        raise SparqlRefused(msg[1])
    _ok, kind, body, out_fmt = msg
    if out_fmt == "csv":
        body = csv_cells_safe(body)
    return SparqlResult(kind, body, MEDIA[out_fmt])


def _in_child(g: Graph, query: str, fmt: str, max_rows: int, max_bytes: int, memory_mb: int, timeout: float):
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run, args=(g, query, fmt, max_rows, max_bytes, memory_mb, child), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise SparqlRefused(f"the query ran longer than {timeout:g} s and was stopped")
        return parent.recv()
    except EOFError:
        proc.join(5)
        if proc.exitcode is not None and proc.exitcode < 0:
            raise SparqlRefused(f"the query process was ended by signal {-proc.exitcode} "
                                f"(most likely it needed more than {memory_mb} MB of memory)") from None
        raise SparqlRefused("the query process ended without an answer") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
