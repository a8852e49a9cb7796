"""The staff estimate in a real browser: a student asks for an estimate of its orders,
follows it to the result, changes a unit in the what-if and reads the comparison; the
page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import take_seat
from tests.browser.helpers import assert_clean

pytestmark = pytest.mark.browser


def test_a_student_estimates_orders_and_compares_a_what_if(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    page: Page = open_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    take_seat(page, game.link("Arvenia"))
    expect(page.locator("#connection")).to_have_text("Live")

    page.click("a.estimate-link")
    expect(page.locator("h1")).to_contain_text("Staff estimate")
    page.get_by_role("button", name="Estimate", exact=True).click()
    result = page.locator("#estimate-result")
    # The progress bar gives way to the result once the worker pool has played the games.
    expect(result.locator(".estimate-meta")).to_contain_text("200 games", timeout=60_000)
    expect(result.locator("tbody tr")).not_to_have_count(0)

    page.select_option("#draft-arv-1-frigate-sqn", "open-lane")
    page.get_by_role("button", name="Compare with my current orders").click()
    expect(result.get_by_role("columnheader", name="Draft: success")).to_be_visible(timeout=60_000)
    lane = result.locator("tbody tr", has_text="Open Lane")
    expect(lane.locator(".tag")).to_have_text("your forces")
    expect(lane).to_contain_text("points")
    assert_clean(page, "the staff estimate with a what-if")
    assert errors == []
