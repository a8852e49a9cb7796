"""Seats: who plays each nation (a player, a bot, nobody yet), joining and relinking."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from app.rules.events import EventKind, SeatHandedToBot, SeatTakenBack
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.reasons import because
from app.rules.state import RED_CELL_SEAT, GameState, Phase
from app.rules.wording.rejections import RejectionReason as R


def join_seat(state: GameState, nation_id: str, now: float | None = None) -> Accepted | Rejection:
    """A human takes the seat of `nation_id` (the first join link use announces it). In a
    game whose clock waits for the first player, the first one starts it (at `now`)."""
    nation = state.nation(nation_id)
    if nation is None:
        return Rejection("unknown_nation", because(R.NO_SUCH_NATION, nation_id=nation_id))
    if nation.controller == "human":
        return Accepted(state, ())
    joined = state.replace_nation(replace(nation, controller="human"))
    events = [Event(EventKind.SEAT_JOINED, nation_id, {"nation_id": nation_id})]
    left = state.paused_remaining
    if state.starts_on_first_seat and left is not None and now is not None:
        joined = replace(
            joined, deadline=now + left, paused_remaining=None, starts_on_first_seat=False
        )
        events.append(Event(EventKind.CLOCK_RESUMED, nation_id, {"remaining": round(left)}))
    return Accepted(joined, tuple(events))


def set_controller(state: GameState, nation_id: str, controller: str) -> GameState:
    """Hand a seat to a bot (or back): for control and for simulations. A seat no bot
    plays keeps no bot personality."""
    nation = state.nation(nation_id)
    if nation is None or controller not in ("vacant", "human", "bot"):
        return state
    bot = nation.bot if controller == "bot" else None
    changed = replace(nation, controller=controller, bot=bot)  # type: ignore[arg-type]
    return state.replace_nation(changed)


def hand_seat_to_bot(state: GameState, nation_id: str, personality: str) -> Accepted | Rejection:
    """Control seats a bot of `personality` at `nation_id` (at set-up or mid-game).

    The rules keep the personality's name (`Nation.bot`); which names exist is the bots'
    business, so callers check it. The seat's "ready" is withdrawn: the bot gives its own
    orders. Handing a seat to the bot that already plays it changes nothing."""
    nation = state.nation(nation_id)
    if nation is None:
        return Rejection("unknown_nation", because(R.NO_SUCH_NATION, nation_id=nation_id))
    personality = personality.strip()
    if not personality:
        return Rejection("malformed", because(R.NO_PERSONALITY))
    if state.phase is Phase.ENDED:
        return Rejection("game_over", because(R.GAME_ENDED))
    if nation.controller == "bot" and nation.bot == personality:
        return Accepted(state, ())
    state = state.replace_nation(replace(nation, controller="bot", bot=personality))
    state = replace(state, ready=state.ready - {nation_id})
    data: SeatHandedToBot = {
        "nation_id": nation_id,
        "personality": personality,
        "previous": nation.controller,
    }
    return Accepted(state, (Event(EventKind.SEAT_HANDED_TO_BOT, None, data),))


def take_seat_back(
    state: GameState, nation_id: str, controller: Literal["human", "vacant"] = "human"
) -> Accepted | Rejection:
    """Control takes the seat of `nation_id` back from its bot, for its players ("human")
    or for whoever joins next ("vacant"). The seat is not ready: its players decide."""
    nation = state.nation(nation_id)
    if nation is None:
        return Rejection("unknown_nation", because(R.NO_SUCH_NATION, nation_id=nation_id))
    if controller not in ("human", "vacant"):
        return Rejection("malformed", because(R.SEAT_TAKEN_BACK_FOR))
    if nation.controller != "bot":
        return Rejection("not_a_bot", because(R.NOT_A_BOT, nation=nation.name))
    state = state.replace_nation(replace(nation, controller=controller, bot=None))
    state = replace(state, ready=state.ready - {nation_id})
    data: SeatTakenBack = {
        "nation_id": nation_id,
        "personality": nation.bot,
        "controller": controller,
    }
    return Accepted(state, (Event(EventKind.SEAT_TAKEN_BACK, None, data),))


def relink_seat(state: GameState, nation_id: str) -> Accepted | Rejection:
    """Control replaced the seat's join link and code (a nation's, or the red cell's):
    logged, so that every serving process closes the pages still open on the old link,
    and the record shows when."""
    if state.nation(nation_id) is None and nation_id != RED_CELL_SEAT:
        return Rejection("unknown_nation", because(R.NO_SUCH_NATION, nation_id=nation_id))
    return Accepted(state, (Event(EventKind.SEAT_RELINKED, None, {"nation_id": nation_id}),))
