"""Real `entente serve` processes for tests that need a server over a socket (browser
tests, several processes sharing one database and broker).

Each server runs in a temporary working directory, so a developer's `.env` cannot leak in,
with only the `ENTENTE_*` settings the test gives it.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
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
        self.launch()
        self.wait_until_up()

    def launch(self) -> None:
        """`entente serve` in a subprocess, without waiting for it."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port)],
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_until_up(self) -> None:
        assert self.process is not None, "launch() first"
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

    def stop(self) -> int | None:
        """Stop it (SIGTERM, then SIGKILL after a while); returns its exit code."""
        if self.process is None:
            return None
        return stop_process(self.process)

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


_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def take_seat(client: httpx.Client, link: str) -> httpx.Response:
    """Open a join link and press its button, as a player does (the link alone seats
    nobody); the answer to the button's POST: a redirect to the seat's page, unless
    `client` follows redirects. `client` keeps the session cookie between the two."""
    page = client.get(link)
    assert page.status_code == 200, f"{link}: {page.status_code} {page.text[:300]}"
    csrf = _CSRF_FIELD.search(page.text)
    assert csrf is not None, f"no CSRF field on the join page of {link}"
    return client.post(link, data={"csrf_token": csrf.group(1)})


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(workdir: Path, port: int, **settings: str) -> dict[str, str]:
    """The environment of a server: this one's, minus its `ENTENTE_*` settings, plus a
    private SQLite database and var dir unless `settings` name others."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTENTE_")}
    env.update(
        ENTENTE_DATABASE_URL=f"sqlite:///{workdir / 'e.db'}",
        ENTENTE_SECRET_KEY="browser-test-secret",
        ENTENTE_VAR_DIR=str(workdir / "var"),
        ENTENTE_HOST="127.0.0.1",
        ENTENTE_PORT=str(port),
        PYTHONPATH=os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p),
        PYTHONUNBUFFERED="1",
    )
    env.update({f"ENTENTE_{name.upper()}": value for name, value in settings.items()})
    return env


def new_server(workdir: Path, **settings: str) -> LiveServer:
    """A server (not started) on a free port, working in `workdir`."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    return LiveServer(
        base_url=f"http://127.0.0.1:{port}",
        port=port,
        env=server_env(workdir, port, **settings),
        workdir=workdir,
        log_path=workdir / "server.log",
    )


def stop_process(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
    return process.returncode
