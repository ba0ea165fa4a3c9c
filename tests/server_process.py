"""Waiting on a server the test started as a process: polled, never a fixed sleep; a failure shows the
end of the server's log."""
from __future__ import annotations

import contextlib
import subprocess
import time
from pathlib import Path

import pytest


def until(proc: subprocess.Popen, what: str, check, log: Path, seconds: float = 180):
    """``check()``'s first true value; fails the test when the process ends or ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{what}: not seen\n{log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=0.2)
