"""The doorbell: after a commit, tell every socket of a game that events up to `seq` exist.

A doorbell carries no game data, only (game id, seq); each socket then reads the events
past its own last seq and filters them for its viewer. Losing a doorbell only delays an
update (sockets also re-read periodically), never loses one.

`memory://` serves one process. `redis://…` crosses processes: each process keeps one
subscriber connection (a pattern subscription to every game's doorbell) and fans what it
hears out to its own sockets; after the connection comes back from a broker restart,
every socket of the process re-reads the store, since doorbells rung meanwhile are lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import redis
import redis.asyncio as aioredis

log = logging.getLogger(__name__)

RESYNC = -1
"""Rung instead of a seq when doorbells may have been lost: "read the store to see"."""


class Broker(Protocol):
    def publish(self, game_id: str, seq: int) -> None:
        """Ring; safe to call from any thread."""

    def subscribe(self, game_id: str) -> AbstractAsyncContextManager[asyncio.Queue[int]]:
        """An async context manager yielding a queue of seqs (or `RESYNC`) for one game."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def ping(self) -> str | None:
        """None when the broker is reachable, else why not (for /readyz)."""
        ...


class InMemoryBroker:
    """One process: each subscriber is a queue on its own event loop, fed thread-safely."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[_Subscriber]] = defaultdict(set)
        self._lock = threading.Lock()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def ping(self) -> str | None:
        return None

    def publish(self, game_id: str, seq: int) -> None:
        with self._lock:
            subscribers = list(self._subscribers.get(game_id, ()))
        _ring_all(subscribers, seq)

    def resync_all(self) -> None:
        """Every subscriber of every game re-reads the store."""
        with self._lock:
            subscribers = [s for group in self._subscribers.values() for s in group]
        _ring_all(subscribers, RESYNC)

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


class RedisBroker:
    """Doorbells through Redis pub/sub, for several processes sharing one database.

    Publishing rings this process's own sockets at once (no round trip) and hands the
    doorbell to a publisher thread, so an action never waits on Redis; the copy that comes
    back from Redis is skipped by its origin mark. While Redis is unreachable the thread
    keeps the latest seq of each game and sends them when it is back.
    """

    CHANNEL_PREFIX = "entente:doorbell:"
    MAX_RECONNECT_DELAY_SECONDS = 5.0

    def __init__(self, url: str) -> None:
        self.url = url
        self.origin = uuid.uuid4().hex
        self.subscribed = False
        self._local = InMemoryBroker()
        self._publisher = _Publisher(url, self.CHANNEL_PREFIX, self.origin)
        self._listener: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._publisher.start()
        self._listener = asyncio.create_task(self._listen(), name="doorbell-listener")

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        await asyncio.to_thread(self._publisher.stop)

    async def ping(self) -> str | None:
        if not self.subscribed:
            return "not subscribed to Redis (reconnecting)"
        client = aioredis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)
        try:
            await client.ping()
        except (redis.RedisError, OSError) as error:
            return f"Redis unreachable ({type(error).__name__})"
        finally:
            await client.aclose()
        return None

    def publish(self, game_id: str, seq: int) -> None:
        self._local.publish(game_id, seq)
        self._publisher.put(game_id, seq)

    def subscribe(self, game_id: str) -> AbstractAsyncContextManager[asyncio.Queue[int]]:
        return self._local.subscribe(game_id)

    async def _listen(self) -> None:
        """One subscriber connection for the whole process, re-established forever."""
        delay = 0.2
        while True:
            client = aioredis.Redis.from_url(self.url, socket_connect_timeout=2)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(self.CHANNEL_PREFIX + "*")
                    self.subscribed = True
                    delay = 0.2
                    log.info("doorbell subscription to Redis established")
                    # Whatever was rung while we were away is lost: everyone looks.
                    self._local.resync_all()
                    async for message in pubsub.listen():
                        self._deliver(message)
            except (redis.RedisError, OSError) as error:
                log.warning("doorbell subscription lost (%s); reconnecting in %.1f s", error, delay)
            finally:
                self.subscribed = False
                with contextlib.suppress(redis.RedisError, OSError):
                    await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.MAX_RECONNECT_DELAY_SECONDS)

    def _deliver(self, message: dict[str, Any]) -> None:
        if message.get("type") != "pmessage":
            return
        channel, data = _text(message.get("channel")), _text(message.get("data"))
        game_id = channel.removeprefix(self.CHANNEL_PREFIX)
        seq_text, _, origin = data.partition(" ")
        if origin == self.origin:
            return  # rung locally when published
        try:
            seq = int(seq_text)
        except ValueError:
            log.warning("ignored a malformed doorbell %r on %r", data, channel)
            return
        self._local.publish(game_id, seq)


class _Publisher:
    """A thread that sends doorbells to Redis: the latest seq per game, retried until
    Redis answers (a later seq of a game replaces an earlier one still waiting)."""

    RETRY_DELAYS = (0.1, 0.2, 0.5, 1.0, 2.0)

    def __init__(self, url: str, prefix: str, origin: str) -> None:
        self._client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._prefix = prefix
        self._origin = origin
        self._waiting: dict[str, int] = {}
        self._condition = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="doorbell-publisher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._client.close()

    def put(self, game_id: str, seq: int) -> None:
        with self._condition:
            self._waiting[game_id] = max(seq, self._waiting.get(game_id, seq))
            self._condition.notify()

    def _run(self) -> None:
        failures = 0
        while True:
            with self._condition:
                while not self._waiting and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    return
                batch, self._waiting = self._waiting, {}
            try:
                with self._client.pipeline(transaction=False) as pipeline:
                    for game_id, seq in batch.items():
                        pipeline.publish(self._prefix + game_id, f"{seq} {self._origin}")
                    pipeline.execute()
                failures = 0
            except (redis.RedisError, OSError) as error:
                for game_id, seq in batch.items():
                    self.put(game_id, seq)
                delay = self.RETRY_DELAYS[min(failures, len(self.RETRY_DELAYS) - 1)]
                if failures == 0:
                    log.warning("doorbells not published (%s); retrying until Redis is back", error)
                failures += 1
                with self._condition:
                    self._condition.wait_for(lambda: self._stopping, timeout=delay)


@dataclass(frozen=True, eq=False)
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[int]


def _ring_all(subscribers: list[_Subscriber], seq: int) -> None:
    for subscriber in subscribers:
        with contextlib.suppress(RuntimeError):  # its loop has closed: it is leaving
            subscriber.loop.call_soon_threadsafe(_ring, subscriber.queue, seq)


def _ring(queue: asyncio.Queue[int], seq: int) -> None:
    # A doorbell only says "there is something past your seq": one pending is enough,
    # the higher of the two, and a pending RESYNC is never replaced by a plain seq.
    if queue.full():
        pending = queue.get_nowait()
        seq = RESYNC if RESYNC in (pending, seq) else max(pending, seq)
    queue.put_nowait(seq)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def make_broker(url: str) -> Broker:
    if url.startswith("memory://"):
        return InMemoryBroker()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBroker(url)
    raise ValueError(
        f"Unsupported pub/sub URL {url!r}: use memory:// (one process) or "
        "redis://host:port/db (several processes)."
    )
