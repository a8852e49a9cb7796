"""The doorbell: after a commit, tell every socket of a game that events up to `seq` exist.

A doorbell carries no game data, only (game id, seq); each socket then reads the events
past its own last seq and filters them for its viewer. Losing a doorbell only delays an
update (sockets also re-read periodically), never loses one.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol


class Broker(Protocol):
    def publish(self, game_id: str, seq: int) -> None:
        """Ring; safe to call from any thread."""

    def subscribe(self, game_id: str) -> AbstractAsyncContextManager[asyncio.Queue[int]]:
        """An async context manager yielding a queue of seqs for one game."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class InMemoryBroker:
    """One process: subscribers are asyncio queues on the server's event loop."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._subscribers: dict[str, set[asyncio.Queue[int]]] = defaultdict(set)
        self._lock = threading.Lock()

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        self._loop = None

    def publish(self, game_id: str, seq: int) -> None:
        loop = self._loop
        if loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._deliver(game_id, seq)
        else:
            loop.call_soon_threadsafe(self._deliver, game_id, seq)

    def _deliver(self, game_id: str, seq: int) -> None:
        with self._lock:
            queues = list(self._subscribers.get(game_id, ()))
        for queue in queues:
            if queue.full():
                # A doorbell only says "there is something past seq": one pending is enough.
                continue
            queue.put_nowait(seq)

    @asynccontextmanager
    async def subscribe(self, game_id: str) -> AsyncIterator[asyncio.Queue[int]]:
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
        with self._lock:
            self._subscribers[game_id].add(queue)
        try:
            yield queue
        finally:
            with self._lock:
                self._subscribers[game_id].discard(queue)
                if not self._subscribers[game_id]:
                    del self._subscribers[game_id]


def make_broker(url: str) -> InMemoryBroker:
    if url.startswith("memory://"):
        return InMemoryBroker()
    raise ValueError(
        f"Unsupported pub/sub URL {url!r}: this version supports memory:// only "
        "(Redis arrives with multi-process serving)."
    )
