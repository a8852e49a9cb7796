"""Player actions behind one registry keyed by their kind: `parse_action` builds one from
untrusted input, `apply` checks and applies it, `legal_actions` lists the valid ones.

Each kind has its `ActionSpec` (`common.py`): its dataclass (`app/rules/action_types.py`),
`parse`, `check`, `apply` and what it `offers` to `legal_actions`, grouped by family:
`orders` (commit, withdraw, transfer, reclaim, red_card), `talks` (message,
open_channel, leave_coalition and the proposal actions), `legitimacy` (request_mandate)
and `readiness` (ready).
`apply` and `legal_actions` share the same checks (`check`), so the UI, the bots and the
property tests can never disagree about what is legal. Every action is taken during the
orders phase of a turn, which is also when nations negotiate: talks and orders run side
by side until the deadline or until every seat is ready.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, get_args

from app.rules import red_cell
from app.rules.action_types import (
    Action,
    CommitUnit,
    Counter,
    LeaveCoalition,
    OpenChannel,
    Propose,
    ReclaimUnit,
    RedCard,
    RedMove,
    RejectProposal,
    SendMessage,
    SetReady,
    Sign,
    TransferAuthority,
    WithdrawProposal,
    WithdrawUnit,
)
from app.rules.actions import legitimacy, orders, readiness, talks
from app.rules.actions.common import ActionSpec, UnknownAction
from app.rules.actions.orders import caveat_rejection
from app.rules.actions.talks import AGREEMENT_KINDS, MAX_MESSAGE_LENGTH
from app.rules.events import EventKind
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.reasons import because
from app.rules.seats import (
    hand_seat_to_bot,
    join_seat,
    relink_seat,
    set_controller,
    take_seat_back,
)
from app.rules.state import RED_CELL_SEAT, GameState, Nation, Phase, replace_state
from app.rules.text import structure_problem
from app.rules.wording.rejections import RejectionReason as R

# The action types and results live in `action_types` and `outcomes` (so that
# `diplomacy` need not import this package), the seats in `seats`; they are re-exported
# from here.
__all__ = [
    "ACTIONS",
    "AGREEMENT_KINDS",
    "MAX_MESSAGE_LENGTH",
    "ORDER_ACTIONS",
    "Accepted",
    "Action",
    "ActionSpec",
    "CommitUnit",
    "Counter",
    "Event",
    "LeaveCoalition",
    "OpenChannel",
    "Propose",
    "ReclaimUnit",
    "RedCard",
    "RejectProposal",
    "Rejection",
    "SendMessage",
    "SetReady",
    "Sign",
    "TransferAuthority",
    "UnknownAction",
    "WithdrawProposal",
    "WithdrawUnit",
    "action_spec",
    "apply",
    "caveat_rejection",
    "check",
    "hand_seat_to_bot",
    "join_seat",
    "legal_actions",
    "parse_action",
    "relink_seat",
    "set_controller",
    "take_seat_back",
]

# In the order `legal_actions` lists their candidates.
ACTIONS: dict[str, ActionSpec[Any]] = {
    spec.kind: spec
    for spec in (
        readiness.READY,
        orders.WITHDRAW,
        orders.COMMIT,
        orders.RECLAIM,
        orders.RED_CARD,
        orders.TRANSFER,
        talks.LEAVE_COALITION,
        talks.SIGN,
        talks.REJECT,
        talks.WITHDRAW_PROPOSAL,
        talks.PROPOSE,
        talks.COUNTER,
        talks.MESSAGE,
        talks.OPEN_CHANNEL,
        legitimacy.REQUEST_MANDATE,
    )
}
# The red cell's move is the one action no nation takes: `red_cell` parses, checks and
# applies it for the adversary's seat.
assert set(ACTIONS) | {RedMove.kind} == {a.kind for a in get_args(Action)}, (
    "every Action has its entry"
)

# Actions that change a nation's orders withdraw its "ready": nobody is resolved on orders
# they are still editing. Talking does not.
ORDER_ACTIONS: tuple[type[Any], ...] = tuple(
    spec.action for spec in ACTIONS.values() if spec.changes_orders
)


def action_spec(kind: str) -> ActionSpec[Any]:
    """The registry's entry for `kind`; `UnknownAction` (a `KeyError`) if there is none."""
    try:
        return ACTIONS[kind]
    except KeyError:
        raise UnknownAction(kind) from None


def parse_action(data: Any) -> Action | Rejection:
    """Build an action from untrusted input (a form or JSON body); never raises."""
    if not isinstance(data, dict):
        return Rejection("malformed", because(R.NOT_AN_OBJECT))
    problem = structure_problem(data)
    if problem is not None:
        where, fault = problem
        return Rejection(
            "bad_text",
            because(R.BAD_TEXT, where=where, fault=fault.code, fault_params=dict(fault.params)),
        )
    kind = data.get("kind")
    if kind == RedMove.kind:
        return red_cell.parse(data)
    spec = ACTIONS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        return Rejection("unknown_action", because(R.UNKNOWN_ACTION, kind=kind))
    parsed: Action | Rejection = spec.parse(data)
    return parsed


def check(state: GameState, nation: Nation, action: Action) -> Rejection | None:
    """Why `nation` may not take `action` now (None: it may): the phase, then its kind's."""
    if state.phase is not Phase.ORDERS:
        return Rejection("wrong_phase", because(R.WRONG_PHASE, phase=state.phase.value))
    refused: Rejection | None = action_spec(action.kind).check(state, nation, action)
    return refused


def apply(state: GameState, actor: str, action: Action) -> Accepted | Rejection:
    """Apply `action` by nation `actor` (or the red cell's seat); never raises for a bad
    action."""
    if isinstance(action, RedMove) or actor == RED_CELL_SEAT:
        if not isinstance(action, RedMove):  # the red cell takes no nation's actions
            return Rejection("not_a_nation", because(R.RED_CELL_NOT_A_NATION))
        return red_cell.apply(state, actor, action)
    nation = state.nation(actor)
    if nation is None:
        return Rejection("unknown_nation", because(R.NO_SUCH_NATION, nation_id=actor))
    rejection = check(state, nation, action)
    if rejection is not None:
        return rejection
    spec = action_spec(action.kind)
    result: Accepted = spec.apply(state, nation, action)
    if spec.changes_orders and actor in state.ready:
        # Changed orders reopen them: said aloud, since several people may share a seat.
        reopened = Event(EventKind.READY_CHANGED, actor, {"nation_id": actor, "ready": False})
        reopened_state = replace_state(result.state, ready=result.state.ready - {actor})
        result = Accepted(reopened_state, (*result.events, reopened))
    return result


def legal_actions(
    state: GameState, actor: str, kinds: Collection[str] | None = None
) -> list[Action]:
    """Every action `actor` may take now, in a stable order (the registry's, then each
    kind's); with `kinds`, only those of these kinds (the same, in the same order: a page
    that shows orders need not check the canonical proposals).

    Orders are listed exhaustively. Talks are open-ended (any text, any terms), so they are
    represented by a canonical set: an answer to each proposal addressed to the actor and
    one standard proposal of each kind to each partner — what a bot needs to negotiate.
    """
    if actor == RED_CELL_SEAT:
        moves = red_cell.legal_red_moves(state, actor)
        return [m for m in moves if kinds is None or m.kind in kinds]
    nation = state.nation(actor)
    if nation is None or state.phase is not Phase.ORDERS:
        return []
    legal: list[Action] = []
    for kind, spec in ACTIONS.items():
        if kinds is not None and kind not in kinds:
            continue
        # The phase is checked above, once for all. A list made in one comprehension, its
        # check looked up once: a nation's page lists some sixty offers after each order.
        check_offer = spec.check
        legal += [a for a in spec.offers(state, nation) if check_offer(state, nation, a) is None]
    return legal
