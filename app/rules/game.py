"""Starting a game and advancing its clock."""

from __future__ import annotations

from app.rules.control import end_orders_phase
from app.rules.events import EventKind
from app.rules.injects import fire
from app.rules.ledger import Ledger
from app.rules.outcomes import Event
from app.rules.resolution import phase_should_end
from app.rules.state import Escalation, GameState, Nation, Operation, Phase, Region


def new_game(
    *,
    seed: int,
    turns: int,
    orders_seconds: int,
    regions: tuple[Region, ...],
    nations: tuple[Nation, ...],
    operations: tuple[Operation, ...],
    escalation: Escalation,
    now: float,
) -> tuple[GameState, tuple[Event, ...]]:
    state = GameState(
        seed=seed,
        turn=1,
        turns=turns,
        phase=Phase.ORDERS,
        deadline=now + orders_seconds,
        orders_seconds=orders_seconds,
        regions=regions,
        nations=nations,
        operations=operations,
        escalation=escalation,
    )
    return state, (Event(EventKind.GAME_CREATED, None, {"seed": seed}),)


def advance(state: GameState, now: float) -> tuple[GameState, tuple[Event, ...]] | None:
    """Advance the clock to `now`: resolve the turn if its phase is over (or, with control's
    hold, wait for control to adjudicate it), else None."""
    if not phase_should_end(state, now):
        return None
    return end_orders_phase(state, now)


def open_first_turn(state: GameState) -> tuple[GameState, tuple[Event, ...]]:
    """The first turn's intelligence phase: fire the injects that hold at the start (a
    scenario may open with a crisis event). Later turns fire theirs on resolution."""
    ledger = Ledger()
    state, _fired, events = fire(state, ledger)
    return ledger.keep_pending(state), tuple(events)
