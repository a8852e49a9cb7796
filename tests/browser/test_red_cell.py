"""The red cell in real browsers: control seats a student as the adversary from the console;
the student chooses a move on a live page; a nation's page never shows it until the turn
resolves, then shows its words, live."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, take_seat
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

LIVE_TIMEOUT = 5_000
WORDS = "Any ship in the Narrows will be boarded (rc-41)."


def test_control_seats_a_red_cell_whose_move_reaches_the_nations_only_when_resolved(
    live_server: LiveServer, open_context: Callable[[], Any], new_game: Callable[[], Any]
) -> None:
    game = new_game()
    control = open_context().new_page()
    control.on("dialog", lambda dialog: dialog.accept())
    sign_in(control)
    control.goto(f"/control/games/{game.game_id}")
    control.click("text=Seat a student (red cell)")
    message = control.locator(".control-message")
    expect(message).to_contain_text("The red cell's seat is open")
    link = re.search(r"(/join/[A-Za-z0-9_-]+);", message.inner_text())
    assert link is not None, message.inner_text()

    red = open_context().new_page()
    take_seat(red, link.group(1))
    expect(red.locator(".seat-badge")).to_have_text("Red cell — Teskari Directorate")
    expect(red.locator("#connection")).to_have_text("Live")
    nation = open_context().new_page()
    take_seat(nation, game.link("Arvenia"))
    expect(nation.locator("#connection")).to_have_text("Live")

    red.check("input[name=move][value=signal]")
    red.fill("#red-text", WORDS)
    red.click("text=Choose this move")
    expect(red.locator("#order-status")).to_contain_text("Move chosen: signal.")
    expect(red.locator("#red-current")).to_contain_text("signal")
    expect(red.locator("#red-current")).to_contain_text(WORDS)
    # The nation's page knows the red cell is ready, never its move.
    expect(nation.locator("#clock")).to_contain_text("1/4", timeout=LIVE_TIMEOUT)
    assert "rc-41" not in nation.content()

    control.goto(f"/control/games/{game.game_id}")
    control.click("#end-phase button")
    expect(nation.locator("#feed")).to_contain_text(
        "Teskari Directorate says: “" + WORDS + "”", timeout=LIVE_TIMEOUT
    )
    # The red cell's page turns to the next turn by itself, its history explained.
    expect(red.locator("#red_cell")).to_contain_text("Move for turn 2", timeout=LIVE_TIMEOUT)
    expect(red.locator("#red_cell")).to_contain_text("the red cell signals")
