"""Three players, three browsers, two full turns of the Meridian Strait, and no leaks.

Arvenia, Lindmark and Cardosa each play in their own browser context against a real
`entente serve` process (see conftest.py): they talk in a private channel and in the
plenary, negotiate a cost-sharing deal (proposed, countered, signed), commit units on the
operations board, have an illegal order refused in place, mark themselves ready and read
the review of each turn.

While they play, every HTTP response body and every websocket frame each context receives
is kept. The fog of war (app/rules/views.py) is then checked against all of it, not only
against what the page shows at the end: a context must never receive another nation's
secret objective, the messages or name of a channel it is not in, the terms of a deal it
is not party to, or which units another nation committed (views.py makes public only how
many units a nation has committed, and after adjudication the strength it contributed to
each operation; unit names, unit ids and costs stay with their owner). Each context must
also have received its own secrets, so none of these checks can pass vacuously.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Response,
    WebSocket,
    expect,
)

from tests.browser.conftest import take_seat

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCENARIO = yaml.safe_load((PROJECT_ROOT / "scenarios" / "meridian-strait.yaml").read_text())
NATIONS: dict[str, dict[str, Any]] = {n["id"]: n for n in SCENARIO["nations"]}
LIVE_TIMEOUT = 5_000  # ms: how long another player's page may take to show a change
TEXTUAL = re.compile(r"^(text/|application/(json|javascript|xml)|image/svg)")

# Distinctive strings, so that finding one anywhere can only mean it was sent there.
PRIVATE_CHANNEL = "Harbour Lantern backchannel"
ARVENIA_TO_LINDMARK = "lantern-7Q: Arvenia escorts the Port Calder convoy at dawn."
LINDMARK_TO_ARVENIA = "lantern-9K: Lindmark needs two airlift sorties for the hospital."
PLENARY_MESSAGE = "plenary-4Z: Cardosa asks all partners for a humanitarian corridor."
PROPOSED_TERMS = "Arvenia pays 37% of the other parties' costs on Saltmarsh Relief."
COUNTERED_TERMS = "Arvenia pays 52% of the other parties' costs on Saltmarsh Relief."
CAVEAT = re.compile(
    r"Lindmark's national caveat 'no-combat' forbids committing forces "
    r"to Operation Open Lane, a hard-power operation\."
)


def normalise(text: str) -> str:
    return " ".join(html.unescape(text).split())


def unit_name(unit_id: str) -> str:
    for nation in NATIONS.values():
        for unit in nation["units"]:
            if unit["id"] == unit_id:
                return str(unit["name"])
    raise KeyError(unit_id)


def secret_texts(nation_id: str) -> list[str]:
    """A nation's secret objective, and the texts of its secret scored objectives."""
    nation = NATIONS[nation_id]
    texts = [normalise(nation["secret_objective"])]
    texts += [normalise(o["text"]) for o in nation.get("objectives", []) if o.get("secret")]
    return texts


@dataclass
class Capture:
    """Everything one browser context received: response bodies and websocket frames."""

    bodies: list[tuple[str, str]] = field(default_factory=list)  # (url, text)
    frames: list[str] = field(default_factory=list)
    statuses: list[tuple[int, str]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def on_response(self, response: Response) -> None:
        self.statuses.append((response.status, response.url))
        if 300 <= response.status < 400:
            return  # a redirect has no body to read
        if not TEXTUAL.match(response.headers.get("content-type", "")):
            return
        try:
            self.bodies.append((response.url, response.text()))
        except Error as error:  # e.g. the page navigated away before the body arrived
            self.unreadable.append(f"{response.url}: {error}")

    def on_websocket(self, socket: WebSocket) -> None:
        def received(payload: str | bytes) -> None:
            text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
            self.frames.append(text)

        socket.on("framereceived", received)

    def sources(self) -> Iterable[tuple[str, str]]:
        yield from self.bodies
        for index, frame in enumerate(self.frames):
            yield f"websocket frame #{index}", frame


class Player:
    """One nation's seat in its own browser context, with everything it received."""

    def __init__(self, context: BrowserContext, nation_id: str) -> None:
        self.nation_id = nation_id
        self.capture = Capture()
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        context.on("response", self.capture.on_response)
        self.page: Page = context.new_page()
        self.page.on("websocket", self.capture.on_websocket)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    @property
    def name(self) -> str:
        return str(NATIONS[self.nation_id]["name"])

    def join(self, link: str) -> None:
        take_seat(self.page, link)
        expect(self.page).to_have_url(
            re.compile(rf"/games/[0-9a-zA-Z_-]+/nations/{self.nation_id}$")
        )
        expect(self.page.locator("#connection")).to_have_text("Live")
        # The negotiation panel loads its first channel after the page: wait for it.
        expect(self.page.locator("#channel-view h3")).to_have_count(1)
        self.page.evaluate("window.__sameDocument = true")  # gone if the page ever reloads

    def reveal(self, selector: str) -> None:
        """Bring the view holding `selector` to the front, if the page has such views
        (tabs); a page that shows everything at once needs nothing."""
        panel_id = self.page.locator(selector).first.evaluate(
            "el => { const p = el.closest('[role=tabpanel]'); return p && p.hidden ? p.id : ''; }"
        )
        if panel_id:
            self.page.locator(f"[role=tab][aria-controls='{panel_id}']").click()
            expect(self.page.locator(f"#{panel_id}")).to_be_visible()

    # --- orders ---------------------------------------------------------------------------

    def commit(self, operation_id: str, unit_id: str) -> None:
        self.reveal(f"#op-{operation_id}")
        card = self.page.locator(f"#op-{operation_id}")
        card.locator(f"#commit-{operation_id}-{unit_id}").check()
        card.locator("form.commit-form button", has_text="Commit").click()

    def committed(self, operation_id: str, unit_id: str) -> None:
        """Commit from the board and wait for the acknowledgement and the board's update."""
        operation = next(o for o in SCENARIO["operations"] if o["id"] == operation_id)
        self.commit(operation_id, unit_id)
        answer = self.page.locator(f"#commit-answer-{operation_id} .ok")
        expect(answer).to_have_text(f"Committed to {operation['name']}: {unit_name(unit_id)}.")
        expect(self.page.locator(f"#op-{operation_id} ul.committed")).to_contain_text(
            unit_name(unit_id)
        )

    def count_of(self, nation_id: str) -> Any:
        return self.page.locator(f"#nations td[data-nation={nation_id}]")

    def ready(self) -> None:
        button = self.page.locator("#ready-button")
        expect(button).to_have_text("Orders complete — ready")
        button.click()

    # --- talks ----------------------------------------------------------------------------

    def open_channel_view(self, channel_id: str, title: str) -> None:
        """Open a channel and wait for its view to arrive. The view on the page may have
        the same title (the channel was already shown), so it is marked first and the
        wait ends only once the new one has replaced it: a message sent while the old
        view is still there can be wiped from the list by the late swap."""
        self.reveal("#negotiation")
        self.page.locator("#channel-view").evaluate("el => { el.dataset.stale = 'yes'; }")
        self.page.locator(f"#negotiation li[data-channel='{channel_id}'] .channel-link").click()
        expect(self.page.locator("#channel-view:not([data-stale]) h3")).to_have_text(title)

    def send_message(self, text: str) -> None:
        self.reveal("#message-form")
        form = self.page.locator("#message-form")
        form.locator("textarea[name=text]").fill(text)
        form.locator("button", has_text="Send").click()
        expect(self.page.locator("#message-list")).to_contain_text(text)
        expect(self.page.locator("#message-form textarea[name=text]")).to_have_value("")

    # --- checks ---------------------------------------------------------------------------

    def assert_same_document(self) -> None:
        assert self.page.evaluate("window.__sameDocument === true"), f"{self.name} reloaded"


def seat(open_context: Callable[[], Any], game: Any, nation_id: str) -> Player:
    player = Player(open_context(), nation_id)
    player.join(game.link(NATIONS[nation_id]["name"]))
    return player


def find(player: Player, needle: str, *, in_dom: bool = True) -> list[str]:
    """Where `needle` occurs in what the player received (raw, unescaped, normalised)."""
    needle = normalise(needle)
    sources = list(player.capture.sources())
    if in_dom:
        sources.append(("the page's DOM", player.page.content()))
    return [
        where
        for where, text in sources
        if needle in text or needle in html.unescape(text) or needle in normalise(text)
    ]


def assert_fog_of_war(players: list[Player], forbidden: dict[str, list[str]], when: str) -> None:
    """No player has received anything in `forbidden[nation_id]`."""
    leaks = []
    for player in players:
        for needle in forbidden[player.nation_id]:
            for where in find(player, needle):
                leaks.append(f"{player.name} received {needle!r} in {where}")
        # "<Other> committed <unit> to <operation>." is for the owner's feed only.
        for other in NATIONS.values():
            if other["id"] == player.nation_id:
                continue
            pattern = re.compile(rf"\b{other['name']} (committed|withdrew) ")
            for where, text in player.capture.sources():
                if pattern.search(normalise(text)):
                    leaks.append(f"{player.name} received {other['name']}'s orders in {where}")
    assert not leaks, f"fog of war broken {when}:\n" + "\n".join(leaks)


def assert_received(player: Player, needles: Iterable[str], when: str) -> None:
    """The player did get these (through HTTP or its websocket, not only in its DOM)."""
    missing = [n for n in needles if not find(player, n, in_dom=False)]
    assert not missing, f"{player.name} never received {missing} {when}"


def test_three_nations_play_two_turns_without_leaks(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    started = time.monotonic()
    game = new_game()
    arvenia = seat(open_context, game, "arvenia")
    lindmark = seat(open_context, game, "lindmark")
    cardosa = seat(open_context, game, "cardosa")
    players = [arvenia, lindmark, cardosa]
    expect(arvenia.page.locator("#nations")).not_to_contain_text("seat empty", timeout=LIVE_TIMEOUT)

    # What each nation must never receive: the others' secrets and units (names and ids).
    forbidden: dict[str, list[str]] = {}
    for nation_id in NATIONS:
        forbidden[nation_id] = []
        for other_id, other in NATIONS.items():
            if other_id != nation_id:
                forbidden[nation_id] += secret_texts(other_id)
                forbidden[nation_id] += [u["name"] for u in other["units"]]
                forbidden[nation_id] += [u["id"] for u in other["units"]]
    # Cardosa is in neither the Arvenia-Lindmark channel nor their deal.
    forbidden["cardosa"] += [
        PRIVATE_CHANNEL,
        ARVENIA_TO_LINDMARK,
        LINDMARK_TO_ARVENIA,
        PROPOSED_TERMS,
        COUNTERED_TERMS,
    ]

    for player in players:
        situation = player.page.locator("#situation")
        expect(situation.locator("h2")).to_contain_text(player.name)
        expect(situation.locator(".objective.secret")).to_contain_text(
            secret_texts(player.nation_id)[0]
        )
    assert_fog_of_war(players, forbidden, "on joining")

    # --- talks: a private channel between Arvenia and Lindmark ----------------------------
    arvenia.reveal("#new-channel")
    new_channel = arvenia.page.locator("#new-channel")
    new_channel.locator("summary", has_text="Open a new channel").click()
    new_channel.locator("input[name=members][value=lindmark]").check()
    new_channel.locator("input[name=name]").fill(PRIVATE_CHANNEL)
    new_channel.locator("button", has_text="Open channel").click()
    expect(arvenia.page.locator("#new-channel")).to_contain_text(f"Opened {PRIVATE_CHANNEL}.")
    expect(arvenia.page.locator("#channel-view h3")).to_have_text(PRIVATE_CHANNEL)
    private_item = arvenia.page.locator("#negotiation li[data-channel]", has_text=PRIVATE_CHANNEL)
    expect(private_item).to_have_count(1)
    private_id = private_item.get_attribute("data-channel")
    assert private_id, "the new channel has no id on the page"
    arvenia.send_message(ARVENIA_TO_LINDMARK)

    # Lindmark sees the channel appear live, with one unread message, and answers.
    lindmark_item = lindmark.page.locator(f"#negotiation li[data-channel='{private_id}']")
    expect(lindmark_item).to_contain_text(PRIVATE_CHANNEL, timeout=LIVE_TIMEOUT)
    expect(lindmark_item.locator(".unread-n")).to_have_text("1", timeout=LIVE_TIMEOUT)
    lindmark.open_channel_view(private_id, PRIVATE_CHANNEL)
    expect(lindmark.page.locator("#message-list")).to_contain_text(ARVENIA_TO_LINDMARK)
    lindmark.send_message(LINDMARK_TO_ARVENIA)
    # Arvenia has the channel open: the answer is appended there, live (its channel's line
    # came alone, with the new count), and being read there it is not counted unread.
    expect(arvenia.page.locator("#message-list")).to_contain_text(
        LINDMARK_TO_ARVENIA, timeout=LIVE_TIMEOUT
    )
    arvenia_item = arvenia.page.locator(f"#negotiation li[data-channel='{private_id}']")
    expect(arvenia_item).to_have_attribute("data-channel-total", "2")
    expect(arvenia_item.locator(".channel-members")).to_contain_text("2 messages")
    expect(arvenia_item.locator(".unread")).to_be_hidden()
    # Cardosa's channel list has only the plenary.
    expect(cardosa.page.locator("#negotiation li[data-channel]")).to_have_count(1)
    expect(cardosa.page.locator(f"#negotiation li[data-channel='{private_id}']")).to_have_count(0)

    # --- talks: the plenary, which all three share ----------------------------------------
    plenary = cardosa.page.locator("#negotiation li[data-channel]").first
    plenary_id = plenary.get_attribute("data-channel")
    plenary_name = plenary.locator(".channel-name").inner_text()
    assert plenary_id
    cardosa.open_channel_view(plenary_id, plenary_name)
    cardosa.send_message(PLENARY_MESSAGE)
    for player in (arvenia, lindmark):
        item = player.page.locator(f"#negotiation li[data-channel='{plenary_id}']")
        expect(item.locator(".unread-n")).to_have_text("1", timeout=LIVE_TIMEOUT)
        expect(item.locator(".channel-members")).to_contain_text("1 message")
        # The plenary's line came alone over the socket, not the whole channel list.
        assert any(
            f"[data-channel=&#34;{plenary_id}&#34;]" in frame and 'id="negotiation"' not in frame
            for frame in player.capture.frames
        ), f"{player.name} got no line of the plenary alone"
        player.open_channel_view(plenary_id, plenary_name)
        expect(player.page.locator("#message-list")).to_contain_text(PLENARY_MESSAGE)

    # --- a cost-sharing deal: Arvenia proposes, Lindmark counters, Arvenia signs ----------
    arvenia.reveal("#proposal-composer")
    composer = arvenia.page.locator("#proposal-composer")
    composer.locator("summary").click()
    composer.locator("#proposal-kind").select_option("cost_sharing")
    expect(composer.locator("#pf-share")).to_be_visible()
    composer.locator("input[name=parties][value=lindmark]").check()
    composer.locator("#pf-payer").select_option("arvenia")
    composer.locator("#pf-operation_id").select_option("saltmarsh-relief")
    composer.locator("#pf-share").fill("37")
    composer.locator("button", has_text="Propose").click()
    expect(arvenia.page.locator("#proposal-composer .talk-status")).to_contain_text(
        "Proposed: a cost sharing agreement."
    )
    expect(arvenia.page.locator("#agreements")).to_contain_text(PROPOSED_TERMS)

    lindmark.reveal("#agreements")
    offer = lindmark.page.locator("#agreements article.deal", has_text=PROPOSED_TERMS)
    expect(offer).to_contain_text("from Arvenia", timeout=LIVE_TIMEOUT)
    offer.locator("button", has_text="Counter").click()
    counter = lindmark.page.locator("#proposal-composer")
    expect(counter.locator("summary")).to_have_text("Counter Arvenia's cost sharing")
    expect(counter.locator("#pf-share")).to_have_value("37")
    counter.locator("#pf-share").fill("52")
    counter.locator("button", has_text="Send counter-proposal").click()
    expect(lindmark.page.locator("#proposal-composer .talk-status")).to_contain_text(
        "Counter-proposal sent."
    )

    arvenia.reveal("#agreements")
    answer = arvenia.page.locator("#agreements article.deal", has_text=COUNTERED_TERMS)
    expect(answer).to_contain_text("from Lindmark", timeout=LIVE_TIMEOUT)
    answer.locator("button", has_text="Sign").click()
    expect(arvenia.page.locator("#agreement-status")).to_have_text(
        "Signed by every party: the agreement is in force."
    )
    for player in (arvenia, lindmark):
        in_force = player.page.locator("#agreements ul.deal-list li", has_text=COUNTERED_TERMS)
        expect(in_force).to_contain_text("Cost sharing", timeout=LIVE_TIMEOUT)
        expect(in_force).to_contain_text("Arvenia and Lindmark")
        closed = player.page.locator("#agreements ul.closed")
        expect(closed).to_contain_text("countered")
        expect(closed).to_contain_text(PROPOSED_TERMS)
    # Cost sharing is not a public kind of agreement: Cardosa knows nothing of it.
    expect(cardosa.page.locator("#agreements")).to_contain_text("None in force.")
    expect(cardosa.page.locator("#agreements")).not_to_contain_text("Cost sharing")
    assert_fog_of_war(players, forbidden, "after the talks")

    # --- turn 1: orders -------------------------------------------------------------------
    arvenia.committed("open-lane", "arv-1-frigate-sqn")
    arvenia.committed("saltmarsh-relief", "arv-airlift-group")
    lindmark.committed("saltmarsh-relief", "lin-field-hospital")
    cardosa.committed("saltmarsh-relief", "car-helo-group")
    for player in players:
        for nation_id, count in (("arvenia", "2"), ("lindmark", "1"), ("cardosa", "1")):
            expect(player.count_of(nation_id)).to_have_text(count, timeout=LIVE_TIMEOUT)
    # Of others' orders a page shows the count only: no board lists another's units.
    expect(lindmark.page.locator("#op-open-lane ul.committed")).to_have_count(0)
    expect(cardosa.page.locator("#op-open-lane ul.committed")).to_have_count(0)
    own_relief = cardosa.page.locator("#op-saltmarsh-relief ul.committed li")
    expect(own_relief).to_have_count(1)
    expect(own_relief).to_contain_text(unit_name("car-helo-group"))
    expect(cardosa.page.locator("#feed")).to_contain_text(
        "Arvenia changed its orders (2 units committed)."
    )

    # An illegal order, sent from a tampered form, is refused in place with the reason.
    relief_form = lindmark.page.locator("#op-saltmarsh-relief form.commit-form")
    relief_form.locator("input[name=operation_id]").evaluate("el => el.value = 'open-lane'")
    lindmark.commit("saltmarsh-relief", "lin-engineer-coy")
    refusal = lindmark.page.locator("#commit-answer-saltmarsh-relief .rejected")
    expect(refusal).to_contain_text(CAVEAT)
    relief_form.locator("input[name=operation_id]").evaluate("el => el.value = 'saltmarsh-relief'")
    expect(lindmark.page.locator("#op-open-lane ul.committed")).to_have_count(0)
    expect(arvenia.count_of("lindmark")).to_have_text("1")
    assert_fog_of_war(players, forbidden, "during the orders of turn 1")

    # --- turn 1: ready, resolution, review ------------------------------------------------
    all_ready(players)
    check_review(players, turn=1)
    # Contributions are public as strength; the cost stays with the contributor.
    relief = cardosa.page.locator("#results details.outcome", has_text="Saltmarsh Relief")
    contributors = relief.locator("p", has_text="Contributors")
    expect(contributors).to_contain_text(re.compile(r"Arvenia \(strength \d+\)"))
    expect(contributors).to_contain_text(re.compile(r"Lindmark \(strength \d+\)"))
    expect(contributors).to_contain_text(re.compile(r"Cardosa \(strength \d+, cost \d+\)"))
    assert_fog_of_war(players, forbidden, "after turn 1")

    # --- turn 2: orders (one withdrawn again), ready, resolution, review ------------------
    for player in players:
        for nation_id in NATIONS:
            expect(player.count_of(nation_id)).to_have_text("0")
    arvenia.committed("open-lane", "arv-isr-det")
    arvenia.committed("northern-watch", "arv-air-wing")
    lindmark.committed("saltmarsh-relief", "lin-engineer-coy")
    lindmark.committed("saltmarsh-relief", "lin-medevac-flight")
    cardosa.committed("saltmarsh-relief", "car-maritime-patrol")
    cardosa.committed("saltmarsh-relief", "car-coastal-flotilla")
    expect(arvenia.count_of("cardosa")).to_have_text("2", timeout=LIVE_TIMEOUT)
    flotilla = cardosa.page.locator(
        "#op-saltmarsh-relief ul.committed li", has_text=unit_name("car-coastal-flotilla")
    )
    cardosa.reveal("#operations")
    flotilla.locator("button", has_text="Withdraw").click()
    expect(cardosa.page.locator("#order-status")).to_have_text("Unit withdrawn.")
    expect(flotilla).to_have_count(0)
    for player in (arvenia, lindmark):
        expect(player.count_of("cardosa")).to_have_text("1", timeout=LIVE_TIMEOUT)
        expect(player.page.locator("#feed")).to_contain_text(
            "Cardosa changed its orders (1 unit committed)."
        )
    assert_fog_of_war(players, forbidden, "during the orders of turn 2")

    all_ready(players)
    check_review(players, turn=2)
    assert_fog_of_war(players, forbidden, "after turn 2")

    # --- the checks cannot have passed vacuously ------------------------------------------
    for player in players:
        capture = player.capture
        assert capture.bodies, f"no HTTP response body captured for {player.name}"
        assert capture.frames, f"no websocket frame captured for {player.name}"
        assert any("Results of turn 2" in f for f in capture.frames), (
            f"{player.name}'s socket never brought the review of turn 2"
        )
        own = NATIONS[player.nation_id]
        assert_received(
            player,
            [*secret_texts(player.nation_id), *(u["name"] for u in own["units"])],
            "of its own secrets and forces",
        )
        assert_received(player, [PLENARY_MESSAGE], "of the plenary")
    for player in (arvenia, lindmark):
        assert_received(
            player,
            [PRIVATE_CHANNEL, ARVENIA_TO_LINDMARK, LINDMARK_TO_ARVENIA],
            "of its private channel",
        )
        assert_received(player, [PROPOSED_TERMS, COUNTERED_TERMS], "of its own deal")
    assert_received(
        arvenia,
        [f"Arvenia committed {unit_name('arv-1-frigate-sqn')} to Operation Open Lane."],
        "of its own orders",
    )

    # --- nothing broke along the way ------------------------------------------------------
    for player in players:
        failures = [(s, url) for s, url in player.capture.statuses if s >= 500]
        assert not failures, f"server errors answered to {player.name}: {failures}"
        assert not player.page_errors, (
            f"JavaScript errors on {player.name}'s page: {player.page_errors}"
        )
        player.assert_same_document()
        print(
            f"{player.name}: {len(player.capture.bodies)} bodies, "
            f"{len(player.capture.frames)} frames, unreadable {player.capture.unreadable}, "
            f"4xx {[(st, url) for st, url in player.capture.statuses if st >= 400]}, "
            f"console errors {player.console_errors}"
        )
    print(f"two turns with three players in {time.monotonic() - started:.1f} s")


def all_ready(players: list[Player]) -> None:
    """Each player in turn marks its orders complete; the last one resolves the turn."""
    *first, last = players
    for player in first:
        player.ready()
        expect(player.page.locator("#order-status")).to_have_text("Orders confirmed.")
        for other in players:
            row = other.page.locator(f"#nations td[data-nation={player.nation_id}]").locator("..")
            expect(row.locator(".tag-ready")).to_be_visible(timeout=LIVE_TIMEOUT)
    # The last answer races the resolution, which clears the status line for the new turn.
    last.ready()


def check_review(players: list[Player], *, turn: int) -> None:
    """Every page shows the review of `turn`, live, and has moved on to the next turn."""
    for player in players:
        page = player.page
        expect(page.locator("#results h2")).to_have_text(
            f"Results of turn {turn}", timeout=LIVE_TIMEOUT
        )
        player.reveal("#results")
        expect(page.locator("#results")).to_be_visible()
        outcomes = page.locator("#results details.outcome")
        expect(outcomes).not_to_have_count(0)
        relief = outcomes.filter(has_text="Saltmarsh Relief")
        expect(relief.locator("summary .tag")).to_have_text(
            re.compile(r"^(success|partial|failure)$")
        )
        factors = relief.locator("table")
        expect(factors.locator("tbody tr")).not_to_have_count(0)
        expect(factors).to_contain_text("national caveats")
        expect(page.locator("#results details.review")).to_contain_text(
            f"What changed in turn {turn}"
        )
        expect(page.locator("#clock")).to_contain_text(
            re.compile(rf"Turn\s+{turn + 1}\s+of\s+{SCENARIO['turns']}")
        )
        expect(page.locator("#feed")).to_contain_text(f"Turn {turn} resolved.")
        expect(page.locator("#ready-button")).to_have_text("Orders complete — ready")
        if player is not players[-1]:  # its "Orders confirmed." was before the resolution
            expect(page.locator("#order-status")).to_have_text("")
        else:
            line = page.locator("#order-status").inner_text()
            print(f"{player.name}'s status line after turn {turn}: {line!r}")


def test_a_private_deal_stays_private_in_the_review(
    new_game: Callable[[], Any], open_context: Callable[[], Any]
) -> None:
    """Cost sharing and force pledges are private to their parties (app/rules/views.py:
    not in PUBLIC_AGREEMENTS; pledges and budgets are filtered per viewer), so the third
    nation's review of the turn must not spell out their terms either."""
    game = new_game()
    arvenia = seat(open_context, game, "arvenia")
    lindmark = seat(open_context, game, "lindmark")
    cardosa = seat(open_context, game, "cardosa")

    def act(player: Player, action: dict[str, Any]) -> None:
        path = re.sub(r"^https?://[^/]+", "", player.page.url)
        response = player.page.request.post(f"/api{path}/actions", data=action)
        assert response.ok, (action, response.status, response.text())

    def open_proposals(player: Player) -> list[str]:
        path = re.sub(r"^https?://[^/]+", "", player.page.url)
        view = player.page.request.get(f"/api{path}/view").json()
        return [a["id"] for a in view["agreements"] if a["status"] == "open"]

    parties = ["arvenia", "lindmark"]
    deals = [
        ("cost_sharing", {"payer": "arvenia", "operation_id": "saltmarsh-relief", "share": 52}),
        ("force_pledge", {"nation": "lindmark", "operation_id": "saltmarsh-relief", "strength": 3}),
    ]
    for kind, terms in deals:
        act(arvenia, {"kind": "propose", "agreement": kind, "parties": parties, "terms": terms})
    for agreement_id in open_proposals(lindmark):
        act(lindmark, {"kind": "sign", "agreement_id": agreement_id})
    act(
        lindmark,
        {"kind": "commit", "unit_id": "lin-field-hospital", "operation_id": "saltmarsh-relief"},
    )
    for player in (arvenia, lindmark, cardosa):
        act(player, {"kind": "ready", "ready": True})
    for player in (arvenia, lindmark, cardosa):
        expect(player.page.locator("#results h2")).to_have_text(
            "Results of turn 1", timeout=LIVE_TIMEOUT
        )

    # What the review says of the deals to their parties (trust being the truster's own
    # to know, only Arvenia reads how Lindmark's kept pledge moved its trust)...
    terms_in_review = ["pays 52% of Lindmark's costs", "its pledge of 3 to Saltmarsh Relief"]
    assert_received(arvenia, terms_in_review, "in the review of its own deals")
    assert_received(lindmark, terms_in_review[:1], "in the review of its own deals")
    # ...must not reach the nation that is no party to them.
    leaks = {needle: find(cardosa, needle) for needle in terms_in_review}
    assert not any(leaks.values()), f"Cardosa received the terms of others' deals: {leaks}"
