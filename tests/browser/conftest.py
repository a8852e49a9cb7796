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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import scratch_database
from tests.servers import DemoGame, LiveServer, new_server

__all__ = ["DemoGame", "LiveServer", "running_server", "take_seat"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


SEAT_PAGE = re.compile(r"/games/[0-9a-zA-Z_-]+/nations/[\w-]+$")


def take_seat(page: Any, link: str) -> None:
    """Open a join link and press its button, as a player does (the link alone seats
    nobody); returns once the page is the seat's."""
    from playwright.sync_api import expect

    page.goto(link)
    page.locator("#take-seat").click()
    expect(page).to_have_url(SEAT_PAGE)


@contextlib.contextmanager
def running_server(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[LiveServer]:
    """`entente serve` on a free port with its own database, stopped at the end.

    Two servers never share a database: each gets a new SQLite file, or a new PostgreSQL
    database (wiped after the server stops) when ENTENTE_DATABASE_URL is set."""
    workdir = tmp_path_factory.mktemp(name)
    with scratch_database(workdir / "e.db") as database_url:
        server = new_server(workdir, database_url=database_url)
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
