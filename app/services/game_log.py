"""A change's way into the game's log: the bots' moves, the turns it settles, the rows."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app import rules
from app.bots.live import logged_action as logged_bot_action
from app.bots.live import play_bot_seats
from app.services.game_results import LoggedEvent
from app.store.models import Game
from app.store.repositories.games import GameRepository, LockedGame

log = logging.getLogger(__name__)

# Turns one change may resolve: a player's "ready" resolves at most one (the next turn
# opens with nobody ready); the bound only guards against a loop.
MAX_RESOLUTIONS = 3


@dataclass
class Pending:
    """Events one transaction will log, each with the turn it belongs to and the action
    (as logged) that caused it."""

    events: list[rules.Event] = field(default_factory=list)
    turns: list[int] = field(default_factory=list)
    actions: list[dict[str, Any] | None] = field(default_factory=list)

    def add(self, events: Sequence[rules.Event], turn: int, action: dict[str, Any] | None) -> None:
        """`turn` is the turn the events were told in; the injects a resolution fires
        as it opens the next turn belong to that turn (`event_turns`), so the feed, the
        exports and the review all label them alike."""
        self.events += events
        self.turns += event_turns(events, turn)
        self.actions += [action] * len(events)


def event_turns(events: Sequence[rules.Event], turn: int) -> list[int]:
    """The turn each of `events` belongs to, told together during `turn`: `turn`, but for
    the injects after a resolution, which fired as it opened the next turn (`next_turn`).
    What else the resolution tells (feedback, a leak, a new government) is of `turn`."""
    turns = []
    opened = turn
    for event in events:
        if event.kind == rules.EventKind.TURN_RESOLVED:
            next_turn = event.data.get("next_turn")
            opened = next_turn if isinstance(next_turn, int) else turn
        turns.append(opened if event.kind == rules.EventKind.INJECT else turn)
    return turns


def settle(
    state: rules.GameState,
    now: float,
    pending: Pending,
    *,
    before: rules.GameState | None,
) -> rules.GameState:
    """After a change: the bots play, and if every seat is now ready (or the deadline
    has passed) the turn resolves and the bots give their orders for the next."""
    state = bots_play(state, now, pending, before=before)
    for _ in range(MAX_RESOLUTIONS):
        advanced = rules.advance(state, now)
        if advanced is None:
            break
        pending.add(advanced[1], state.turn, None)
        state = bots_play(advanced[0], now, pending, before=None)
    return state


def bots_play(
    state: rules.GameState,
    now: float,
    pending: Pending,
    *,
    before: rules.GameState | None,
) -> rules.GameState:
    """Every bot-played seat takes its actions (`app.bots.live`), logged like a
    player's, each with the action marked with the bot's personality."""
    play = play_bot_seats(state, now=now, before=before)
    for move in play.moves:
        pending.add(move.events, state.turn, logged_bot_action(move))
    for nation_id, action, code in play.refused:
        log.error("bot for %s took %r, which the rules refused (%s)", nation_id, action, code)
    return play.state


def append_events(
    session: Any,
    game: Game | LockedGame,
    state: rules.GameState,
    events: Sequence[rules.Event],
    actions: Sequence[dict[str, Any] | None],
    turns: Sequence[int],
    *,
    previous: rules.GameState | None = None,
) -> list[LoggedEvent]:
    """Rows for `events`; each carries the turn it belongs to (a resolution belongs to
    the turn it resolved). `previous`: the game's state as it was stored, if the caller
    has it (else it is read from `game`)."""
    games = GameRepository(session)
    turn: object
    phase: object
    if previous is not None:
        turn, phase = previous.turn, previous.phase.value
    else:
        stored = game.state or {}  # a new game's, or a locked one's read with its state
        turn, phase = stored.get("turn"), stored.get("phase")
    opened = game.last_seq == 0 or (
        (turn != state.turn or phase != state.phase.value)
        and state.phase in (rules.Phase.ORDERS, rules.Phase.ENDED)
    )
    rows: list[dict[str, Any]] = []
    logged: list[LoggedEvent] = []
    for seq, (e, a, t) in enumerate(zip(events, actions, turns, strict=True), game.last_seq + 1):
        kind = str(e.kind)
        channel = e.data.get("channel_id") if e.kind == rules.EventKind.MESSAGE_SENT else None
        rows.append(
            {
                "game_id": game.id,
                "seq": seq,
                "turn": t,
                "kind": kind,
                "actor": e.actor,
                "action": a,
                "data": e.data,
                "channel_id": channel,
            }
        )
        logged.append(LoggedEvent(seq, t, rules.Event.from_log(kind, e.actor, e.data)))
    last_seq = game.last_seq + len(rows)
    encoded = rules.state_to_json(state)  # straight to JSON: no dict built on the way
    status = "ended" if state.phase is rules.Phase.ENDED else "active"
    if isinstance(game, LockedGame):  # an action's: the state and its events at once
        games.save_and_log(
            game, encoded, rows, deadline=state.deadline, status=status, last_seq=last_seq
        )
    else:
        games.save_state(game, encoded, deadline=state.deadline, status=status, last_seq=last_seq)
        games.log_events(rows)
    if opened:  # a turn opened (or the game ended): keep the state as it stood
        stored = rules.state_to_dict(state)
        games.add_turn_state(game.id, last_seq, state.turn, state.phase.value, stored)
    return logged
