"""Benchmark: what the HTTP layers cost a JSON action, in one process.

The app as `entente serve` builds it (a SQLite file, meridian-strait, Arvenia's seat taken
through its link), called directly as an ASGI app, without a server or sockets: each
request is `POST /api/games/{game}/nations/arvenia/actions` with the session cookie, as
the load benchmark's clients send it. Process CPU time (every thread's) per request for:

- `action`: a ready/not-ready action, the service call stubbed out (it answers at once),
  so what is measured is the middleware, routing, the endpoint, the thread hop and the
  answer, without the database's noise (`--real` calls the service);
- `direct`: the stubbed service call through the thread pool and the answer's JSON alone;
  `action - direct` is the layers' cost;
- `415`: the same request sent as text/plain, refused by the endpoint before the service:
  the layers, the seat check and an error answer.

Run: `.venv/bin/python bench/bench_http.py` (`--requests`, `--rounds`, `--real`); compare two
versions by running each in turn, a few times. Nothing is written.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import json
import re
import sys
import tempfile
import time
import types
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from starlette.concurrency import run_in_threadpool

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import Settings
from app.store.migrations import upgrade
from app.web.app import create_app
from app.web.responses import SafeJSONResponse

ROOT = Path(__file__).resolve().parents[1]
Message = dict[str, Any]


async def run(requests: int, rounds: int, real: bool) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="entente-bench-http-"))
    url = f"sqlite:///{workdir / 'entente.db'}"
    upgrade(url)
    app = create_app(Settings(database_url=url, secret_key="bench", var_dir=workdir / "var"))
    container = app.state.container
    container.scenarios.sync_directory(ROOT / "scenarios")
    created = container.games.create_game("meridian-strait", seed=5)
    game_id = created.game_id
    token = next(s.token for s in created.seats if s.nation_id == "arvenia")

    startup: asyncio.Queue[Message] = asyncio.Queue()
    started = asyncio.Event()
    await startup.put({"type": "lifespan.startup"})

    async def lifespan_send(message: Message) -> None:
        started.set()

    lifespan_scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    lifespan = asyncio.create_task(app(lifespan_scope, startup.get, lifespan_send))
    await started.wait()

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        page = await client.get(f"/join/{token}")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf is not None
        await client.post(f"/join/{token}", data={"csrf_token": csrf.group(1)})
        cookie = client.cookies["entente_session"]

    if not real:
        outcome = types.SimpleNamespace(seq=1)
        container.games.act = lambda *args, **kwargs: outcome

    path = f"/api/games/{game_id}/nations/arvenia/actions"
    bodies = [json.dumps({"kind": "ready", "ready": ready}).encode() for ready in (True, False)]
    statuses: dict[int, int] = {}

    async def request(body: bytes, content_type: bytes = b"application/json") -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [
                (b"host", b"127.0.0.1:8000"),
                (b"user-agent", b"python-httpx/0.28.1"),
                (b"accept", b"*/*"),
                (b"accept-encoding", b"gzip, deflate"),
                (b"connection", b"keep-alive"),
                (b"content-type", content_type),
                (b"cookie", b"entente_session=" + cookie.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> Message:
            if messages:
                return messages.pop()
            await asyncio.Event().wait()  # no disconnect while the answer is sent
            raise AssertionError

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses[message["status"]] = statuses.get(message["status"], 0) + 1

        await app(scope, receive, send)

    async def direct(body: bytes) -> None:
        act = functools.partial(container.games.act, seat_token=token)
        result = await run_in_threadpool(act, game_id, "arvenia", json.loads(body))
        SafeJSONResponse({"accepted": True, "seq": result.seq})

    async def not_json(body: bytes) -> None:
        await request(body, b"text/plain")

    async def timed(each: Callable[[bytes], Awaitable[None]]) -> float:
        gc.collect()
        start = time.process_time()
        for n in range(requests):
            await each(bodies[n % 2])
        return (time.process_time() - start) / requests * 1e6

    for n in range(200):  # warm-up
        await request(bodies[n % 2])
        await direct(bodies[n % 2])
        await not_json(bodies[0])
    statuses.clear()
    cpu: dict[str, list[float]] = {"action": [], "direct": [], "415": []}
    for _ in range(rounds):
        cpu["action"].append(await timed(request))
        cpu["direct"].append(await timed(direct))
        cpu["415"].append(await timed(not_json))
    await startup.put({"type": "lifespan.shutdown"})
    await lifespan

    print(f"statuses: {dict(sorted(statuses.items()))}")
    expected = {200: requests * rounds, 415: requests * rounds}
    if statuses != expected:  # a smoke run fails on wrong answers, never on timings
        raise SystemExit(f"expected the answers {expected}, got {statuses}")
    for what, times in cpu.items():
        listed = " ".join(f"{t:.1f}" for t in times)
        print(f"{what:7} CPU per request (us): best {min(times):6.1f}  ({listed})")
    layers = min(cpu["action"]) - min(cpu["direct"])
    print(f"layers  CPU per action (us), action - direct: {layers:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="per round and kind (3000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (3)")
    parser.add_argument("--real", action="store_true", help="call the service, not a stub")
    args = parser.parse_args()
    asyncio.run(run(args.requests, args.rounds, args.real))


if __name__ == "__main__":
    main()
