"""Fixtures for the cross-process tests: Redis (the machine's, or one started here)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from tests.servers import free_port, stop_process

REDIS_URL = os.environ.get("ENTENTE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(autouse=True)
def _asyncio_run_allowed(no_event_loop_left_running: None) -> None:
    """These tests call asyncio.run() (see `no_event_loop_left_running`)."""


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the cross-process tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The machine's Redis (ENTENTE_TEST_REDIS_URL), skipped with a reason if absent."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except (redis.RedisError, OSError) as error:
        _unavailable(f"Redis not reachable at {REDIS_URL} ({type(error).__name__})")
    return REDIS_URL


@pytest.fixture(params=["redis", pytest.param("postgres", marks=pytest.mark.postgres)])
def relay_url(request: pytest.FixtureRequest) -> str:
    """A reachable relay of each kind (skipped with a reason where there is none)."""
    name = "redis_url" if request.param == "redis" else "postgres_server_url"
    return str(request.getfixturevalue(name))


@dataclass
class RedisProcess:
    """A private redis-server this test may stop and start again on the same port."""

    port: int
    workdir: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.workdir)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return
            except (redis.RedisError, OSError):
                time.sleep(0.05)
        pytest.fail(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisProcess]:
    if shutil.which("redis-server") is None:
        _unavailable("redis-server is not installed (apt-get install redis-server)")
    server = RedisProcess(free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
