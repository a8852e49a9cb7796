"""The console at a laptop's, a landscape tablet's and a portrait tablet's size: the tabs,
the Ready button and the clock are in sight on arrival and still after scrolling to the
bottom, each is the element a click at its centre lands on, nothing is wider than the
screen, and axe-core finds no WCAG 2 A/AA violation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import take_seat
from tests.browser.helpers import assert_clean

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1024, 768), (768, 1024)]
TABS = ["#tab-operations", "#tab-negotiation", "#tab-review", "#tab-briefing"]

# Whether the element is inside the window and is what a click at its centre would hit
# (not clipped, not covered by another panel).
ON_TOP = """e => {
  const r = e.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return false;
  if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) return false;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !!hit && (hit === e || e.contains(hit));
}"""


def assert_in_reach(page: Page, where: str) -> None:
    for selector in [*TABS, "#ready-button", "#clock .countdown"]:
        assert page.locator(selector).evaluate(ON_TOP), f"{selector} is out of reach {where}"


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_tabs_ready_and_clock_are_in_reach(
    width: int, height: int, new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    page = open_context().new_page()
    page.set_viewport_size({"width": width, "height": height})
    take_seat(page, game.link("Arvenia"))
    expect(page.locator("#connection")).to_have_text("Live")

    assert_in_reach(page, "on arrival")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("() => scrollY > 0")
    assert_in_reach(page, "scrolled to the bottom")

    # Every tab is clickable where it is and opens its view.
    for tab in TABS:
        page.locator(tab).click(trial=False)
        expect(page.locator(tab)).to_have_attribute("aria-selected", "true")
        view = page.locator(tab).get_attribute("aria-controls")
        expect(page.locator(f"#{view}")).to_be_visible()
    assert_clean(page, f"the console at {width}x{height}")
    page.locator("#ready-button").click()
    expect(page.locator("#ready-button")).to_have_text("Reopen my orders")
    expect(page.locator("#clock")).to_contain_text("1/")
