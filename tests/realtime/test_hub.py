"""The hub's fan-out: each page is served on its own, so a slow one delays nobody."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, cast

from starlette.websockets import WebSocket

from app import rules
from app.realtime.broker import InMemoryBroker
from app.realtime.hub import Fragment, Hub, JoinedHTML, SentPanels
from app.services.game_results import LoggedEvent, Snapshot
from app.services.games import GameService

GAME = "g"


class Games:
    """The store's side of the hub: a game whose log grows by one event per `act`."""

    def __init__(self) -> None:
        self.events: list[LoggedEvent] = []

    def act(self) -> int:
        seq = len(self.events) + 1
        event = rules.Event(rules.EventKind.READY_CHANGED, "a", {"nation_id": "a", "ready": True})
        self.events.append(LoggedEvent(seq, 1, event))
        return seq

    def snapshot(self, game_id: str) -> Snapshot:
        return Snapshot(game_id, "Game", len(self.events), cast(rules.GameState, None))

    def last_seq(self, game_id: str) -> int:
        return len(self.events)

    def latest_events(self, game_id: str, limit: int = 50) -> list[LoggedEvent]:
        return self.events[-limit:]

    def changes_since(self, game_id: str, seq: int) -> tuple[Snapshot, list[LoggedEvent]]:
        return self.snapshot(game_id), [e for e in self.events if e.seq > seq]

    def written_since(self, game_id: str, seq: int) -> tuple[Snapshot, list[LoggedEvent]] | None:
        return None  # every change read from the store

    def seat_token(self, game_id: str, nation_id: str) -> str | None:
        return None


class Renderer:
    def full(self, snapshot: Snapshot, events: list[LoggedEvent], viewer: Any) -> list[Fragment]:
        return [Fragment(f"snapshot at {snapshot.seq}")]

    def delta(self, snapshot: Snapshot, events: list[LoggedEvent], viewer: Any) -> list[Fragment]:
        return [Fragment("events " + ",".join(str(e.seq) for e in events))]

    def error(self, message: str) -> str:
        return message

    def revoked(self) -> str:
        return "revoked"


class Page:
    """A page's socket; a slow one takes its sends only when let through."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.open = asyncio.Event()
        self.open.set()
        self.gone = asyncio.Event()

    async def send_text(self, text: str) -> None:
        await self.open.wait()
        self.sent.append(text)

    async def receive(self) -> dict[str, Any]:
        await self.gone.wait()
        return {"type": "websocket.disconnect", "code": 1000}

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.gone.set()


async def _until(check: Callable[[], bool]) -> None:
    async with asyncio.timeout(5):
        while not check():
            await asyncio.sleep(0.005)


async def _a_slow_page_and_a_quick_one() -> tuple[list[str], list[str]]:
    games, broker = Games(), InMemoryBroker()
    games.act()
    hub = Hub(cast(GameService, games), broker, Renderer(), safety_interval=60)
    quick, slow = Page(), Page()
    serving = [
        asyncio.create_task(hub.serve(cast(WebSocket, page), GAME, rules.Viewer.observer()))
        for page in (quick, slow)
    ]
    await _until(lambda: len(quick.sent) == len(slow.sent) == 1)
    slow.open.clear()  # its reader stops reading
    for _ in range(3):
        seq = games.act()
        broker.publish(GAME, seq)
        await _until(lambda: quick.sent[-1].endswith(str(seq)))  # noqa: B023 (awaited here)
    assert len(slow.sent) == 1
    slow.open.set()
    await _until(lambda: "4" in slow.sent[-1] if len(slow.sent) > 1 else False)
    for page in (quick, slow):
        await page.close()
    await asyncio.gather(*serving)
    return quick.sent, slow.sent


def test_a_slow_page_delays_nobody_and_gets_what_it_missed_in_one_message() -> None:
    quick, slow = asyncio.run(_a_slow_page_and_a_quick_one())
    assert quick == ["snapshot at 1", "events 2", "events 3", "events 4"]
    # Stuck sending event 2; then events 3 and 4 together, not one message each.
    assert slow == ["snapshot at 1", "events 2", "events 3,4"]


def test_pages_of_one_view_sending_the_same_panels_send_one_string() -> None:
    joined = JoinedHTML()
    rendered = [Fragment("<b>1</b>", "nations"), Fragment("<b>2</b>", "clock"), Fragment("<i>")]
    fresh, same, behind = SentPanels(), SentPanels(), SentPanels()
    behind.changed([Fragment("<b>1</b>", "nations")])  # already holds the nations panel
    first = fresh.changed(rendered, joined)
    assert first == "<b>1</b>\n<b>2</b>\n<i>"
    assert same.changed(rendered, joined) is first  # one object for both pages
    assert behind.changed(rendered, joined) == "<b>2</b>\n<i>"  # only what it lacks
    # Another rendering with equal HTML is another list: never mistaken for the first.
    again = [Fragment("<b>1</b>", "nations"), Fragment("<b>3</b>", "clock"), Fragment("<i>")]
    assert fresh.changed(again, joined) == "<b>3</b>\n<i>"


def test_a_panel_s_whole_copy_is_sent_again_after_a_line_of_it() -> None:
    """A line sent alone (a channel's count) changes the page's copy of its panel: the
    next whole copy is sent, even one equal to the copy the page was last sent."""
    sent = SentPanels()
    whole = Fragment("<div id=negotiation>0 messages</div>", "negotiation")
    clock = Fragment("<section id=clock>", "clock")
    assert sent.changed([whole, clock]) == f"{whole.html}\n{clock.html}"
    assert sent.changed([whole, clock]) == ""
    line = Fragment("<li data-channel=public>1 message</li>", patches="negotiation")
    assert sent.changed([line]) == line.html
    assert sent.changed([line]) == line.html  # never skipped: it holds no whole copy
    assert sent.changed([whole, clock]) == whole.html  # the clock is as it was sent
    assert sent.changed([whole]) == ""


def test_a_page_sent_a_line_of_a_panel_is_sent_the_panel_s_next_whole_copy() -> None:
    pages = asyncio.run(_a_page_sent_a_line())
    assert pages == ["list", "line 2", "list"]


class LineRenderer(Renderer):
    """The channels list at the snapshot, its line alone at seq 2, the same list at 3."""

    def full(self, snapshot: Snapshot, events: list[LoggedEvent], viewer: Any) -> list[Fragment]:
        return [Fragment("list", "negotiation")]

    def delta(self, snapshot: Snapshot, events: list[LoggedEvent], viewer: Any) -> list[Fragment]:
        if snapshot.seq == 2:
            return [Fragment("line 2", patches="negotiation")]
        return [Fragment("list", "negotiation")]


async def _a_page_sent_a_line() -> list[str]:
    games, broker = Games(), InMemoryBroker()
    games.act()
    hub = Hub(cast(GameService, games), broker, LineRenderer(), safety_interval=60)
    page = Page()
    serving = asyncio.create_task(
        hub.serve(cast(WebSocket, page), GAME, rules.Viewer.of_nation("a"))
    )
    await _until(lambda: len(page.sent) == 1)
    for count in (2, 3):
        broker.publish(GAME, games.act())
        await _until(lambda: len(page.sent) == count)  # noqa: B023 (awaited here)
    await page.close()
    await serving
    return page.sent
