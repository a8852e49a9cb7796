"""Bots at the table of a live game: the seats control has handed to a bot.

A seat is a bot's when its nation's `controller` is "bot"; `Nation.bot` names the
personality (one of `PERSONALITIES`, or "profile": the personality its political profile
suggests, as `StrategyPlan.from_profiles` gives it, re-read each time so that a new
government brings its own). `play_bot_seats` lets those bots take their actions in the
orders phase, through `rules.apply` only, and returns the new state with every action
and the events to log.

Like the rules it is pure: no database, web, clock or global randomness. The service
passes the time in, and each bot draws from its own generator seeded with the game seed,
the turn, its nation and the round, so a game replays the same.

When it runs (the service calls it after every change it commits): in a new orders phase
every bot plays; later in the turn only a bot that is not ready, or whose view of the game
(`view_key`: what its decision reads) differs from what it was before the change, plays
again: a proposal addressed to it is answered, while a partner's orders, which it never
reads, do not wake it. It plays a few rounds at most, stops at the first quiet round,
and every bot ends ready (a bot that is ready already never says so again).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from app.bots.base import BaseBot
from app.bots.personalities import PERSONALITIES, make_bot
from app.bots.red_cell import RED_BOT, choose_red_move
from app.bots.simulate import DEFAULT_PERSONALITY, PROFILE_PERSONALITY, PROFILE_STRATEGY
from app.rules import actions as acts
from app.rules.actions import Action, Event, SetReady
from app.rules.state import RED_CELL_SEAT, GameState, Nation, Phase

__all__ = [
    "BOT_PERSONALITIES",
    "LIVE_ROUNDS",
    "PROFILE",
    "BotMove",
    "BotPlay",
    "bot_seats",
    "logged_action",
    "personality_of",
    "play_bot_seats",
]

PROFILE = PROFILE_STRATEGY
"""The personality name that means "as the nation's political profile suggests"."""
BOT_PERSONALITIES: tuple[str, ...] = (*PERSONALITIES, PROFILE)
"""Every name a live seat's bot may have."""
LIVE_ROUNDS = 4
"""At most this many rounds each time the bots play (they stop at the first quiet one)."""


def personality_of(nation: Nation) -> str:
    """The personality that plays `nation` now (a name in `PERSONALITIES`)."""
    name = nation.bot or PROFILE
    if name in PERSONALITIES:
        return name
    # "profile" (or a name no bot has, which a seat should never carry).
    return PROFILE_PERSONALITY.get(nation.profile, DEFAULT_PERSONALITY)


def bot_seats(state: GameState) -> tuple[str, ...]:
    """The nations a bot plays, in the state's order."""
    return tuple(n.id for n in state.nations if n.controller == "bot")


@dataclass(frozen=True)
class BotMove:
    """One action a bot took for `nation_id`, and the events the rules gave for it."""

    nation_id: str
    personality: str  # the personality that played ("profile" resolved to one)
    action: Action
    events: tuple[Event, ...]


@dataclass(frozen=True)
class BotPlay:
    """The state after the bots played, and what they did, in order."""

    state: GameState
    moves: tuple[BotMove, ...] = ()
    # Actions a bot returned that the rules refused (a bot bug: tests expect none).
    refused: tuple[tuple[str, Action, str], ...] = ()

    @property
    def events(self) -> list[tuple[str, Event]]:
        """(nation that acted, event), in order: what to log."""
        return [(m.nation_id, e) for m in self.moves for e in m.events]


def logged_action(move: BotMove) -> dict[str, Any]:
    """The action as the event log keeps it: like a player's parsed action (so a replay
    can `rules.parse_action` it), marked with the personality of the bot that took it."""
    return {"nation_id": move.nation_id, "bot": move.personality, **dataclasses.asdict(move.action)}


def _rng(state: GameState, nation_id: str, round_: int) -> random.Random:
    """A bot's own generator for one round of one turn of this game."""
    return random.Random(f"live-bot:{state.seed}:{state.turn}:{nation_id}:{round_}")


def _order_rng(state: GameState, round_: int) -> random.Random:
    """The order in which the bots move in one round."""
    return random.Random(f"live-bot-order:{state.seed}:{state.turn}:{round_}")


def _viewer_key(bot: BaseBot) -> Callable[[GameState, str], tuple[object, ...]]:
    """The bot's `view_key`, blind to who holds the seats: no bot reads that, so a player
    joining or a seat changing hands does not make every bot think again."""

    def key(state: GameState, nation_id: str) -> tuple[object, ...]:
        seatless = tuple(
            dataclasses.replace(n, controller="vacant", bot=None) for n in state.nations
        )
        return bot.view_key(dataclasses.replace(state, nations=seatless), nation_id)

    return key


def play_bot_seats(
    state: GameState,
    *,
    now: float | None = None,
    before: GameState | None = None,
    rounds: int = LIVE_ROUNDS,
) -> BotPlay:
    """Let every bot-played seat of `state` take its actions in the orders phase.

    `before`: the state before the change that has just been made, when the bots had
    played up to it (the service passes it after a player's action); a bot that is ready
    and sees the game as it did then does not play again. None: every bot plays (a new
    turn, a new seat). `now`: past the phase's deadline the bots give no more orders (the
    turn is due to resolve). Deterministic for given arguments."""
    if state.phase is not Phase.ORDERS:
        return BotPlay(state)
    if now is not None and state.deadline is not None and now >= state.deadline:
        return BotPlay(state)
    seats = bot_seats(state)
    if not seats:
        return _play_red_cell(state, BotPlay(state))
    bots: dict[str, BaseBot] = {}
    personalities: dict[str, str] = {}
    for nation in state.nations:
        if nation.id in seats:
            personalities[nation.id] = personality_of(nation)
            bots[nation.id] = make_bot(personalities[nation.id])
    keys = {n: _viewer_key(bot) for n, bot in bots.items()}
    seen: dict[str, tuple[object, ...]] = {}  # what each bot saw when it last played
    if before is not None and before.phase is Phase.ORDERS and before.turn == state.turn:
        for nation_id in seats:
            earlier, current = before.nation(nation_id), state.nation(nation_id)
            if earlier is None or current is None or earlier.controller != "bot":
                continue  # a seat just handed to a bot: it plays
            if earlier.bot == current.bot:
                seen[nation_id] = keys[nation_id](before, nation_id)
    moves: list[BotMove] = []
    refused: list[tuple[str, Action, str]] = []

    def take(nation_id: str, action: Action) -> bool:
        nonlocal state
        result = acts.apply(state, nation_id, action)
        if isinstance(result, acts.Rejection):
            refused.append((nation_id, action, result.code))
            return False
        state = result.state
        if result.events:
            moves.append(BotMove(nation_id, personalities[nation_id], action, result.events))
        return True

    order = list(seats)
    for round_ in range(max(1, rounds)):
        _order_rng(state, round_).shuffle(order)
        busy = False
        for nation_id in order:
            key = keys[nation_id]
            if nation_id in state.ready and seen.get(nation_id) == key(state, nation_id):
                continue  # ready, and nothing it reads has changed since it last played
            rng = _rng(state, nation_id, round_)
            for action in bots[nation_id].decide(state, nation_id, rng):
                if take(nation_id, action) and not isinstance(action, SetReady):
                    busy = True
            seen[nation_id] = key(state, nation_id)
        if not busy:
            break  # a quiet round: the next would be the same
    for nation_id in seats:  # every bot ends ready (a bot's own orders end with it)
        if nation_id not in state.ready:
            take(nation_id, SetReady(True))
    return _play_red_cell(state, BotPlay(state, tuple(moves), tuple(refused)))


def _play_red_cell(state: GameState, play: BotPlay) -> BotPlay:
    """The red-cell bot's move, once a turn, after the nations' bots (it cannot see their
    orders: the move is chosen from what the red cell may see)."""
    cell = state.red_cell
    if cell is None or cell.seat != "bot" or cell.move is not None:
        return play
    rng = random.Random(f"live-red-cell:{state.seed}:{state.turn}")
    action = choose_red_move(state, rng)
    if action is None:
        return play
    result = acts.apply(state, RED_CELL_SEAT, action)
    if isinstance(result, acts.Rejection):
        return replace(play, refused=(*play.refused, (RED_CELL_SEAT, action, result.code)))
    move = BotMove(RED_CELL_SEAT, RED_BOT, action, result.events)
    return BotPlay(result.state, (*play.moves, move), play.refused)
