"""HTTP load on loopback against `aidgraph serve`: an open-loop generator (asyncio, keep-alive HTTP/1.1
connections written by hand) that starts
requests at a fixed offered rate (default 50, 100, 200, 400 req/s, each for at most --seconds), whatever
the answers take, and reports the achieved rate, p50/p99 latency and errors per rate.

Latency runs from the moment a request was due to be sent (so time queued in the client counts: no
coordinated omission) to the end of its answer. The generator runs on the same machine as the server
(2 cores here), so it takes CPU from it: its own CPU use and the server's are printed beside each rate.

The server is started here on a free loopback port with AIDGRAPH_DATA=--data and a private cache
(built once before the runs, so the server starts from the snapshot), and stopped at the end.

    .venv/bin/python bench/bench_http.py --data /tmp/aid-national [--rates 50,100,200,400] [--seconds 10]
        [--path '/api/places/{place}/supporters'] [--serve-args '--workers 2'] [--cache DIR]

--cache reuses (and keeps) a cache folder whose snapshot of --data is already built, instead of building
one in a fresh folder. After the rates, the server's memory is printed: the proportional set size (PSS,
shared pages counted once across its processes) and the RSS of the server and of each worker.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import AIDGRAPH, REPO, env_for, free_port, header, load_avg, pct

TICK = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """``pid`` and its child processes (the workers of `serve --workers N`)."""
    pids = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            pass
    return pids


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a server and its workers (a worker replaced meanwhile is not counted)."""
    total = 0.0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:13]) / TICK
        except OSError:
            pass
    return total


def targets(data: Path, n: int, seed: int) -> list[str]:
    from aidgraph.graph_api import runtime  # the snapshot in AIDGRAPH_CACHE when it is there
    graph = runtime.load_data(data).graph
    codes = sorted({graph.node(p)["code"] for pr in graph.ids("Pairing") for p in graph.out(pr, "SUPPORTED")})
    del graph
    runtime._load.cache_clear()
    gc.collect()  # the graph goes: else the load generator's own collections walk it and stall it for seconds
    return ["泸水", *random.Random(seed).sample(codes, min(len(codes), n - 1))]


class Conn:
    """One keep-alive HTTP/1.1 connection, written and read by hand: httpx needs ~2.5 ms of CPU a
    request, so on 2 cores it could not offer more than ~150 req/s itself; this needs a tenth of that."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    async def get(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        low = head.lower()
        at = low.find(b"content-length:")
        if at >= 0:
            await self.reader.readexactly(int(low[at + 15:low.index(b"\r\n", at)]))
        elif b"chunked" in low:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        return status


async def one_rate(host: str, port: int, paths: list[str], rate: float, seconds: float, timeout: float) -> dict:
    lat: list[float] = []
    errors: dict[str, int] = {}
    idle: list[Conn] = []
    requests = [f"GET {p} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n\r\n".encode()
                for p in paths]
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    total = int(rate * seconds)

    async def fire(i: int) -> None:
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        conn = idle.pop() if idle else None
        try:
            status = None
            if conn is not None:  # a kept-alive connection the server may have closed meanwhile: then a new one
                try:
                    status = await asyncio.wait_for(conn.get(requests[i % len(requests)]), timeout)
                except (ConnectionError, asyncio.IncompleteReadError):
                    conn.writer.close()
                    conn = None
            if conn is None:
                conn = Conn(*await asyncio.wait_for(asyncio.open_connection(host, port), timeout))
                status = await asyncio.wait_for(conn.get(requests[i % len(requests)]), timeout)
            if status == 200:
                lat.append(loop.time() - due)
            else:
                errors[str(status)] = errors.get(str(status), 0) + 1
            idle.append(conn)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
            errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
            if conn is not None:
                conn.writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(fire(i) for i in range(total)))
    wall = time.perf_counter() - t0
    for c in idle:
        c.writer.close()
    return {"offered": rate, "sent": total, "ok": len(lat), "errors": errors, "wall": wall,
            "achieved": len(lat) / wall if wall else 0.0,
            "p50": pct(lat, 50) * 1000 if lat else float("nan"), "p99": pct(lat, 99) * 1000 if lat else float("nan")}


def memory_kib(pid: int) -> dict[int, tuple[int, int]]:
    """pid -> (PSS, RSS) in KiB for the server ``pid`` and its child processes (its workers)."""
    out = {}
    for p in tree(pid):
        try:
            fields = dict(line.split(":", 1) for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()[1:])
            out[p] = (int(fields["Pss"].split()[0]), int(fields["Rss"].split()[0]))
        except (OSError, KeyError, ValueError):
            pass
    return out


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 900) -> float:
    t = time.perf_counter()
    while time.perf_counter() - t < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"serve exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/stats", timeout=60).status_code == 200:
                return time.perf_counter() - t
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("serve did not answer in time")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--rates", default="50,100,200,400")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--path", default="/api/places/{place}/supporters",
                    help="request path; {place} is replaced by a place from a fixed sample")
    ap.add_argument("--places", type=int, default=50)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--serve-args", default="", help="extra arguments for `aidgraph serve` (e.g. --workers 2)")
    ap.add_argument("--cache", type=Path, default=None, help="a cache folder to use and keep (default: a fresh one)")
    args = ap.parse_args()
    data = args.data.resolve()
    header("HTTP load on loopback", data)
    cache = args.cache.resolve() if args.cache else Path(tempfile.mkdtemp(prefix="aidgraph-bench-http-"))
    env = env_for(data, cache)
    os.environ["AIDGRAPH_CACHE"] = str(cache)  # targets() reads the snapshot there, as the server does
    subprocess.run([AIDGRAPH, "stats"], env=env, cwd=REPO, stdout=subprocess.DEVNULL, check=True)  # the snapshot
    paths = [args.path.format(place=quote(p)) for p in targets(data, args.places, args.seed)]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([AIDGRAPH, "serve", "--host", "127.0.0.1", "--port", str(port),
                             *args.serve_args.split()], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        print(f"serve ready in {wait_ready(base, proc):.1f} s; path {args.path} over {len(paths)} places; "
              f"offered rates {args.rates} req/s for {args.seconds:g} s each")
        for p in paths:  # warm: every answer asked once
            httpx.get(base + p, timeout=60)
        for rate in [float(r) for r in args.rates.split(",")]:
            c0, s0 = resource.getrusage(resource.RUSAGE_SELF), cpu_seconds(proc.pid)
            res = asyncio.run(one_rate("127.0.0.1", port, paths, rate, args.seconds, args.timeout))
            c1, s1 = resource.getrusage(resource.RUSAGE_SELF), cpu_seconds(proc.pid)
            client_cpu = (c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime) / res["wall"]
            server_cpu = (s1 - s0) / res["wall"]
            errs = ", ".join(f"{k} {v}" for k, v in sorted(res["errors"].items())) or "0"
            print(f"offered {rate:5.0f} req/s: achieved {res['achieved']:6.1f} req/s ({res['ok']}/{res['sent']} ok in "
                  f"{res['wall']:.1f} s), p50 {res['p50']:8.1f} ms, p99 {res['p99']:8.1f} ms, errors {errs}; "
                  f"CPU server {server_cpu:.2f} cores, generator {client_cpu:.2f} cores [load {load_avg()}]",
                  flush=True)
            # let a saturated server drain before the next rate
            t = time.perf_counter()
            while time.perf_counter() - t < 60:
                s = time.perf_counter()
                httpx.get(base + paths[0], timeout=60)
                if time.perf_counter() - s < 0.2:
                    break
        mem = memory_kib(proc.pid)
        print(f"server memory: PSS {sum(p for p, _ in mem.values()) / 1024:.0f} MiB over {len(mem)} processes "
              f"(RSS each: {', '.join(f'{r / 1024:.0f}' for _, r in mem.values())} MiB) [load {load_avg()}]")
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if not args.cache:
            shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
