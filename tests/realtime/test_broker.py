"""The doorbell brokers: in one process, and across processes through Redis."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from app.realtime import broker as broker_module
from app.realtime.broker import (
    RESYNC,
    Doorbell,
    InMemoryBroker,
    PostgresTransport,
    RedisTransport,
    RelayBroker,
    make_broker,
)
from tests.realtime.conftest import RedisProcess
from tests.servers import free_port

WAIT = 5.0


async def _next(queue: Doorbell) -> int:
    return await asyncio.wait_for(queue.get(), WAIT)


def test_a_waiting_doorbell_keeps_the_highest_seq_and_never_drops_a_resync() -> None:
    async def scenario() -> list[int]:
        broker = InMemoryBroker()
        seen = []
        async with broker.subscribe("g") as queue:
            broker.publish("g", 5)
            broker.publish("g", 3)
            await asyncio.sleep(0)
            seen.append(await _next(queue))
            broker.resync_all()
            broker.publish("g", 9)
            await asyncio.sleep(0)
            seen.append(await _next(queue))
            broker.publish("other", 1)  # another game's doorbell is not ours
            await asyncio.sleep(0.05)
            seen.append(queue.qsize())
        return seen

    assert asyncio.run(scenario()) == [5, RESYNC, 0]


def test_a_doorbell_wait_given_up_loses_no_rung_and_a_presence_never_replaces_one() -> None:
    async def scenario() -> list[int]:
        doorbell = Doorbell()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.01):  # as a page's safety re-read gives up waiting
                await doorbell.get()
        doorbell.ring(4)
        doorbell.offer(-2)  # a page's presence news waits behind a change
        seen = [await _next(doorbell), doorbell.qsize()]
        doorbell.offer(-2)
        doorbell.ring(7)  # a change after it takes its place (the change shows presence)
        return [*seen, await _next(doorbell)]

    assert asyncio.run(scenario()) == [4, 0, 7]


def test_an_unknown_pubsub_url_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match=r"memory://.*redis://"):
        make_broker("amqp://localhost")
    redis_broker = make_broker("redis://127.0.0.1:6379/0")
    assert isinstance(redis_broker, RelayBroker)
    assert isinstance(redis_broker.transport, RedisTransport)
    postgres_broker = make_broker("postgresql+psycopg://postgres@127.0.0.1/test")
    assert isinstance(postgres_broker, RelayBroker)
    assert isinstance(postgres_broker.transport, PostgresTransport)
    assert postgres_broker.transport.url == "postgresql://postgres@127.0.0.1/test"


def relay(url: str) -> RelayBroker:
    broker = make_broker(url)
    assert isinstance(broker, RelayBroker)
    return broker


@asynccontextmanager
async def running(broker: RelayBroker) -> AsyncIterator[RelayBroker]:
    await broker.start()
    try:
        for _ in range(int(WAIT / 0.02)):
            if broker.subscribed:
                break
            await asyncio.sleep(0.02)
        assert broker.subscribed, "the broker never subscribed"
        yield broker
    finally:
        await broker.stop()


def test_a_doorbell_crosses_to_another_process_broker(relay_url: str) -> None:
    async def scenario() -> tuple[int, int, int]:
        async with (
            running(relay(relay_url)) as a,
            running(relay(relay_url)) as b,
            b.subscribe("game-x") as on_b,
            a.subscribe("game-x") as on_a,
        ):
            a.publish("game-x", 7)
            local, remote = await _next(on_a), await _next(on_b)
            # Garbage on the channel is ignored; the next real doorbell still arrives.
            await asyncio.to_thread(
                a.transport.send, ["game-x not-a-seq", "nonsense", "game-x ² other"]
            )
            a.publish("game-x", 8)
            return local, remote, await _next(on_b)

    assert asyncio.run(scenario()) == (7, 7, 8)


def test_readiness_reports_a_broker_that_cannot_be_reached() -> None:
    async def scenario() -> str | None:
        broker = make_broker(f"redis://127.0.0.1:{free_port()}/0")
        await broker.start()
        try:
            await asyncio.sleep(0.3)
            broker.publish("g", 1)  # queued for when Redis answers; never raises
            return await broker.ping()
        finally:
            await broker.stop()

    assert asyncio.run(scenario()) == "not subscribed to Redis (reconnecting)"


def test_a_relay_that_stops_answering_is_noticed_and_reconnected(
    private_redis: RedisProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hung Redis (SIGSTOP: the socket stays open, nothing answers) looks like a silent
    network partition; the listener must give up on it rather than wait forever."""
    monkeypatch.setattr(broker_module, "KEEPALIVE_SECONDS", 0.2)

    async def wait_until(broker: RelayBroker, subscribed: bool) -> bool:
        for _ in range(100):
            if broker.subscribed is subscribed:
                return True
            await asyncio.sleep(0.05)
        return False

    async def scenario() -> tuple[bool, bool]:
        async with running(relay(private_redis.url)) as broker:
            assert private_redis.process is not None
            private_redis.process.send_signal(signal.SIGSTOP)
            try:
                noticed = await wait_until(broker, subscribed=False)
            finally:
                private_redis.process.send_signal(signal.SIGCONT)
            return noticed, await wait_until(broker, subscribed=True)

    assert asyncio.run(scenario()) == (True, True)
