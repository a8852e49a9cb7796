"""The after-action review in a real browser: two syndicates with bot seats, one of which
plays two turns; the review's charts drawn, the replay followed, the print layout without
bars and buttons, the comparison of syndicates; axe-core finds no WCAG 2 A/AA violations
on either page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, running_server
from tests.browser.helpers import assert_clean, sign_in

pytestmark = pytest.mark.browser

CHARTS = ("escalation", "cohesion", "support", "trust", "burden")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own: the syndicates set up here would otherwise sit in
    the lists the other control tests pick their games from."""
    with running_server(tmp_path_factory, "entente-aar-server") as server:
        yield server


def _end_phase(page: Page, turn: int) -> None:
    """End `turn`'s orders phase and wait until the console shows the next turn: the
    message alone is still on screen from the press before, and a press on a button
    drawn for the old turn is refused as stale."""
    expect(page.locator("#status-heading")).to_contain_text(f"Turn {turn} of")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=End the phase now")
    expect(page.locator("#status-heading")).to_contain_text(f"Turn {turn + 1} of")
    expect(page.locator(".control-message")).to_have_text("Orders phase ended.")


def test_the_review_and_the_comparison_of_syndicates(
    live_server: LiveServer, open_context: Callable[[], Any]
) -> None:
    live_server.cli("scenario", "load")
    page = open_context().new_page()
    sign_in(page)
    page.select_option("#scenario_id", "meridian-strait")
    expect(page.locator("#seat_cardosa")).to_be_visible()
    page.fill("#name", "Review course")
    page.fill("#syndicates", "2")
    page.select_option("#seat_arvenia", "cooperative")
    page.select_option("#seat_lindmark", "hawk")
    page.click("text=Create and print the join sheet")
    expect(page.locator(".sheet-page")).to_have_count(2)

    # Syndicate 1 plays two turns; control ends each orders phase.
    page.goto("/control")
    page.locator("a.game-link", has_text="Review course — syndicate 1").click()
    for turn in (1, 2):
        _end_phase(page, turn)
    review_link = page.locator("a", has_text="After-action review")
    review_link.click()
    expect(page.locator("h1")).to_have_text("After-action review")
    expect(page.locator(".aar-game")).to_have_text("Review course — syndicate 1")
    for chart in CHARTS:
        figure = page.locator(f"#chart-{chart}")
        expect(figure.locator("figcaption")).to_be_visible()
        if chart != "cohesion":  # the bots may or may not have formed a coalition
            expect(figure.locator("svg.chart-svg")).to_be_visible()
            expect(figure.locator(".chart-legend li").first).to_be_visible()
    escalation = page.locator("#chart-escalation svg.chart-svg")
    box = escalation.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 120
    expect(escalation.locator("circle")).to_have_count(3)  # turns 1, 2 and 3 as they opened
    page.locator("#chart-escalation details summary").click()
    expect(page.locator("#chart-escalation table")).to_contain_text("Turn 3")
    expect(page.locator("#scorecards")).to_contain_text("Commit to no hard-power operation.")
    expect(page.locator("#timeline")).to_contain_text("Turn 2 resolved.")
    assert_clean(page, "the after-action review")

    # The replay: turn 2 as it opened, then a step forward.
    page.locator(".replay-nav a", has_text="Turn 2").click()
    expect(page).to_have_url(re.compile(r"\?turn=2#replay$"))
    expect(page.locator("#replay .replay-title")).to_have_text("At the start of turn 2")
    expect(page.locator('.replay-nav a[aria-current="page"]')).to_have_text("Turn 2")
    page.locator(".replay-steps a", has_text="Turn 3").click()
    expect(page.locator("#replay .replay-title")).to_have_text("At the start of turn 3")

    # Printed, the review keeps its charts and drops the bars and buttons.
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("button", has_text="Print")).to_be_hidden()
    expect(page.locator("#chart-support svg.chart-svg")).to_be_visible()
    # A cover on a page of its own, then the report's pages (header and page numbers in
    # their margin boxes), and every turn of the replay, not only the one on screen.
    cover = page.locator(".print-cover")
    expect(cover).to_be_visible()
    expect(cover).to_contain_text("Printed")
    assert cover.evaluate("c => getComputedStyle(c).breakAfter") == "page"
    assert page.locator("main.aar").evaluate("m => getComputedStyle(m).page") == "report"
    expect(page.locator("#replay")).to_be_hidden()
    printed = page.locator(".replay-print-turn .replay-title")
    expect(printed).to_have_text(
        ["At the start of turn 1", "At the start of turn 2", "At the start of turn 3"]
    )
    page.emulate_media(media="screen")

    # The syndicates side by side, from the review's button.
    page.locator("a", has_text="Compare the 2 syndicates").click()
    expect(page.locator("h1")).to_have_text("Syndicates compared")
    table = page.locator(".compare-table")
    expect(table.locator("thead")).to_contain_text("Syndicate 1")
    expect(table.locator("thead")).to_contain_text("Syndicate 2")
    expect(table).to_contain_text("3 of 3")
    overlay = page.locator("#chart-compare-escalation svg.chart-svg")
    expect(overlay).to_be_visible()
    expect(overlay.locator("g.series")).to_have_count(2)
    assert_clean(page, "the comparison of syndicates")
