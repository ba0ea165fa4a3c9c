"""At most N at once: the costly requests (SPARQL queries, exports) each hold a slot while they run, and
one more than allowed is refused at once (503 with ``Retry-After``) instead of waiting in memory."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..errors import Busy


class Slots:
    """``allowed()`` holders at once in this process (read at each request, so a setting change is seen);
    ``busy(allowed, retry_after)`` is the error one more gets."""

    def __init__(self, allowed: Callable[[], int], busy: Callable[[int, int], Busy]):
        self._allowed, self._busy = allowed, busy
        self._lock = threading.Lock()
        self._running = 0

    @property
    def running(self) -> int:
        return self._running

    @contextmanager
    def hold(self, retry_after: int) -> Iterator[None]:
        allowed = self._allowed()
        with self._lock:
            if self._running >= allowed:
                raise self._busy(allowed, retry_after)
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
