"""One websocket per open page: full snapshot on connect, then per-viewer deltas.

Each socket keeps its own last seq. A doorbell (or the periodic safety re-read) makes it
read the events past that seq (a change this process just wrote comes from memory, not
the store: `GameService.written_since`), render them for its viewer and send the HTML.
Rendering happens once per distinct view; each socket then sends only the panels whose HTML differs
from what it last sent, so a panel a player is typing into is not replaced by an identical
copy. Each socket's pump awaits only its own sends: a slow client holds up nobody else,
and while it drains, the changes meanwhile fold into its next message (its doorbell keeps
one pending seq), so nothing queues up for it. An idle page holds no rendered HTML at all
(a hash of each panel it last sent), one task waiting on its doorbell and one reading its
socket: some 22-26 KiB of the server's memory per open page (bench/bench_live.py). The
pages of one view that send the same panels send one string (`JoinedHTML`), which the
socket layer encodes and compresses once for all of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from app import rules
from app.i18n import DEFAULT_LANGUAGE, current_language, gettext
from app.realtime.broker import CLOSED, RESYNC, Broker, Doorbell
from app.realtime.compression import share
from app.services.errors import NotFound
from app.services.game_results import LoggedEvent, Snapshot
from app.services.games import GameService

log = logging.getLogger(__name__)

MAX_INCOMING_BYTES = 16_384
GAME_GONE = 1008  # policy violation: htmx-ext-ws does not reconnect after it
SEAT_REVOKED = 1008
FEED_LENGTH = 50
PRESENCE = -2
"""Rung on a page's own doorbell when someone opened or left a page of its kind."""


@dataclass(frozen=True)
class Fragment:
    """One out-of-band piece of a page. A named panel is skipped when the socket already
    holds the same HTML for it; an unnamed one (feed entries, notices) is always sent.
    One that `patches` a panel changes a part of it (a channel's line of the channels
    list): the page's copy of that panel is then no longer the one sent."""

    html: str
    panel: str | None = None
    patches: str | None = None


class FragmentRenderer(Protocol):
    def full(
        self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer
    ) -> list[Fragment]:
        """Every live fragment of the page, replacing what the browser holds."""
        ...

    def delta(
        self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer
    ) -> list[Fragment]:
        """The fragments after `events`: every panel, and the new feed entries."""
        ...

    def error(self, message: str) -> str: ...

    def revoked(self) -> str:
        """What replaces the page of a seat whose join link control replaced."""
        ...


@runtime_checkable
class PresenceRenderer(FragmentRenderer, Protocol):
    """A renderer of pages that show who else has them open (control's console)."""

    def presence(self, game_id: str, here: list[str]) -> Fragment:
        """The panel naming the people (`here`: their names) with the page open."""
        ...


class SeatRevoked(Exception):
    """Control replaced the join link this page's seat was taken with."""


@dataclass(slots=True)  # one per open page
class Connection:
    id: str
    game_id: str
    viewer: rules.Viewer
    connected_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    label: str | None = None  # who holds the page, when the page shows it to the others
    renderer: FragmentRenderer | None = None  # None: the players' pages' renderer
    doorbell: Doorbell | None = None


class RenderCache:
    """Render once per distinct view: sockets of one viewer at one seq share the HTML."""

    def __init__(self, size: int = 512) -> None:
        self._items: OrderedDict[tuple[str, ...], list[Fragment]] = OrderedDict()
        self._size = size

    def get_or_render(
        self, key: tuple[str, ...], render: Callable[[], list[Fragment]]
    ) -> list[Fragment]:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        fragments = render()
        self._items[key] = fragments
        if len(self._items) > self._size:
            self._items.popitem(last=False)
        return fragments


class SentPanels:
    """What one socket last sent for each panel, to send only the panels that changed.

    Kept as each panel's hash, not its HTML: a page's snapshot has panels of its own (the
    time left), and holding them kept kilobytes per idle page. A string's hash is
    computed once and kept by the string, so the pages of one view, which share the
    rendered strings, pay for it once. (Two different panels of one hash, one chance in
    2**64, would leave the page its previous copy until the panel next changes.)"""

    __slots__ = ("_sent",)

    def __init__(self) -> None:
        self._sent: dict[str, int] = {}

    def reset(self) -> None:
        self._sent.clear()

    def changed(self, fragments: list[Fragment], joined: JoinedHTML | None = None) -> str:
        """The HTML of `fragments` this socket has not sent yet, joined for one frame
        (by `joined`, when the fragments are shared by other pages)."""
        unsent = self.unsent(fragments)
        if joined is not None:
            return joined.join(fragments, unsent)
        return "\n".join(fragments[i].html for i in unsent)

    def unsent(self, fragments: list[Fragment]) -> tuple[int, ...]:
        """Which of `fragments` this socket has not sent yet (now taken as sent)."""
        indexes = []
        for index, fragment in enumerate(fragments):
            if fragment.panel is not None:
                seen = hash(fragment.html)
                if self._sent.get(fragment.panel) == seen:
                    continue
                self._sent[fragment.panel] = seen
            elif fragment.patches is not None:
                # The next whole copy of the panel is sent, even one equal to the last.
                self._sent.pop(fragment.patches, None)
            indexes.append(index)
        return tuple(indexes)


class JoinedHTML:
    """One string for the pages of one view that send the same panels of one rendering:
    the socket layer then encodes and compresses it once for all of them, by identity
    (see app/realtime/compression.py), not once per page. Entries hold their fragments,
    so a key's `id` always names the list it was made from."""

    def __init__(self, size: int = 32) -> None:
        self._items: OrderedDict[tuple[int, tuple[int, ...]], tuple[list[Fragment], str]] = (
            OrderedDict()
        )
        self._size = size

    def join(self, fragments: list[Fragment], indexes: tuple[int, ...]) -> str:
        key = (id(fragments), indexes)
        item = self._items.get(key)
        if item is not None and item[0] is fragments:
            self._items.move_to_end(key)
            return item[1]
        html = "\n".join(fragments[i].html for i in indexes)
        share(html)
        self._items[key] = (fragments, html)
        self._items.move_to_end(key)
        if len(self._items) > self._size:
            self._items.popitem(last=False)
        return html


class Hub:
    """Knows every open socket of this process, and serves each one."""

    def __init__(
        self,
        games: GameService,
        broker: Broker,
        renderer: FragmentRenderer,
        *,
        safety_interval: float = 15.0,
    ) -> None:
        self.games = games
        self.broker = broker
        self.renderer = renderer
        self.safety_interval = safety_interval
        self.cache = RenderCache()
        self.joined = JoinedHTML()
        # One database read per (game, seq) shared by every socket that needs it: with
        # 200 sockets an action costs one read instead of 200.
        self._reads: dict[
            tuple[int, str, int], asyncio.Future[tuple[Snapshot, list[LoggedEvent]]]
        ] = {}
        self.connections: dict[str, dict[str, Connection]] = defaultdict(dict)

    def connected(self, game_id: str) -> list[Connection]:
        return list(self.connections.get(game_id, {}).values())

    def page_counts(self) -> dict[tuple[str, str], int]:
        """Open pages of this process: (game id, nation id or role) -> how many."""
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for game_id, connections in list(self.connections.items()):
            for connection in list(connections.values()):
                viewer = connection.viewer
                counts[game_id, viewer.nation_id or viewer.role] += 1
        return dict(counts)

    def present(self, game_id: str, renderer: FragmentRenderer) -> list[str]:
        """Who holds the pages of `renderer`'s kind of this game open here, by name."""
        return sorted(
            c.label
            for c in self.connected(game_id)
            if c.renderer is renderer and c.label is not None
        )

    def _presence_changed(self, game_id: str, renderer: FragmentRenderer | None) -> None:
        """Tell the other pages of this kind that someone came or went: a page with a
        change already pending shows the presence with it."""
        if renderer is None or not isinstance(renderer, PresenceRenderer):
            return
        for other in self.connected(game_id):
            if other.renderer is renderer and other.doorbell is not None:
                other.doorbell.offer(PRESENCE)

    async def serve(
        self,
        websocket: WebSocket,
        game_id: str,
        viewer: rules.Viewer,
        seat_token: str | None = None,
        *,
        renderer: FragmentRenderer | None = None,
        label: str | None = None,
    ) -> None:
        """Serve one page until it goes. `seat_token` is the join token a nation's page
        holds its seat by: when control replaces it, the page is told and closed. A page
        of another kind (control's console) brings its `renderer`, and the `label` it
        shows the other pages of its kind."""
        connection = Connection(uuid.uuid4().hex, game_id, viewer, label=label, renderer=renderer)
        self.connections[game_id][connection.id] = connection
        sent = SentPanels()
        try:
            async with self.broker.subscribe(game_id) as doorbell:
                connection.doorbell = doorbell
                self._presence_changed(game_id, renderer)
                last_seq = await self._send_snapshot(websocket, sent, connection)
                if seat_token is not None and viewer.nation_id is not None:
                    # Relinked between the page's seat check and this snapshot's read?
                    current = await run_in_threadpool(
                        self.games.seat_token, game_id, viewer.nation_id
                    )
                    if current != seat_token:
                        await websocket.send_text(self.renderer.revoked())
                        await websocket.close(SEAT_REVOKED, "the seat's link was replaced")
                        return
                # The page's messages are read by a task of their own; its changes are
                # sent from this one (a task less per open page). When the page goes,
                # the reader closes the doorbell, which ends the pump.
                receiver = asyncio.create_task(self._receive_loop(websocket))
                receiver.add_done_callback(lambda _: doorbell.close())
                error: BaseException | None = None
                try:
                    await self._pump(websocket, sent, doorbell, connection, last_seq, seat_token)
                except Exception as failure:
                    error = failure
                finally:
                    receiver.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await receiver
                if receiver.done() and not receiver.cancelled() and receiver.exception():
                    # The page went first: what its pump met on the way (a send on a
                    # closing socket) is no failure.
                    error = receiver.exception()
                if isinstance(error, NotFound):
                    # Control deleted the game: a final close (1008 is not retried).
                    with contextlib.suppress(Exception):
                        await websocket.close(GAME_GONE, "this game no longer exists")
                elif isinstance(error, SeatRevoked):
                    # Nothing more of the game reaches this page.
                    with contextlib.suppress(Exception):
                        await websocket.send_text(self.renderer.revoked())
                        await websocket.close(SEAT_REVOKED, "the seat's link was replaced")
                elif error is not None and not isinstance(error, WebSocketDisconnect):
                    log.error("websocket for game %s failed", game_id, exc_info=error)
        finally:
            self.connections[game_id].pop(connection.id, None)
            if not self.connections[game_id]:
                del self.connections[game_id]
            self._presence_changed(game_id, renderer)

    async def _send_snapshot(
        self, websocket: WebSocket, sent: SentPanels, connection: Connection
    ) -> int:
        game_id, viewer = connection.game_id, connection.viewer
        snapshot = await run_in_threadpool(self.games.snapshot, game_id)
        events = await run_in_threadpool(self.games.latest_events, game_id, FEED_LENGTH)
        if current_language() != DEFAULT_LANGUAGE:
            # Read (once per process) off the loop: the renderer takes its texts from it.
            await run_in_threadpool(self.games.scenario_texts, game_id)
        events = [e for e in events if e.seq <= snapshot.seq]
        # Not cached here: a snapshot carries the time left, fresh for each page (the
        # renderer shares the panels that do not show it).
        sent.reset()
        renderer = connection.renderer
        if renderer is None:
            fragments = self.renderer.full(snapshot, events, viewer)
        else:
            # A page of its own kind reads what the state does not hold (control's
            # console: seat links, last actions), so it renders off the event loop.
            fragments = await run_in_threadpool(renderer.full, snapshot, events, viewer)
        fragments = [*fragments, *self._presence(connection)]
        await websocket.send_text(sent.changed(fragments))
        return snapshot.seq

    def _presence(self, connection: Connection) -> list[Fragment]:
        renderer = connection.renderer
        if renderer is None or not isinstance(renderer, PresenceRenderer):
            return []
        return [renderer.presence(connection.game_id, self.present(connection.game_id, renderer))]

    async def _pump(
        self,
        websocket: WebSocket,
        sent: SentPanels,
        doorbell: Doorbell,
        connection: Connection,
        last_seq: int,
        seat_token: str | None,
    ) -> None:
        """Send the page its changes until its doorbell closes (the page has gone)."""
        game_id = connection.game_id
        while True:
            rung = await doorbell.get(self.safety_interval)  # RESYNC when none came
            if rung == CLOSED:
                return
            if rung == PRESENCE:
                html = sent.changed(self._presence(connection))
                if html:
                    await websocket.send_text(html)
                continue
            if rung == RESYNC:
                # The safety re-read (or doorbells were lost): a cheap look at the latest
                # seq before a full read.
                rung = await run_in_threadpool(self.games.last_seq, game_id)
            if rung > last_seq:
                last_seq = await self._catch_up(
                    websocket, sent, connection, last_seq, rung, seat_token
                )

    async def _catch_up(
        self,
        websocket: WebSocket,
        sent: SentPanels,
        connection: Connection,
        last_seq: int,
        rung: int,
        seat_token: str | None,
    ) -> int:
        """Queue what changed since `last_seq` (at least up to `rung`); the seq reached.
        Its own call, so that nothing it read or rendered (the state, the HTML) stays
        referenced by an idle page's pump while it waits for the next change."""
        game_id, viewer = connection.game_id, connection.viewer
        snapshot, events = await self._changes_since(game_id, last_seq)
        if snapshot.seq < rung:
            # Joined a read that began before this change committed, or a newer change
            # than this process wrote: read the store again.
            snapshot, events = await self._changes_since(game_id, last_seq, written=False)
        if snapshot.seq <= last_seq:
            return last_seq
        if viewer.nation_id is not None and (
            _relinks(events, viewer.nation_id)
            or (
                # Too far behind to see every event: ask the store instead.
                len(events) < snapshot.seq - last_seq
                and await run_in_threadpool(self.games.seat_token, game_id, viewer.nation_id)
                != seat_token
            )
        ):
            raise SeatRevoked(viewer.nation_id)
        if len(events) < snapshot.seq - last_seq:
            # Too far behind to patch: one snapshot replaces the page's panels.
            return await self._send_snapshot(websocket, sent, connection)
        # Each language its own copy: pages of one view in two languages share nothing.
        key = (
            "delta",
            game_id,
            str(last_seq),
            str(snapshot.seq),
            viewer.key,
            current_language(),
        )
        renderer = connection.renderer
        if renderer is None:
            fragments = self.cache.get_or_render(
                key, functools.partial(self.renderer.delta, snapshot, events, viewer)
            )
        else:  # its own kind of page, rendered off the event loop (see _send_snapshot)
            fragments = await run_in_threadpool(renderer.delta, snapshot, events, viewer)
            fragments = [*fragments, *self._presence(connection)]
        html = sent.changed(fragments, self.joined if renderer is None else None)
        if html:
            # Only this page waits on its own socket; later changes fold into its next.
            await websocket.send_text(html)
        return snapshot.seq

    async def _changes_since(
        self, game_id: str, last_seq: int, *, written: bool = True
    ) -> tuple[Snapshot, list[LoggedEvent]]:
        if written:
            # The change this process just wrote, as the store would give it: no read.
            change = self.games.written_since(game_id, last_seq)
            if change is not None:
                # The action's own request resumes on this turn of the loop too: let it
                # answer before the pages render (a read from the store let it, as well).
                await asyncio.sleep(0)
                return change
        # Keyed by event loop too: a future belongs to one loop (test clients run several).
        key = (id(asyncio.get_running_loop()), game_id, last_seq)
        future = self._reads.get(key)
        if future is None:
            future = asyncio.ensure_future(
                run_in_threadpool(self.games.changes_since, game_id, last_seq)
            )
            self._reads[key] = future

            def forget(done: asyncio.Future[tuple[Snapshot, list[LoggedEvent]]]) -> None:
                if self._reads.get(key) is done:
                    del self._reads[key]

            future.add_done_callback(forget)
        return await asyncio.shield(future)

    async def _receive_loop(self, websocket: WebSocket) -> None:
        """Pages only listen; anything they send gets an error fragment, never a close."""
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(message.get("code", 1000))
            text = message.get("text") or ""
            if len(text) > MAX_INCOMING_BYTES or message.get("bytes"):
                reply = gettext("Message too large or not text; it was ignored.")
            else:
                try:
                    payload = json.loads(text)
                except ValueError:
                    payload = None
                if isinstance(payload, dict) and payload.get("type") == "ping":
                    continue
                reply = gettext(
                    "This connection only delivers updates; use the page's controls to act."
                )
            await websocket.send_text(self.renderer.error(reply))


def _relinks(events: list[LoggedEvent], nation_id: str) -> bool:
    return any(
        e.event.kind == rules.EventKind.SEAT_RELINKED and e.event.data.get("nation_id") == nation_id
        for e in events
    )
