"""Two `entente serve` processes sharing one PostgreSQL database and one Redis.

Every server here re-reads its games only every 300 s on its own (ENTENTE_LIVE_REREAD_
SECONDS), so an update seen within a few seconds on the other process can only have come
through the Redis doorbell (or the resync after Redis comes back).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from app.services.accounts import AccountService
from app.services.games import GameService
from app.services.presence import PresenceService
from app.services.scenarios import ScenarioService
from app.store.database import Database
from tests.conftest import SCENARIOS_DIR
from tests.realtime.conftest import RedisProcess
from tests.servers import LiveServer, new_server, take_seat

pytestmark = pytest.mark.postgres

SCENARIO = "meridian-strait"
UPDATE_TIMEOUT = 8.0  # well under the 300 s safety re-read: only a doorbell can be this quick
RESULTS_PANEL = re.compile(r'<section id="results".*?</section>', re.S)


@dataclass
class Seat:
    game_id: str
    nation_id: str
    cookie: str

    @property
    def path(self) -> str:
        return f"/games/{self.game_id}/nations/{self.nation_id}"


class Page:
    """A game page's websocket, as a browser holds it: every frame it has received."""

    def __init__(self, server: LiveServer, socket: ClientConnection) -> None:
        self.server = server
        self.socket = socket
        self.frames: list[str] = []
        self.wait_for("<")  # the snapshot

    @classmethod
    @contextlib.contextmanager
    def open(cls, server: LiveServer, seat: Seat) -> Iterator[Page]:
        with connect(
            server.base_url.replace("http://", "ws://") + seat.path + "/ws",
            additional_headers={"Cookie": f"entente_session={seat.cookie}"},
            open_timeout=5,
        ) as socket:
            yield cls(server, socket)

    def wait_for(self, marker: str, timeout: float = UPDATE_TIMEOUT) -> str:
        """The first frame received from now on (or already held) that contains `marker`."""
        for frame in self.frames:
            if marker in frame:
                return frame
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                frame = str(self.socket.recv(timeout=left))
            except TimeoutError:
                break
            self.frames.append(frame)
            if marker in frame:
                return frame
        pytest.fail(
            f"{marker!r} did not reach a page on {self.server.base_url} within {timeout} s\n"
            f"--- server log (tail) ---\n{self.server.log_tail()}",
            pytrace=False,
        )

    def forget(self) -> None:
        self.frames.clear()


def _settings(postgres_url: str, pubsub_url: str) -> dict[str, str]:
    return {
        "database_url": postgres_url,
        "pubsub_url": pubsub_url,
        "live_reread_seconds": "300",
        "clock_interval_seconds": "0.05",
        "presence_interval_seconds": "0.5",
        "scenarios_dir": str(SCENARIOS_DIR),
    }


@contextlib.contextmanager
def serving_pair(
    workdir: Path, postgres_url: str, pubsub_url: str
) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Servers A and B on one database and one broker, stopped at the end."""
    servers = [new_server(workdir / name, **_settings(postgres_url, pubsub_url)) for name in "ab"]
    try:
        for server in servers:
            server.launch()
        for server in servers:
            server.wait_until_up()
        yield servers[0], servers[1]
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def game_service(migrated_postgres_url: str) -> Iterator[GameService]:
    """Creates the games the servers then serve (no doorbell: nobody is watching yet)."""
    database = Database(migrated_postgres_url)
    assert not ScenarioService(database).sync_directory(SCENARIOS_DIR).errors
    yield GameService(database)
    database.dispose()


def join(server: LiveServer, token: str) -> Seat:
    with httpx.Client(timeout=5) as browser:
        response = take_seat(browser, f"{server.base_url}/join/{token}")
    match = re.fullmatch(r"/games/(\w+)/nations/([\w-]+)", response.headers.get("location", ""))
    cookie = response.cookies.get("entente_session")
    assert response.status_code == 303 and match and cookie, response.text[:300]
    return Seat(match[1], match[2], cookie)


def act(server: LiveServer, seat: Seat, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{server.base_url}/api{seat.path}/actions",
        content=json.dumps(body),
        headers={"cookie": f"entente_session={seat.cookie}", "content-type": "application/json"},
        timeout=10,
    )


def legal_commit(server: LiveServer, seat: Seat) -> tuple[dict[str, Any], int]:
    """A commit the rules accept for `seat` (found by trying, then undone), and how many
    units the seat has committed now."""
    view = httpx.get(
        f"{server.base_url}/api{seat.path}/view",
        headers={"cookie": f"entente_session={seat.cookie}"},
        timeout=5,
    ).json()
    for unit in view["me"]["units"]:
        for operation in view["operations"]:
            body = {"kind": "commit", "unit_id": unit["id"], "operation_id": operation["id"]}
            if act(server, seat, body).status_code == 200:
                assert act(server, seat, {"kind": "withdraw", "unit_id": unit["id"]}).is_success
                mine = next(n for n in view["nations"] if n["id"] == seat.nation_id)
                return body, int(mine["committed_units"])
    raise AssertionError(f"no legal commit for {seat.nation_id}")


def committed_marker(seat: Seat, count: int) -> str:
    return f'data-nation="{seat.nation_id}" data-committed="{count}"'


def test_an_action_through_one_process_reaches_a_page_served_by_the_other(
    tmp_path: Path, migrated_postgres_url: str, relay_url: str, game_service: GameService
) -> None:
    game = game_service.create_game(SCENARIO, seed=3)
    with serving_pair(tmp_path, migrated_postgres_url, relay_url) as (a, b):
        seat = join(a, game.seats[0].token)
        commit, committed = legal_commit(a, seat)
        with Page.open(b, seat) as page_on_b:
            assert act(a, seat, commit).status_code == 200
            page_on_b.wait_for(committed_marker(seat, committed + 1))
            # Control's console, wherever it is served, counts the page open on B.
            presence = PresenceService(game_service.database, interval=0.5)
            for _ in range(50):
                if presence.pages_open_elsewhere(seat.game_id) == {seat.nation_id: 1}:
                    break
                time.sleep(0.1)
            assert presence.pages_open_elsewhere(seat.game_id) == {seat.nation_id: 1}
            # And back the other way: B acts, a page on A sees it.
            with Page.open(a, seat) as page_on_a:
                assert act(b, seat, {"kind": "withdraw", "unit_id": commit["unit_id"]}).is_success
                page_on_a.wait_for(committed_marker(seat, committed))
                page_on_b.wait_for(committed_marker(seat, committed))
        assert json.loads(httpx.get(f"{b.base_url}/readyz", timeout=5).text) == {
            "status": "ready",
            "database": "ok",
            "broker": "ok",
            "broker_backend": "Redis" if relay_url.startswith("redis") else "PostgreSQL",
        }


def test_two_processes_racing_at_the_deadline_resolve_the_turn_once(
    tmp_path: Path, migrated_postgres_url: str, redis_url: str, game_service: GameService
) -> None:
    with serving_pair(tmp_path, migrated_postgres_url, redis_url) as (a, b):
        game = game_service.create_game(SCENARIO, seed=5, orders_seconds=5)
        seat = join(a, game.seats[0].token)
        commit, _ = legal_commit(a, seat)
        assert act(a, seat, commit).status_code == 200  # an operation with a roll to compare
        with Page.open(a, seat) as page_on_a, Page.open(b, seat) as page_on_b:
            # Both clocks tick every 0.05 s: each process tries to resolve at the deadline.
            frames = [
                page.wait_for("Results of turn 1", timeout=15) for page in (page_on_a, page_on_b)
            ]
    panels = [RESULTS_PANEL.search(frame) for frame in frames]
    assert panels[0] and panels[1]
    assert panels[0][0] == panels[1][0], "the two processes' pages show different outcomes"
    events = game_service.events_after(game.game_id, 0)
    resolved = [e for e in events if e.event.kind == "turn_resolved"]
    assert [e.turn for e in resolved] == [1], f"turn 1 resolved {len(resolved)} times"
    for server in (a, b):
        assert "Traceback" not in server.log_tail(400), server.log_tail()


def _instructor(server: LiveServer, email: str, password: str) -> tuple[httpx.Client, str]:
    """A browser signed in to control on `server`, and its CSRF token."""
    client = httpx.Client(base_url=server.base_url, timeout=10)
    login = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login)
    assert token is not None, login[:300]
    form = {"email": email, "password": password, "csrf_token": token[1], "next": ""}
    assert client.post("/login", data=form).status_code == 303
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/control").text)
    assert token is not None
    return client, token[1]


def test_the_same_end_phase_form_through_both_processes_at_once_ends_one_turn(
    tmp_path: Path, migrated_postgres_url: str, redis_url: str, game_service: GameService
) -> None:
    """Found in play: a double press of "End the phase now" reaching both processes
    ended two turns."""
    AccountService(game_service.database).create("ada@college.example", "Ada", "horse battery")
    game = game_service.create_game(SCENARIO, seed=5).game_id
    with serving_pair(tmp_path, migrated_postgres_url, redis_url) as (a, b):
        consoles = [_instructor(s, "ada@college.example", "horse battery") for s in (a, b)]
        page = consoles[0][0].get(f"/control/games/{game}").text
        end = re.search(r'<form id="end-phase"[^>]*>(.*?)</form>', page, re.S)
        assert end is not None, page[:300]
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', end[1]))
        assert fields == {"action": "advance", "turn": "1", "phase": "orders"}
        together = threading.Barrier(2)

        def press(console: tuple[httpx.Client, str]) -> str:
            client, token = console
            together.wait()
            answer = client.post(
                f"/control/games/{game}/do",
                data=fields,
                headers={"X-CSRF-Token": token, "HX-Request": "true"},
            )
            said = re.search(r'<p class="control-message \w+" role="status">(.*?)</p>', answer.text)
            assert answer.status_code == 200 and said is not None, answer.text[:300]
            return html.unescape(said[1])

        with ThreadPoolExecutor(2) as pool:
            answers = sorted(pool.map(press, consoles))
        for client, _ in consoles:
            client.close()
    assert answers[0] == "Orders phase ended."
    assert answers[1].startswith("Turn 1's orders phase has already ended")
    resolved = [e for e in game_service.events_after(game, 0) if e.event.kind == "turn_resolved"]
    assert [e.turn for e in resolved] == [1], f"{len(resolved)} turns resolved"


def test_updates_resume_after_redis_restarts_and_nothing_is_lost(
    tmp_path: Path,
    migrated_postgres_url: str,
    private_redis: RedisProcess,
    game_service: GameService,
) -> None:
    game = game_service.create_game(SCENARIO, seed=9)
    with serving_pair(tmp_path, migrated_postgres_url, private_redis.url) as (a, b):
        seat = join(a, game.seats[0].token)
        commit, committed = legal_commit(a, seat)
        with Page.open(b, seat) as page:
            assert act(a, seat, commit).status_code == 200
            page.wait_for(committed_marker(seat, committed + 1))

            private_redis.stop()
            # While Redis is down, a change is made whose doorbell is lost for good: it
            # comes from a process with no broker at all (as if A had died after commit).
            withdraw = {"kind": "withdraw", "unit_id": commit["unit_id"]}
            game_service.act(seat.game_id, seat.nation_id, withdraw)
            ready = httpx.get(f"{b.base_url}/readyz", timeout=5)
            assert ready.status_code == 503, ready.text
            assert "Redis" in ready.json()["broker"] or "subscribed" in ready.json()["broker"]

            page.forget()
            private_redis.start()
            # Once B's subscriber is back, its pages re-read: the change made during the
            # outage arrives without waiting for the 300 s safety re-read.
            page.wait_for(committed_marker(seat, committed), timeout=15)
            # Doorbells flow again.
            assert act(a, seat, commit).status_code == 200
            page.wait_for(committed_marker(seat, committed + 1))
        assert httpx.get(f"{b.base_url}/readyz", timeout=5).status_code == 200


def test_a_relink_through_one_process_closes_the_seat_s_page_on_the_other(
    tmp_path: Path, migrated_postgres_url: str, redis_url: str, game_service: GameService
) -> None:
    """Found in play: after a new link, the old browser's page went on receiving the seat's
    private messages and injects for over a minute."""
    # Its own account: this module's tests share one database, kept between them.
    AccountService(game_service.database).create("grace@college.example", "Grace", "horse battery")
    game = game_service.create_game(SCENARIO, seed=5)
    with serving_pair(tmp_path, migrated_postgres_url, redis_url) as (a, b):
        seat = join(a, game.seats[0].token)
        with Page.open(b, seat) as page_on_b:
            client, token = _instructor(a, "grace@college.example", "horse battery")
            answer = client.post(
                f"/control/games/{seat.game_id}/do",
                data={"action": "relink", "nation_id": seat.nation_id},
                headers={"X-CSRF-Token": token, "HX-Request": "true"},
            )
            client.close()
            assert answer.status_code == 200 and "new join" in answer.text, answer.text[:300]
            page_on_b.wait_for("This page no longer holds the seat")
            with pytest.raises(ConnectionClosed) as closed:
                page_on_b.socket.recv(timeout=UPDATE_TIMEOUT)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    relinks = [
        e.event.data
        for e in game_service.events_after(seat.game_id, 0)
        if e.event.kind == "seat_relinked"
    ]
    assert relinks == [{"nation_id": seat.nation_id}]
