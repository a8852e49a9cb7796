"""Keyboard order and focus: a skip link first; the views' tabs and Ready before the
operations, and those before the situation's unit buttons; focus stays in the operation's
card after a commit made with Enter, even when the form it was in goes away."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import take_seat

pytestmark = pytest.mark.browser

DESCRIBE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "body";
  if (e.id) return "#" + e.id;
  const card = e.closest("[id]");
  const text = (e.textContent || "").trim().slice(0, 30);
  return e.tagName.toLowerCase() + " in #" + (card ? card.id : "?") + ": " + text;
}"""


def walk(page: Page, presses: int) -> list[str]:
    order = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        order.append(page.evaluate(DESCRIBE))
    return order


def test_the_tab_order_is_skip_link_views_ready_operations_then_situation(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    page = open_context().new_page()
    page.set_viewport_size({"width": 1366, "height": 768})
    take_seat(page, game.link("Arvenia"))
    expect(page.locator("#connection")).to_have_text("Live")
    page.locator("body").focus()
    order = walk(page, 40)
    assert "Skip to the console's views" in order[0], order
    position = {name: i for i, name in reversed(list(enumerate(order)))}
    tab, ready = position["#tab-operations"], position["#ready-button"]
    first_commit = next(i for i, name in enumerate(order) if name.startswith("#commit-"))
    assert tab < ready < first_commit, order
    situation = [i for i, name in enumerate(order) if "in #situation" in name]
    assert all(i > first_commit for i in situation), order

    # The skip link takes the keyboard straight to the views.
    page.reload()
    expect(page.locator("#connection")).to_have_text("Live")
    page.locator("body").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#tab-operations")).to_be_focused()


def test_focus_stays_in_the_card_after_committing_with_enter(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    page = open_context().new_page()
    take_seat(page, game.link("Arvenia"))
    expect(page.locator("#connection")).to_have_text("Live")
    card = page.locator("#op-open-lane")
    # Commit every unit Open Lane takes: the last commit removes the form itself.
    while card.locator("form.commit-form").count():
        before = card.locator("ul.committed li").count()
        card.locator("form.commit-form input[type=checkbox]").first.check()
        card.locator("form.commit-form button").focus()
        page.keyboard.press("Enter")
        expect(card.locator("ul.committed li")).to_have_count(before + 1)
        page.wait_for_function(
            "() => document.activeElement && document.activeElement !== document.body"
        )
        inside = page.evaluate(
            "() => !!document.activeElement.closest('#op-open-lane')"
            " || document.activeElement.id === 'op-open-lane'"
        )
        assert inside, page.evaluate(DESCRIBE)
