"""Reconnection: the server restarts mid-turn while other things happen; the open page
reconnects by itself and catches up, without a reload and without duplicated or missing
feed entries."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, take_seat

pytestmark = pytest.mark.browser

ACT_WHILE_DOWN = """
import sys
from app.services.games import GameService
from app.store.database import Database

database = Database(sys.argv[1])
games = GameService(database)
games.act(sys.argv[2], "lindmark", {"kind": "commit", "unit_id": "lin-field-hospital",
                                    "operation_id": "saltmarsh-relief"})
games.act(sys.argv[2], "lindmark", {"kind": "ready", "ready": True})
database.dispose()
"""


def test_a_page_catches_up_after_the_server_restarts(
    live_server: LiveServer, new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    import subprocess
    import sys

    game = new_game()
    page = open_context().new_page()
    take_seat(page, game.link("Arvenia"))
    expect(page.locator("#connection")).to_have_text("Live")
    page.evaluate("window.__sameDocument = true")
    lindmark = open_context().new_page()
    take_seat(lindmark, game.link("Lindmark"))
    expect(lindmark.locator("#connection")).to_have_text("Live")
    lindmark.close()

    live_server.stop()
    expect(page.locator("#connection")).to_have_text(re.compile("Reconnecting"))
    # Meanwhile another process acts on the same database (the server is down).
    subprocess.run(
        [
            sys.executable,
            "-c",
            ACT_WHILE_DOWN,
            live_server.env["ENTENTE_DATABASE_URL"],
            game.game_id,
        ],
        cwd=live_server.workdir,
        env=live_server.env,
        check=True,
        timeout=30,
    )
    live_server.start()

    expect(page.locator("#connection")).to_have_text("Live", timeout=20_000)
    expect(page.locator("#nations td[data-nation=lindmark]")).to_have_text("1")
    expect(page.locator("#nations tr", has_text="Lindmark").locator(".tag-ready")).to_be_visible()
    feed = page.locator("#feed li")
    expect(feed.filter(has_text="Lindmark is ready.")).to_have_count(1)
    expect(feed.filter(has_text="Lindmark changed its orders")).to_have_count(1)
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"
