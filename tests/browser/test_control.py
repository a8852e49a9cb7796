"""The white cell in a real browser: first run and sign-in, two syndicates with a bot seat,
a held turn overridden and released, a live inject reaching a player's page, exports; an
ended game downloaded, archived and deleted."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, take_seat
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

LIVE_TIMEOUT = 3_000


def test_control_sets_up_syndicates_holds_a_turn_and_injects_live(
    live_server: LiveServer, open_context: Callable[[], Any]
) -> None:
    live_server.cli("scenario", "load")  # the library, as `make run` loads it
    page = open_context().new_page()
    # Before signing in, control pages send the browser to the sign-in (or first-run) page.
    page.goto("/control/games/anything")
    expect(page).to_have_url(re.compile(r"/(login|setup)"))
    sign_in(page)

    # Two syndicates of Meridian Strait, Cardosa played by a bot, each turn held.
    page.select_option("#scenario_id", "meridian-strait")
    expect(page.locator("#seat_cardosa")).to_be_visible()
    page.fill("#name", "Browser course")
    page.fill("#syndicates", "2")
    page.select_option("#seat_cardosa", "dove")
    page.check("input[name=hold]")
    page.click("text=Create and print the join sheet")
    expect(page.locator(".sheet-page")).to_have_count(2)
    expect(page.locator(".sheet-page h1").first).to_have_text("Browser course — syndicate 1")
    first_sheet = page.locator(".sheet-page").first
    rows = {
        row.locator("th").inner_text().strip().lower(): row
        for row in first_sheet.locator("tbody tr:not(.observer)").all()
    }
    links = {name: row.locator("td.seat-link").inner_text().strip() for name, row in rows.items()}
    assert set(links) == {"arvenia", "cardosa", "lindmark"}, links
    assert "played by a bot (dove)" in links["cardosa"]  # no link handed out for a bot
    assert rows["cardosa"].locator("td.seat-code").count() == 0  # nor a code
    # Each student seat has its link and, next to it, a code to type (grouped 4-4).
    codes = {
        n: rows[n].locator("td.seat-code").inner_text().strip() for n in ("arvenia", "lindmark")
    }
    for name, code in codes.items():
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code), (name, code)
        assert "/join/" in links[name]
    assert codes["arvenia"] != codes["lindmark"]
    page.goto("/control")
    expect(page.locator("table")).to_contain_text("Browser course — syndicate 2")
    page.locator("a.game-link", has_text="syndicate 1").click()
    expect(page.locator("#control-seats")).to_contain_text("bot (dove)")
    # The clock waits for control, so nobody loses time while the links go round.
    expect(page.locator("#control-status")).to_contain_text("Clock paused with 5:00 left")
    page.click("text=Start the clock")
    expect(page.locator(".control-message")).to_have_text("Clock resumed.")
    expect(page.locator("#control-status")).to_contain_text("Orders phase ends in")

    # The students of Arvenia and Lindmark play; the bot has already given its orders.
    students = {}
    for nation in ("arvenia", "lindmark"):
        student = open_context().new_page()
        if nation == "arvenia":
            take_seat(student, links[nation])
        else:  # Lindmark's students type their code on the home page instead
            student.goto("/")
            student.fill("#join-code", "zzzz zzzz")
            student.keyboard.press("Enter")
            expect(student.locator("#join-code-error")).to_contain_text(
                "No seat has the join code ZZZZ-ZZZZ"
            )
            expect(student.locator("#join-code")).to_have_value("zzzz zzzz")
            expect(student.locator("#join-code")).to_be_focused()
            student.fill("#join-code", codes[nation].lower())
            student.keyboard.press("Enter")
            expect(student).to_have_url(re.compile(r"/nations/lindmark$"))
        expect(student.locator("#connection")).to_have_text("Live")
        students[nation] = student
    arvenia, lindmark = students["arvenia"], students["lindmark"]

    # A live inject to Lindmark alone reaches its page over the websocket.
    page.fill("#inject-title", "Dock strike")
    page.fill("#inject-text", "Port Calder's dockers walk out at dawn.")
    page.check("input[name=to_lindmark]")
    page.click("text=Send the inject")
    expect(page.locator(".control-message")).to_have_text("Inject sent.")
    expect(lindmark.locator("#feed")).to_contain_text(
        "Dock strike (to you only): Port Calder's dockers walk out at dawn.", timeout=LIVE_TIMEOUT
    )
    expect(arvenia.locator("#feed")).not_to_contain_text("Dock strike")

    # Orders in, everyone ready: the turn waits for control.
    card = arvenia.locator("#op-open-lane")
    card.locator("#commit-open-lane-arv-1-frigate-sqn").check()
    card.locator("button", has_text="Commit").click()
    expect(card.locator(".commit-answer")).to_have_text(
        "Committed to Operation Open Lane: 1st Frigate Squadron."
    )
    arvenia.locator("#ready-button").click()
    # Lindmark clicks once Arvenia's readiness has reached its page: a click landing while
    # that live update replaces the button would be lost between the two elements.
    expect(lindmark.locator("#nations tr", has_text="Arvenia").locator(".tag-ready")).to_be_visible(
        timeout=LIVE_TIMEOUT
    )
    lindmark.locator("#ready-button").click()
    for student in (arvenia, lindmark):
        expect(student.locator("#clock")).to_contain_text("awaiting control", timeout=LIVE_TIMEOUT)
    # The console shows the held turn by itself (no reload).
    expect(page.locator("#adjudication-heading")).to_have_text(
        "Adjudication of turn 1", timeout=LIVE_TIMEOUT
    )
    adj = page.locator("#adj-open-lane")
    expect(adj.locator("table")).to_contain_text("capability match")

    # Override with a reason and feedback to Arvenia in one form; a missing reason is
    # refused with everything typed kept; then save and release.
    adj.locator("select[name^=result_]").select_option("partial")
    page.fill("#feedback-arvenia", "Escort without mine countermeasures is a gamble.")
    page.click("text=Save and release the results of turn 1")
    expect(page.locator(".control-message")).to_have_text(
        "Record why control overrides Operation Open Lane."
    )
    expect(page.locator("#feedback-arvenia")).to_have_value(
        "Escort without mine countermeasures is a gamble."
    )
    expect(page.locator("#result-open-lane")).to_have_value("partial")
    page.fill("#reason-open-lane", "Mines the rules do not model slowed the convoy.")
    page.click("text=Save and release the results of turn 1")
    expect(page.locator(".control-message")).to_have_text("Results released.")

    expect(arvenia.locator("#results h2")).to_have_text("Results of turn 1", timeout=LIVE_TIMEOUT)
    open_lane = arvenia.locator("#results details.outcome", has_text="Operation Open Lane")
    expect(open_lane.locator(".tag")).to_have_text("partial")
    expect(open_lane).to_contain_text("Mines the rules do not model slowed the convoy.")
    expect(arvenia.locator("#feed")).to_contain_text("a gamble", timeout=LIVE_TIMEOUT)
    expect(lindmark.locator("#feed")).to_contain_text("Turn 1 resolved.")
    expect(lindmark.locator("#feed")).not_to_contain_text("a gamble")

    # The record downloads as CSV, every row with its turn.
    with page.expect_download() as download:
        page.locator("a[href$='/export/outcomes.csv']").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("turn,") and "open-lane" in text
    with page.expect_download() as download:
        page.locator("a[href$='/export/events.json']").click()
    assert '"turn": 1' in download.value.path().read_text(encoding="utf-8")


def test_an_instructor_authors_a_scenario_fixes_its_error_and_saves_it(
    live_server: LiveServer, open_context: Callable[[], Any]
) -> None:
    page = open_context().new_page()
    sign_in(page)
    page.goto("/control/scenarios/new")
    source = page.locator("#source")
    text = source.input_value()
    assert "id: my-scenario" in text and "turns: 4" in text
    broken = text.replace("id: my-scenario", "id: browser-drill").replace("turns: 4", "turns: lots")
    line = next(i for i, row in enumerate(broken.splitlines(), start=1) if row == "turns: lots")

    # Typing checks the text: the error names its line and field.
    source.fill(broken)
    source.press("End")  # a keystroke: the check runs as the author types
    result = page.locator("#check-result")
    expect(result).to_contain_text("1 error")
    expect(result).to_contain_text(f"line {line}")
    expect(result).to_contain_text("turns")

    # Saving anyway is refused, and nothing typed is lost.
    page.click("text=Save as new version")
    expect(page.locator(".form-error").first).to_be_visible()
    assert "turns: lots" in page.locator("#source").input_value()

    # Fixed, it checks valid and saves as a new scenario.
    page.locator("#source").fill(broken.replace("turns: lots", "turns: 3"))
    page.locator("#source").press("End")
    expect(page.locator("#check-result")).to_contain_text("Valid")
    expect(page.locator("#check-result")).to_contain_text("new scenario")
    page.click("text=Save as new version")
    expect(page).to_have_url(re.compile(r"/control/scenarios/browser-drill/versions/1"))
    page.goto("/control")
    expect(page.locator("#scenario_id")).to_contain_text("My scenario")


def test_an_ended_game_is_downloaded_archived_and_deleted(
    live_server: LiveServer, open_context: Callable[[], Any], new_game: Callable[[], Any]
) -> None:
    game_id = new_game().game_id
    page = open_context().new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "End the exercise now?"
    sign_in(page)
    page.goto(f"/control/games/{game_id}")
    page.click("text=End the exercise")
    expect(page.locator(".control-message")).to_contain_text("The exercise has ended")

    # The whole game downloads as the document `entente import` reads.
    with page.expect_download() as download:
        page.locator("#exports-heading ~ p a[href$='/download']").click()
    assert download.value.suggested_filename.endswith(f"-{game_id[:8]}.json")
    assert '"format": "entente-game"' in download.value.path().read_text(encoding="utf-8")

    # Archived, it leaves the control home's main list for the folded "Archived" one.
    page.click("button:text-is('Archive')")
    expect(page.locator(".control-message")).to_contain_text("Archived")
    page.goto("/control")
    console_link = f"a.game-link[href='/control/games/{game_id}']"
    archived = page.locator("details.archived-games")
    expect(page.locator(f"#exercises-heading ~ table {console_link}")).to_have_count(0)
    expect(archived.locator(console_link)).to_be_hidden()  # folded away
    archived.locator("summary").click()
    archived.locator(console_link).click()

    # A wrong name is refused; the game's own name, as the form shows it, deletes it.
    name = page.locator("label[for=delete-name] strong").inner_text()
    page.fill("#delete-name", "not its name")
    page.click("text=Delete the game for good")
    expect(page.locator(".control-message")).to_contain_text("That is not the name of this game")
    page.fill("#delete-name", name)
    page.click("text=Delete the game for good")
    expect(page).to_have_url(re.compile(r"/control$"))
    expect(page.locator(f"a[href='/control/games/{game_id}']")).to_have_count(0)
