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

import psycopg
import redis
import redis.asyncio as aioredis

log = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 30.0
"""A listening connection quiet this long is checked (it may have died silently)."""

RESYNC = -1
"""Rung instead of a seq when doorbells may have been lost: "read the store to see"."""


CLOSED = -3
"""What a closed doorbell gives: its page has gone."""


class Doorbell:
    """One page's doorbell: at most one rung pending, the highest seq, a `RESYNC` never
    replaced by a plain seq. An asyncio.Queue did it in some 2 KiB per open page (its
    three deques); this holds one number and, while its page waits, one future and one
    timer. One waiter at a time (its page), on the event loop it was made on."""

    __slots__ = ("_closed", "_pending", "_waiter")

    def __init__(self) -> None:
        self._pending: int | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False

    def qsize(self) -> int:
        """1 with a rung pending, else 0."""
        return 0 if self._pending is None else 1

    def ring(self, seq: int) -> None:
        """A change up to `seq` (or `RESYNC`): one pending is enough, the higher of the two,
        and a pending `RESYNC` is never replaced by a plain seq."""
        pending = self._pending
        if pending is not None:
            seq = RESYNC if RESYNC in (pending, seq) else max(pending, seq)
        self._pending = seq
        self._wake()

    def offer(self, value: int) -> None:
        """Ring with `value` only if nothing is pending (a pending rung wins)."""
        if self._pending is None:
            self.ring(value)

    def close(self) -> None:
        """The page has gone: its waits end with `CLOSED`, now and from now on."""
        self._closed = True
        self._wake()

    async def get(self, timeout: float | None = None) -> int:
        """The pending rung, once there is one; `RESYNC` if none came in `timeout`
        seconds; `CLOSED` once closed. Cancellable: no rung is lost then."""
        if self._pending is None and not self._closed:
            loop = asyncio.get_running_loop()
            waiter = self._waiter = loop.create_future()
            # One timer handle, not an asyncio.timeout (a context and a handle per wait).
            timer = None if timeout is None else loop.call_later(timeout, _done, waiter)
            try:
                await waiter
            finally:
                self._waiter = None
                if timer is not None:
                    timer.cancel()
        if self._closed:
            return CLOSED
        if self._pending is None:
            return RESYNC  # the time ran out
        pending, self._pending = self._pending, None
        return pending

    def _wake(self) -> None:
        if self._waiter is not None:
            _done(self._waiter)


def _done(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class Broker(Protocol):
    name: str  # what carries the doorbells, for /readyz

    def publish(self, game_id: str, seq: int) -> None:
        """Ring; safe to call from any thread."""

    def subscribe(self, game_id: str) -> AbstractAsyncContextManager[Doorbell]:
        """An async context manager yielding a doorbell of seqs (or `RESYNC`) for one game."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def ping(self) -> str | None:
        """None when the broker is reachable, else why not (for /readyz)."""
        ...


class InMemoryBroker:
    """One process: each subscriber is a queue on its own event loop, fed thread-safely."""

    name = "memory"

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
    async def subscribe(self, game_id: str) -> AsyncIterator[Doorbell]:
        subscriber = _Subscriber(asyncio.get_running_loop(), Doorbell())
        with self._lock:
            self._subscribers[game_id].add(subscriber)
        try:
            yield subscriber.queue
        finally:
            with self._lock:
                self._subscribers[game_id].discard(subscriber)
                if not self._subscribers[game_id]:
                    del self._subscribers[game_id]


class RelayBroker:
    """Doorbells relayed between processes that share one database, over a `Transport`
    (Redis pub/sub or PostgreSQL LISTEN/NOTIFY).

    Publishing rings this process's own sockets at once (no round trip) and hands the
    doorbell to a publisher thread, so an action never waits on the relay; the copy that
    comes back is skipped by its origin mark. While the relay is unreachable the thread
    keeps the latest seq of each game and sends them when it is back. One listening
    connection serves the whole process; when it comes back after a restart, every socket
    of the process re-reads the store, since doorbells rung meanwhile are lost.
    """

    MAX_RECONNECT_DELAY_SECONDS = 5.0

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.name = transport.name
        self.origin = uuid.uuid4().hex
        self.subscribed = False
        self._local = InMemoryBroker()
        self._publisher = _Publisher(transport)
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
            return f"not subscribed to {self.transport.name} (reconnecting)"
        try:
            await self.transport.ping()
        except self.transport.errors as error:
            return f"{self.transport.name} unreachable ({type(error).__name__})"
        return None

    def publish(self, game_id: str, seq: int) -> None:
        self._local.publish(game_id, seq)
        self._publisher.put(game_id, f"{game_id} {seq} {self.origin}")

    def subscribe(self, game_id: str) -> AbstractAsyncContextManager[Doorbell]:
        return self._local.subscribe(game_id)

    async def _listen(self) -> None:
        delay = 0.2
        while True:
            try:
                async with self.transport.listen() as payloads:
                    self.subscribed = True
                    delay = 0.2
                    log.info("doorbell subscription to %s established", self.transport.name)
                    # Whatever was rung while we were away is lost: everyone looks.
                    self._local.resync_all()
                    async for payload in payloads:
                        self._deliver(payload)
            except self.transport.errors as error:
                log.warning("doorbell subscription lost (%s); reconnecting in %.1f s", error, delay)
            except Exception:  # never let the one listener of the process die
                log.exception("doorbell listener failed; reconnecting in %.1f s", delay)
            finally:
                self.subscribed = False
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.MAX_RECONNECT_DELAY_SECONDS)

    def _deliver(self, payload: str) -> None:
        parts = payload.split(" ")
        try:
            game_id, seq_text, origin = parts
            seq = int(seq_text)
        except ValueError:
            log.warning("ignored a malformed doorbell %r", payload[:200])
            return
        if origin != self.origin:  # our own were rung locally when published
            self._local.publish(game_id, seq)


class Transport(Protocol):
    """How doorbells travel between processes: "game_id seq origin" text payloads."""

    name: str
    errors: tuple[type[Exception], ...]  # what a lost connection raises

    def send(self, payloads: list[str]) -> None:
        """Send (from the publisher thread); raises one of `errors` if it cannot."""

    def close(self) -> None: ...

    def listen(self) -> AbstractAsyncContextManager[AsyncIterator[str]]:
        """Connected and subscribed on entry; yields every payload sent by anyone."""
        ...

    async def ping(self) -> None: ...


class RedisTransport:
    name = "Redis"
    errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
    CHANNEL = "entente:doorbells"

    def __init__(self, url: str) -> None:
        self.url = url
        self._client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def send(self, payloads: list[str]) -> None:
        with self._client.pipeline(transaction=False) as pipeline:
            for payload in payloads:
                pipeline.publish(self.CHANNEL, payload)
            pipeline.execute()

    def close(self) -> None:
        self._client.close()

    @asynccontextmanager
    async def listen(self) -> AsyncIterator[AsyncIterator[str]]:
        client = aioredis.Redis.from_url(self.url, socket_connect_timeout=2, socket_keepalive=True)
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(self.CHANNEL)
                yield self._payloads(pubsub)
        finally:
            with contextlib.suppress(*self.errors):
                await client.aclose()

    @staticmethod
    async def _payloads(pubsub: aioredis.client.PubSub) -> AsyncIterator[str]:
        # A connection can die silently (a partition, a killed host): after a quiet
        # spell, PING; no answer to two in a row means it is gone, and we reconnect.
        unanswered = 0
        while True:
            message = await pubsub.get_message(timeout=KEEPALIVE_SECONDS)
            if message is None:
                if unanswered >= 2:
                    raise redis.ConnectionError("Redis did not answer PING")
                await pubsub.ping()
                unanswered += 1
                continue
            unanswered = 0
            if message.get("type") == "message":
                data = message.get("data")
                yield data.decode() if isinstance(data, bytes) else str(data)

    async def ping(self) -> None:
        client = aioredis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)
        try:
            await client.ping()
        finally:
            await client.aclose()


class PostgresTransport:
    """LISTEN/NOTIFY on the database the game already uses: no other service to run."""

    name = "PostgreSQL"
    errors: tuple[type[Exception], ...] = (psycopg.Error, OSError)
    CHANNEL = "entente_doorbells"

    def __init__(self, url: str) -> None:
        # Also accept the SQLAlchemy spelling of ENTENTE_DATABASE_URL.
        self.url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self._connection: psycopg.Connection[Any] | None = None

    def send(self, payloads: list[str]) -> None:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self.url, autocommit=True, connect_timeout=2)
        try:
            with self._connection.cursor() as cursor:
                for payload in payloads:
                    cursor.execute("SELECT pg_notify(%s, %s)", (self.CHANNEL, payload))
        except self.errors:
            self.close()
            raise

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(*self.errors):
                self._connection.close()
            self._connection = None

    @asynccontextmanager
    async def listen(self) -> AsyncIterator[AsyncIterator[str]]:
        connection = await psycopg.AsyncConnection.connect(
            self.url, autocommit=True, connect_timeout=2, keepalives=1, keepalives_idle=30
        )
        try:
            await connection.execute(f"LISTEN {self.CHANNEL}")
            yield self._payloads(connection)
        finally:
            with contextlib.suppress(*self.errors):
                await connection.close()

    @staticmethod
    async def _payloads(connection: psycopg.AsyncConnection[Any]) -> AsyncIterator[str]:
        # After a quiet spell, a query proves the connection is still there (a dead one
        # raises, or times out, and we reconnect).
        while True:
            quiet = True
            async for notify in connection.notifies(timeout=KEEPALIVE_SECONDS):
                quiet = False
                yield notify.payload
            if quiet:
                try:
                    await asyncio.wait_for(connection.execute("SELECT 1"), KEEPALIVE_SECONDS)
                except TimeoutError as error:
                    raise psycopg.OperationalError("PostgreSQL did not answer") from error

    async def ping(self) -> None:
        connection = await psycopg.AsyncConnection.connect(self.url, connect_timeout=2)
        try:
            await connection.execute("SELECT 1")
        finally:
            await connection.close()


class _Publisher:
    """A thread that sends doorbells: the latest of each game, retried until the relay
    answers (a later doorbell of a game replaces an earlier one still waiting)."""

    RETRY_DELAYS = (0.1, 0.2, 0.5, 1.0, 2.0)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._waiting: dict[str, str] = {}
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
        self._transport.close()

    def _last_try(self, batch: dict[str, str]) -> None:
        """Stopping: one attempt for what is still waiting (a lost doorbell only delays
        other processes' pages until their safety re-read)."""
        if batch:
            with contextlib.suppress(Exception):
                self._transport.send(list(batch.values()))

    def put(self, game_id: str, payload: str, *, if_absent: bool = False) -> None:
        with self._condition:
            if not (if_absent and game_id in self._waiting):
                self._waiting[game_id] = payload
            self._condition.notify()

    def _run(self) -> None:
        failures = 0
        while True:
            with self._condition:
                while not self._waiting and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    self._last_try(self._waiting)
                    return
                batch, self._waiting = self._waiting, {}
            try:
                self._transport.send(list(batch.values()))
                failures = 0
            except Exception as error:  # any failure: keep the doorbells, retry, never die
                for game_id, payload in batch.items():
                    self.put(game_id, payload, if_absent=True)  # a newer one may be waiting
                if failures == 0:
                    log.warning(
                        "doorbells not published (%s); retrying until %s is back",
                        error,
                        self._transport.name,
                    )
                delay = self.RETRY_DELAYS[min(failures, len(self.RETRY_DELAYS) - 1)]
                failures += 1
                with self._condition:
                    self._condition.wait_for(lambda: self._stopping, timeout=delay)


@dataclass(frozen=True, eq=False)
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: Doorbell


def _ring_all(subscribers: list[_Subscriber], seq: int) -> None:
    """Ring each subscriber on its own loop: one call per loop for all of its doorbells
    (each call from another thread wakes the loop, a system call and a callback)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[Doorbell]] = {}
    for subscriber in subscribers:
        by_loop.setdefault(subscriber.loop, []).append(subscriber.queue)
    for loop, doorbells in by_loop.items():
        with contextlib.suppress(RuntimeError):  # its loop has closed: they are leaving
            loop.call_soon_threadsafe(_ring_each, doorbells, seq)


def _ring_each(doorbells: list[Doorbell], seq: int) -> None:
    for doorbell in doorbells:
        doorbell.ring(seq)


def make_broker(url: str) -> Broker:
    if url.startswith("memory://"):
        return InMemoryBroker()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RelayBroker(RedisTransport(url))
    if url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        return RelayBroker(PostgresTransport(url))
    raise ValueError(
        f"Unsupported pub/sub URL {url!r}: use memory:// (one process), or for several "
        "processes redis://host:port/db or postgresql://user@host/db (LISTEN/NOTIFY)."
    )
