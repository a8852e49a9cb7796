"""Two players in two real browsers: fog of war, live updates, a turn resolved, reconnection.

Drives the system Chromium against a real `entente serve` process (see conftest.py).
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.browser.conftest import take_seat

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCENARIO = yaml.safe_load((PROJECT_ROOT / "scenarios" / "meridian-strait.yaml").read_text())
NATIONS = {n["id"]: n for n in SCENARIO["nations"]}
LIVE_TIMEOUT = 2_000  # ms: how quickly another player's page must show a change
SOCKET_PATH = re.compile(r"/games/[^/]+/nations/[^/]+/ws$")


def unit_names(nation_id: str) -> list[str]:
    return [u["name"] for u in NATIONS[nation_id]["units"]]


class Player:
    """One player's page, with the JavaScript errors it raised."""

    def __init__(self, page: Page, nation_id: str) -> None:
        self.page = page
        self.nation_id = nation_id
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))

    @property
    def name(self) -> str:
        return str(NATIONS[self.nation_id]["name"])

    def join(self, link: str) -> None:
        take_seat(self.page, link)
        expect(self.page).to_have_url(
            re.compile(rf"/games/[0-9a-zA-Z_-]+/nations/{self.nation_id}$")
        )
        expect(self.page.locator("#connection")).to_have_text("Live")
        # Marks this document: if the page ever reloads, the marker disappears.
        self.page.evaluate("window.__sameDocument = true")

    @property
    def game_path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)

    def csrf_token(self) -> str:
        headers = json.loads(self.page.get_attribute("body", "hx-headers") or "{}")
        return str(headers["X-CSRF-Token"])

    def commit(self, operation_id: str, *unit_ids: str) -> None:
        card = self.page.locator(f"article.op-card#op-{operation_id}")
        for unit_id in unit_ids:
            card.locator(f"#commit-{operation_id}-{unit_id}").check()
        card.locator("form.commit-form button", has_text="Commit").click()

    def commit_answer(self, operation_id: str) -> Any:
        return self.page.locator(f"#commit-answer-{operation_id}")

    def committed_count(self, nation_id: str) -> Any:
        return self.page.locator(f"#nations td[data-nation={nation_id}]")

    def assert_fog_of_war(self) -> None:
        """The page holds this nation's secrets and nobody else's."""
        content = self.page.content()
        texts = (content, html.unescape(content))
        for other_id, other in NATIONS.items():
            if other_id == self.nation_id:
                continue
            secret = " ".join(other["secret_objective"].split())
            assert not any(secret in t for t in texts), (
                f"{self.name}'s page shows {other['name']}'s secret objective"
            )
            leaked = [u for u in unit_names(other_id) if any(u in t for t in texts)]
            assert not leaked, f"{self.name}'s page names {other['name']}'s units: {leaked}"

    def assert_same_document(self) -> None:
        assert self.page.evaluate("window.__sameDocument === true"), f"{self.name} reloaded"

    def assert_no_script_errors(self) -> None:
        assert not self.page_errors, f"JavaScript errors on {self.name}'s page: {self.page_errors}"


def seat(open_context: Callable[[], Any], game: Any, nation_id: str) -> Player:
    player = Player(open_context().new_page(), nation_id)
    player.join(game.link(NATIONS[nation_id]["name"]))
    return player


def test_two_players_play_a_turn_live(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    arvenia = seat(open_context, game, "arvenia")
    lindmark = seat(open_context, game, "lindmark")

    # Each page shows its own nation and secret objective, and nothing private of others.
    for player in (arvenia, lindmark):
        situation = player.page.locator("#situation")
        expect(situation.locator("h2")).to_have_text(re.compile(rf"^{player.name}\b"))
        secret = " ".join(NATIONS[player.nation_id]["secret_objective"].split())
        expect(situation.locator(".objective.secret")).to_contain_text(secret)
        player.assert_fog_of_war()

    # Arvenia commits its frigates; Lindmark sees the count and a feed entry, live.
    expect(lindmark.committed_count("arvenia")).to_have_text("0")
    started = time.monotonic()
    arvenia.commit("open-lane", "arv-1-frigate-sqn")
    expect(arvenia.commit_answer("open-lane").locator(".ok")).to_have_text(
        "Committed to Operation Open Lane: 1st Frigate Squadron."
    )
    expect(arvenia.page.locator("#op-open-lane ul.committed")).to_contain_text(
        "1st Frigate Squadron"
    )
    expect(lindmark.committed_count("arvenia")).to_have_text("1", timeout=LIVE_TIMEOUT)
    expect(lindmark.page.locator("#feed li").first).to_have_text(
        re.compile(r"Arvenia changed its orders \(1 unit committed\)"), timeout=LIVE_TIMEOUT
    )
    print(f"Lindmark saw Arvenia's commit {time.monotonic() - started:.2f} s after the click")
    lindmark.assert_fog_of_war()  # "changed its orders", never which unit or where

    # Lindmark commits its field hospital; Arvenia sees it live.
    lindmark.commit("saltmarsh-relief", "lin-field-hospital")
    expect(lindmark.commit_answer("saltmarsh-relief")).to_have_text(
        "Committed to Saltmarsh Relief: Role 2 Field Hospital."
    )
    expect(arvenia.committed_count("lindmark")).to_have_text("1", timeout=LIVE_TIMEOUT)
    arvenia.assert_fog_of_war()

    # An empty seat keeps the turn open (its player may be late); Cardosa arrives, ready.
    expect(arvenia.page.locator("#nations")).to_contain_text("seat empty")
    cardosa = seat(open_context, game, "cardosa")
    cardosa.page.locator("#ready-button").click()
    expect(arvenia.page.locator("#nations")).not_to_contain_text("seat empty")
    arvenia.page.locator("#ready-button").click()
    expect(arvenia.page.locator("#order-status")).to_have_text("Orders confirmed.")
    expect(
        lindmark.page.locator("#nations tr", has_text="Arvenia").locator(".tag-ready")
    ).to_be_visible(timeout=LIVE_TIMEOUT)
    lindmark.page.locator("#ready-button").click()

    for player in (arvenia, lindmark):
        page = player.page
        expect(page.locator("#results h2")).to_have_text("Results of turn 1", timeout=LIVE_TIMEOUT)
        outcomes = page.locator("#results details.outcome")
        expect(outcomes).not_to_have_count(0)
        factors = page.locator("#results details.outcome table").first
        expect(factors.locator("tbody tr")).not_to_have_count(0)
        expect(factors).to_contain_text("national caveats")
        expect(page.locator("#clock")).to_contain_text(re.compile(r"Turn\s+2\s+of\s+3"))
        expect(page.locator("#feed li").first).to_contain_text("Turn 1 resolved.")
        expect(page.locator("#ready-button")).to_have_text("Orders complete — ready")
        player.assert_same_document()
        player.assert_fog_of_war()
    arvenia.page.screenshot(path="/tmp/browser-arvenia.png", full_page=True)
    lindmark.page.screenshot(path="/tmp/browser-lindmark.png", full_page=True)

    # Turn 2: a crafted order against Lindmark's "no-combat" caveat is refused, with reasons.
    caveat = re.compile(
        r"Lindmark's national caveat 'no-combat' forbids committing forces "
        r"to Operation Open Lane, a hard-power operation\."
    )
    response = lindmark.page.request.post(
        f"{lindmark.game_path}/orders",
        form={"kind": "commit", "unit_id": "lin-engineer-coy", "operation_id": "open-lane"},
        headers={"X-CSRF-Token": lindmark.csrf_token(), "HX-Request": "true"},
    )
    assert response.ok, response.status
    assert caveat.search(html.unescape(response.text())), response.text()
    api = lindmark.page.request.post(
        f"/api{lindmark.game_path}/actions",
        data={"kind": "commit", "unit_id": "lin-engineer-coy", "operation_id": "open-lane"},
    )
    assert api.status == 422 and api.json()["code"] == "caveat", (api.status, api.text())

    # The same order sent from the page (a tampered form) shows the refusal in the UI.
    relief = lindmark.page.locator("#op-saltmarsh-relief form.commit-form")
    relief.locator("input[name=operation_id]").evaluate("el => el.value = 'open-lane'")
    lindmark.commit("saltmarsh-relief", "lin-engineer-coy")
    answer = lindmark.commit_answer("saltmarsh-relief")
    expect(answer.locator(".rejected")).to_have_text(
        re.compile(r"^Water and Shelter Engineer Company not committed: " + caveat.pattern)
    )
    expect(answer.locator(".ok")).to_have_count(0)
    # The refused unit stays chosen, ready to be sent again.
    expect(lindmark.page.locator("#commit-saltmarsh-relief-lin-engineer-coy")).to_be_checked()
    expect(arvenia.committed_count("lindmark")).to_have_text("0")

    # ...and the page still works: a legal order goes through and reaches Arvenia live.
    relief.locator("input[name=operation_id]").evaluate("el => el.value = 'saltmarsh-relief'")
    lindmark.commit("saltmarsh-relief")  # the engineers are still ticked
    expect(answer).to_have_text(
        "Committed to Saltmarsh Relief: Water and Shelter Engineer Company."
    )
    expect(answer.locator(".rejected")).to_have_count(0)
    expect(arvenia.committed_count("lindmark")).to_have_text("1", timeout=LIVE_TIMEOUT)
    for player in (arvenia, lindmark):
        player.assert_same_document()
        player.assert_no_script_errors()
        print(f"{player.name} console errors: {player.console_errors}")


def test_two_units_committed_at_once_reach_the_other_player(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    game = new_game()
    arvenia = seat(open_context, game, "arvenia")
    lindmark = seat(open_context, game, "lindmark")
    card = arvenia.page.locator("#op-open-lane")
    expect(card.locator("form.commit-form input[type=checkbox]:checked")).to_have_count(0)
    arvenia.commit("open-lane", "arv-1-frigate-sqn", "arv-air-wing")
    expect(arvenia.commit_answer("open-lane")).to_have_text(
        "Committed to Operation Open Lane: 1st Frigate Squadron, Expeditionary Air Wing."
    )
    expect(card.locator("ul.committed li")).to_have_count(2)
    # The committed units leave the form; the others are offered, none of them ticked.
    expect(card.locator("#commit-open-lane-arv-1-frigate-sqn")).to_have_count(0)
    expect(card.locator("form.commit-form input[type=checkbox]:checked")).to_have_count(0)
    expect(lindmark.committed_count("arvenia")).to_have_text("2", timeout=LIVE_TIMEOUT)
    # The answer outlives the live update the commit caused, in the card it belongs to.
    expect(arvenia.commit_answer("open-lane")).to_contain_text("Expeditionary Air Wing")
    for player in (arvenia, lindmark):
        player.assert_no_script_errors()


def test_page_resynchronises_after_losing_its_socket(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    """A dropped socket reconnects and catches up on what happened while it was down.

    Arvenia's websocket is routed through Playwright so the test can break it the way a
    network drop does (close code 1006, which htmx-ext-ws retries) and hold reconnection
    attempts off while Cardosa acts. Every connection that is let through is a real one
    to the server, made by the page.
    """
    game = new_game()
    gate = {"open": True}
    connections: list[WebSocketRoute] = []
    refused: list[str] = []

    def route_socket(ws: WebSocketRoute) -> None:
        if not gate["open"]:
            refused.append(ws.url)
            ws.on_close(lambda code, reason: None)
            ws.close(code=1006, reason="")  # as a connection to an unreachable host ends
            return
        server = ws.connect_to_server()
        # A page-side 1006 cannot be sent to a server; close that side normally instead.
        ws.on_close(lambda code, reason: server.close())
        connections.append(ws)

    arvenia = Player(open_context().new_page(), "arvenia")
    arvenia.page.route_web_socket(SOCKET_PATH, route_socket)
    arvenia.join(game.link("Arvenia"))
    cardosa = seat(open_context, game, "cardosa")
    expect(arvenia.page.locator("#nations tr", has_text="Cardosa")).not_to_contain_text(
        "seat empty", timeout=LIVE_TIMEOUT
    )
    assert len(connections) == 1

    # The network drops; the page says so and keeps trying.
    gate["open"] = False
    connections[0].close(code=1006, reason="")
    expect(arvenia.page.locator("#connection")).to_have_text("Reconnecting…")
    deadline = time.monotonic() + 5
    while not refused and time.monotonic() < deadline:
        arvenia.page.wait_for_timeout(50)
    assert refused, "the page did not try to reconnect within 5 s of an abnormal close"

    # Meanwhile Cardosa commits a unit and declares ready; Arvenia cannot see it yet.
    cardosa.commit("saltmarsh-relief", "car-helo-group")
    expect(cardosa.commit_answer("saltmarsh-relief")).to_contain_text(
        "Committed to Saltmarsh Relief:"
    )
    cardosa.page.locator("#ready-button").click()
    expect(cardosa.page.locator("#order-status")).to_have_text("Orders confirmed.")
    arvenia.page.wait_for_timeout(300)
    expect(arvenia.committed_count("cardosa")).to_have_text("0")

    # The network comes back: the next attempt connects and the snapshot catches up.
    gate["open"] = True
    started = time.monotonic()
    expect(arvenia.page.locator("#connection")).to_have_text("Live", timeout=10_000)
    print(
        f"Arvenia was live again {time.monotonic() - started:.2f} s after the network "
        f"returned ({len(refused)} refused attempt(s))"
    )
    expect(arvenia.committed_count("cardosa")).to_have_text("1")
    expect(
        arvenia.page.locator("#nations tr", has_text="Cardosa").locator(".tag-ready")
    ).to_be_visible()
    feed = arvenia.page.locator("#feed")
    expect(feed).to_contain_text("Cardosa changed its orders (1 unit committed).")
    expect(feed).to_contain_text("Cardosa is ready.")
    arvenia.assert_fog_of_war()
    assert len(connections) == 2

    # The new socket carries live updates again.
    cardosa.commit("saltmarsh-relief", "car-maritime-patrol")
    expect(arvenia.committed_count("cardosa")).to_have_text("2", timeout=LIVE_TIMEOUT)
    expect(
        arvenia.page.locator("#nations tr", has_text="Cardosa").locator(".tag-ready")
    ).to_have_count(0, timeout=LIVE_TIMEOUT)
    arvenia.assert_same_document()
    arvenia.assert_no_script_errors()
    cardosa.assert_no_script_errors()


def test_a_choice_not_yet_sent_survives_a_live_update(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    """Ticking units in one operation's form, then committing another unit elsewhere,
    re-renders the operations board; the ticks are still there afterwards."""
    game = new_game()
    arvenia = seat(open_context, game, "arvenia")
    choice = arvenia.page.locator("#commit-open-lane-arv-air-wing")
    choice.check()
    also = arvenia.page.locator("#commit-open-lane-arv-airlift-group")
    also.check()
    arvenia.commit("saltmarsh-relief", "arv-isr-det")
    expect(arvenia.page.locator("#op-saltmarsh-relief ul.committed")).to_contain_text(
        "ISR Detachment"
    )
    # The board was replaced (the ISR detachment is no longer offered to Open Lane)...
    expect(arvenia.page.locator("#commit-open-lane-arv-isr-det")).to_have_count(0)
    # ...and the units ticked for Open Lane are still ticked, the others not.
    expect(choice).to_be_checked()
    expect(also).to_be_checked()
    expect(arvenia.page.locator("#commit-open-lane-arv-1-frigate-sqn")).not_to_be_checked()
    arvenia.assert_no_script_errors()


def test_a_sent_message_survives_a_slower_channel_view(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    """A channel view read before a message was stored, but answered after the message's
    own answer, must not wipe the message from the list: the page fetches what it lacks."""
    game = new_game()
    arvenia = seat(open_context, game, "arvenia")
    page = arvenia.page
    page.locator("#tab-negotiation").click()
    held: list[tuple[Any, Any]] = []

    def hold(route: Any) -> None:
        held.append((route, route.fetch()))  # read now, answer later

    page.route(re.compile(r"/talks/channels/[^/?]+$"), hold)
    page.locator("#negotiation .channel-link", has_text="Plenary").click()
    deadline = time.monotonic() + 5
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert held, "the channel view was never requested"

    text = "Arvenia calls the plenary to order."
    page.locator("#channel-view textarea").fill(text)
    page.locator("#channel-view button[type=submit]").click()
    expect(page.locator("#message-list")).to_contain_text(text)
    expect(page.locator("#negotiation [data-channel-total='1']")).to_have_count(1)

    route, response = held[0]
    route.fulfill(response=response)  # the stale view (no messages) lands now
    page.unroute(re.compile(r"/talks/channels/[^/?]+$"))
    expect(page.locator("#message-list")).to_contain_text(text, timeout=LIVE_TIMEOUT)
    arvenia.assert_no_script_errors()


def test_what_a_player_is_choosing_or_typing_survives_another_players_update(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    """Other players' orders and messages update the page live while this player has a
    unit picked in a focused order form, then a message half typed: the pick, the text,
    the caret and the focus are all still there afterwards."""
    game = new_game()
    arvenia = seat(open_context, game, "arvenia")
    teammate = seat(open_context, game, "arvenia")  # the same seat at another screen
    cardosa = seat(open_context, game, "cardosa")
    page = arvenia.page

    # An order form: a unit ticked for Open Lane, not sent, its box still focused...
    choice = page.locator("#commit-open-lane-arv-air-wing")
    choice.focus()
    page.keyboard.press("Space")
    expect(choice).to_be_checked()
    expect(choice).to_be_focused()
    # ...when the teammate commits the ISR detachment elsewhere, which redraws the board.
    teammate.commit("saltmarsh-relief", "arv-isr-det")
    expect(page.locator("#op-saltmarsh-relief ul.committed")).to_contain_text(
        "ISR Detachment", timeout=LIVE_TIMEOUT
    )
    expect(page.locator("#commit-open-lane-arv-isr-det")).to_have_count(0)
    expect(choice).to_be_checked()
    expect(choice).to_be_focused()

    # A message half typed in the plenary...
    page.locator("#tab-negotiation").click()
    expect(page.locator("#channel-view h3")).to_have_text("Plenary")
    box = page.locator("#message-text")
    box.click()
    page.keyboard.type("We offer the air wing if")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # the caret before "if"
    # ...when Cardosa's message arrives: the channel list is updated and the message shown.
    cardosa.page.locator("#tab-negotiation").click()
    expect(cardosa.page.locator("#channel-view h3")).to_have_text("Plenary")
    cardosa.page.locator("#message-text").fill("Cardosa's flotilla sails tonight.")
    cardosa.page.locator("#message-form button[type=submit]").click()
    expect(page.locator("#message-list")).to_contain_text(
        "Cardosa's flotilla sails tonight.", timeout=LIVE_TIMEOUT
    )
    expect(box).to_have_value("We offer the air wing if")
    expect(box).to_be_focused()
    assert box.evaluate("el => [el.selectionStart, el.selectionEnd]") == [22, 22]
    page.keyboard.type("asked ")  # typing goes on where it was
    expect(box).to_have_value("We offer the air wing asked if")
    arvenia.assert_same_document()
    for player in (arvenia, teammate, cardosa):
        player.assert_no_script_errors()
