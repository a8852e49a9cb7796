"""`entente serve` believes X-Forwarded-For only from the proxies ENTENTE_TRUSTED_PROXIES
names (none by default): otherwise a client could pick a new address, and so a new
throttle key, with every guess. Real server processes, as uvicorn is what reads the
header."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.services.games import JOIN_CODE_ATTEMPTS
from tests.conftest import scratch_database
from tests.servers import LiveServer, new_server


@contextmanager
def _server(workdir: Path, **settings: str) -> Iterator[LiveServer]:
    with scratch_database(workdir / "e.db") as database_url:
        server = new_server(workdir, database_url=database_url, **settings)
        server.cli("db", "upgrade")
        server.start()
        try:
            yield server
        finally:
            server.stop()


def _wrong_codes_each_from_a_new_forwarded_address(server: LiveServer, count: int) -> list[int]:
    """The status of each of `count` wrong join codes, each request claiming another
    client address in X-Forwarded-For."""
    assert count < 255
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
        assert match is not None
        return [
            client.post(
                "/join",
                data={"code": "ABCD-EFGH", "csrf_token": match.group(1)},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            ).status_code
            for n in range(count)
        ]


def test_a_forwarded_address_from_an_untrusted_peer_does_not_change_the_key(
    tmp_path: Path,
) -> None:
    with _server(tmp_path / "direct") as server:
        statuses = _wrong_codes_each_from_a_new_forwarded_address(server, JOIN_CODE_ATTEMPTS + 1)
    assert statuses == [400] * JOIN_CODE_ATTEMPTS + [429]


def test_a_trusted_proxy_gives_each_forwarded_client_its_own_key(tmp_path: Path) -> None:
    with _server(tmp_path / "proxied", trusted_proxies="127.0.0.1") as server:
        statuses = _wrong_codes_each_from_a_new_forwarded_address(server, JOIN_CODE_ATTEMPTS + 1)
    assert statuses == [400] * (JOIN_CODE_ATTEMPTS + 1)
