"""The doorbell: after a commit, tell every socket of a game that events up to `seq` exist.

A doorbell carries no game data, only (game id, seq); each socket then reads the events
past its own last seq and filters them for its viewer. Losing a doorbell only delays an
update (sockets also re-read periodically), never loses one.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
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
    """One process: each subscriber is a queue on its own event loop, fed thread-safely."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[_Subscriber]] = defaultdict(set)
        self._lock = threading.Lock()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def publish(self, game_id: str, seq: int) -> None:
        with self._lock:
            subscribers = list(self._subscribers.get(game_id, ()))
        for subscriber in subscribers:
            with contextlib.suppress(RuntimeError):  # its loop has closed: it is leaving
                subscriber.loop.call_soon_threadsafe(_ring, subscriber.queue, seq)

    @asynccontextmanager
    async def subscribe(self, game_id: str) -> AsyncIterator[asyncio.Queue[int]]:
        subscriber = _Subscriber(asyncio.get_running_loop(), asyncio.Queue(maxsize=1))
        with self._lock:
            self._subscribers[game_id].add(subscriber)
        try:
            yield subscriber.queue
        finally:
            with self._lock:
                self._subscribers[game_id].discard(subscriber)
                if not self._subscribers[game_id]:
                    del self._subscribers[game_id]


@dataclass(frozen=True, eq=False)
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[int]


def _ring(queue: asyncio.Queue[int], seq: int) -> None:
    # A doorbell only says "there is something past your seq": one pending is enough.
    if not queue.full():
        queue.put_nowait(seq)


def make_broker(url: str) -> InMemoryBroker:
    if url.startswith("memory://"):
        return InMemoryBroker()
    raise ValueError(
        f"Unsupported pub/sub URL {url!r}: this version supports memory:// only "
        "(Redis arrives with multi-process serving)."
    )
