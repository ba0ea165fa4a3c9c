"""The HTTP protocol ``serve`` runs: uvicorn's h11 protocol with a time limit on each request's head.

uvicorn closes a keep-alive connection that sends nothing for ``timeout_keep_alive`` seconds, but a
client that trickles a request's head one byte at a time (or never finishes it) keeps its connection
and its memory for as long as it likes. Here the request line and headers must arrive whole within
``AIDGRAPH_HEADER_TIMEOUT`` seconds of the connection's start or of the previous answer's end;
otherwise the connection is closed. ``serve`` gives the setting: ``HeadTimeoutProtocol.bounded(seconds)``.
"""
from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..settings import Settings


class HeadTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections whose request head is not in after ``head_timeout`` s."""

    head_timeout: float = Settings.model_fields["header_timeout"].default

    @classmethod
    def bounded(cls, seconds: float) -> type[HeadTimeoutProtocol]:
        """The protocol with this time limit (uvicorn takes a class, and makes one per connection)."""
        return type(cls.__name__, (cls,), {"head_timeout": seconds})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None

    def _start_head_timer(self) -> None:
        self._stop_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()  # no request under way: nothing to answer

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._start_head_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the head is in (its request is under way)
            self._stop_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._start_head_timer()  # the next request's head has the same time

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)
