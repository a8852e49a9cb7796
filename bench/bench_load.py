"""Benchmark: K games x 8 players, each acting once a second with its page open, against a floor.

Run: `.venv/bin/python bench/bench_load.py` (options: `--games 1,2,4,10 --seconds 60
--players 8 --database-url URL --processes 2`, `--write` to update the table in
bench/README.md, `--json FILE` for every figure; `--smoke` for a quick check that fails
only on errors or lost actions). Targets (bench/README.md): with 10 games, p95 ack under
50 ms, 0 errors, 0 lost; server CPU per action at most 4 ms (3x the floor); at most
30 KiB per open page.

Entente: real server processes (`python -m app.cli serve`) on a fresh database (a
throw-away SQLite file, or a new database on the PostgreSQL server that `--database-url`
names, dropped afterwards) holding K games of gulf-1990 (9 nations; 8 seats joined
through their links, the ninth left empty; the orders phase lengthened so no deadline
passes mid-run). Each player keeps its seat's page open (the HTML page read once, its
websocket open and read to the end) and acts through the JSON API once a second, in turn:
commit a unit, a public message, withdraw the unit, a public message. An action is timed
from just before its request until its acknowledgement; a player waits for it, so a tick
that comes while its previous action is still pending is not sent (counted as skipped).
Afterwards the database is read: every acknowledged action must be in the game's log,
between the previous acknowledgement's number and its own (else it is lost). Server CPU
per action is the server processes' CPU time (from /proc) over the timed window divided
by the actions acknowledged in it; memory per page, the servers' resident set growth from
before the pages opened to after, divided by the pages. With `--processes 2` two servers
share the database and a Redis doorbell (as the compose file's two replicas do behind
nginx) and the client takes them in turn for each request and each socket (nginx's
round-robin).

Floor: a bare ASGI app under the same uvicorn, in its own process, on the same database
(tables of its own): per action it does one write transaction in a worker thread, on a
connection of a pool of 4 - update the game's row with a state of the size Entente
stores, append the action to an event table - answers
the same JSON, then sends each of the game's pages the very messages that page got from
Entente for an action of that kind (recorded in an untimed warm-up). The same client
code drives it with the same schedule right after Entente's run, so the report gives
Entente's figures as ratios to the floor's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

README = Path(__file__).with_name("README.md")
START, END = "<!-- load:start -->", "<!-- load:end -->"
SCENARIO = "gulf-1990"
ORDERS_SECONDS = 36_000  # no deadline passes mid-run
ACK_TIMEOUT = 30.0  # an action unanswered this long is an error
DRAIN_TIMEOUT = 60.0  # after the last tick, how long actions in flight may take
SETTLE = 0.3  # warm-up: how long after an acknowledgement its page messages may come
MAX_SIZE = 2**24
FLOOR_CONNECTIONS = 4
KEEPALIVE_SECONDS = 3.0  # under uvicorn's 5 s, so the client never reuses a connection
# the server is closing
WIDTH = 90
CLK_TCK = os.sysconf("SC_CLK_TCK")
KINDS = ("commit", "message", "withdraw")
CYCLE = ("commit", "message", "withdraw", "message")


def new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- /proc --------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its threads so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# --- the database ---------------------------------------------------------------------------


@dataclass
class Store:
    """A fresh database for one run: its SQLAlchemy URL, dropped by `close`."""

    url: str
    kind: str  # "SQLite" or "PostgreSQL"
    admin_url: str | None = None
    tmp: Path | None = None

    @classmethod
    def create(cls, given: str, tmp: Path) -> Store:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        if given == "sqlite":
            return cls(f"sqlite:///{tmp / 'bench.db'}", "SQLite", tmp=tmp)
        admin = make_url(given)
        if admin.get_backend_name() != "postgresql":
            raise SystemExit("--database-url: 'sqlite' or a postgresql+psycopg:// URL")
        name = f"entente_bench_{uuid.uuid4().hex[:12]}"
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        url = admin.set(database=name).render_as_string(hide_password=False)
        return cls(url, "PostgreSQL", admin_url=given)

    def close(self) -> None:
        if self.admin_url is None:
            return
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = make_url(self.url).database
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            engine.dispose()


def create_games(url: str, games: int) -> tuple[list[list[str]], str]:
    """K games of the scenario (same seed: the same positions) and each one's join tokens,
    and the JSON of the first game's stored state (the size the floor writes)."""
    from sqlalchemy import select

    from app.services.games import GameService
    from app.services.scenarios import ScenarioService
    from app.store.database import Database
    from app.store.migrations import upgrade
    from app.store.models import Game

    upgrade(url, "head")
    database = Database(url)
    try:
        report = ScenarioService(database).sync_directory(ROOT / "scenarios")
        if report.errors:
            raise SystemExit(f"scenarios: {report.errors}")
        service = GameService(database)
        tokens = []
        for n in range(games):
            created = service.create_game(
                SCENARIO, name=f"load {n + 1}", seed=1, orders_seconds=ORDERS_SECONDS
            )
            tokens.append([seat.token for seat in created.seats])
        with database.read() as session:
            state = session.scalars(select(Game.state).limit(1)).one()
        return tokens, json.dumps(state)
    finally:
        database.dispose()


# --- what the clients do ----------------------------------------------------------------------


@dataclass
class Ack:
    game: int
    player: int
    kind: str
    body: dict[str, Any]
    seq: int


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    sent: int = 0
    messages: int = 0
    message_bytes: int = 0
    closed: int = 0  # sockets that closed before the end


class Target:
    """How a client reaches one server under test (Entente or the floor)."""

    name: str
    bases: list[str]

    async def act(
        self, http: httpx.AsyncClient, player: Player, body: dict[str, Any]
    ) -> httpx.Response:
        raise NotImplementedError

    def socket(self, player: Player, server: int) -> tuple[str, dict[str, str]]:
        raise NotImplementedError


@dataclass
class Player:
    game: int
    index: int  # in its game
    token: str = ""
    game_id: str = ""
    nation_id: str = ""
    cookie: str = ""
    commit: dict[str, Any] = field(default_factory=dict)
    committed: bool = False
    step: int = 0
    said: int = 0

    @property
    def path(self) -> str:
        return f"/games/{self.game_id}/nations/{self.nation_id}"

    @property
    def headers(self) -> dict[str, str]:
        return {"cookie": f"entente_session={self.cookie}"}

    def next_body(self) -> tuple[str, dict[str, Any]]:
        kind = CYCLE[self.step % len(CYCLE)]
        if kind == "message":
            self.said += 1
            text = f"p{self.game}.{self.index} #{self.said}"
            return kind, {"kind": "message", "channel_id": "public", "text": text}
        if kind == "commit" and self.committed:  # after an error, whatever the unit's state
            kind = "withdraw"
        elif kind == "withdraw" and not self.committed:
            kind = "commit"
        if kind == "commit":
            return kind, dict(self.commit)
        return kind, {"kind": "withdraw", "unit_id": self.commit["unit_id"]}


class EntenteTarget(Target):
    name = "Entente"

    def __init__(self, bases: list[str]) -> None:
        self.bases = bases
        self.turn = 0

    def base(self) -> str:
        """nginx's round-robin: the next server for each request."""
        self.turn += 1
        return self.bases[self.turn % len(self.bases)]

    async def act(
        self, http: httpx.AsyncClient, player: Player, body: dict[str, Any]
    ) -> httpx.Response:
        return await http.post(
            f"{self.base()}/api{player.path}/actions",
            content=json.dumps(body),
            headers={**player.headers, "content-type": "application/json"},
        )

    def socket(self, player: Player, server: int) -> tuple[str, dict[str, str]]:
        base = self.bases[server % len(self.bases)]
        url = base.replace("http://", "ws://") + f"{player.path}/ws"
        return url, {**player.headers, "Origin": base}


class FloorTarget(Target):
    name = "floor"

    def __init__(self, base: str) -> None:
        self.bases = [base]

    async def act(
        self, http: httpx.AsyncClient, player: Player, body: dict[str, Any]
    ) -> httpx.Response:
        return await http.post(
            f"{self.bases[0]}/act/{player.game}/{player.index}",
            content=json.dumps(body),
            headers={"content-type": "application/json"},
        )

    def socket(self, player: Player, server: int) -> tuple[str, dict[str, str]]:
        return self.bases[0].replace("http://", "ws://") + f"/ws/{player.game}/{player.index}", {}


async def join(http: httpx.AsyncClient, base: str, player: Player) -> None:
    """Take the seat through its link as a browser does: the page, then its button."""
    page = await http.get(f"{base}/join/{player.token}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    session = page.cookies.get("entente_session")
    if page.status_code != 200 or csrf is None or session is None:
        raise SystemExit(f"join page failed: {page.status_code} {page.text[:300]}")
    response = await http.post(
        f"{base}/join/{player.token}",
        data={"csrf_token": csrf[1]},
        headers={"cookie": f"entente_session={session}"},
    )
    match = re.fullmatch(r"/games/(\w+)/nations/([\w-]+)", response.headers.get("location", ""))
    cookie = response.cookies.get("entente_session")
    if response.status_code != 303 or match is None or cookie is None:
        raise SystemExit(f"join failed: {response.status_code} {response.text[:300]}")
    player.game_id, player.nation_id, player.cookie = match[1], match[2], cookie


async def find_commit(http: httpx.AsyncClient, target: EntenteTarget, player: Player) -> int:
    """A legal commit for the player's seat (found by trying, then undone); the game's
    event number after the undo."""
    response = await http.get(f"{target.bases[0]}/api{player.path}/view", headers=player.headers)
    response.raise_for_status()
    view = response.json()
    if not any(c["id"] == "public" for c in view.get("channels", [])):
        raise SystemExit(f"{SCENARIO} has no public channel for {player.nation_id}")
    operations = [o for o in view["operations"] if o.get("open", True)]
    for unit in view["me"]["units"]:
        if unit.get("operation_id"):
            continue
        for operation in operations:
            body = {"kind": "commit", "unit_id": unit["id"], "operation_id": operation["id"]}
            if (await target.act(http, player, body)).status_code == 200:
                undo = await target.act(http, player, {"kind": "withdraw", "unit_id": unit["id"]})
                if undo.status_code != 200:
                    raise SystemExit(f"cannot withdraw {unit['id']}: {undo.text}")
                player.commit = body
                return int(undo.json()["seq"])
    raise SystemExit(f"no legal commit for {player.nation_id}")


class Pages:
    """Every player's page socket on one loop, read to the end; counts what arrives."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.sockets: list[ClientConnection] = []
        self.readers: list[asyncio.Task[None]] = []
        self.closing = False
        self.recording: dict[int, list[str]] | None = None  # page -> messages (warm-up)

    async def open(self, target: Target, players: list[Player], batch: int = 20) -> None:
        for start in range(0, len(players), batch):
            group = list(enumerate(players))[start : start + batch]
            sockets = await asyncio.gather(
                *(self._open_one(*target.socket(p, n)) for n, p in group)
            )
            for (n, _), ws in zip(group, sockets, strict=True):
                self.sockets.append(ws)
                self.readers.append(asyncio.create_task(self._read(n, ws)))

    async def _open_one(self, url: str, headers: dict[str, str]) -> ClientConnection:
        return await connect(
            url,
            additional_headers=headers,
            compression="deflate",  # browsers always offer it
            max_size=MAX_SIZE,
            max_queue=None,
            open_timeout=60,
            ping_interval=None,
        )

    async def _read(self, page: int, ws: ClientConnection) -> None:
        with contextlib.suppress(Exception):
            async for message in ws:
                text = message if isinstance(message, str) else message.decode()
                self.tally.messages += 1
                self.tally.message_bytes += len(text.encode())
                if self.recording is not None:
                    self.recording.setdefault(page, []).append(text)
        if not self.closing:
            self.tally.closed += 1

    async def close(self) -> None:
        self.closing = True
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        for task in self.readers:
            task.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)


async def act_once(
    http: httpx.AsyncClient, target: Target, player: Player, tally: Tally
) -> float | None:
    """One action; its seconds to the acknowledgement, None if it failed."""
    kind, body = player.next_body()
    tally.sent += 1
    started = time.perf_counter()
    try:
        response = await asyncio.wait_for(target.act(http, player, body), ACK_TIMEOUT)
    except TimeoutError:
        tally.errors["timeout"] += 1
        return None
    except httpx.HTTPError as error:
        tally.errors[type(error).__name__] += 1
        return None
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        code = ""
        with contextlib.suppress(ValueError, AttributeError):
            code = str(response.json().get("code", ""))
        tally.errors[f"HTTP {response.status_code} {code}".strip()] += 1
        return None
    seq = int(response.json()["seq"])
    tally.acks.append(Ack(player.game, player.index, kind, body, seq))
    player.step += 1
    if kind == "commit":
        player.committed = True
    elif kind == "withdraw":
        player.committed = False
    return elapsed


async def resync(http: httpx.AsyncClient, target: Target, player: Player) -> None:
    """After a failed action: whether the unit is committed, from the seat's own view."""
    if not isinstance(target, EntenteTarget):
        return
    with contextlib.suppress(Exception):
        response = await http.get(
            f"{target.bases[0]}/api{player.path}/view", headers=player.headers
        )
        units = response.json()["me"]["units"]
        unit = next(u for u in units if u["id"] == player.commit["unit_id"])
        player.committed = bool(unit.get("operation_id"))


async def play(
    http: httpx.AsyncClient,
    target: Target,
    player: Player,
    tally: Tally,
    start: float,
    seconds: float,
) -> None:
    """Act at start, start + 1 s, ... until `seconds` have passed; a tick that comes while
    an action is pending is skipped (not sent late)."""
    tick = 0
    while tick < seconds:
        delay = start + tick - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elapsed = await act_once(http, target, player, tally)
        if elapsed is None:
            await resync(http, target, player)
        else:
            tally.latencies.append(elapsed)
        following = math.floor(time.perf_counter() - start) + 1
        tally.skipped += max(0, min(following, math.ceil(seconds)) - tick - 1)
        tick = max(tick + 1, following)


# --- the servers ----------------------------------------------------------------------------


@dataclass
class Servers:
    bases: list[str]
    pids: list[int]


def entente_env(store: Store, tmp: Path, port: int, pubsub: str, secret: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTENTE_")}
    env.update(
        ENTENTE_DATABASE_URL=store.url,
        ENTENTE_PUBSUB_URL=pubsub,
        ENTENTE_VAR_DIR=str(tmp / "var"),
        ENTENTE_SECRET_KEY=secret,
        ENTENTE_SCENARIOS_DIR=str(ROOT / "scenarios"),
        ENTENTE_HOST="127.0.0.1",
        ENTENTE_PORT=str(port),
        ENTENTE_LOG_LEVEL="warning",
        PYTHONUNBUFFERED="1",
    )
    return env


async def wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        for _ in range(600):
            if process.poll() is not None:
                raise SystemExit(f"server exited early:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.TransportError):
                if (await http.get(url)).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise SystemExit(f"server not healthy in 60 s:\n{log.read_text()[-3000:]}")


@contextlib.asynccontextmanager
async def spawn(
    commands: list[tuple[list[str], dict[str, str] | None, str]], tmp: Path
) -> AsyncIterator[list[subprocess.Popen[bytes]]]:
    """Start each (command, environment, health URL) and wait until all answer."""
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for command, env, health in commands:
            log = tmp / f"server-{uuid.uuid4().hex[:8]}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                )
            processes.append(process)
            await wait_healthy(process, health, log)
        yield processes
    finally:
        for process in processes:
            stop(process)


def entente_commands(
    store: Store, tmp: Path, processes: int, pubsub: str
) -> tuple[list[tuple[list[str], dict[str, str] | None, str]], list[str]]:
    secret = secrets.token_urlsafe(32)  # every replica signs sessions with the same key
    commands: list[tuple[list[str], dict[str, str] | None, str]] = []
    bases: list[str] = []
    for _ in range(processes):
        port = free_port()
        env = entente_env(store, tmp, port, pubsub, secret)
        command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(port)]
        commands.append((command, env, f"http://127.0.0.1:{port}/healthz"))
        bases.append(f"http://127.0.0.1:{port}")
    return commands, bases


# --- the floor server (its own process) -------------------------------------------------------


class Floor:
    """A bare ASGI app: POST /act/{game}/{page} writes the action and answers its number,
    then sends every page of the game the recorded messages; GET /ws/{game}/{page} is a
    page's socket; GET /healthz answers ok."""

    def __init__(self, url: str, recorded: Path) -> None:
        data = json.loads(recorded.read_text(encoding="utf-8"))
        self.state: str = data["state"]
        # kind -> page index in its game -> the messages that page got for one action
        self.messages: dict[str, list[list[str]]] = data["messages"]
        self.pages: dict[int, dict[int, Callable[[dict[str, Any]], Awaitable[None]]]] = {}
        self.sending: set[asyncio.Task[None]] = set()
        self.write = self._connect(url)

    def _connect(self, url: str) -> Callable[[int, int, str], Awaitable[int]]:
        """Each write in a worker thread on a connection of a small pool (as Entente's
        threadpool and engine pool do), so a slow commit does not stall the loop."""
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        connections: asyncio.Queue[Any] = asyncio.Queue()
        writer: Callable[[Any, int, int, str], int]
        if parsed.get_backend_name() == "sqlite":
            for _ in range(FLOOR_CONNECTIONS):
                db = sqlite3.connect(
                    str(parsed.database), isolation_level=None, check_same_thread=False
                )
                db.execute("PRAGMA journal_mode=WAL")  # as Entente's engine sets it
                db.execute("PRAGMA busy_timeout=30000")
                connections.put_nowait(db)

            def write_sqlite(db: Any, game: int, page: int, action: str) -> int:
                db.execute("BEGIN IMMEDIATE")
                try:
                    (seq,) = db.execute(
                        "UPDATE floor_games SET last_seq = last_seq + 1, state = ? "
                        "WHERE id = ? RETURNING last_seq",
                        (self.state, game),
                    ).fetchone()
                    db.execute(
                        "INSERT INTO floor_events (game_id, seq, actor, action) "
                        "VALUES (?, ?, ?, ?)",
                        (game, seq, page, action),
                    )
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                return int(seq)

            writer = write_sqlite
        else:
            import psycopg

            conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
            for _ in range(FLOOR_CONNECTIONS):
                connections.put_nowait(psycopg.connect(conninfo))

            def write_postgres(pg: Any, game: int, page: int, action: str) -> int:
                with pg.transaction():
                    row = pg.execute(
                        "UPDATE floor_games SET last_seq = last_seq + 1, state = %s::jsonb "
                        "WHERE id = %s RETURNING last_seq",
                        (self.state, game),
                    ).fetchone()
                    assert row is not None
                    pg.execute(
                        "INSERT INTO floor_events (game_id, seq, actor, action) "
                        "VALUES (%s, %s, %s, %s::jsonb)",
                        (game, row[0], page, action),
                    )
                return int(row[0])

            writer = write_postgres

        async def write(game: int, page: int, action: str) -> int:
            connection = await connections.get()
            try:
                return await asyncio.to_thread(writer, connection, game, page, action)
            finally:
                connections.put_nowait(connection)

        return write

    async def __call__(
        self,
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[dict[str, Any]]],
        send: Callable[[dict[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] == "lifespan":
            while True:
                event = (await receive())["type"]
                if event == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif event == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        parts = scope["path"].strip("/").split("/")
        if scope["type"] == "websocket":
            await self._socket(int(parts[1]), int(parts[2]), receive, send)
            return
        if parts[0] == "healthz":
            await self._answer(send, 200, b"ok")
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        game, page = int(parts[1]), int(parts[2])
        kind = json.loads(body)["kind"]
        seq = await self.write(game, page, body.decode())
        await self._answer(send, 200, json.dumps({"accepted": True, "seq": seq}).encode())
        task = asyncio.get_running_loop().create_task(self._fan_out(game, page, kind))
        self.sending.add(task)  # a task only the loop holds may be collected mid-way
        task.add_done_callback(self.sending.discard)

    async def _fan_out(self, game: int, actor: int, kind: str) -> None:
        # Recorded with page 0 acting: the actor's page gets what page 0 got, each other
        # page what its place got (page 0, what page 1 got).
        recorded = self.messages[kind]
        for page, send in list(self.pages.get(game, {}).items()):
            place = 0 if page == actor else (page or 1) % len(recorded)
            for text in recorded[place]:
                with contextlib.suppress(Exception):
                    await send({"type": "websocket.send", "text": text})

    async def _socket(
        self,
        game: int,
        page: int,
        receive: Callable[[], Awaitable[dict[str, Any]]],
        send: Callable[[dict[str, Any]], Awaitable[None]],
    ) -> None:
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        self.pages.setdefault(game, {})[page] = send
        try:
            while (await receive())["type"] != "websocket.disconnect":
                pass
        finally:
            self.pages[game].pop(page, None)

    @staticmethod
    async def _answer(
        send: Callable[[dict[str, Any]], Awaitable[None]], status: int, body: bytes
    ) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def run_floor(port: int, url: str, recorded: Path) -> None:
    import uvicorn

    # uvicorn's defaults, as `entente serve` has them (uvloop, httptools, websockets with
    # permessage-deflate).
    uvicorn.run(Floor(url, recorded), host="127.0.0.1", port=port, log_level="warning")


def floor_tables(url: str, games: int, state: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    json_type = "JSONB" if engine.dialect.name == "postgresql" else "JSON"
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "CREATE TABLE floor_games (id INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL,"
                    f" state {json_type} NOT NULL)"
                )
            )
            connection.execute(
                text(
                    "CREATE TABLE floor_events (game_id INTEGER, seq INTEGER, actor INTEGER, "
                    f"action {json_type}, PRIMARY KEY (game_id, seq))"
                )
            )
            for game in range(games):
                connection.execute(
                    text("INSERT INTO floor_games VALUES (:id, 0, :state)"),
                    {"id": game, "state": state},
                )
    finally:
        engine.dispose()


# --- checking the log ---------------------------------------------------------------------------


def lost_actions(
    url: str, acks: list[Ack], players: list[Player], floor: bool, before: dict[int, int]
) -> int:
    """Acknowledged actions not in the log between the previous acknowledgement's number
    in that game (or `before`, the game's number before the first) and their own."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    logged: dict[tuple[int, int], tuple[str, dict[str, Any]]] = {}
    game_ids = {p.game_id: p.game for p in players}
    try:
        with engine.connect() as connection:
            if floor:
                rows = connection.execute(
                    text("SELECT game_id, seq, actor, action FROM floor_events")
                )
                for game, seq, actor, action in rows:
                    action = json.loads(action) if isinstance(action, str) else action
                    logged[(game, seq)] = (str(actor), action)
            else:
                rows = connection.execute(
                    text("SELECT game_id, seq, action FROM game_events WHERE action IS NOT NULL")
                )
                for game_id, seq, action in rows:
                    action = json.loads(action) if isinstance(action, str) else action
                    if game_id in game_ids and action:  # SQLite: JSON null, not NULL
                        logged[(game_ids[game_id], seq)] = (str(action["nation_id"]), action)
    finally:
        engine.dispose()
    by_player = {(p.game, p.index): p for p in players}
    lost = 0
    previous = dict(before)
    for ack in sorted(acks, key=lambda a: (a.game, a.seq)):
        low = previous.get(ack.game, 0)
        previous[ack.game] = ack.seq
        player = by_player[(ack.game, ack.player)]
        actor = str(ack.player) if floor else player.nation_id
        found = False
        for seq in range(ack.seq, low, -1):
            entry = logged.get((ack.game, seq))
            if entry is None or entry[0] != actor:
                continue
            if all(entry[1].get(k) == v for k, v in ack.body.items()):
                found = True
                break
        lost += not found
    return lost


# --- one run ------------------------------------------------------------------------------------


@dataclass
class Result:
    target: str
    games: int
    players: int
    seconds: float
    sent: int
    acked: int
    skipped: int
    errors: dict[str, int]
    lost: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    cpu_ms_per_action: float
    cpu_seconds: float
    rss_before_kib: float
    rss_after_kib: float
    kib_per_page: float
    page_messages: int
    page_message_bytes: int
    sockets_closed: int
    load_before: float
    client_cpu_seconds: float


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


async def drive(
    target: Target,
    players: list[Player],
    pids: list[int],
    seconds: float,
    *,
    opened: Callable[[Pages, httpx.AsyncClient], Awaitable[None]] | None = None,
) -> tuple[Tally, dict[str, float]]:
    """Open every page, (optionally run `opened`), then play for `seconds`."""
    tally = Tally()
    limits = httpx.Limits(
        max_connections=None,
        max_keepalive_connections=len(players) + 10,
        keepalive_expiry=KEEPALIVE_SECONDS,
    )
    async with httpx.AsyncClient(timeout=ACK_TIMEOUT, limits=limits) as http:
        pages = Pages(tally)
        try:
            # A page opened and closed on each server first, so what is loaded once
            # (templates, the game's state) is not counted per page.
            once = Pages(Tally())
            await once.open(target, players[: len(target.bases)])  # one on each server
            await asyncio.sleep(0.5)
            await once.close()
            rss_before = sum(rss_bytes(pid) for pid in pids)
            if isinstance(target, EntenteTarget):  # a browser reads the page, then opens its socket
                for player in players:
                    response = await http.get(
                        f"{target.base()}{player.path}", headers=player.headers
                    )
                    response.raise_for_status()
            await pages.open(target, players)
            await asyncio.sleep(1.0)  # every page's first snapshot sent
            rss_after = sum(rss_bytes(pid) for pid in pids)
            if opened is not None:
                await opened(pages, http)
            tally.messages = tally.message_bytes = 0
            load = load_average()
            cpu_before = sum(cpu_seconds(pid) for pid in pids)
            client_before = time.process_time()
            start = time.perf_counter() + 0.1
            # Players spread evenly over each second.
            tasks = [
                play(http, target, p, tally, start + n / len(players), seconds)
                for n, p in enumerate(players)
            ]
            await asyncio.wait_for(asyncio.gather(*tasks), seconds + 1 + DRAIN_TIMEOUT)
            cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
            client_cpu = time.process_time() - client_before
        finally:
            await pages.close()
    figures = {
        "rss_before": rss_before,
        "rss_after": rss_after,
        "cpu": cpu,
        "load": load,
        "client_cpu": client_cpu,
    }
    return tally, figures


def summarise(
    name: str,
    games: int,
    players: list[Player],
    seconds: float,
    tally: Tally,
    figures: dict[str, float],
    lost: int,
) -> Result:
    acked = len(tally.latencies)
    ms = [x * 1000 for x in tally.latencies]
    return Result(
        target=name,
        games=games,
        players=len(players) // games,
        seconds=seconds,
        sent=tally.sent,
        acked=acked,
        skipped=tally.skipped,
        errors=dict(tally.errors),
        lost=lost,
        p50_ms=percentile(ms, 0.5),
        p95_ms=percentile(ms, 0.95),
        p99_ms=percentile(ms, 0.99),
        max_ms=max(ms, default=math.nan),
        cpu_ms_per_action=figures["cpu"] * 1000 / acked if acked else math.nan,
        cpu_seconds=figures["cpu"],
        rss_before_kib=figures["rss_before"] / 1024,
        rss_after_kib=figures["rss_after"] / 1024,
        kib_per_page=(figures["rss_after"] - figures["rss_before"]) / 1024 / len(players),
        page_messages=tally.messages,
        page_message_bytes=tally.message_bytes,
        sockets_closed=tally.closed,
        load_before=figures["load"],
        client_cpu_seconds=figures["client_cpu"],
    )


async def record_messages(
    pages: Pages, http: httpx.AsyncClient, target: EntenteTarget, players: list[Player]
) -> dict[str, list[list[str]]]:
    """Untimed: the first game's first player does one action of each kind; what each
    page of that game receives for it is what the floor will send."""
    actor = players[0]
    game_pages = [n for n, p in enumerate(players) if p.game == actor.game]
    recorded: dict[str, list[list[str]]] = {}
    for kind in ("commit", "message", "withdraw"):
        while CYCLE[actor.step % len(CYCLE)] != kind:
            actor.step += 1
        pages.recording = {}
        if await act_once(http, target, actor, pages.tally) is None:
            raise SystemExit(f"warm-up {kind} failed: {dict(pages.tally.errors)}")
        await asyncio.sleep(SETTLE)
        recorded[kind] = [pages.recording.get(n, []) for n in game_pages]
        pages.recording = None
    actor.step = 0  # its unit is back where it was
    pages.tally.latencies.clear()  # the acknowledgements stay: they are checked too
    pages.tally.sent = 0
    return recorded


async def measure(args: argparse.Namespace, games: int) -> tuple[Result, Result]:
    with tempfile.TemporaryDirectory(prefix="entente-load-") as tmp_name:
        tmp = Path(tmp_name)
        store = await asyncio.to_thread(Store.create, args.database_url, tmp)
        try:
            tokens, state = await asyncio.to_thread(create_games, store.url, games)
            if len(tokens[0]) < args.players:
                print(
                    f"{SCENARIO} has {len(tokens[0])} seats: {len(tokens[0])} players a game",
                    file=sys.stderr,
                )
            per_game = min(args.players, len(tokens[0]))
            players = [
                Player(g, i, token=tokens[g][i]) for g in range(games) for i in range(per_game)
            ]
            commands, bases = entente_commands(store, tmp, args.processes, args.pubsub_url)
            target = EntenteTarget(bases)
            recorded: dict[str, list[list[str]]] = {}

            async def warm_up(pages: Pages, http: httpx.AsyncClient) -> None:
                recorded.update(await record_messages(pages, http, target, players))

            async with spawn(commands, tmp) as processes:
                pids = [p.pid for p in processes]
                async with httpx.AsyncClient(timeout=ACK_TIMEOUT) as http:
                    for player in players:
                        http.cookies.clear()  # each seat is a browser of its own
                        await join(http, bases[0], player)
                    http.cookies.clear()
                    before: dict[int, int] = {}
                    for player in players:
                        before[player.game] = await find_commit(http, target, player)
                tally, figures = await drive(target, players, pids, args.seconds, opened=warm_up)
            lost = await asyncio.to_thread(
                lost_actions, store.url, tally.acks, players, False, before
            )
            ours = summarise("Entente", games, players, args.seconds, tally, figures, lost)

            # The floor, on the same database, right after.
            await asyncio.to_thread(floor_tables, store.url, games, state)
            recorded_file = tmp / "recorded.json"
            recorded_file.write_text(json.dumps({"state": state, "messages": recorded}))
            for player in players:
                player.step = player.said = 0
                player.committed = False
            port = free_port()
            command = [sys.executable, str(Path(__file__).resolve()), "--floor-server", str(port)]
            command += ["--database-url", store.url, "--recorded", str(recorded_file)]
            floor = FloorTarget(f"http://127.0.0.1:{port}")
            async with spawn([(command, None, f"{floor.bases[0]}/healthz")], tmp) as processes:
                tally, figures = await drive(floor, players, [processes[0].pid], args.seconds)
            lost = await asyncio.to_thread(lost_actions, store.url, tally.acks, players, True, {})
            theirs = summarise("floor", games, players, args.seconds, tally, figures, lost)
            return ours, theirs
        finally:
            await asyncio.to_thread(store.close)


# --- the report ---------------------------------------------------------------------------------


HEADER = (
    "| database | servers | games x players | s | actions | skipped | errors | lost "
    "| p50 (ms) | p95 (ms) | p99 (ms) | floor p95 (ms) | CPU/action (ms) | floor CPU/action (ms) "
    "| CPU / floor | KiB/page | floor KiB/page | load |"
)
ALIGN = "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"


def row(database: str, processes: int, ours: Result, floor: Result) -> str:
    errors = sum(ours.errors.values()) + ours.sockets_closed
    floor_errors = sum(floor.errors.values()) + floor.sockets_closed + floor.lost
    mark = "" if floor_errors == 0 else f" (floor: {floor_errors})"
    ratio = ours.cpu_ms_per_action / floor.cpu_ms_per_action if floor.cpu_ms_per_action else 0
    return (
        f"| {database} | {processes} | {ours.games} x {ours.players} | {ours.seconds:g} "
        f"| {ours.acked:,} | {ours.skipped:,} | {errors:,}{mark} | {ours.lost} "
        f"| {ours.p50_ms:.1f} | {ours.p95_ms:.1f} | {ours.p99_ms:.1f} | {floor.p95_ms:.1f} "
        f"| {ours.cpu_ms_per_action:.1f} | {floor.cpu_ms_per_action:.2f} | {ratio:.1f}x "
        f"| {ours.kib_per_page:.0f} | {floor.kib_per_page:.0f} | {ours.load_before:.1f} |"
    )


def row_key(line: str) -> tuple[str, str, str]:
    cells = [c.strip() for c in line.strip("|").split("|")]
    return cells[0], cells[1], cells[2]


NOTE = (
    "Load: the 1-minute load average as the Entente run began (2 cores; other work on the "
    "machine shares them, so the ratios to the floor, measured in the same run, are the "
    "fairer figures). Errors: actions refused or unanswered, and page sockets that closed. "
    "Skipped: ticks that came while the player's previous action was still pending. CPU "
    "per action: the server processes' CPU time over the run / the actions acknowledged. "
    "KiB per page: the servers' resident set growth as the pages opened / the pages."
)


def write_readme(new_rows: list[str]) -> None:
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{README.name} has no {START} ... {END} block")
    head, rest = text.split(START, 1)
    block, tail = rest.split(END, 1)
    rows = {row_key(line): line for line in block.splitlines() if re.match(r"\| \w", line)}
    rows.pop(row_key(HEADER), None)
    for line in new_rows:
        rows[row_key(line)] = line

    def order(key: tuple[str, str, str]) -> tuple[str, int, int]:
        return key[0], int(key[1]), int(key[2].split()[0])

    lines = [HEADER, ALIGN, *(rows[k] for k in sorted(rows, key=order))]
    footer = textwrap.fill(
        f"{NOTE} Measured with CPython {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores.",
        WIDTH,
        break_on_hyphens=False,
    )
    body = "\n".join([*lines, "", footer])
    README.write_text(f"{head}{START}\n{body}\n{END}{tail}", encoding="utf-8")


def problems(ours: Result, floor: Result) -> list[str]:
    """What makes a run fail (the smoke test): errors or lost actions, never slowness."""
    found = []
    for result in (ours, floor):
        if result.errors:
            found.append(f"{result.target}: errors {result.errors}")
        if result.lost:
            found.append(f"{result.target}: {result.lost} acknowledged action(s) not in the log")
        if result.sockets_closed:
            found.append(f"{result.target}: {result.sockets_closed} page socket(s) closed")
        if not result.acked:
            found.append(f"{result.target}: no action acknowledged")
        if not result.page_messages:
            found.append(f"{result.target}: no page got a message")
    return found


async def run(args: argparse.Namespace) -> int:
    database = "SQLite" if args.database_url == "sqlite" else "PostgreSQL"
    rows: list[str] = []
    results: list[dict[str, Any]] = []
    failures: list[str] = []
    for games in args.games:
        started = time.perf_counter()
        ours, floor = await measure(args, games)
        line = row(database, args.processes, ours, floor)
        if not rows:
            print(HEADER + "\n" + ALIGN)
        print(line, flush=True)
        rows.append(line)
        results.append(
            {
                "database": database,
                "processes": args.processes,
                "entente": asdict(ours),
                "floor": asdict(floor),
            }
        )
        for result in (ours, floor):
            print(
                f"  {result.target}: {result.sent} sent, {result.acked} acknowledged, "
                f"errors {result.errors or 0}, lost {result.lost}, "
                f"{result.page_messages:,} page messages ({result.page_message_bytes:,} bytes), "
                f"server CPU {result.cpu_seconds:.1f} s, RSS {result.rss_before_kib:,.0f} -> "
                f"{result.rss_after_kib:,.0f} KiB, client CPU {result.client_cpu_seconds:.1f} s",
                file=sys.stderr,
            )
        print(f"  ({time.perf_counter() - started:.0f} s in all)", file=sys.stderr)
        failures += problems(ours, floor)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.write:
        write_readme(rows)
        print(f"Updated {README.relative_to(ROOT)}.", file=sys.stderr)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--games", default="1", help="games, or a comma-separated list run one after another"
    )
    parser.add_argument("--players", type=int, default=8, help="players a game (default 8)")
    parser.add_argument("--seconds", type=float, default=60, help="seconds of play (default 60)")
    parser.add_argument(
        "--database-url",
        default="sqlite",
        help="'sqlite' (a throw-away file) or a PostgreSQL server's URL, e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:5432/test: a fresh database is created "
        "there for each run and dropped",
    )
    parser.add_argument("--processes", type=int, default=1, help="Entente servers (default 1)")
    parser.add_argument(
        "--pubsub-url",
        default=None,
        help="the doorbell between servers (default memory://, or redis://127.0.0.1:6379/0 "
        "with --processes 2 or more)",
    )
    parser.add_argument("--smoke", action="store_true", help="1 game x 4 players for 3 s")
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every figure as JSON")
    parser.add_argument("--floor-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--recorded", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_server:
        run_floor(args.floor_server, args.database_url, args.recorded)
        return 0
    args.games = [int(g) for g in args.games.split(",")]
    if args.smoke:
        args.games, args.players, args.seconds = [1], 4, 3.0
    if args.pubsub_url is None:
        args.pubsub_url = "redis://127.0.0.1:6379/0" if args.processes > 1 else "memory://"
    with asyncio.Runner(loop_factory=new_loop) as runner:
        return runner.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
