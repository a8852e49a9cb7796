"""A whole player's turn with the keyboard alone: views, a message, an order, ready.

Nothing here clicks or focuses elements directly: every step is Tab, Shift+Tab, the
arrow keys, Enter, Space or typing, as a keyboard or switch user would play.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import take_seat

pytestmark = pytest.mark.browser

TAB_LIMIT = 120  # more than every focusable element of the console


def focused_matches(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        )
    )


def tab_to(page: Page, selector: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(TAB_LIMIT):
        page.keyboard.press(key)
        if focused_matches(page, selector):
            return
    active = page.evaluate("document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(f"{key} never reached {selector!r}; focus ended on {active}")


def test_a_turn_played_by_keyboard_alone(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    page = open_context().new_page()
    page.set_viewport_size({"width": 1366, "height": 768})
    take_seat(page, game.link("Arvenia"))
    expect(page.locator("#connection")).to_have_text("Live")

    # The views: Tab reaches the tab list, the arrow keys switch views.
    tab_to(page, "#tab-operations")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-negotiation")).to_be_focused()
    expect(page.locator("#tab-negotiation")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#view-negotiation")).to_be_visible()
    expect(page.locator("#view-operations")).to_be_hidden()

    # A message to the plenary: open the channel, type, send.
    tab_to(page, "#negotiation .channel-link")
    # The plenary is already shown: wait for the view Enter asked for to replace it before
    # typing, or the first keys would go into the view being replaced.
    page.evaluate("document.getElementById('channel-view').dataset.old = 'yes'")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.getElementById('channel-view').dataset.old")
    expect(page.locator("#channel-view h3")).to_have_text("Plenary")
    # And for htmx to have taken the new form over: Enter on a form it has not processed
    # yet would submit it as a plain page load (a live update can swap the view in).
    page.wait_for_function(
        "() => { const f = document.getElementById('message-form');"
        " return !!(f && f['htmx-internal-data'] && f['htmx-internal-data'].initHash); }"
    )
    tab_to(page, "#channel-view textarea")
    page.keyboard.type("Arvenia proposes a joint patrol, sent by keyboard.")
    tab_to(page, "#channel-view button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#message-list")).to_contain_text(
        "Arvenia proposes a joint patrol, sent by keyboard."
    )

    # Back to operations: Shift+Tab to the tab list, then the arrow key.
    tab_to(page, '[role="tab"][aria-selected="true"]', backwards=True)
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#view-operations")).to_be_visible()

    # An order: tick the first two units offered for Open Lane with Space, commit both.
    boxes = page.locator("#op-open-lane form.commit-form input[type=checkbox]")
    chosen = [boxes.nth(i).get_attribute("id") or "" for i in (0, 1)]
    names = [
        (page.locator(f"label:has(#{box})").text_content() or "").split(" — ")[0].strip()
        for box in chosen
    ]
    for box in chosen:
        tab_to(page, f"#{box}")
        page.keyboard.press("Space")
        expect(page.locator(f"#{box}")).to_be_checked()
    tab_to(page, "#op-open-lane form.commit-form button")
    page.keyboard.press("Enter")
    expect(page.locator("#commit-answer-open-lane")).to_have_text(
        f"Committed to Operation Open Lane: {names[0]}, {names[1]}."
    )
    for name in names:
        expect(page.locator("#op-open-lane ul.committed")).to_contain_text(name)

    # Ready, with Space on the button.
    tab_to(page, "#ready-button")
    page.keyboard.press("Space")
    expect(page.locator("#order-status")).to_have_text("Orders confirmed.")
    expect(page.locator("#nations tr", has_text="Arvenia")).to_contain_text(re.compile("ready"))
