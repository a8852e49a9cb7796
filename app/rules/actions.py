"""Player actions: `apply` validates and applies one, `legal_actions` lists the valid ones.

Both share the same checks (`_check`), so the UI, the bots and the property tests can
never disagree about what is legal. Every action is taken during the orders phase of a
turn, which is also when nations negotiate: talks and orders run side by side until the
deadline or until every seat is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, get_args

from app.rules import diplomacy
from app.rules.action_types import (
    Action,
    CommitUnit,
    Counter,
    LeaveCoalition,
    OpenChannel,
    Propose,
    ReclaimUnit,
    RedCard,
    RejectProposal,
    SendMessage,
    SetReady,
    Sign,
    TransferAuthority,
    WithdrawProposal,
    WithdrawUnit,
)
from app.rules.events import EventKind, Payload, UnitMoved
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.seats import (
    hand_seat_to_bot,
    join_seat,
    relink_seat,
    set_controller,
    take_seat_back,
)
from app.rules.state import (
    AgreementKind,
    Channel,
    Commitment,
    GameState,
    Nation,
    Phase,
    Transfer,
    Unit,
)
from app.rules.text import MAX_NAME_LENGTH, structure_problem, text_problem

MAX_MESSAGE_LENGTH = 2000

# The action types and results live in `action_types` and `outcomes` (so that
# `diplomacy` need not import this module), the seats in `seats`; they are re-exported
# from here.
__all__ = [
    "AGREEMENT_KINDS",
    "MAX_MESSAGE_LENGTH",
    "ORDER_ACTIONS",
    "Accepted",
    "Action",
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
    "WithdrawProposal",
    "WithdrawUnit",
    "apply",
    "caveat_rejection",
    "hand_seat_to_bot",
    "join_seat",
    "legal_actions",
    "parse_action",
    "relink_seat",
    "set_controller",
    "take_seat_back",
]


# Actions that change a nation's orders withdraw its "ready": nobody is resolved on orders
# they are still editing. Talking does not.
ORDER_ACTIONS = (CommitUnit, WithdrawUnit, TransferAuthority, ReclaimUnit, RedCard)


# How HTML forms spell booleans.
_FORM_BOOLEANS = {
    "true": True,
    "1": True,
    "yes": True,
    "on": True,
    "false": False,
    "0": False,
    "no": False,
    "off": False,
}

AGREEMENT_KINDS: tuple[str, ...] = get_args(AgreementKind)


def _text(data: dict[str, Any], key: str, what: str) -> str | Rejection:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        return Rejection("malformed", f"Give {what}.")
    return value.strip()


def _terms(value: Any) -> dict[str, str | int] | Rejection:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int) and not isinstance(v, bool)
        for k, v in value.items()
    ):
        return Rejection("malformed", "'terms' must map names to text or whole numbers.")
    return dict(value)


def _id_list(value: Any) -> tuple[str, ...] | None:
    """A list of ids from JSON (a list) or a form (a comma-separated string)."""
    if isinstance(value, str):
        value = [v for v in (part.strip() for part in value.split(",")) if v]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(value)


def parse_action(data: Any) -> Action | Rejection:
    """Build an action from untrusted input (a form or JSON body); never raises."""
    if not isinstance(data, dict):
        return Rejection("malformed", "An action must be an object with a 'kind'.")
    problem = structure_problem(data)
    if problem is not None:
        where, why = problem
        return Rejection("bad_text", f"'{where}' {why}.")
    kind = data.get("kind")
    single_ids: dict[str, tuple[str, str, Callable[[str], Action]]] = {
        "withdraw": ("unit_id", "a unit to withdraw", lambda v: WithdrawUnit(v)),
        "sign": ("agreement_id", "the proposal to sign", lambda v: Sign(v)),
        "reject": ("agreement_id", "the proposal to reject", lambda v: RejectProposal(v)),
        "withdraw_proposal": (
            "agreement_id",
            "the proposal to withdraw",
            lambda v: WithdrawProposal(v),
        ),
        "reclaim": ("unit_id", "the unit to reclaim", lambda v: ReclaimUnit(v)),
        "red_card": ("unit_id", "the unit whose tasking you refuse", lambda v: RedCard(v)),
        "leave_coalition": (
            "coalition_id",
            "the coalition to leave",
            lambda v: LeaveCoalition(v),
        ),
    }
    if isinstance(kind, str) and kind in single_ids:
        key, what, build = single_ids[kind]
        value = _text(data, key, what)
        return value if isinstance(value, Rejection) else build(value)
    if kind == "commit":
        unit_id = _text(data, "unit_id", "a unit to commit")
        if isinstance(unit_id, Rejection):
            return Rejection("malformed", "Choose a unit to commit.")
        operation_id = _text(data, "operation_id", "an operation")
        if isinstance(operation_id, Rejection):
            return Rejection("malformed", "Choose an operation to commit the unit to.")
        return CommitUnit(unit_id=unit_id, operation_id=operation_id)
    if kind == "ready":
        ready = data.get("ready")
        if isinstance(ready, str):
            ready = _FORM_BOOLEANS.get(ready.strip().lower())
        if not isinstance(ready, bool):
            return Rejection("malformed", "'ready' must be true or false.")
        return SetReady(ready=ready)
    if kind == "propose":
        agreement = data.get("agreement")
        if agreement not in AGREEMENT_KINDS:
            return Rejection(
                "malformed", f"'agreement' must be one of: {', '.join(AGREEMENT_KINDS)}."
            )
        parties = _id_list(data.get("parties"))
        if parties is None:
            return Rejection("malformed", "'parties' must list the nations party to the deal.")
        terms = _terms(data.get("terms"))
        if isinstance(terms, Rejection):
            return terms
        return Propose(agreement, parties, terms)
    if kind == "counter":
        agreement_id = _text(data, "agreement_id", "the proposal to counter")
        if isinstance(agreement_id, Rejection):
            return agreement_id
        terms = _terms(data.get("terms"))
        if isinstance(terms, Rejection):
            return terms
        return Counter(agreement_id, terms)
    if kind == "message":
        channel_id = _text(data, "channel_id", "a channel")
        if isinstance(channel_id, Rejection):
            return channel_id
        text = _text(data, "text", "a message")
        if isinstance(text, Rejection):
            return text
        return SendMessage(channel_id, text)
    if kind == "open_channel":
        members = _id_list(data.get("members"))
        if members is None:
            return Rejection("malformed", "'members' must list the nations in the channel.")
        name = data.get("name", "")
        return OpenChannel(members, name.strip() if isinstance(name, str) else "")
    if kind == "transfer":
        unit_id = _text(data, "unit_id", "the unit to place under coalition command")
        if isinstance(unit_id, Rejection):
            return unit_id
        coalition_id = _text(data, "coalition_id", "the coalition")
        if isinstance(coalition_id, Rejection):
            return coalition_id
        return TransferAuthority(unit_id, coalition_id)
    return Rejection("unknown_action", f"Unknown action kind {kind!r}.")


# --- checks ------------------------------------------------------------------------------


def _units_left_to_commit(state: GameState, nation: Nation, unit: Unit) -> Rejection | None:
    cost = state.committed_cost(nation) + unit.cost
    if cost > nation.budget:
        return Rejection(
            "over_budget",
            f"Committing {unit.name} would bring this turn's cost to {cost}, "
            f"over {nation.name}'s budget of {nation.budget}.",
        )
    return None


def caveat_rejection(
    nation: Nation, unit: Unit, state: GameState, operation_id: str
) -> Rejection | None:
    """A national caveat that forbids this unit on this operation, whoever tasks it."""
    operation = state.operation(operation_id)
    if operation is None:
        return None
    if operation.power == "hard" and "no-combat" in nation.caveats:
        return Rejection(
            "caveat",
            f"{nation.name}'s national caveat 'no-combat' forbids committing forces to "
            f"{operation.name}, a hard-power operation.",
        )
    if "home-region-only" in nation.caveats and nation.home_region not in ("", operation.region):
        return Rejection(
            "caveat",
            f"{nation.name}'s national caveat 'home-region-only' keeps {unit.name} out of "
            f"{operation.name}, outside its home region.",
        )
    return None


def _check_commit(state: GameState, nation: Nation, action: CommitUnit) -> Rejection | None:
    owner = state.owner_of(action.unit_id)
    transfer = state.transfer(action.unit_id)
    if owner is None or (owner.id != nation.id and transfer is None):
        return Rejection("unknown_unit", f"{nation.name} has no unit {action.unit_id!r}.")
    unit = owner.unit(action.unit_id)
    assert unit is not None
    operation = state.operation(action.operation_id)
    if operation is None:
        return Rejection("unknown_operation", f"There is no operation {action.operation_id!r}.")
    if transfer is not None:
        coalition = state.coalition(transfer.coalition_id)
        if coalition is None or coalition.lead != nation.id:
            if owner.id == nation.id:
                return Rejection(
                    "under_coalition_command",
                    f"{unit.name} is under the command of "
                    f"{coalition.name if coalition else 'a coalition'}; reclaim it first.",
                )
            return Rejection("unknown_unit", f"{nation.name} has no unit {action.unit_id!r}.")
        if operation.id not in coalition.operations:
            return Rejection(
                "outside_mandate",
                f"{operation.name} is not one of {coalition.name}'s operations, so units under "
                "its command cannot be tasked there.",
            )
        if (owner.id, unit.id) in state.red_cards:
            return Rejection(
                "red_card", f"{owner.name} has refused the tasking of {unit.name} this turn."
            )
    if not operation.open_at(state.turn):
        why = (
            f"opens on turn {operation.opens_turn}"
            if operation.status == "open"
            else f"is {operation.status}"
        )
        return Rejection("operation_closed", f"{operation.name} {why}.")
    current = state.commitment(unit.id)
    if current is not None:
        held = state.operation(current.operation_id)
        where = held.name if held else current.operation_id
        return Rejection(
            "already_committed", f"{unit.name} is already committed to {where}; withdraw it first."
        )
    caveat = caveat_rejection(owner, unit, state, operation.id)
    if caveat is not None:
        return caveat
    return _units_left_to_commit(state, owner, unit)


def _check_orders(state: GameState, nation: Nation, action: Action) -> Rejection | None:
    if isinstance(action, CommitUnit):
        return _check_commit(state, nation, action)
    if isinstance(action, WithdrawUnit):
        current = state.commitment(action.unit_id)
        owner = state.owner_of(action.unit_id)
        unit = owner.unit(action.unit_id) if owner else None
        if unit is None or owner is None:
            return Rejection("unknown_unit", f"{nation.name} has no unit {action.unit_id!r}.")
        if current is None:
            if owner.id != nation.id:
                return Rejection("unknown_unit", f"{nation.name} has no unit {action.unit_id!r}.")
            return Rejection("not_committed", f"{unit.name} is not committed to any operation.")
        if current.tasked_by not in (None, nation.id) or (
            current.tasked_by is None and owner.id != nation.id
        ):
            if owner.id == nation.id:
                return Rejection(
                    "under_coalition_command",
                    f"{unit.name} was tasked by the coalition; refuse the tasking with a red "
                    "card instead.",
                )
            return Rejection("unknown_unit", f"{nation.name} has no unit {action.unit_id!r}.")
        return None
    if isinstance(action, TransferAuthority):
        unit = nation.unit(action.unit_id)
        if unit is None:
            return Rejection("unknown_unit", f"{nation.name} has no unit {action.unit_id!r}.")
        coalition = state.coalition(action.coalition_id)
        if coalition is None or not coalition.active or nation.id not in coalition.members:
            return Rejection(
                "not_a_member", f"{nation.name} is not a member of {action.coalition_id!r}."
            )
        if state.transfer(unit.id) is not None:
            return Rejection(
                "already_transferred", f"{unit.name} is already under coalition command."
            )
        if state.commitment(unit.id) is not None:
            return Rejection(
                "already_committed", f"{unit.name} is committed; withdraw it before transferring."
            )
        return None
    if isinstance(action, ReclaimUnit):
        unit = nation.unit(action.unit_id)
        if unit is None:
            return Rejection("unknown_unit", f"{nation.name} has no unit {action.unit_id!r}.")
        if state.transfer(unit.id) is None:
            return Rejection("not_transferred", f"{unit.name} is under national command already.")
        if state.commitment(unit.id) is not None:
            return Rejection(
                "already_committed",
                f"{unit.name} is tasked this turn; refuse the tasking with a red card first.",
            )
        return None
    if isinstance(action, RedCard):
        unit = nation.unit(action.unit_id)
        if unit is None:
            return Rejection("unknown_unit", f"{nation.name} has no unit {action.unit_id!r}.")
        current = state.commitment(unit.id)
        if current is None or current.tasked_by in (None, nation.id):
            return Rejection(
                "no_tasking",
                f"The coalition has not tasked {unit.name}; there is nothing to refuse.",
            )
        return None
    return None


def _check_talks(state: GameState, nation: Nation, action: Action) -> Rejection | None:
    if isinstance(action, SendMessage):
        channel = state.channel(action.channel_id)
        if channel is None or nation.id not in channel.members:
            return Rejection(
                "unknown_channel", f"{nation.name} is not in channel {action.channel_id!r}."
            )
        if len(action.text) > MAX_MESSAGE_LENGTH:
            return Rejection(
                "too_long", f"A message may be at most {MAX_MESSAGE_LENGTH} characters long."
            )
        return None
    if isinstance(action, OpenChannel):
        members = set(action.members) | {nation.id}
        unknown = sorted(m for m in members if state.nation(m) is None)
        if unknown:
            return Rejection("unknown_nation", f"There is no nation {unknown[0]!r} in this game.")
        if len(members) < 2:
            return Rejection("malformed", "A channel needs at least one other nation.")
        if any(set(c.members) == members for c in state.channels):
            return Rejection("channel_exists", "A channel with exactly these members exists.")
        problem = text_problem(action.name, max_length=MAX_NAME_LENGTH, one_line=True)
        if problem:
            return Rejection("bad_text", f"A channel's name {problem}.")
        return None
    if isinstance(action, LeaveCoalition):
        coalition = state.coalition(action.coalition_id)
        if coalition is None or not coalition.active or nation.id not in coalition.members:
            return Rejection(
                "not_a_member", f"{nation.name} is not a member of {action.coalition_id!r}."
            )
        return None
    if isinstance(action, Propose | Sign | RejectProposal | Counter | WithdrawProposal):
        return diplomacy.check(state, nation, action)
    return None


def _check(state: GameState, nation: Nation, action: Action) -> Rejection | None:
    if state.phase is not Phase.ORDERS:
        return Rejection("wrong_phase", f"Orders are closed during the {state.phase.value} phase.")
    if isinstance(action, SetReady):
        return None
    return _check_orders(state, nation, action) or _check_talks(state, nation, action)


# --- apply -------------------------------------------------------------------------------


def apply(state: GameState, actor: str, action: Action) -> Accepted | Rejection:
    """Apply `action` by nation `actor`; never raises for a bad action."""
    result = _apply(state, actor, action)
    if (
        isinstance(result, Accepted)
        and isinstance(action, ORDER_ACTIONS)
        and actor in state.ready
        and actor not in result.state.ready
    ):
        # Changed orders reopen them: said aloud, since several people may share a seat.
        reopened = Event(EventKind.READY_CHANGED, actor, {"nation_id": actor, "ready": False})
        result = Accepted(result.state, (*result.events, reopened))
    return result


def _apply(state: GameState, actor: str, action: Action) -> Accepted | Rejection:
    nation = state.nation(actor)
    if nation is None:
        return Rejection("unknown_nation", f"There is no nation {actor!r} in this game.")
    rejection = _check(state, nation, action)
    if rejection is not None:
        return rejection
    if isinstance(action, SetReady):
        ready = state.ready | {actor} if action.ready else state.ready - {actor}
        if ready == state.ready:
            return Accepted(state, ())
        return Accepted(
            replace(state, ready=ready),
            (Event(EventKind.READY_CHANGED, actor, {"nation_id": actor, "ready": action.ready}),),
        )
    was_ready = actor in state.ready
    data: Payload
    if was_ready and isinstance(action, ORDER_ACTIONS):
        state = replace(state, ready=state.ready - {actor})
    if isinstance(action, CommitUnit | WithdrawUnit):
        return _apply_commitment(state, actor, action, was_ready)
    if isinstance(action, TransferAuthority):
        state = replace(
            state,
            transfers=(*state.transfers, Transfer(action.unit_id, actor, action.coalition_id)),
        )
        data = {"nation_id": actor, "unit_id": action.unit_id, "coalition_id": action.coalition_id}
        return Accepted(state, (Event(EventKind.AUTHORITY_TRANSFERRED, actor, data),))
    if isinstance(action, ReclaimUnit):
        transfer = state.transfer(action.unit_id)
        assert transfer is not None
        state = replace(state, transfers=tuple(t for t in state.transfers if t is not transfer))
        data = {
            "nation_id": actor,
            "unit_id": action.unit_id,
            "coalition_id": transfer.coalition_id,
        }
        return Accepted(state, (Event(EventKind.AUTHORITY_RECLAIMED, actor, data),))
    if isinstance(action, RedCard):
        current = state.commitment(action.unit_id)
        assert current is not None
        state = replace(
            state,
            commitments=tuple(c for c in state.commitments if c.unit_id != action.unit_id),
            red_cards=(*state.red_cards, (actor, action.unit_id)),
        )
        data = {
            "nation_id": actor,
            "unit_id": action.unit_id,
            "operation_id": current.operation_id,
            "tasked_by": current.tasked_by,
        }
        return Accepted(state, (Event(EventKind.RED_CARD, actor, data),))
    if isinstance(action, SendMessage):
        counts = dict(state.message_counts)
        counts[action.channel_id] = counts.get(action.channel_id, 0) + 1
        talked = tuple(dict.fromkeys((*state.talked, action.channel_id)))
        data = {
            "channel_id": action.channel_id,
            "message_id": state.next_id,
            "text": action.text,
            "turn": state.turn,
        }
        state = replace(state, message_counts=counts, talked=talked, next_id=state.next_id + 1)
        return Accepted(state, (Event(EventKind.MESSAGE_SENT, actor, data),))
    if isinstance(action, OpenChannel):
        members = tuple(n.id for n in state.nations if n.id in {*action.members, actor})
        names = [n.name for n in state.nations if n.id in members]
        channel = Channel(
            id=f"ch-{state.next_id}",
            name=action.name or " – ".join(names),
            kind="bilateral" if len(members) == 2 else "liaison",
            members=members,
            leak_chance=state.bilateral_leak_chance,
        )
        state = replace(state, channels=(*state.channels, channel), next_id=state.next_id + 1)
        data = {
            "channel_id": channel.id,
            "members": list(members),
            "name": channel.name,
        }
        return Accepted(state, (Event(EventKind.CHANNEL_OPENED, actor, data),))
    if isinstance(action, LeaveCoalition):
        return diplomacy.leave_coalition(state, actor, action.coalition_id, "left")
    return diplomacy.apply(state, nation, action)


def _apply_commitment(
    state: GameState, actor: str, action: CommitUnit | WithdrawUnit, was_ready: bool
) -> Accepted:
    if isinstance(action, WithdrawUnit):
        current = state.commitment(action.unit_id)
        assert current is not None  # checked above
        kind, operation_id, owner_id = (
            EventKind.UNIT_WITHDRAWN,
            current.operation_id,
            current.nation_id,
        )
        commitments = tuple(c for c in state.commitments if c.unit_id != action.unit_id)
    else:
        owner = state.owner_of(action.unit_id)
        assert owner is not None
        owner_id = owner.id
        kind, operation_id = EventKind.UNIT_COMMITTED, action.operation_id
        tasked_by = None if owner_id == actor else actor
        commitments = (
            *state.commitments,
            Commitment(action.unit_id, owner_id, operation_id, tasked_by),
        )
    new_state = replace(state, commitments=commitments)
    data: UnitMoved = {
        "nation_id": owner_id,
        "unit_id": action.unit_id,
        "operation_id": operation_id,
        "committed_units": len(new_state.commitments_of(actor)),
        "was_ready": was_ready,
    }
    if owner_id != actor:
        data["tasked_by"] = actor
    return Accepted(new_state, (Event(kind, actor, data),))


# --- legal actions -----------------------------------------------------------------------


def legal_actions(state: GameState, actor: str) -> list[Action]:
    """Every action `actor` may take now, in a stable order.

    Orders are listed exhaustively. Talks are open-ended (any text, any terms), so they are
    represented by a canonical set: an answer to each proposal addressed to the actor and
    one standard proposal of each kind to each partner — what a bot needs to negotiate.
    """
    nation = state.nation(actor)
    if nation is None or state.phase is not Phase.ORDERS:
        return []
    # Setting "ready" to its current value is accepted as a harmless no-op (a double click).
    candidates: list[Action] = [SetReady(True), SetReady(False)]
    open_operations = [op for op in state.operations if op.open_at(state.turn)]
    for unit in nation.units:
        candidates.append(WithdrawUnit(unit.id))
        candidates.extend(CommitUnit(unit.id, op.id) for op in open_operations)
        candidates.append(ReclaimUnit(unit.id))
        candidates.append(RedCard(unit.id))
        candidates.extend(TransferAuthority(unit.id, c.id) for c in state.coalitions_of(actor))
    for transfer in state.transfers:
        if transfer.nation_id != actor:
            coalition = state.coalition(transfer.coalition_id)
            if coalition is not None and coalition.lead == actor:
                candidates.append(WithdrawUnit(transfer.unit_id))
                candidates.extend(
                    CommitUnit(transfer.unit_id, op_id) for op_id in coalition.operations
                )
    candidates.extend(LeaveCoalition(c.id) for c in state.coalitions_of(actor))
    candidates.extend(diplomacy.candidate_actions(state, nation))
    return [a for a in candidates if _check(state, nation, a) is None]
