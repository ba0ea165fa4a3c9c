"""The bounds of the second hardening round, measured against a real `aidgraph serve` on loopback:

- five 200 MB SPARQL bodies with their Content-Length, and five sent chunked: time to the 413, bytes the
  server took before it, the server's resident memory after;
- 40 cold SPARQL queries at once (the RDF view not built yet): answers by status, memory after;
- 45 PNG exports at once: answers by status, the latency of /api/stats meanwhile, memory after;
- a client trickling its request head: seconds until the server closes the connection;
- an XLSX bomb notice (about 1.4 MB packed, 300 MB unpacked): time until `import-pairings` refuses it;
- the seed graph's snapshot: time to read it back (checksummed JSON).

    .venv/bin/python bench/bench_bounds.py [--data data]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from _common import AIDGRAPH, PYTHON, REPO, env_for, free_port, header


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def big_body(sock: socket.socket, head: bytes, total: int, chunked: bool) -> tuple[float, int, bytes]:
    """Send ``head`` and up to ``total`` body bytes until the server answers: (seconds, bytes sent, answer)."""
    start = time.perf_counter()
    sock.sendall(head)
    block = b"#" * 65536
    piece = (b"10000\r\n" + block + b"\r\n") if chunked else block
    sent, answer = 0, b""
    sock.setblocking(False)
    while sent < total and not answer:
        try:
            sock.send(piece)
            sent += len(block)
        except BlockingIOError:
            pass
        except OSError:
            break
        with contextlib.suppress(BlockingIOError):
            answer = sock.recv(65536)
    sock.setblocking(True)
    sock.settimeout(5)
    try:
        while b"\r\n\r\n" not in answer:
            more = sock.recv(65536)
            if not more:
                break
            answer += more
    except OSError:
        pass
    return time.perf_counter() - start, sent, answer[:12]


def bodies(port: int, pid: int) -> None:
    for chunked in (False, True):
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", port)) as s:
                length = b"Transfer-Encoding: chunked\r\n" if chunked else b"Content-Length: 209715200\r\n"
                head = (b"POST /api/sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                        + length + b"\r\n")
                took, sent, answer = big_body(s, head, 200 * 1024 * 1024, chunked)
        print(f"200 MB body {'chunked' if chunked else 'with Content-Length'} x5: last answer {answer!r} after "
              f"{took * 1000:.0f} ms, {sent / 2**20:.1f} MiB sent; server RSS now {rss_mib(pid):.0f} MiB")


async def many(port: int, paths: list[str], probe: str | None = None) -> tuple[dict, list[float]]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as c:
        probes: list[float] = []
        done = asyncio.Event()

        async def probe_loop():
            while not done.is_set():
                t = time.perf_counter()
                await c.get(probe)
                probes.append(time.perf_counter() - t)
                await asyncio.sleep(0.05)
        task = asyncio.create_task(probe_loop()) if probe else None
        answers = await asyncio.gather(*(c.get(p) for p in paths))
        done.set()
        if task:
            await task
    counts: dict[int, int] = {}
    for r in answers:
        counts[r.status_code] = counts.get(r.status_code, 0) + 1
    return counts, probes


def slow_head(port: int) -> float:
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.settimeout(0.2)
        start = time.perf_counter()
        head = b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
        for i in range(len(head)):
            try:
                s.send(head[i:i + 1])
                if s.recv(1) == b"":
                    break
            except TimeoutError:
                continue
            except OSError:
                break
        return time.perf_counter() - start


def bomb(folder: Path) -> Path:
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["supporter", "program", "province", "place", "valid_from", "valid_to", "source"])
    plain = folder / "plain.xlsx"
    wb.save(plain)
    path = folder / "bomb.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, data)
                continue
            with dst.open(item.filename, "w", force_zip64=True) as f:
                head, tail = data.split(b"<sheetData>", 1)
                f.write(head)
                for _ in range(300):
                    f.write(b" " * 2**20)
                f.write(b"<sheetData>" + tail)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO / "data")
    args = ap.parse_args()
    header("bounds", args.data)
    work = Path(tempfile.mkdtemp(prefix="aidgraph-bounds-"))
    try:
        cache = work / "cache"
        env = env_for(args.data.resolve(), cache)
        subprocess.run([AIDGRAPH, "stats"], env=env, check=True, stdout=subprocess.DEVNULL)
        reads = []
        code = ("import time,sys; from aidgraph.graph_api import runtime; t=time.perf_counter(); "
                "runtime.load_data(); print(time.perf_counter()-t)")
        for _ in range(5):
            out = subprocess.run([PYTHON, "-c", code], env=env, check=True, capture_output=True, text=True)
            reads.append(float(out.stdout.split()[-1]))
        size = sum(p.stat().st_size for p in (cache / "snapshots").glob("*.json"))
        print(f"snapshot ({size / 2**20:.2f} MiB JSON) read back by load_data: "
              f"median {statistics.median(reads):.3f} s, "
              f"best {min(reads):.3f} s (5 processes)")

        port = free_port()
        server = subprocess.Popen([AIDGRAPH, "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/api/stats").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            print(f"server RSS at start: {rss_mib(server.pid):.0f} MiB")
            bodies(port, server.pid)
            counts, _ = asyncio.run(many(port, ["/api/sparql?query=ASK%20%7B%3Fs%20%3Fp%20%3Fo%7D"] * 40))
            print(f"40 cold SPARQL queries at once: {counts}; server RSS now {rss_mib(server.pid):.0f} MiB")
            png = "/api/export?view=pairings&center=%E9%97%B5%E8%A1%8C%E5%8C%BA&year=2024&format=png"
            counts, probes = asyncio.run(many(port, [png] * 45, probe="/api/stats"))
            print(f"45 PNG exports at once: {counts}; /api/stats meanwhile: max {max(probes) * 1000:.0f} ms "
                  f"(n={len(probes)}); server RSS now {rss_mib(server.pid):.0f} MiB")
            print(f"a client trickling its head one byte every 0.2 s: closed after {slow_head(port):.1f} s")
        finally:
            server.terminate()
            server.wait(10)

        data = work / "data"
        shutil.copytree(args.data, data)
        notice = bomb(work)
        unpacked = sum(i.file_size for i in zipfile.ZipFile(notice).infolist())
        t = time.perf_counter()
        res = subprocess.run([AIDGRAPH, "import-pairings", str(notice), "--name", "bomb", "--json"],
                             env=env_for(data, cache), capture_output=True, text=True)
        took = time.perf_counter() - t
        print(f"XLSX bomb ({notice.stat().st_size / 2**20:.2f} MiB packed, {unpacked / 2**20:.0f} MiB unpacked): "
              f"exit {res.returncode} after {took:.2f} s (the whole command, start-up included)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.chdir(REPO)
    main()
