"""Fixtures for the browser tests: a real `entente serve` process and the system Chromium.

The server runs in a subprocess on a free port with its own temporary database (SQLite,
or with ENTENTE_DATABASE_URL set a PostgreSQL database of its own on that server),
exactly as an operator would start it (`entente db upgrade`, `entente demo`, `entente
serve`). Each test creates its own demo game with `new_game()`, so tests do not share
seats. When a test fails, the tail of the server log is attached to the report.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import scratch_database

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
LOG_TAIL_LINES = 60

_JOIN_LINE = re.compile(r"^\s+(?P<name>\S(?:.*\S)?)\s+(?P<url>https?://\S+/join/\S+)\s*$")
_CREATED_LINE = re.compile(r"created \((?P<game_id>[0-9a-zA-Z_-]+)\)")


@dataclass
class DemoGame:
    game_id: str
    links: dict[str, str]  # nation name -> join URL

    def link(self, nation_name: str) -> str:
        return self.links[nation_name]


@dataclass(repr=False)
class LiveServer:
    base_url: str
    port: int
    env: dict[str, str]
    workdir: Path
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    games: list[DemoGame] = field(default_factory=list)

    def __repr__(self) -> str:  # never dump the environment into a test report
        return f"LiveServer({self.base_url}, log={self.log_path})"

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as error:
            return f"(no server log: {error})"
        return "\n".join(text.splitlines()[-lines:])

    def cli(self, *args: str, timeout: float = 30.0) -> subprocess.CompletedProcess[str]:
        """Run an `entente` command against this server's database."""
        result = subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(
                f"`entente {' '.join(args)}` exited with {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}",
                pytrace=False,
            )
        return result

    def start(self) -> None:
        """`entente serve` in a subprocess; returns once /healthz answers."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port)],
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if self.process.poll() is not None:
                pytest.fail(
                    f"the server exited with {self.process.returncode} while starting\n"
                    f"--- server log (tail) ---\n{self.log_tail()}",
                    pytrace=False,
                )
            try:
                response = httpx.get(f"{self.base_url}/healthz", timeout=1.0)
                if response.status_code == 200 and response.json().get("status") == "ok":
                    return
            except (httpx.HTTPError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the server did not answer /healthz within {STARTUP_TIMEOUT:.0f} s\n"
                    f"--- server log (tail) ---\n{self.log_tail()}",
                    pytrace=False,
                )
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)

    def new_game(self, seed: int = 7) -> DemoGame:
        """`entente demo`: a fresh game of the demo scenario, with its join links."""
        out = self.cli("demo", "--seed", str(seed)).stdout
        created = _CREATED_LINE.search(out)
        links = {m["name"]: m["url"] for line in out.splitlines() if (m := _JOIN_LINE.match(line))}
        if created is None or not links:
            pytest.fail(f"could not parse the output of `entente demo`:\n{out}", pytrace=False)
        for url in links.values():
            assert url.startswith(self.base_url + "/join/"), (
                f"join link {url} does not point at the test server {self.base_url}"
            )
        game = DemoGame(created["game_id"], links)
        self.games.append(game)
        return game


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(workdir: Path, port: int, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTENTE_")}
    env.update(
        ENTENTE_DATABASE_URL=database_url,
        ENTENTE_SECRET_KEY="browser-test-secret",
        ENTENTE_VAR_DIR=str(workdir / "var"),
        ENTENTE_HOST="127.0.0.1",
        ENTENTE_PORT=str(port),
        PYTHONPATH=os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p),
        PYTHONUNBUFFERED="1",
    )
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


@contextlib.contextmanager
def running_server(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[LiveServer]:
    """`entente serve` on a free port with its own database, stopped at the end.

    Two servers never share a database: each gets a new SQLite file, or a new PostgreSQL
    database (wiped after the server stops) when ENTENTE_DATABASE_URL is set."""
    # The working directory is the temp dir, so a developer's .env cannot leak in.
    workdir = tmp_path_factory.mktemp(name)
    port = _free_port()
    with scratch_database(workdir / "e.db") as database_url:
        server = LiveServer(
            base_url=f"http://127.0.0.1:{port}",
            port=port,
            env=_server_env(workdir, port, database_url),
            workdir=workdir,
            log_path=workdir / "server.log",
        )
        server.cli("db", "upgrade")
        try:
            server.start()
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The server the browser tests share."""
    with running_server(tmp_path_factory, "entente-server") as server:
        yield server


@pytest.fixture
def new_game(live_server: LiveServer) -> Callable[[], DemoGame]:
    """A factory: each call creates a fresh demo game (seed 7) on the live server."""
    return live_server.new_game


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    """Skip (or, on CI, fail) before starting anything when the browser is missing."""
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(_require_chromium: None) -> Iterator[Any]:
    """The system Chromium, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_context(browser: Any, live_server: LiveServer) -> Iterator[Callable[[], Any]]:
    """A factory of isolated browser contexts (one per player), closed after the test."""
    contexts: list[Any] = []

    def factory() -> Any:
        context = browser.new_context(
            base_url=live_server.base_url, viewport={"width": 1400, "height": 1000}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    server = getattr(item, "funcargs", {}).get("live_server")
    if isinstance(server, LiveServer):
        report.sections.append(("entente server log (tail)", server.log_tail()))
