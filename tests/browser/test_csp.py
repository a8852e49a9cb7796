"""The pages work under the Content-Security-Policy the server sends, and the browser
reports no violation of it: a player's console and an observer's page (live over the
websocket), control's console (signed in, polling), the scenario editor (checking as
one types), the after-action review (with its print button) and /docs (Swagger UI)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.services.access import observer_token
from tests.browser.conftest import LiveServer, running_server, take_seat
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

# Before any script of the page: every CSP violation the document reports, and every
# code htmx was asked to evaluate (allowEval is off, so that would fail silently).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber + " " + (e.sample || ""));
  document.documentElement.dataset.cspViolations = String(window.__cspViolations.length);
});
document.addEventListener("htmx:evalDisallowedError", function (e) {
  window.__cspViolations.push("htmx would evaluate code: " + e.target.outerHTML.slice(0, 99));
});
"""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own: its instructor and games stay out of the others'."""
    with running_server(tmp_path_factory, "entente-csp-server") as server:
        yield server


class Watched:
    """A page whose CSP reports, console messages about the CSP and script errors are kept,
    across the documents it navigates through."""

    def __init__(self, context: Any) -> None:
        context.add_init_script(RECORD_VIOLATIONS)
        self.page: Page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.problems.append(f"console: {message.text}")

    def reported(self) -> list[str]:
        """What the current document reported (read before the test navigates on; the
        console listener keeps what every document logged)."""
        return list(self.page.evaluate("window.__cspViolations || []"))

    def assert_clean(self, what: str) -> None:
        problems = list(dict.fromkeys(self.problems + self.reported()))
        assert problems == [], f"{what}: {len(problems)} distinct, the first: {problems[:5]}"


def test_the_detector_sees_a_violation(
    live_server: LiveServer, open_context: Callable[[], Any]
) -> None:
    """The check below is only worth something if a violation would be caught."""
    watched = Watched(open_context())
    watched.page.goto("/")
    watched.page.evaluate(
        """document.body.insertAdjacentHTML("beforeend", '<i style="color: red">x</i>')"""
    )
    expect(watched.page.locator("html")).to_have_attribute("data-csp-violations", "1")
    assert "style-src" in watched.reported()[0]


def test_every_kind_of_page_works_under_the_csp_without_a_violation(
    live_server: LiveServer, open_context: Callable[[], Any]
) -> None:
    live_server.cli("scenario", "load")
    game = live_server.new_game()

    # Control first: signed in, on the game's console.
    control = Watched(open_context())
    sign_in(control.page)
    control.page.goto(f"/control/games/{game.game_id}")
    expect(control.page.locator("#control-seats")).to_contain_text("Arvenia")

    # A player takes a seat through the join page and goes live over the websocket.
    player = Watched(open_context())
    take_seat(player.page, game.link("Arvenia"))
    expect(player.page.locator("#connection")).to_have_text("Live")
    expect(player.page.locator("#channel-view h3")).to_have_count(1)  # fetched by htmx

    # An observer, on the public view.
    observer = Watched(open_context())
    secret = live_server.env["ENTENTE_SECRET_KEY"]
    observer.page.goto(f"/observe/{game.game_id}/{observer_token(secret, game.game_id)}")
    expect(observer.page.locator("#connection")).to_have_text("Live")
    committed = observer.page.locator("#nations td[data-nation=arvenia]")
    expect(committed).to_have_attribute("data-committed", "0")

    # The player commits a unit: the answer arrives by htmx, the panels by websocket, on
    # both pages; then marks ready, which control's live console shows.
    card = player.page.locator("article.op-card", has=player.page.locator("form.commit-form"))
    card.first.locator("form.commit-form input[type=checkbox]").first.check()
    card.first.locator("form.commit-form button").click()
    expect(card.first.locator(".commit-answer")).to_contain_text("Committed to")
    expect(committed).to_have_attribute("data-committed", "1")
    expect(player.page.locator("#nations td[data-nation=arvenia]")).to_have_attribute(
        "data-committed", "1"
    )
    player.page.locator("#ready-button").click()
    expect(player.page.locator("#ready-button")).to_have_text("Reopen my orders")
    arvenia_row = control.page.locator("#control-seats tr", has_text="Arvenia")
    expect(arvenia_row.locator(".tag-ready")).to_be_visible()
    # The console is live over its own websocket: a choice being made in it stays when
    # the next change arrives (morphed in place), and so does the focus.
    control.page.locator("#bot-cardosa").select_option("hawk")
    control.page.locator("#bot-cardosa").focus()
    player.page.locator("#ready-button").click()
    expect(player.page.locator("#ready-button")).to_have_text("Orders complete — ready")
    expect(arvenia_row.locator(".tag-ready")).to_have_count(0)
    expect(control.page.locator("#bot-cardosa")).to_have_value("hawk")
    expect(control.page.locator("#bot-cardosa")).to_be_focused()
    for watched, what in ((player, "the player's console"), (observer, "the observer's page")):
        expect(watched.page.locator(".theatre .region text").first).to_be_visible()
        watched.assert_clean(what)
    control.assert_clean("control's console")

    # The after-action review: charts drawn, and its print button prints.
    control.page.goto(f"/control/games/{game.game_id}/aar")
    expect(control.page.locator("#chart-escalation svg.chart-svg")).to_be_visible()
    control.page.evaluate(
        "window.print = function () { document.documentElement.dataset.printed = 'yes'; }"
    )
    control.page.locator("[data-print]").first.click()
    expect(control.page.locator("html")).to_have_attribute("data-printed", "yes")
    control.assert_clean("the after-action review")

    # The scenario editor, from this game: htmx checks the text as it is typed, and
    # library.js follows the caret.
    control.page.goto(f"/control/scenarios/from-game/{game.game_id}")
    source = control.page.locator("#source")
    source.press("Control+End")
    source.type("\nnot_a_field: [")
    expect(control.page.locator("#check-result")).to_contain_text("line")
    expect(control.page.locator("#cursor-position")).to_contain_text("Line")
    # The field help beside it, and the map drawn by library.js from the text.
    expect(control.page.locator("#field-help h3")).to_be_visible()
    control.page.click("[data-guided=map]")
    expect(control.page.locator("#map-canvas circle").first).to_be_visible()
    control.assert_clean("the scenario editor")

    # The field reference, generated from the schema.
    control.page.goto("/scenarios/reference")
    expect(control.page.locator("#ref-nations")).to_be_visible()
    control.assert_clean("the field reference")

    # The scenario's preview: its map of the theatre.
    control.page.goto("/control/scenarios/meridian-strait")
    expect(control.page.locator(".theatre .region").first).to_be_visible()
    control.assert_clean("the scenario preview")

    # /docs: Swagger UI, started from static/docs.js, renders the API.
    control.page.goto("/docs")
    expect(control.page.locator(".swagger-ui .info .title")).to_contain_text("Entente")
    expect(control.page.locator(".opblock").first).to_be_visible()
    control.assert_clean("/docs")
