"""Control's console of one game, live: its panels, drawn for the page and pushed over the
hub to every instructor who has it open.

The console is control's view (control sees everything), so its panels go only to the
sockets of `/control/games/{game}/ws`, which the hub serves with this renderer and never
with the players' one. Each change is read once for every instructor's page (the state
from the hub's shared read, the rest, seat links and last actions, once per game and seq
here); each page is then sent only the panels whose HTML changed, morphed in place so
that what an instructor is typing stays.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from app import rules
from app.i18n import _, current_language
from app.realtime.hub import Fragment
from app.services.control import (
    BOT_PERSONALITIES,
    Console,
    ControlService,
    ready_count,
    seats_of,
)
from app.services.game_results import LoggedEvent, Snapshot
from app.services.lru import LRU
from app.web.rendering import PUBLIC, TIMED_PANELS, PageRenderer, feed_entries

CONTROL = rules.Viewer.control()
# The console's live panels, in page order: each a template under control/live/ whose root
# element has the panel's id.
CONSOLE_PANELS = (
    "control-status",
    "control-seats",
    "control-adjudication",
    "control-operations",
    "control-injects",
    "control-channels",
    "control-settings",
)
RESULTS = ("success", "partial", "failure", "not_attempted")
RECENT_EVENTS = 30

Counts = Callable[[str], dict[str, int]]


def console_alert(console: Console) -> dict[str, str]:
    """The one line that says what needs control now, and how urgent it is."""
    state = console.state
    if state.phase is rules.Phase.ENDED:
        return {"level": "info", "text": _("The exercise has ended; its review is ready.")}
    if state.phase is rules.Phase.ADJUDICATION:
        return {
            "level": "action",
            "text": _("All orders are in: turn %(turn)s waits for your release.", turn=state.turn),
        }
    if state.paused_remaining is not None and state.turn == 1 and not state.records:
        return {
            "level": "action",
            "text": _("The clock waits for you: start it once links are out."),
        }
    if state.paused_remaining is not None:
        return {"level": "warning", "text": _("The clock is paused.")}
    return {
        "level": "info",
        "text": _("Orders phase: %(ready)s seats ready.", ready=console.overview.ready_count),
    }


class ControlRenderer:
    """Renders the console for the control viewer: the page's context, and its live
    panels (a `PresenceRenderer` for the hub)."""

    def __init__(
        self,
        pages: PageRenderer,
        control: ControlService,
        connections: Counts,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.pages = pages
        self.control = control
        self.connections = connections
        self.clock = clock
        self._consoles = LRU(16)  # one read per game and seq, for every instructor's page

    def console(self, snapshot: Snapshot, recent: list[LoggedEvent]) -> Console:
        language = current_language()  # the scenario's texts in the instructor's language
        key = (snapshot.game_id, snapshot.seq, language)
        console: Console | None = self._consoles.get(key)
        if console is None:
            console = self.control.console_of(snapshot, recent[-RECENT_EVENTS:], language)
            self._consoles.put(key, console)
        return console

    def context(self, console: Console, game_id: str) -> dict[str, Any]:
        """What the console's templates receive: control's view of everything. Nothing
        in it belongs to one instructor (no CSRF token: it rides in the page's headers),
        so one rendering serves every instructor's page."""
        state = console.state
        return {
            "c": console,
            "game_id": game_id,
            "names": {n.id: n.name for n in state.nations},
            "operations": {o.id: o.name for o in state.operations},
            "connections": self.connections(game_id),
            "personalities": BOT_PERSONALITIES,
            "results": RESULTS,
            "alert": console_alert(console),
            "now": self.clock(),
            "idle": console.idle_seconds(time.time()),  # wall time, as events are stamped
            "csrf_token": "",
        }

    def clock_panel(self, snapshot: Snapshot, *, oob: bool) -> str:
        """The players' clock bar, as everyone sees it: the same for control."""
        context = self.pages.context(snapshot, PUBLIC)
        return self.pages.fragment("clock", context, oob=oob)

    def panel(self, name: str, context: dict[str, Any], *, oob: bool) -> str:
        template = self.pages.templates.get_template(f"control/live/{name}.html")
        return template.render({**context, "oob": oob})

    def page_parts(self, console: Console, game_id: str) -> dict[str, Any]:
        """Every panel for the page's first drawing, by name (`clock` too), and the feed."""
        snapshot = Snapshot(game_id, console.overview.name, console.seq, console.state)
        context = self.context(console, game_id)
        parts: dict[str, Any] = {
            name: Markup(self.panel(name, context, oob=False)) for name in CONSOLE_PANELS
        }
        parts["clock"] = Markup(self.clock_panel(snapshot, oob=False))
        parts["feed"] = feed_entries(snapshot.state, console.recent, CONTROL)
        return parts

    def _panels(self, snapshot: Snapshot, recent: list[LoggedEvent]) -> list[Fragment]:
        console = self.console(snapshot, recent)
        context = self.context(console, snapshot.game_id)
        return [
            Fragment(self.panel(name, context, oob=True), panel=name) for name in CONSOLE_PANELS
        ]

    # PresenceRenderer (app.realtime.hub)
    def full(
        self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer
    ) -> list[Fragment]:
        if viewer.role != "control":  # never drawn for anyone else
            raise PermissionError("the console is control's")
        clock = self.pages.panels(snapshot, CONTROL, ["clock"], fresh=TIMED_PANELS)
        feed = self.pages.feed(feed_entries(snapshot.state, events, CONTROL), mode="replace")
        return [
            *clock,
            *self._panels(snapshot, events),
            Fragment(feed),
            Fragment(self.pages.connection_status("live")),
        ]

    def delta(
        self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer
    ) -> list[Fragment]:
        if viewer.role != "control":
            raise PermissionError("the console is control's")
        fragments = [
            *self.pages.panels(snapshot, CONTROL, ["clock"], fresh=TIMED_PANELS),
            *self._panels(snapshot, events),
        ]
        entries = feed_entries(snapshot.state, events, CONTROL)
        if entries:
            fragments.append(Fragment(self.pages.feed(entries, mode="prepend")))
        return fragments

    def presence(self, game_id: str, here: list[str]) -> Fragment:
        template = self.pages.templates.get_template("control/live/control-presence.html")
        return Fragment(template.render({"here": here, "oob": True}), panel="control-presence")

    def error(self, message: str) -> str:
        return self.pages.error(message)

    def revoked(self) -> str:
        return self.pages.revoked()


class GlanceRenderer:
    """One syndicate's row of the exercise view (turn, phase, time left, ready, hold),
    pushed over the hub like the console, to instructors only."""

    def __init__(self, pages: PageRenderer, *, clock: Callable[[], float] = time.time) -> None:
        self.pages = pages
        self.clock = clock

    def row(self, game_id: str, name: str, state: rules.GameState, *, oob: bool) -> str:
        template = self.pages.templates.get_template("control/live/glance.html")
        deadline = state.deadline
        remaining = None if deadline is None else max(0, round(deadline - self.clock()))
        return template.render(
            {
                "game_id": game_id,
                "name": self.pages.title_of(game_id, name),
                "state": state,
                "remaining": remaining,
                "ready": ready_count(seats_of(state)),
                "oob": oob,
            }
        )

    def full(
        self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer
    ) -> list[Fragment]:
        if viewer.role != "control":
            raise PermissionError("the exercise view is control's")
        html = self.row(snapshot.game_id, snapshot.name, snapshot.state, oob=True)
        return [Fragment(html, panel="glance")]

    delta = full

    def error(self, message: str) -> str:
        return self.pages.error(message)

    def revoked(self) -> str:
        return self.pages.revoked()
