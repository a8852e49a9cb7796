"""The red-cell bot: plays the adversary's seat when control hands it to a bot
(app/rules/red_cell.py).

It reads only what the red cell may see (the ladder, the coalitions' cohesion, the last
turn's public record) and chooses one move a turn, as a cautious revisionist would: talk
when the crisis nears open war, accept the terms once deterrence has worked at a low rung,
probe a coalition that looks weak or divided, and otherwise escalate now and then or warn.
"""

from __future__ import annotations

import random

from app.rules.action_types import RedMove
from app.rules.red_cell import DEFAULT_WORDS, legal_red_moves
from app.rules.state import RED_CELL_SEAT, GameState
from app.rules.wording.changes import ChangeReason

RED_BOT = "red"
"""The red-cell bot's personality name (the only one)."""
ESCALATE_CHANCE = 0.35


def _last_turn_showed(state: GameState) -> tuple[bool, bool]:
    """Whether the last turn showed deterrence that worked (a coalition deterring as one,
    or a hard-power success) and weakness (soft power only)."""
    if not state.records:
        return False, False
    last = state.records[-1]
    deterred = any(c.reason.code == ChangeReason.DETERRENCE for c in last.changes)
    outcomes = state.outcomes_of_turn(last.turn)
    hard = [o for o in outcomes if (op := state.operation(o.operation_id)) and op.power == "hard"]
    coerced = any(o.result == "success" for o in hard)
    soft_only = bool(outcomes) and not hard
    return deterred or coerced, soft_only


def choose_red_move(state: GameState, rng: random.Random) -> RedMove | None:
    """The bot's move this turn, among the legal ones (None if it has none)."""
    legal = {m.move: m for m in legal_red_moves(state, RED_CELL_SEAT)}
    adversary = state.adversary()
    reaction = adversary.reaction if adversary else None
    if not legal or reaction is None:
        return None
    ladder = state.escalation
    united = any(c.active and c.cohesion >= reaction.divided_below for c in state.coalitions)
    worked, soft_only = _last_turn_showed(state)
    wanted: list[str] = []
    if ladder.level >= ladder.threshold - 1 and united:
        wanted.append("offer_talks")  # open war against a united coalition is lost
    if reaction.backs_down_at is not None and ladder.level <= reaction.backs_down_at and worked:
        wanted.append("accept_terms")
    if not united or soft_only:
        wanted.append("probe")
    if ladder.level < ladder.threshold - 2 and rng.random() < ESCALATE_CHANCE:
        wanted.append("escalate")
    wanted += ["signal", "hold"]
    move = next(m for m in wanted if m in legal)
    return RedMove(move, DEFAULT_WORDS.get(move, ""))
