"""The feed: each event as a viewer may see it, with its line (`view_event`).

Each function here decides what of an event a viewer may see, and which line it gets: a
`Reason` (a `FeedLine` code and its parameters, only what that viewer may know), worded
by `app.rules.wording` (`feed_line` gives the line itself, `view_event` the entry with the
line in words as its `text`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.rules.agreements import AGREEMENTS
from app.rules.agreements import agreement as agreement_spec
from app.rules.agreements.common import all_parties
from app.rules.events import EventKind
from app.rules.injects import fired_by
from app.rules.outcomes import Event
from app.rules.reasons import Reason, because
from app.rules.state import GameState
from app.rules.viewer import Viewer, _sees_orders_of
from app.rules.wording import words
from app.rules.wording.base import N_, gettext
from app.rules.wording.feed import FeedLine

# What a viewer may see of an event (without its text), and its line.
Seen = tuple[dict[str, Any], Reason]


def _message_visible(state: GameState, channel_id: str, message_id: int, viewer: Viewer) -> bool:
    """A channel's members read it from when they joined (control reads everything, anyone
    a public channel)."""
    channel = state.channel(channel_id)
    if channel is None or not (viewer.among(channel.members) or channel.kind == "public"):
        return False
    return viewer.role == "control" or message_id >= channel.first_message_for(viewer.nation_id)


def view_event(
    state: GameState,
    event: Event,
    viewer: Viewer,
    say: Callable[[Reason, GameState], str] = words,
) -> dict[str, Any] | None:
    """The part of `event` that `viewer` may see, with its line in words (`text`, by
    `say`: `words`, or a caller's copy of it that keeps lines several viewers read), or
    None."""
    seen = _seen(state, event, viewer)
    if seen is None:
        return None
    entry, line = seen
    return entry | {"text": say(line, state)}


def feed_line(state: GameState, event: Event, viewer: Viewer) -> Reason | None:
    """The line `viewer` reads for `event` (a code and the parameters it may see), or None."""
    seen = _seen(state, event, viewer)
    return seen[1] if seen is not None else None


def _seen(state: GameState, event: Event, viewer: Viewer) -> Seen | None:
    data = event.data
    if event.kind in (EventKind.UNIT_COMMITTED, EventKind.UNIT_WITHDRAWN):
        return _orders(state, event, viewer)
    if event.kind in CONTROL_EVENTS:
        return _control_line(event, viewer)
    if event.kind in (EventKind.RED_CELL_SEATED, EventKind.RED_MOVE_CHOSEN):
        return _red_cell_line(state, event, viewer)
    if event.kind == EventKind.MANDATE_ANSWERED:  # public: a council answers in the open
        answered = {"kind": event.kind, "coalition_id": data["coalition_id"]}
        return answered | {"granted": data["granted"]}, because(
            FeedLine.MANDATE_ANSWERED,
            lead=event.actor,
            council=data["actor_id"],
            coalition=data["coalition_id"],
            answer=data["reason"],
        )
    diplomatic = _diplomatic_line(state, event, viewer)
    if diplomatic is not None or event.kind not in BASIC_EVENTS:
        return diplomatic
    entry: dict[str, Any] = {"kind": event.kind, "nation_id": event.actor}
    if event.kind == EventKind.READY_CHANGED:
        line = FeedLine.READY if data["ready"] else FeedLine.NOT_READY
        return entry | {"ready": data["ready"]}, because(line, who=event.actor)
    if event.kind == EventKind.SEAT_JOINED:
        return entry, because(FeedLine.SEAT_JOINED, who=event.actor)
    if event.kind in (EventKind.SEAT_HANDED_TO_BOT, EventKind.SEAT_TAKEN_BACK):
        return _seat_line(event, viewer)
    if event.kind == EventKind.SEAT_RELINKED:
        if viewer.role != "control":
            return None  # the seat's own pages close; the others have nothing to learn
        nation_id = data["nation_id"]
        entry = {"kind": event.kind, "nation_id": nation_id}
        return entry, because(FeedLine.SEAT_RELINKED, nation=nation_id)
    if event.kind == EventKind.TURN_RESOLVED:
        support = data["support"]
        visible_support = (
            support
            if viewer.role == "control"
            else {k: v for k, v in support.items() if k == viewer.nation_id}
        )
        entry = {
            "kind": event.kind,
            "turn": data["turn"],
            "escalation": data["escalation"],
            "support": visible_support,
        }
        return entry, because(
            FeedLine.TURN_RESOLVED,
            turn=data["turn"],
            operations=[o["operation_id"] for o in data["outcomes"]],
            results=[o["result"] for o in data["outcomes"]],
            escalation_from=data["escalation"]["from"],
            escalation_to=data["escalation"]["to"],
            # Public: what the adversary does is what everyone sees on the ladder.
            adversary=data.get("adversary"),
        )
    if event.kind == EventKind.GAME_CREATED:
        return {"kind": event.kind}, because(FeedLine.GAME_CREATED)
    return None


def _orders(state: GameState, event: Event, viewer: Viewer) -> Seen:
    """A unit committed or withdrawn: in full to whoever sees the nation's orders, else as
    much as the fog lets through."""
    data = event.data
    owner = data.get("nation_id", event.actor)
    if _sees_orders_of(state, viewer, owner) or viewer.sees_privately(event.actor):
        line = (
            FeedLine.UNIT_COMMITTED
            if event.kind == EventKind.UNIT_COMMITTED
            else FeedLine.UNIT_WITHDRAWN
        )
        entry = {"kind": event.kind, "nation_id": event.actor, **data}
        reason = because(
            line, who=event.actor, unit=data["unit_id"], operation=data["operation_id"]
        )
        return entry, reason
    changed: dict[str, Any] = {"kind": "orders_changed", "nation_id": event.actor}
    if state.fog == "strict":
        return changed, because(FeedLine.ORDERS_CHANGED, who=event.actor)
    units = data["committed_units"]
    return changed | {"committed_units": units}, because(
        FeedLine.ORDERS_CHANGED_COUNT, who=event.actor, units=units
    )


CONTROL_EVENTS = {
    EventKind.CLOCK_PAUSED,
    EventKind.CLOCK_RESUMED,
    EventKind.PHASE_EXTENDED,
    EventKind.PHASE_LENGTH_SET,
    EventKind.PHASE_ENDED_BY_CONTROL,
    EventKind.HOLD_SET,
    EventKind.ADJUDICATION_STARTED,
    EventKind.TURN_RELEASED,
    EventKind.CONTROL_FEEDBACK,
    EventKind.OUTCOME_OVERRIDDEN,
    EventKind.FEEDBACK_WRITTEN,
    EventKind.GAME_BRANCHED,
    EventKind.EXERCISE_ENDED,
}


def _control_line(event: Event, viewer: Viewer) -> Seen | None:
    """Control's announcements: public, except its feedback, which is one nation's."""
    data, kind = event.data, event.kind
    entry: dict[str, Any] = {"kind": kind}
    if kind == EventKind.CONTROL_FEEDBACK:
        if not viewer.sees_privately(data["nation_id"]):
            return None
        entry["nation_id"] = data["nation_id"]
        return entry, because(FeedLine.CONTROL_FEEDBACK, turn=data["turn"], text=data["text"])
    if kind in (EventKind.OUTCOME_OVERRIDDEN, EventKind.FEEDBACK_WRITTEN):
        if viewer.role != "control":
            return None  # control's working notes until the turn is released
        if kind == EventKind.FEEDBACK_WRITTEN:
            return entry, because(FeedLine.FEEDBACK_WRITTEN, nation=data["nation_id"])
        if data["result"] is None:
            return entry, because(FeedLine.OVERRIDE_REMOVED, operation=data["operation_id"])
        return entry, because(
            FeedLine.OUTCOME_OVERRIDDEN,
            operation=data["operation_id"],
            result=data["result"],
            reason=data["reason"],
        )
    lines: dict[EventKind, Reason] = {
        EventKind.CLOCK_PAUSED: because(FeedLine.CLOCK_PAUSED, remaining=data.get("remaining")),
        # Resumed by control, or started by the first player to take a seat.
        EventKind.CLOCK_RESUMED: (
            because(FeedLine.CLOCK_RESUMED)
            if event.actor == "control"
            else because(FeedLine.CLOCK_STARTED, who=event.actor, remaining=data.get("remaining"))
        ),
        EventKind.PHASE_EXTENDED: because(FeedLine.PHASE_EXTENDED, seconds=data.get("seconds")),
        EventKind.PHASE_LENGTH_SET: because(FeedLine.PHASE_LENGTH_SET, seconds=data.get("seconds")),
        EventKind.PHASE_ENDED_BY_CONTROL: because(FeedLine.PHASE_ENDED_BY_CONTROL),
        EventKind.HOLD_SET: because(FeedLine.HOLD_ON if data.get("hold") else FeedLine.HOLD_OFF),
        EventKind.ADJUDICATION_STARTED: because(
            FeedLine.ADJUDICATION_STARTED, turn=data.get("turn")
        ),
        EventKind.TURN_RELEASED: because(FeedLine.TURN_RELEASED, turn=data.get("turn")),
        EventKind.EXERCISE_ENDED: because(FeedLine.EXERCISE_ENDED, turn=data.get("turn")),
        EventKind.GAME_BRANCHED: because(
            FeedLine.GAME_BRANCHED,
            from_name=data.get("from_name"),
            from_turn=data.get("from_turn"),
        ),
    }
    return entry, lines[EventKind(kind)]


BASIC_EVENTS = {
    EventKind.READY_CHANGED,
    EventKind.SEAT_JOINED,
    EventKind.SEAT_HANDED_TO_BOT,
    EventKind.SEAT_TAKEN_BACK,
    EventKind.SEAT_RELINKED,
    EventKind.TURN_RESOLVED,
    EventKind.GAME_CREATED,
}


def _red_cell_line(state: GameState, event: Event, viewer: Viewer) -> Seen | None:
    """Who plays the adversary is public; the red cell's move is for it and control until
    the turn resolves (then the turn's line tells everyone)."""
    data = event.data
    entry: dict[str, Any] = {"kind": event.kind}
    if event.kind == EventKind.RED_MOVE_CHOSEN:
        if viewer.role not in ("control", "red_cell"):
            return None
        return entry, because(FeedLine.RED_MOVE_CHOSEN, move=str(data["move"]).replace("_", " "))
    adversary = state.adversary()
    name = adversary.name if adversary else gettext(N_("The adversary"))
    line = {
        "vacant": FeedLine.RED_CELL_OPEN,
        "human": FeedLine.RED_CELL_JOINED,
        "bot": FeedLine.RED_CELL_BOT,
    }.get(data["seat"], FeedLine.RED_CELL_TABLE)
    return entry, because(line, adversary=name)


def _seat_line(event: Event, viewer: Viewer) -> Seen:
    """Control seats a bot or takes a seat back. That a bot plays is public (the seats
    panel shows it); how it plays is for control and the seat itself."""
    data = event.data
    nation_id = data["nation_id"]
    personality = data.get("personality") if viewer.sees_privately(nation_id) else None
    entry: dict[str, Any] = {"kind": event.kind, "nation_id": nation_id}
    if event.kind == EventKind.SEAT_HANDED_TO_BOT:
        line = because(FeedLine.BOT_PLAYS, nation=nation_id)
        if personality:
            line = because(FeedLine.BOT_PLAYS_AS, nation=nation_id, personality=personality)
    elif data.get("controller") == "vacant":
        line = because(FeedLine.SEAT_AWAITS_PLAYER, nation=nation_id)
    else:
        line = because(FeedLine.PLAYERS_BACK, nation=nation_id)
    if personality:
        entry["personality"] = personality
    return entry, line


AGREEMENT_LABELS = {kind: spec.label for kind, spec in AGREEMENTS.items()}

PROPOSAL_LINES = {
    EventKind.PROPOSAL_MADE: FeedLine.PROPOSAL_MADE,
    EventKind.PROPOSAL_COUNTERED: FeedLine.PROPOSAL_COUNTERED,
    EventKind.PROPOSAL_SIGNED: FeedLine.PROPOSAL_SIGNED,
    EventKind.PROPOSAL_REJECTED: FeedLine.PROPOSAL_REJECTED,
    EventKind.PROPOSAL_WITHDRAWN: FeedLine.PROPOSAL_WITHDRAWN,
}
COALITION_LINES = {
    EventKind.COALITION_FORMED: FeedLine.COALITION_FORMED,
    EventKind.COALITION_JOINED: FeedLine.COALITION_JOINED,
    EventKind.COALITION_LEFT: FeedLine.COALITION_LEFT,
    EventKind.COALITION_DISSOLVED: FeedLine.COALITION_DISSOLVED,
}
COMMAND_LINES = {
    EventKind.AUTHORITY_TRANSFERRED: FeedLine.AUTHORITY_TRANSFERRED,
    EventKind.AUTHORITY_RECLAIMED: FeedLine.AUTHORITY_RECLAIMED,
    EventKind.RED_CARD: FeedLine.RED_CARD,
}


def _diplomatic_line(state: GameState, event: Event, viewer: Viewer) -> Seen | None:
    """Talks, deals, coalitions and injects, each to those who may know of it."""
    data, kind, actor = event.data, event.kind, event.actor
    base = {"kind": kind, "nation_id": actor}
    if kind in PROPOSAL_LINES:
        if not viewer.among(data["parties"]):
            return None
        spec = agreement_spec(data["agreement"])
        line = PROPOSAL_LINES[EventKind(kind)]
        parties = all_parties(spec, data["parties"], data.get("terms") or {})
        return base | data, because(line, who=actor, label=spec.label, parties=parties)
    if kind == EventKind.AGREEMENT_SIGNED:
        party = viewer.among(data["parties"])
        if not (party or agreement_spec(data["agreement"]).public):
            return None
        spec = agreement_spec(data["agreement"])
        signed = data if party else data | {"replaces": None}
        parties = all_parties(spec, data["parties"], data.get("terms") or {})
        return base | signed, because(FeedLine.AGREEMENT_SIGNED, label=spec.label, parties=parties)
    if kind == EventKind.MESSAGE_SENT:
        channel = state.channel(data["channel_id"])
        if channel is None or not _message_visible(
            state, channel.id, data.get("message_id", 0), viewer
        ):
            return None
        return base | data, because(
            FeedLine.MESSAGE_SENT, who=actor, channel=channel.id, text=data["text"]
        )
    if kind == EventKind.CHANNEL_OPENED:
        if not viewer.among(data["members"]):
            return None
        return base | data, because(FeedLine.CHANNEL_OPENED, who=actor, name=data["name"])
    if kind in COALITION_LINES:
        params: dict[str, Any] = {"coalition": data["coalition_id"]}
        if kind == EventKind.COALITION_FORMED:
            params["members"] = data.get("members")
        elif kind == EventKind.COALITION_JOINED:
            params["nations"] = data.get("nations")
        elif kind == EventKind.COALITION_LEFT:
            params |= {"who": actor, "why": data.get("why", "left")}
        return base | data, because(COALITION_LINES[EventKind(kind)], **params)
    if kind in COMMAND_LINES:
        # The coalition whose command it is (a nation may be in several).
        coalition = next(
            (
                c
                for c in state.coalitions_of(actor or "")
                if c.id == data.get("coalition_id") or c.lead == data.get("tasked_by")
            ),
            None,
        )
        members = list(coalition.members) if coalition else []
        if not (viewer.sees_privately(actor) or viewer.among(members)):
            return None
        return base, because(COMMAND_LINES[EventKind(kind)], who=actor)
    if kind == EventKind.PRESS_LEAK:
        # That they talked is news; which of their channels it was is not.
        leaked = data if viewer.among(data["members"]) else {"members": data["members"]}
        return base | leaked, because(FeedLine.PRESS_LEAK, members=data["members"])
    if kind == EventKind.LEADERSHIP_CHANGE:
        brief = data["brief"] if viewer.sees_privately(actor) else None
        public = {k: data[k] for k in ("leader", "support", "threshold", "withdrawn") if k in data}
        return base | {"brief": brief}, because(FeedLine.LEADERSHIP_CHANGE, who=actor, **public)
    if kind == EventKind.INJECT:
        if not (data["public"] or viewer.among(data["audience"])):
            return None
        brief = data["briefs"].get(viewer.nation_id) if viewer.nation_id else None
        private = not data["public"] and viewer.role == "nation"
        line = FeedLine.PRIVATE_INJECT if private else FeedLine.INJECT
        if viewer.role == "control":  # the white cell reads who fired it; players, the news
            by_control = fired_by(data) == "control"
            line = FeedLine.INJECT_BY_CONTROL if by_control else FeedLine.INJECT_BY_TRIGGER
        entry = base | {"name": data["name"], "brief": brief, "private": private}
        return entry, because(
            line, name=data["name"], text=data["text"], operations=data.get("operations", [])
        )
    return None
