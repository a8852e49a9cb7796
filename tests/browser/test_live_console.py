"""Control's console is live: two syndicates with the hold on, two instructors on one
console. The release form appears within a second of the last ready with no reload; a
half-typed feedback and a picked bot personality survive the other instructor's release;
a refusal keeps what was typed and says why next to the button; a seat handed to a bot
asks first and its student's page says so at once; the exercise view follows each
syndicate live."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, running_server, take_seat
from tests.browser.helpers import PASSWORD, assert_clean, sign_in

pytestmark = pytest.mark.browser

LIVE_TIMEOUT = 3_000  # ms: another page showing a change
RELEASE_FORM_WITHIN = 1_000  # ms: the bound, from the last ready to the form
HALF_TYPED = "Escorting without mine countermeasures was a gamble; next time"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own: its exercise and its second instructor would
    otherwise sit in the lists the other control tests pick from."""
    with running_server(tmp_path_factory, "entente-live-console-server") as server:
        yield server


def _sign_in_as(page: Page, email: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/control$"))


def _student(open_context: Callable[[], Any], link: str) -> Page:
    page: Page = open_context().new_page()
    take_seat(page, link)
    expect(page.locator("#connection")).to_have_text("Live")
    return page


def test_two_instructors_run_a_held_turn_live_and_lose_nothing_typed(
    live_server: LiveServer, open_context: Callable[[], Any]
) -> None:
    live_server.cli("scenario", "load")
    ada = open_context().new_page()
    sign_in(ada)
    # A colleague, Grace, who will share the console.
    ada.goto("/control/instructors")
    add = ada.locator("form[action='/control/instructors']")
    add.locator("#display_name").fill("Grace Hopper")
    add.locator("#email").fill("grace@college.example")
    add.locator("#password").fill(PASSWORD)
    add.locator("button[type=submit]").click()
    expect(ada.locator("body")).to_contain_text("grace@college.example")

    # Two syndicates of Meridian Strait, Cardosa a bot, each turn held for control.
    ada.goto("/control")
    ada.select_option("#scenario_id", "meridian-strait")
    expect(ada.locator("#seat_cardosa")).to_be_visible()
    ada.fill("#name", "Live course")
    ada.fill("#syndicates", "2")
    ada.select_option("#seat_cardosa", "dove")
    ada.check("input[name=hold]")
    ada.click("text=Create and print the join sheet")
    expect(ada.locator(".sheet-page")).to_have_count(2)
    rows = ada.locator(".sheet-page").first.locator("tbody tr:not(.observer)")
    links = {
        row.locator("th").inner_text().strip().lower(): row.locator("td.seat-link")
        .inner_text()
        .strip()
        for row in rows.all()
    }

    # Every syndicate at a glance, live, with a link into each console.
    glance = open_context().new_page()
    _sign_in_as(glance, "ada@college.example")
    glance.locator("a", has_text="Every syndicate at a glance").first.click()
    syndicate_1 = glance.locator("tr.glance", has_text="Live course — syndicate 1")
    syndicate_2 = glance.locator("tr.glance", has_text="Live course — syndicate 2")
    for row in (syndicate_1, syndicate_2):
        expect(row).to_contain_text("paused, 5:00")
    console_url = syndicate_1.locator("a.game-link").get_attribute("href")
    assert console_url is not None
    assert_clean(glance, "the exercise view")

    ada.goto(console_url)
    expect(ada.locator("#connection")).to_have_text("Live")
    ada.click("text=Start the clock")
    # The answer is next to the button pressed, not at the top of the page.
    expect(ada.locator("#control-status .control-message")).to_have_text("Clock resumed.")
    expect(ada.locator("#clock")).to_contain_text("Time left")
    expect(syndicate_1.locator(".glance-left")).to_be_visible(timeout=LIVE_TIMEOUT)
    expect(syndicate_2).to_contain_text("paused")

    grace = open_context().new_page()
    _sign_in_as(grace, "grace@college.example")
    grace.goto(console_url)
    expect(grace.locator("#connection")).to_have_text("Live")
    expect(ada.locator("#control-presence")).to_contain_text("Grace Hopper", timeout=LIVE_TIMEOUT)
    expect(grace.locator("#control-presence")).to_contain_text("Ada Lovelace")

    arvenia = _student(open_context, links["arvenia"])
    lindmark = _student(open_context, links["lindmark"])
    card = arvenia.locator("#op-open-lane")
    card.locator("#commit-open-lane-arv-1-frigate-sqn").check()
    card.locator("button", has_text="Commit").click()
    # Control's operations follow the orders with no reload.
    expect(ada.locator("#control-operations")).to_contain_text(
        "Arvenia: 1st Frigate Squadron", timeout=LIVE_TIMEOUT
    )
    arvenia.locator("#ready-button").click()
    expect(lindmark.locator("#nations tr", has_text="Arvenia").locator(".tag-ready")).to_be_visible(
        timeout=LIVE_TIMEOUT
    )
    expect(ada.locator("#seat-arvenia .tag-ready")).to_be_visible(timeout=LIVE_TIMEOUT)
    ada.evaluate("window.__sameDocument = true")  # gone if the console ever reloads
    lindmark.locator("#ready-button").click()
    # Counted from the moment the last ready is recorded (Lindmark's own page shows the
    # turn held, from the same change): the console's push follows within the second.
    expect(lindmark.locator("#clock")).to_contain_text("awaiting control", timeout=LIVE_TIMEOUT)
    expect(ada.locator("#adjudication-form button", has_text="Save and release")).to_be_visible(
        timeout=RELEASE_FORM_WITHIN
    )
    expect(ada.locator("#control-status")).to_contain_text("turn 1 waits for your release")
    expect(grace.locator("#adjudication-form")).to_be_visible(timeout=LIVE_TIMEOUT)
    expect(syndicate_1).to_contain_text("awaiting release", timeout=LIVE_TIMEOUT)

    # Ada is half-way through a feedback and has picked a bot for Lindmark...
    ada.fill("#feedback-arvenia", HALF_TYPED)
    ada.select_option("#bot-lindmark", "hawk")
    # ... while Grace overrides without a reason: refused next to her button, kept.
    grace.locator("#result-open-lane").select_option("partial")
    grace.click("text=Save and release the results of turn 1")
    expect(grace.locator("#adjudication-answer")).to_have_text(
        "Record why control overrides Operation Open Lane."
    )
    expect(grace.locator("#result-open-lane")).to_have_value("partial")
    grace.fill("#reason-open-lane", "Mines the rules do not model slowed the convoy.")
    grace.click("text=Save and release the results of turn 1")
    expect(grace.locator("#adjudication-answer")).to_have_text("Results released.")

    # Ada's console moved on to turn 2 by itself, and kept what she typed and picked.
    expect(ada.locator("#status-heading")).to_contain_text("Turn 2 of", timeout=LIVE_TIMEOUT)
    expect(ada.locator("#control-adjudication")).to_contain_text("No turn waits for adjudication")
    expect(ada.locator("#feedback-arvenia")).to_have_value(HALF_TYPED)
    expect(ada.locator("#bot-lindmark")).to_have_value("hawk")
    expect(syndicate_1.locator("td").nth(0)).to_have_text("2/3", timeout=LIVE_TIMEOUT)
    expect(syndicate_2.locator("td").nth(0)).to_have_text("1/3")
    assert ada.evaluate("window.__sameDocument") is True
    assert_clean(ada, "the console with feedback kept after a release")

    # Handing Lindmark to the bot asks first; declined, nothing changes.
    lindmark_row = ada.locator("#seat-lindmark")
    ada.once("dialog", lambda dialog: dialog.dismiss())
    lindmark_row.locator("button", has_text="Hand to a bot").click()
    expect(lindmark_row).to_contain_text("students")
    ada.once("dialog", lambda dialog: dialog.accept())
    lindmark_row.locator("button", has_text="Hand to a bot").click()
    expect(lindmark_row.locator(".control-message")).to_have_text(
        "The seat is now played by a bot."
    )
    expect(lindmark_row).to_contain_text("bot (hawk)", timeout=LIVE_TIMEOUT)
    expect(lindmark.locator("#seat-notice")).to_contain_text(
        "Control has handed Lindmark to a bot.", timeout=LIVE_TIMEOUT
    )
    expect(arvenia.locator("#seat-notice")).to_be_empty()

    # The open channel follows what is said in it; a message being written stays.
    ada.locator("#control-channels .channel-link", has_text="Plenary").click()
    expect(ada.locator("#control-channel h3")).to_contain_text("Plenary")
    ada.fill("#control-message-text", "Draft to the plenary, not sent yet")
    grace.locator("#control-channels .channel-link", has_text="Plenary").click()
    grace.fill("#control-message-text", "Convoy timings are confirmed for dawn.")
    grace.locator("#control-message-form button[type=submit]").click()
    expect(grace.locator("#control-message-form .control-message")).to_have_text("Message sent.")
    expect(grace.locator("#control-message-text")).to_have_value("")
    expect(ada.locator("#control-channel")).to_contain_text(
        "Convoy timings are confirmed for dawn.", timeout=LIVE_TIMEOUT
    )
    expect(ada.locator("#control-message-text")).to_have_value("Draft to the plenary, not sent yet")
