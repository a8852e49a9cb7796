"""Stopping a server: open pages are told to reconnect, and the process exits cleanly."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.conftest import scratch_database
from tests.servers import new_server, take_seat

# htmx-ext-ws (and static/js/connection.js) reconnect after 1012 "service restart".
SERVICE_RESTART = 1012


def test_sigterm_closes_pages_with_a_reconnect_code_and_logs_json(tmp_path: Path) -> None:
    with scratch_database(tmp_path / "e.db") as database_url:
        _sigterm_closes_pages_with_a_reconnect_code_and_logs_json(tmp_path, database_url)


def _sigterm_closes_pages_with_a_reconnect_code_and_logs_json(
    tmp_path: Path, database_url: str
) -> None:
    server = new_server(tmp_path, log_format="json", database_url=database_url)
    server.cli("db", "upgrade")
    game = server.new_game()
    server.start()
    try:
        with httpx.Client(timeout=5) as browser:
            join = take_seat(browser, game.link("Arvenia"))
        cookie = join.cookies["entente_session"]
        url = server.base_url.replace("http://", "ws://") + join.headers["location"] + "/ws"
        with connect(url, additional_headers={"Cookie": f"entente_session={cookie}"}) as page:
            page.recv(timeout=5)  # the snapshot: the page is live
            started = time.monotonic()
            assert server.process is not None
            server.process.terminate()
            code = None
            try:
                while True:
                    page.recv(timeout=10)
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
        assert code == SERVICE_RESTART
        # uvicorn re-raises the signal once shut down, as a supervisor expects.
        assert server.process.wait(timeout=15) in (0, -signal.SIGTERM)
        assert time.monotonic() - started < 10, "shutdown waited on the open page"
    finally:
        server.stop()

    lines = [line for line in server.log_path.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any(r["logger"] == "uvicorn.access" and "/join/" in r["message"] for r in records)
    assert any("Application shutdown complete" in r["message"] for r in records)
    assert not any(r["level"] == "ERROR" for r in records), records
