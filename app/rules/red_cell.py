"""The red cell: a student (or a bot) seated as the scenario's adversary
(docs/rules/adversary.md, "The red cell").

Without a red cell the adversary's reaction table chooses all its moves. With one, the
seat chooses the adversary's *initiative* each turn, one move among `RED_MOVES`, while the
rules keep what force, promises and chance do: the table still answers each hard-power
operation (its forces fight back), answers crossed red lines (its promises), adds the
crisis's drift and momentum, and rolls the miscalculation. The seat's move replaces the
table's own probe and its backing down:

- `hold`: no initiative this turn.
- `escalate`: climb the ladder by `ESCALATE_PRESSURE`.
- `probe`: test the coalition; it gains the table's `probe` per sign of weakness the turn
  shows (soft power only, divided, nobody deterring as one), and with no sign the probe
  is rebuffed and gives ground (`-probe`): credible deterrence works.
- `signal`: a public statement (a warning, a red line drawn aloud); no pressure.
- `offer_talks`: an opening for talks, with terms if it likes: relieves `TALKS_RELIEF`.
- `accept_terms`: the adversary accepts the coalition's terms and the crisis ends with the
  turn, as when the table backs down.

The move stays hidden until the turn resolves, as every nation's orders do under the fog;
then it is in the turn's record (`TurnRecord.adversary`) and its public feed line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast, get_args

from app.rules.action_types import RedMove
from app.rules.events import EventKind, RedCellSeated, RedMoveChosen
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.reasons import because
from app.rules.state import (
    RED_CELL_SEAT,
    AdversaryMove,
    GameState,
    Phase,
    RedCell,
    RedMoveKind,
    RedSeat,
)
from app.rules.text import text_fault
from app.rules.wording.base import N_
from app.rules.wording.changes import RED_CELL_DEFAULT_WORDS, ChangeReason
from app.rules.wording.rejections import RejectionReason as R

RED_MOVES: tuple[RedMoveKind, ...] = get_args(RedMoveKind)
ESCALATE_PRESSURE = 1.0  # one rung: a deliberate step up the ladder
TALKS_RELIEF = -0.5  # half a rung: an opening for talks calms the crisis
MAX_RED_TEXT = 500

# What a bot (and `legal_red_moves`) says when its move needs words.
DEFAULT_WORDS = RED_CELL_DEFAULT_WORDS


def seated(state: GameState) -> bool:
    """Whether a red cell (a person or a bot) chooses the adversary's initiative now; a
    seat opened but not yet taken leaves it to the reaction table."""
    return state.red_cell is not None and state.red_cell.seat in ("human", "bot")


def _refuse(code: str, reason: R, **params: Any) -> Rejection:
    return Rejection(code, because(reason, **params))


def parse(data: dict[str, Any]) -> RedMove | Rejection:
    move = data.get("move")
    if not isinstance(move, str) or move not in RED_MOVES:
        return _refuse("malformed", R.RED_MOVE_UNKNOWN, move=move, moves=list(RED_MOVES))
    text = data.get("text", "")
    if not isinstance(text, str):
        return _refuse("malformed", R.RED_TEXT_NOT_TEXT)
    text = " ".join(text.split())
    problem = text_fault(text, max_length=MAX_RED_TEXT, one_line=True)
    if problem is not None:
        return Rejection(
            "bad_text",
            because(
                R.BAD_TEXT, where="text", fault=problem.code, fault_params=dict(problem.params)
            ),
        )
    return RedMove(move, text)


def check(state: GameState, actor: str, action: RedMove) -> Rejection | None:
    """Why the seat `actor` may not make this move now (None: it may)."""
    adversary = state.adversary()
    if actor != RED_CELL_SEAT or adversary is None or state.red_cell is None:
        return _refuse("not_red_cell", R.NOT_RED_CELL)
    if state.phase is not Phase.ORDERS:
        return _refuse("wrong_phase", R.WRONG_PHASE, phase=state.phase.value)
    reaction = adversary.reaction
    if action.move == "escalate" and state.escalation.level >= state.escalation.max:
        return _refuse("ladder_top", R.LADDER_AT_TOP, level=state.escalation.level)
    if action.move == "probe" and (reaction is None or reaction.probe <= 0):
        return _refuse("no_probes", R.NO_PROBES)
    if action.move == "signal" and not action.text:
        return _refuse("malformed", R.SIGNAL_NEEDS_WORDS)
    if action.move == "accept_terms":
        # The crisis ends early only where the scenario lets it, and only once it has come
        # down to its rung: one student cannot end the class's exercise on turn 1.
        at = reaction.backs_down_at if reaction else None
        if at is None:
            return _refuse("no_terms", R.NO_TERMS_IN_THIS_CRISIS)
        if state.escalation.level > at:
            return _refuse("terms_not_yet", R.TERMS_NOT_YET, at=at, level=state.escalation.level)
    return None


def apply(state: GameState, actor: str, action: RedMove) -> Accepted | Rejection:
    """The red cell chooses (or changes) its move for the turn: it stays hidden until the
    turn resolves, and choosing says the seat is ready."""
    refused = check(state, actor, action)
    if refused is not None:
        return refused
    assert state.red_cell is not None
    cell = replace(state.red_cell, move=cast(RedMoveKind, action.move), text=action.text)
    data: RedMoveChosen = {"move": action.move}
    return Accepted(
        replace(state, red_cell=cell, ready=state.ready | {RED_CELL_SEAT}),
        (Event(EventKind.RED_MOVE_CHOSEN, RED_CELL_SEAT, data),),
    )


def legal_red_moves(state: GameState, actor: str) -> list[RedMove]:
    """Every move the red cell may make now, with the default words where it needs some."""
    candidates = [RedMove(move, DEFAULT_WORDS.get(move, "")) for move in RED_MOVES]
    return [m for m in candidates if check(state, actor, m) is None]


def seat_red_cell(
    state: GameState, seat: RedSeat | None, bot: str | None = None
) -> Accepted | Rejection:
    """Control opens the red cell's seat (`vacant`: for whoever takes its link), a student
    takes it (`human`), a bot of `bot`'s personality plays it, or control gives the
    adversary back to its reaction table (None). A seat that changes hands starts the
    turn without a move and not ready. Only an adversary with a reaction table can be
    played: the table still answers force, red lines and chance."""
    adversary = state.adversary()
    if adversary is None or adversary.reaction is None:
        return _refuse("no_adversary", R.NO_ADVERSARY)
    if state.phase is Phase.ENDED:
        return _refuse("game_over", R.GAME_ENDED)
    before = state.red_cell
    if (before.seat if before else None) == seat and (before.bot if before else None) == bot:
        return Accepted(state, ())
    cell = None if seat is None else RedCell(seat=seat, bot=bot if seat == "bot" else None)
    data: RedCellSeated = {"seat": seat, "bot": bot if seat == "bot" else None}
    return Accepted(
        replace(state, red_cell=cell, ready=state.ready - {RED_CELL_SEAT}),
        (Event(EventKind.RED_CELL_SEATED, None, data),),
    )


def chosen(state: GameState) -> bool:
    """Whether the red cell chose a move this turn; if it did not (absent, or its clock
    ran out), the reaction table takes the initiative for it, probe included."""
    return state.red_cell is not None and state.red_cell.move is not None


def initiative(
    state: GameState, signs: dict[str, bool], probe: float, divided_below: int
) -> AdversaryMove | None:
    """The red cell's move of the turn as an adversary move (None for `hold`, for no move,
    and for `accept_terms`, which `settles` reads). `signs` are the turn's signs of
    weakness (as the table's probe reads them), `probe` the table's pressure per sign and
    `divided_below` the cohesion under which a coalition looks divided."""
    cell = state.red_cell
    if cell is None or cell.move in (None, "hold", "accept_terms"):
        return None
    if cell.move == "escalate":
        return AdversaryMove(
            "escalate", ESCALATE_PRESSURE, because(ChangeReason.RED_CELL_ESCALATES)
        )
    if cell.move == "probe":
        count = sum(signs.values())
        pressure = probe * count if count else -probe
        return AdversaryMove(
            "probe",
            round(pressure, 3),
            because(ChangeReason.RED_CELL_PROBES, rebuffed=not count, below=divided_below, **signs),
        )
    if cell.move == "signal":
        return AdversaryMove("signal", 0.0, because(ChangeReason.RED_CELL_SIGNALS, text=cell.text))
    return AdversaryMove(
        "offer_talks", TALKS_RELIEF, because(ChangeReason.RED_CELL_OFFERS_TALKS, text=cell.text)
    )


def settles(state: GameState) -> AdversaryMove | None:
    """The red cell's acceptance of the coalition's terms, which ends the crisis."""
    cell = state.red_cell
    if cell is None or not seated(state) or cell.move != "accept_terms":
        return None
    return AdversaryMove(
        "back_down", 0.0, because(ChangeReason.RED_CELL_ACCEPTS_TERMS, text=cell.text)
    )


def cleared(state: GameState) -> GameState:
    """The next turn starts with no move chosen."""
    if state.red_cell is None or state.red_cell.move is None:
        return state
    return replace(state, red_cell=replace(state.red_cell, move=None, text=""))


@dataclass(frozen=True)
class RedScorecard:
    """How the adversary fared (the red cell's after-action scorecard): what it did, what
    the coalition achieved against it, and its score (docs/rules/adversary.md)."""

    moves: dict[str, int]  # how often each kind of move was made, over the game
    peak: int
    threshold: int
    reached_threshold: bool
    backed_down_turn: int | None
    operations_completed: int
    operations_denied: int  # failed, or still open when the game ended
    collapses: int
    defections: int
    score: int
    lines: tuple[tuple[str, int], ...]  # each part of the score: its words and points


def scorecard(state: GameState) -> RedScorecard:
    """The adversary's scorecard, from the turn records: the red cell's (or, without one,
    the reaction table's) moves and what they achieved. The adversary wants to hold its
    gains without war: it scores for every coalition operation it denies and every
    coalition that breaks, and for holding out; it loses heavily if the crisis goes past
    the threshold (open war it cannot win)."""
    moves: dict[str, int] = {}
    backed_down: int | None = None
    collapses = defections = 0
    for record in state.records:
        for move in record.adversary:
            moves[move.kind] = moves.get(move.kind, 0) + 1
            if move.kind == "back_down":
                backed_down = record.turn
        for change in record.changes:
            # Counted once, on the coalition's own line (its consequences share the code).
            if not change.subject.startswith("cohesion:"):
                continue
            code = change.reason.code
            collapses += code == ChangeReason.COALITION_COLLAPSES
            defections += code == ChangeReason.DEFECTION
    completed = sum(o.status == "completed" for o in state.operations)
    ended = state.phase is Phase.ENDED
    # Denied: failed, or (once the game is over) opened and never completed.
    denied = sum(
        o.status == "failed" or (ended and o.status == "open" and o.opens_turn <= state.turn)
        for o in state.operations
    )
    reached = state.escalation.peak >= state.escalation.threshold
    opening = state.escalation.opening
    climbed = max(0, state.escalation.peak - (opening if opening is not None else 0))
    lines = (
        (N_("coalition operations denied (2 each)"), 2 * denied),
        (N_("coalitions broken (10 each)"), 10 * collapses),
        (N_("defections (4 each)"), 4 * defections),
        (N_("pressure: rungs climbed below the threshold (2 each)"), 0 if reached else 2 * climbed),
        (N_("held out to the end (no backing down)"), 0 if backed_down else 10),
        (N_("the crisis went past its threshold: open war"), -15 if reached else 0),
    )
    return RedScorecard(
        moves=moves,
        peak=state.escalation.peak,
        threshold=state.escalation.threshold,
        reached_threshold=reached,
        backed_down_turn=backed_down,
        operations_completed=completed,
        operations_denied=denied,
        collapses=collapses,
        defections=defections,
        score=sum(points for _, points in lines),
        lines=lines,
    )
