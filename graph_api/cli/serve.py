"""``aidgraph serve``: the pages and the JSON API under uvicorn, on the runtime the composition root
opens; SIGHUP reloads the graph."""
from __future__ import annotations

import typer

from ...errors import AidgraphError
from .app import StoreOpt, app, settings
from .printing import err, fail, out


@app.command(epilog="重新加载 reload: `kill -HUP <pid>` rebuilds the graph from the data folder (or the store) and "
                    "swaps it in for every new request at once; when the data no longer load, the last good graph "
                    "stays served. Each reload prints whether it swapped.")
def serve(host: str = typer.Option("127.0.0.1", help="address to listen on"),
          port: int = typer.Option(8000, help="port"), store: str | None = StoreOpt,
          workers: int = typer.Option(1, "--workers", min=1, max=64,
                                      help="processes answering requests; above 1 they are forked after the "
                                           "graph is loaded and share its memory")) -> None:
    """Serve the pages and the JSON API (OpenAPI docs at /docs). SIGHUP reloads the graph."""
    import gc
    import signal
    import threading

    from ..app import create_app
    from ..runtime import Runtime
    # one process over the embedded store starts on its file on disk (a national graph answers within
    # seconds instead of after its load) and swaps in the graph in memory once loaded, beside the server;
    # forked workers need the loaded graph before the fork to share it
    quick = workers == 1 and (store or settings().store) == "embedded"
    try:
        runtime = Runtime.open(store, settings(), on_disk=quick)
    except AidgraphError as e:
        fail(e)

    def reload() -> None:
        try:
            swapped = runtime.reload()
        except AidgraphError as e:  # e.g. Neo4j unreachable: Runtime.reload lets store errors through
            runtime.last_problem, swapped = f"{e.title}: {e.detail}", False
        if swapped:
            runtime.aid.warm()
            gc.unfreeze()  # the old graph's cycles can go now; the new graph is then kept as the first was
            gc.collect()
            gc.freeze()
            out.print(f"reloaded: now serving the new graph ({runtime.aid.store.name} store)", highlight=False)
        else:
            err.print(f"reload failed, still serving the last good graph: {runtime.last_problem}",
                      markup=False, highlight=False)

    keep_alive = max(1, int(runtime.settings.header_timeout))
    app_ = create_app(runtime, hosts=[host])
    # the loaded graph is kept for good: the collector stops walking its millions of objects (a full
    # collection over them stalls every request under way), and forked workers leave its pages shared
    runtime.aid.warm()  # indexes built once, here, before any worker is forked
    gc.collect()
    gc.freeze()
    if workers > 1:
        from ..workers import PreforkServer
        out.print(f"Serving aidgraph ({runtime.aid.store.name} store) on http://{host}:{port}/ with {workers} "
                  "workers — API docs at /docs; SIGHUP reloads the graph", highlight=False)
        PreforkServer(app_, host=host, port=port, workers=workers, keep_alive=keep_alive,
                      head_timeout=runtime.settings.header_timeout, on_reload=reload).run()
        return
    import uvicorn

    from ..http_server import HeadTimeoutProtocol
    if hasattr(signal, "SIGHUP"):  # not on Windows; the reload runs beside the server, not in the signal handler
        signal.signal(signal.SIGHUP, lambda *_: threading.Thread(target=reload, name="aidgraph-reload",
                                                                 daemon=True).start())
    out.print(f"Serving aidgraph ({runtime.aid.store.name} store) on http://{host}:{port}/  — API docs at /docs; "
              "SIGHUP reloads the graph", highlight=False)
    if runtime.aid.store.name == "sqlite":
        out.print("answering from the graph's file on disk while the graph loads into memory", highlight=False)
        threading.Thread(target=reload, name="aidgraph-load", daemon=True).start()
    # a request's head must arrive within AIDGRAPH_HEADER_TIMEOUT s (HeadTimeoutProtocol), an idle
    # keep-alive connection is closed after as long, and a head is at most 16 KiB (h11's limit)
    uvicorn.run(app_, host=host, port=port, log_level="warning",
                http=HeadTimeoutProtocol.bounded(runtime.settings.header_timeout), timeout_keep_alive=keep_alive,
                h11_max_incomplete_event_size=16 * 1024)
