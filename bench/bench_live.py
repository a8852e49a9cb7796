"""Benchmark: one order reaching 200 open game pages, against a bare websockets floor.

Run: `.venv/bin/python bench/bench_live.py` (options: `--clients 200 --actions 30`, and
`--write` to update the table in bench/README.md; `--profile FILE` records the server with
py-spy during the timed actions). Target (bench/README.md): with 200 sockets on one
game, the time from an order being sent to every page holding the change stays within 2x
the floor, at p95.

Entente: a real server process (`python -m app.cli serve`) on a throw-away SQLite database
holding one game of meridian-strait (its orders phase lengthened so no deadline passes
mid-run). The 3 seats are joined through their links and their session cookies shared
round-robin by the sockets. One seat alternately commits and withdraws a unit through the
JSON API; each action is timed from just before the HTTP request until every socket has
received the websocket message carrying it (checked: the acting nation's committed count
in the `nations` fragment).

Floor: a bare `websockets` server in its own process with as many clients; on a trigger it
sends the largest message Entente sent for an action to each client in turn
(`for ws in clients: await ws.send(data)`), timed from the trigger until every client has
it. Both sets of clients live in this process (one event loop), the servers in their own
processes, so the time includes real socket I/O; Entente actions and floor triggers
alternate, so both see the same background load. Every loop is uvloop when installed (as
uvicorn's is) and both servers offer permessage-deflate (as uvicorn does by default).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

ROOT = Path(__file__).resolve().parents[1]
README = Path(__file__).with_name("README.md")
START, END = "<!-- live:start -->", "<!-- live:end -->"
SCENARIO = "meridian-strait"
ORDERS_SECONDS = 3_600  # the scenario's 300 s could pass mid-run
ROUND_TIMEOUT = 30.0
SETTLE = 0.05  # after each round: lets a stray second message show up before the next one
CONNECT_BATCH = 20
MAX_SIZE = 2**24
WIDTH = 90  # bench/README.md's prose
IDLE_SETTLE = 1.0  # before reading a server's memory with every page open and idle
# What a browser offers (Chrome, Firefox): permessage-deflate, the server's window left
# to the server, the client's own any size the server asks.
OFFERS = {
    "browser": [ClientPerMessageDeflateFactory(client_max_window_bits=True)],
    "websockets": None,  # the library's default offer (`compression="deflate"`)
    "none": None,
}


def rss_kib(pid: int) -> int:
    """Resident memory of process `pid`, in KiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise SystemExit(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time process `pid` has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def loop_name() -> str:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


# --- the floor server (its own process) ---------------------------------------------------


async def floor_server(port: int) -> None:
    clients: list[ServerConnection] = []
    data = ""

    async def handler(ws: ServerConnection) -> None:
        nonlocal data
        if ws.request is None or ws.request.path != "/control":
            clients.append(ws)
            try:
                await ws.wait_closed()
            finally:
                clients.remove(ws)
            return
        async for message in ws:
            command = json.loads(message)
            if command["op"] == "data":
                data = command["data"]
                await ws.send("ok")
            elif command["op"] == "count":
                await ws.send(str(len(clients)))
            elif command["op"] == "go":
                for client in list(clients):
                    await client.send(data)
                await ws.send("sent")

    async with serve(handler, "127.0.0.1", port, max_size=MAX_SIZE) as server:
        await server.serve_forever()


# --- clients -------------------------------------------------------------------------------


@dataclass
class Round:
    """One action: when each socket got its first message after the start, and what."""

    clients: int
    started: float = 0.0
    arrivals: list[float | None] = field(default_factory=list)
    messages: list[str | None] = field(default_factory=list)
    missing: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.arrivals = [None] * self.clients
        self.messages = [None] * self.clients
        self.missing = self.clients
        self.started = time.perf_counter()


class Clients:
    """Many websocket clients on one loop; each message is stamped as soon as it is read."""

    def __init__(self, offer: str) -> None:
        self.offer = offer
        self.sockets: list[ClientConnection] = []
        self.readers: list[asyncio.Task[None]] = []
        self.current: Round | None = None
        self.strays = 0
        self.extensions: set[str] = set()

    async def open(
        self,
        count: int,
        url: Callable[[int], str],
        headers: Callable[[int], dict[str, str]],
        *,
        first: bool,
    ) -> list[str]:
        """Connect `count` more sockets, in batches; with `first`, read and return each
        one's first message (a game page's full snapshot). Sockets are numbered on from
        those already open."""
        firsts: list[str] = []
        opened = len(self.sockets)
        for start in range(opened, opened + count, CONNECT_BATCH):
            batch = range(start, min(opened + count, start + CONNECT_BATCH))
            firsts += await asyncio.gather(
                *(self._open_one(url(i), headers(i), first) for i in batch)
            )
        self.readers += [
            asyncio.create_task(self._read(i, ws))
            for i, ws in enumerate(self.sockets)
            if i >= opened
        ]
        return firsts

    async def _open_one(self, url: str, headers: dict[str, str], first: bool) -> str:
        ws = await connect(
            url,
            additional_headers=headers,
            compression="deflate" if self.offer == "websockets" else None,
            extensions=OFFERS[self.offer],
            max_size=MAX_SIZE,
            max_queue=None,
            open_timeout=60,
            ping_interval=None,
        )
        self.sockets.append(ws)
        if ws.response is not None:
            self.extensions.add(ws.response.headers.get("Sec-WebSocket-Extensions", "none"))
        if not first:
            return ""
        message = await asyncio.wait_for(ws.recv(), timeout=60)
        return message if isinstance(message, str) else message.decode()

    async def _read(self, index: int, ws: ClientConnection) -> None:
        with contextlib.suppress(Exception):
            async for message in ws:
                now = time.perf_counter()
                current = self.current
                if current is None or current.arrivals[index] is not None:
                    self.strays += 1
                    continue
                current.arrivals[index] = now
                current.messages[index] = message if isinstance(message, str) else message.decode()
                current.missing -= 1
                if current.missing == 0:
                    current.done.set()

    def begin(self) -> Round:
        self.current = Round(len(self.sockets))
        return self.current

    async def finish(self, round_: Round) -> float:
        """Seconds from the round's start until the last socket got its message."""
        try:
            await asyncio.wait_for(round_.done.wait(), timeout=ROUND_TIMEOUT)
        except TimeoutError:
            raise SystemExit(
                f"{round_.missing} of {round_.clients} sockets got nothing in {ROUND_TIMEOUT} s"
            ) from None
        await asyncio.sleep(SETTLE)
        self.current = None
        return max(a for a in round_.arrivals if a is not None) - round_.started

    async def close(self) -> None:
        for task in self.readers:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        await asyncio.gather(*self.readers, return_exceptions=True)


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    bad: int = 0
    strays: int = 0
    extensions: str = ""
    page_kib: float = 0.0  # the server's resident memory per open idle page
    page_kib_after_warmup: float = 0.0  # the same, of the second half of the pages
    cpu_ms: float = 0.0  # the server's CPU per action (Entente) or per send to all (floor)


# --- the servers ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Entente:
    base: str
    tokens: list[str]
    pid: int


def entente_env(tmp: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTENTE_")}
    env.update(
        ENTENTE_DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}",
        ENTENTE_VAR_DIR=str(tmp / "var"),
        ENTENTE_SECRET_KEY=secrets.token_urlsafe(32),
        ENTENTE_SCENARIOS_DIR=str(tmp / "scenarios"),
        ENTENTE_HOST="127.0.0.1",
        ENTENTE_PORT=str(port),
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare_entente(tmp: Path, env: dict[str, str]) -> list[str]:
    """Migrate a fresh database, create the game and return its join tokens."""
    scenarios = tmp / "scenarios"
    scenarios.mkdir()
    text = (ROOT / "scenarios" / f"{SCENARIO}.yaml").read_text(encoding="utf-8")
    text, changed = re.subn(
        r"^orders_seconds:\s*\d+", f"orders_seconds: {ORDERS_SECONDS}", text, flags=re.M
    )
    if not changed:
        raise SystemExit(f"{SCENARIO}.yaml has no top-level orders_seconds to lengthen")
    (scenarios / f"{SCENARIO}.yaml").write_text(text, encoding="utf-8")
    cli = [sys.executable, "-m", "app.cli"]
    subprocess.run([*cli, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    demo = subprocess.run(
        [*cli, "demo", "--scenario", SCENARIO, "--seed", "1"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    tokens = re.findall(r"/join/([A-Za-z0-9_\-]+)", demo.stdout)
    if not tokens:
        raise SystemExit(f"no join links in the demo's output:\n{demo.stdout}{demo.stderr}")
    return tokens


@contextlib.asynccontextmanager
async def entente_server() -> AsyncIterator[Entente]:
    with tempfile.TemporaryDirectory(prefix="entente-bench-") as tmp_name:
        tmp = Path(tmp_name)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = entente_env(tmp, port)
        tokens = prepare_entente(tmp, env)
        log = tmp / "server.log"
        command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(port)]
        with log.open("wb") as out:
            server = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        try:
            async with httpx.AsyncClient(base_url=base, timeout=2) as http:
                for _ in range(300):
                    if server.poll() is not None:
                        raise SystemExit(f"server exited early:\n{log.read_text()[-3000:]}")
                    with contextlib.suppress(httpx.TransportError):
                        if (await http.get("/healthz")).status_code == 200:
                            break
                    await asyncio.sleep(0.1)
                else:
                    raise SystemExit(f"server not healthy in 30 s:\n{log.read_text()[-3000:]}")
            yield Entente(base, tokens, server.pid)
        finally:
            stop(server)


@contextlib.asynccontextmanager
async def floor_process() -> AsyncIterator[tuple[str, ClientConnection, int]]:
    """The floor server's address, a control connection to it and its process id."""
    port = free_port()
    command = [sys.executable, str(Path(__file__).resolve()), "--floor-server", str(port)]
    server = subprocess.Popen(command, cwd=ROOT)
    try:
        url = f"ws://127.0.0.1:{port}"
        for _ in range(300):
            if server.poll() is not None:
                raise SystemExit("the floor server exited early")
            try:
                control = await connect(f"{url}/control", max_size=MAX_SIZE, ping_interval=None)
                break
            except OSError:
                await asyncio.sleep(0.1)
        else:
            raise SystemExit("the floor server did not start in 30 s")
        try:
            yield url, control, server.pid
        finally:
            await control.close()
    finally:
        stop(server)


class Profiler:
    """py-spy on the Entente server during the timed rounds. `--gil` samples only the
    thread holding the GIL, i.e. shows where the server's one core of Python goes."""

    def __init__(self, output: Path | None, pid: int) -> None:
        self.output = output
        self.pid = pid
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if self.output is None:
            return
        py_spy = shutil.which("py-spy") or shutil.which("py-spy", path=Path(sys.executable).parent)
        if py_spy is None:
            raise SystemExit("--profile needs py-spy on PATH (pip install py-spy)")
        formats = {".svg": "flamegraph", ".json": "speedscope"}
        command = [py_spy, "record", "--pid", str(self.pid), "--gil", "--rate", "250"]
        command += ["--format", formats.get(self.output.suffix, "raw")]
        command += ["--output", str(self.output)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        time.sleep(1.0)  # attached before the first round

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        print(f"Server profile written to {self.output}.", file=sys.stderr)


# --- Entente's API -------------------------------------------------------------------------


@dataclass
class Seat:
    game_id: str
    nation_id: str
    cookie: str

    @property
    def path(self) -> str:
        return f"/games/{self.game_id}/nations/{self.nation_id}"

    @property
    def headers(self) -> dict[str, str]:
        return {"cookie": f"entente_session={self.cookie}"}


async def join(http: httpx.AsyncClient, token: str) -> Seat:
    # The link's page only asks; its button's POST (with the page's CSRF token) seats.
    # Each seat is a browser of its own: no session from the seat joined before.
    http.cookies.clear()
    page = await http.get(f"/join/{token}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    session = page.cookies.get("entente_session")
    if page.status_code != 200 or csrf is None or session is None:
        raise SystemExit(f"join page failed: {page.status_code} {page.text[:300]}")
    response = await http.post(
        f"/join/{token}",
        data={"csrf_token": csrf[1]},
        headers={"cookie": f"entente_session={session}"},
    )
    match = re.fullmatch(r"/games/(\w+)/nations/([\w-]+)", response.headers.get("location", ""))
    cookie = response.cookies.get("entente_session")
    if response.status_code != 303 or match is None or cookie is None:
        raise SystemExit(f"join failed: {response.status_code} {response.text[:300]}")
    return Seat(match[1], match[2], cookie)


async def act(http: httpx.AsyncClient, seat: Seat, body: dict[str, Any]) -> httpx.Response:
    return await http.post(
        f"/api{seat.path}/actions",
        content=json.dumps(body),
        headers={**seat.headers, "content-type": "application/json"},
    )


async def find_commit(http: httpx.AsyncClient, seat: Seat) -> tuple[dict[str, Any], int]:
    """A legal commit for `seat` (found by trying, then undone) and its committed count."""
    response = await http.get(f"/api{seat.path}/view", headers=seat.headers)
    response.raise_for_status()
    view = response.json()
    committed = next(n["committed_units"] for n in view["nations"] if n["id"] == seat.nation_id)
    operations = [o for o in view["operations"] if o.get("open", True)]
    for unit in view["me"]["units"]:
        for operation in operations:
            body = {"kind": "commit", "unit_id": unit["id"], "operation_id": operation["id"]}
            if (await act(http, seat, body)).status_code == 200:
                undo = await act(http, seat, {"kind": "withdraw", "unit_id": unit["id"]})
                if undo.status_code != 200:
                    raise SystemExit(f"cannot withdraw {unit['id']}: {undo.text}")
                return body, committed
    raise SystemExit(f"no legal commit for {seat.nation_id}")


# --- the run -------------------------------------------------------------------------------


async def entente_round(
    pool: Clients, http: httpx.AsyncClient, actor: Seat, body: dict[str, Any], committed: int
) -> tuple[float, list[str], int]:
    """Seconds until every socket had the action, the messages, and how many lack it."""
    current = pool.begin()
    response = await act(http, actor, body)
    if response.status_code != 200:
        raise SystemExit(f"action refused: {response.status_code} {response.text}")
    elapsed = await pool.finish(current)
    messages = [m or "" for m in current.messages]
    marker = f'data-nation="{actor.nation_id}" data-committed="{committed}"'
    return elapsed, messages, sum(marker not in m for m in messages)


async def floor_round(pool: Clients, control: ClientConnection, data: str) -> tuple[float, int]:
    current = pool.begin()
    await control.send('{"op": "go"}')
    elapsed = await pool.finish(current)
    await control.recv()
    return elapsed, sum(m != data for m in current.messages)


async def measure(
    clients: int, actions: int, offer: str, profile: Path | None
) -> tuple[Stats, Stats, int]:
    async with contextlib.AsyncExitStack() as stack:
        entente = await stack.enter_async_context(entente_server())
        floor_url, control, floor_pid = await stack.enter_async_context(floor_process())
        http = await stack.enter_async_context(
            httpx.AsyncClient(base_url=entente.base, timeout=ROUND_TIMEOUT)
        )
        seats = [await join(http, token) for token in entente.tokens]
        actor = seats[0]
        commit, committed = await find_commit(http, actor)
        steps = [
            (commit, committed + 1),
            ({"kind": "withdraw", "unit_id": commit["unit_id"]}, committed),
        ]

        ours, floor = Stats(), Stats()
        pages = Clients(offer)
        stack.push_async_callback(pages.close)
        ws_base = entente.base.replace("http://", "ws://")
        half = clients // 2
        # Memory, each time idle: before any page; with the first half open, then after
        # two untimed actions (a commit and its withdrawal: the server's one-time costs
        # paid, worker threads, connections, caches); with the second half open too, and
        # after two more actions. Per page past the warm-up: the second half's opening.
        await asyncio.sleep(IDLE_SETTLE)
        rss = [rss_kib(entente.pid)]
        firsts: list[str] = []
        largest = ""  # the floor sends the largest message of these actions
        for count in (half, clients - half):
            firsts += await pages.open(
                count,
                lambda i: f"{ws_base}{seats[i % len(seats)].path}/ws",
                lambda i: {**seats[i % len(seats)].headers, "Origin": entente.base},
                first=True,
            )
            await asyncio.sleep(IDLE_SETTLE)
            rss.append(rss_kib(entente.pid))
            for body, committed_now in steps:
                _, messages, _ = await entente_round(pages, http, actor, body, committed_now)
                largest = max([largest, *messages], key=lambda m: len(m.encode()))
            await asyncio.sleep(IDLE_SETTLE)
            rss.append(rss_kib(entente.pid))
        if not all('id="feed"' in f for f in firsts):
            raise SystemExit("a page's first message is not a full snapshot")
        snapshot_size = max(len(f.encode()) for f in firsts)
        ours.page_kib = (rss[4] - rss[0]) / clients
        ours.page_kib_after_warmup = (rss[3] - rss[2]) / (clients - half)

        await control.send(json.dumps({"op": "data", "data": largest}))
        await control.recv()
        bare = Clients(offer)
        stack.push_async_callback(bare.close)
        rss = [rss_kib(floor_pid)]
        for count in (half, clients - half):
            await bare.open(count, lambda i: f"{floor_url}/client", lambda i: {}, first=False)
            await asyncio.sleep(IDLE_SETTLE)
            rss.append(rss_kib(floor_pid))
            # The floor's clients hold its message once, as the pages hold Entente's.
            await floor_round(bare, control, largest)
            await asyncio.sleep(IDLE_SETTLE)
            rss.append(rss_kib(floor_pid))
        await control.send('{"op": "count"}')
        if int(await control.recv()) != clients:
            raise SystemExit("the floor server does not see every client")
        floor.page_kib = (rss[4] - rss[0]) / clients
        floor.page_kib_after_warmup = (rss[3] - rss[2]) / (clients - half)

        cpu = {pid: cpu_seconds(pid) for pid in (entente.pid, floor_pid)}
        profiler = Profiler(profile, entente.pid)
        profiler.start()
        try:
            for n in range(actions):
                body, count = steps[n % 2]
                elapsed, messages, bad = await entente_round(pages, http, actor, body, count)
                ours.latencies.append(elapsed)
                ours.sizes += [len(m.encode()) for m in messages]
                ours.bad += bad
                elapsed, bad = await floor_round(bare, control, largest)
                floor.latencies.append(elapsed)
                floor.sizes.append(len(largest.encode()))
                floor.bad += bad
        finally:
            profiler.stop()
        ours.cpu_ms = (cpu_seconds(entente.pid) - cpu[entente.pid]) * 1000 / actions
        floor.cpu_ms = (cpu_seconds(floor_pid) - cpu[floor_pid]) * 1000 / actions
        for stats, pool in ((ours, pages), (floor, bare)):
            stats.strays = pool.strays
            stats.extensions = ", ".join(sorted(pool.extensions))
        return ours, floor, snapshot_size


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


PAGE_KIB_TARGET = 30
OFFER_WORDS = {
    "browser": "permessage-deflate as browsers do",
    "websockets": "the websockets library's permessage-deflate",
    "none": "no compression",
}


def table(
    clients: int, actions: int, ours: Stats, floor: Stats, snapshot_size: int, offer: str
) -> str:
    e50, e95 = (percentile(ours.latencies, q) * 1000 for q in (0.5, 0.95))
    f50, f95 = (percentile(floor.latencies, q) * 1000 for q in (0.5, 0.95))
    verdict = "met" if e95 <= 2 * f95 else "not met"
    memory = "met" if ours.page_kib_after_warmup <= PAGE_KIB_TARGET else "not met"
    note = (
        f"Target (p95 within 2x the floor): {verdict}. Server CPU per action "
        f"{ours.cpu_ms:.1f} ms (the floor's per send to every client: {floor.cpu_ms:.1f} ms). "
        f"Memory per open idle page: {ours.page_kib_after_warmup:.1f} KiB past the server's "
        f"warm-up, {ours.page_kib:.1f} KiB with it (floor {floor.page_kib_after_warmup:.1f} "
        f"and {floor.page_kib:.1f} KiB; target {PAGE_KIB_TARGET} KiB: {memory}). One action's "
        "message is "
        f"{min(ours.sizes):,}-{max(ours.sizes):,} bytes of HTML per socket (the floor sends "
        f"the largest to each); a page's full snapshot on connect is {snapshot_size:,} bytes. "
        f"Clients offer {OFFER_WORDS[offer]}; WebSocket extension: "
        f"{ours.extensions or 'none'} (floor: {floor.extensions or 'none'}). "
        f"Measured with CPython {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, {loop_name()} event loops."
    )
    return "\n".join(
        [
            "| clients | actions | Entente p50 (ms) | Entente p95 (ms) | floor p50 (ms) "
            "| floor p95 (ms) | p95 / floor p95 |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {clients} | {actions} | {e50:.1f} | {e95:.1f} | {f50:.1f} | {f95:.1f} "
            f"| {e95 / f95:.1f}x |",
            "",
            textwrap.fill(note, WIDTH, break_on_hyphens=False),
        ]
    )


METHOD = (
    "One game of meridian-strait served by a real `entente serve` process on SQLite, with"
    " 200 websockets open on it (its 3 seats shared round-robin). One seat alternately "
    "commits and withdraws a unit through the JSON API; each action is timed from the "
    "request until every socket holds the change. The floor is a bare `websockets` server"
    " in its own process that sends the same bytes to each of 200 clients in turn. The "
    "clients of both live in one process; Entente actions and floor sends alternate. The "
    "clients offer permessage-deflate as a browser does (`--offer websockets`: the "
    "library's own offer; `--no-compression`). Also measured: each server's CPU time over"
    " the timed rounds, per action, and its resident memory per open idle page, as it "
    "grows while the pages open: as the second half opens (past the server's one-time "
    "warm-up: worker threads, connections, caches), and over all the pages, each with its"
    " snapshot and four actions received. Targets: Entente's p95 within 2x the floor's; "
    "at most 30 KiB per page. `--profile FILE` records the server with py-spy during the "
    "timed actions."
)


def write_readme(block: str) -> None:
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        text = (
            text.rstrip("\n")
            + "\n\n## Live updates\n\n`.venv/bin/python bench/bench_live.py --write`\n\n"
            + textwrap.fill(METHOD, WIDTH)
            + f"\n\n{START}\n{END}\n"
        )
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{block}\n{END}{tail}", encoding="utf-8")


async def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    offer = "none" if args.no_compression else args.offer
    ours, floor, snapshot_size = await measure(args.clients, args.actions, offer, args.profile)
    block = table(args.clients, args.actions, ours, floor, snapshot_size, offer)
    print(block, flush=True)
    for name, stats in (("Entente", ours), ("floor", floor)):
        if stats.bad or stats.strays:
            print(
                f"warning: {name}: {stats.bad} message(s) without the change, "
                f"{stats.strays} unexpected extra message(s)",
                file=sys.stderr,
            )
    print(f"({time.perf_counter() - started:.0f} s in all)", file=sys.stderr)
    if args.write:
        write_readme(block)
        print(f"Updated {README.relative_to(ROOT)}.", file=sys.stderr)
    return 1 if ours.bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200, help="websockets (default 200)")
    parser.add_argument("--actions", type=int, default=30, help="timed actions (default 30)")
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    parser.add_argument(
        "--no-compression",
        action="store_true",
        help="do not offer permessage-deflate (browsers always offer it)",
    )
    parser.add_argument(
        "--offer",
        choices=sorted(OFFERS),
        default="browser",
        help="the clients' permessage-deflate offer: a browser's (default), the websockets "
        "library's default one, or none",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="record the server with py-spy during the timed rounds (.svg, .json or raw)",
    )
    parser.add_argument("--floor-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    with asyncio.Runner(loop_factory=new_loop) as runner:
        if args.floor_server:
            with contextlib.suppress(KeyboardInterrupt):
                runner.run(floor_server(args.floor_server))
            return 0
        return runner.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
