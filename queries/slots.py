"""At most N at once: the costly requests (SPARQL queries, exports) each hold a slot while they run, and
one more than allowed is refused at once (503 with ``Retry-After``) instead of waiting in memory."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..errors import Busy


class Slots:
    """At most ``allowed`` holders at once in this process: given to ``hold`` by the caller (from the
    settings it was handed, read at each request so a setting change is seen), or ``allowed()`` when
    the slots were made with it; ``busy(allowed, retry_after)`` is the error one more gets."""

    def __init__(self, allowed: Callable[[], int] | None, busy: Callable[[int, int], Busy]):
        self._allowed, self._busy = allowed, busy
        self._lock = threading.Lock()
        self._running = 0

    @property
    def running(self) -> int:
        return self._running

    @contextmanager
    def hold(self, retry_after: int, allowed: int | None = None) -> Iterator[None]:
        if allowed is None:
            if self._allowed is None:
                raise TypeError("these slots take their number at each hold")
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
