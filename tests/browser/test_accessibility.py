"""Accessibility: axe-core finds no WCAG 2 A/AA violations on the lobby, a nation's
console (at 1366x768 and on a tablet) and the console showing a turn's results.

axe-core is vendored under tests/browser/vendor/ (pinned, checksummed by
scripts/vendor_static.py) and injected into the page by the test; players never load it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import take_seat
from tests.browser.helpers import assert_clean

pytestmark = pytest.mark.browser


def test_lobby_and_console_have_no_wcag_violations(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    context = open_context()
    page = context.new_page()
    page.set_viewport_size({"width": 1366, "height": 768})
    take_seat(page, game.link("Arvenia"))
    expect(page.locator("#connection")).to_have_text("Live")
    assert_clean(page, "the console at 1366x768")
    page.locator("#tab-negotiation").click()
    page.locator("#proposal-composer summary").click()
    expect(page.locator("#proposal-kind")).to_be_visible()
    assert_clean(page, "the negotiation view with the proposal composer open")

    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet, portrait
    assert_clean(page, "the console on a tablet")
    # Nothing is wider than the tablet's screen (no sideways scrolling).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.goto("/")
    assert_clean(page, "the lobby")


def test_the_review_of_a_resolved_turn_has_no_wcag_violations(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    pages = {}
    for name in ("Arvenia", "Cardosa", "Lindmark"):
        page = open_context().new_page()
        take_seat(page, game.link(name))
        expect(page.locator("#connection")).to_have_text("Live")
        pages[name] = page
    first = pages["Arvenia"].locator("form.commit-form").first
    first.locator("input[type=checkbox]").first.check()
    first.locator("button").click()
    expect(pages["Arvenia"].locator(".commit-answer .ok")).to_have_count(1)
    for page in pages.values():
        page.locator("#ready-button").click()
    arvenia = pages["Arvenia"]
    expect(arvenia.locator("#results h2")).to_have_text("Results of turn 1")
    # The review is in a view of its own; its tab says a new turn's results are there.
    expect(arvenia.locator("#review-badge")).to_be_visible()
    arvenia.locator("#tab-review").click()
    expect(arvenia.locator("#results")).to_be_visible()
    expect(arvenia.locator("#review-badge")).to_be_hidden()
    arvenia.locator("#results details.outcome").first.evaluate("d => d.open = true")
    assert_clean(arvenia, "the console with the results of turn 1")
