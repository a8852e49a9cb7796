"""Orders: what a nation does with its units this turn. commit and withdraw (a unit to or
from an operation, also a coalition lead's tasking of units under its command), transfer
(place a unit under a coalition's command), reclaim (take it back) and red_card (refuse
the coalition's tasking of one's own unit this turn). Each changes orders, so each
withdraws the nation's "ready"."""

from __future__ import annotations

from collections.abc import Iterator

from app.rules.action_types import CommitUnit, ReclaimUnit, RedCard, TransferAuthority, WithdrawUnit
from app.rules.actions.common import ActionSpec, Data, not_a_member, required_text
from app.rules.events import AuthorityMoved, EventKind, TaskingRefused, UnitMoved
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.reasons import because
from app.rules.state import Coalition, Commitment, GameState, Nation, Transfer, Unit, replace_state
from app.rules.wording.rejections import RejectionReason as R

_new = object.__new__


def _no_unit(nation: Nation, unit_id: str) -> Rejection:
    return Rejection("unknown_unit", because(R.NO_SUCH_UNIT, nation=nation.name, unit_id=unit_id))


def _led_transfers(state: GameState, nation: Nation) -> Iterator[tuple[Transfer, Coalition]]:
    """Other nations' units under the command of a coalition `nation` leads."""
    for transfer in state.transfers:
        if transfer.nation_id != nation.id:
            coalition = state.coalition(transfer.coalition_id)
            if coalition is not None and coalition.lead == nation.id:
                yield transfer, coalition


# --- commit --------------------------------------------------------------------------------


def parse_commit(data: Data) -> CommitUnit | Rejection:
    unit_id = required_text(data, "unit_id", R.CHOOSE_UNIT_TO_COMMIT)
    if isinstance(unit_id, Rejection):
        return unit_id
    operation_id = required_text(data, "operation_id", R.CHOOSE_OPERATION)
    if isinstance(operation_id, Rejection):
        return operation_id
    return CommitUnit(unit_id=unit_id, operation_id=operation_id)


def _units_left_to_commit(state: GameState, nation: Nation, unit: Unit) -> Rejection | None:
    cost = state.committed_cost(nation) + unit.cost
    if cost > nation.budget:
        return Rejection(
            "over_budget",
            because(
                R.OVER_BUDGET, unit=unit.name, cost=cost, nation=nation.name, budget=nation.budget
            ),
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
            "caveat", because(R.CAVEAT_NO_COMBAT, nation=nation.name, operation=operation.name)
        )
    if "home-region-only" in nation.caveats and nation.home_region not in ("", operation.region):
        return Rejection(
            "caveat",
            because(
                R.CAVEAT_HOME_REGION_ONLY,
                nation=nation.name,
                unit=unit.name,
                operation=operation.name,
            ),
        )
    return None


def check_commit(state: GameState, nation: Nation, action: CommitUnit) -> Rejection | None:
    owner = state.owner_of(action.unit_id)
    transfer = state.transfer(action.unit_id)
    if owner is None or (owner.id != nation.id and transfer is None):
        return _no_unit(nation, action.unit_id)
    unit = owner.unit(action.unit_id)
    assert unit is not None
    operation = state.operation(action.operation_id)
    if operation is None:
        return Rejection(
            "unknown_operation", because(R.NO_SUCH_OPERATION, operation_id=action.operation_id)
        )
    if transfer is not None:
        coalition = state.coalition(transfer.coalition_id)
        if coalition is None or coalition.lead != nation.id:
            if owner.id == nation.id:
                return Rejection(
                    "under_coalition_command",
                    because(
                        R.UNDER_COALITION_COMMAND,
                        unit=unit.name,
                        coalition=coalition.name if coalition else None,
                    ),
                )
            return _no_unit(nation, action.unit_id)
        if operation.id not in coalition.operations:
            return Rejection(
                "outside_mandate",
                because(R.OUTSIDE_MANDATE, operation=operation.name, coalition=coalition.name),
            )
        if (owner.id, unit.id) in state.red_cards:
            return Rejection(
                "red_card", because(R.TASKING_REFUSED, owner=owner.name, unit=unit.name)
            )
    if not operation.open_at(state.turn):
        if operation.status == "open":
            why = because(
                R.OPERATION_NOT_YET_OPEN, operation=operation.name, turn=operation.opens_turn
            )
        else:
            why = because(R.OPERATION_NOT_OPEN, operation=operation.name, status=operation.status)
        return Rejection("operation_closed", why)
    current = state.commitment(unit.id)
    if current is not None:
        held = state.operation(current.operation_id)
        where = held.name if held else current.operation_id
        return Rejection(
            "already_committed", because(R.ALREADY_COMMITTED, unit=unit.name, operation=where)
        )
    caveat = caveat_rejection(owner, unit, state, operation.id)
    if caveat is not None:
        return caveat
    return _units_left_to_commit(state, owner, unit)


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
    new_state = replace_state(state, commitments=commitments)
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


def apply_commitment(
    state: GameState, nation: Nation, action: CommitUnit | WithdrawUnit
) -> Accepted:
    """Commit or withdraw a unit (the state still holds the nation's "ready", which the
    event records; `apply` withdraws it after)."""
    return _apply_commitment(state, nation.id, action, nation.id in state.ready)


def _commit_offer(unit_id: str, operation_id: str) -> CommitUnit:
    """`CommitUnit(unit_id, operation_id)`, an equal action made without the frozen
    dataclass's checked `__init__` (half its cost): a nation's orders offer one for each
    of its units on each open operation, listed after each of its orders."""
    action: CommitUnit = _new(CommitUnit)
    values = action.__dict__
    values["unit_id"] = unit_id
    values["operation_id"] = operation_id
    values["kind"] = "commit"
    return action


def offer_commits(state: GameState, nation: Nation) -> list[CommitUnit]:
    open_operations = [op.id for op in state.operations if op.open_at(state.turn)]
    offered = [_commit_offer(unit.id, op_id) for unit in nation.units for op_id in open_operations]
    for transfer, coalition in _led_transfers(state, nation):
        offered.extend(CommitUnit(transfer.unit_id, op_id) for op_id in coalition.operations)
    return offered


COMMIT = ActionSpec(
    CommitUnit,
    parse_commit,
    apply_commitment,
    check=check_commit,
    offers=offer_commits,
    changes_orders=True,
)


# --- withdraw ------------------------------------------------------------------------------


def parse_withdraw(data: Data) -> WithdrawUnit | Rejection:
    unit_id = required_text(data, "unit_id", R.GIVE_UNIT_TO_WITHDRAW)
    return unit_id if isinstance(unit_id, Rejection) else WithdrawUnit(unit_id)


def check_withdraw(state: GameState, nation: Nation, action: WithdrawUnit) -> Rejection | None:
    current = state.commitment(action.unit_id)
    owner = state.owner_of(action.unit_id)
    unit = owner.unit(action.unit_id) if owner else None
    if unit is None or owner is None:
        return _no_unit(nation, action.unit_id)
    if current is None:
        if owner.id != nation.id:
            return _no_unit(nation, action.unit_id)
        return Rejection("not_committed", because(R.NOT_COMMITTED, unit=unit.name))
    if current.tasked_by not in (None, nation.id) or (
        current.tasked_by is None and owner.id != nation.id
    ):
        if owner.id == nation.id:
            return Rejection(
                "under_coalition_command", because(R.TASKED_BY_COALITION, unit=unit.name)
            )
        return _no_unit(nation, action.unit_id)
    return None


def offer_withdrawals(state: GameState, nation: Nation) -> list[WithdrawUnit]:
    offered = [WithdrawUnit(unit.id) for unit in nation.units]
    offered.extend(WithdrawUnit(transfer.unit_id) for transfer, _ in _led_transfers(state, nation))
    return offered


WITHDRAW = ActionSpec(
    WithdrawUnit,
    parse_withdraw,
    apply_commitment,
    check=check_withdraw,
    offers=offer_withdrawals,
    changes_orders=True,
)


# --- transfer ------------------------------------------------------------------------------


def parse_transfer(data: Data) -> TransferAuthority | Rejection:
    unit_id = required_text(data, "unit_id", R.GIVE_UNIT_TO_TRANSFER)
    if isinstance(unit_id, Rejection):
        return unit_id
    coalition_id = required_text(data, "coalition_id", R.GIVE_COALITION)
    if isinstance(coalition_id, Rejection):
        return coalition_id
    return TransferAuthority(unit_id, coalition_id)


def check_transfer(state: GameState, nation: Nation, action: TransferAuthority) -> Rejection | None:
    unit = nation.unit(action.unit_id)
    if unit is None:
        return _no_unit(nation, action.unit_id)
    refused = not_a_member(state, nation, action.coalition_id)
    if refused is not None:
        return refused
    if state.transfer(unit.id) is not None:
        return Rejection("already_transferred", because(R.ALREADY_TRANSFERRED, unit=unit.name))
    if state.commitment(unit.id) is not None:
        return Rejection("already_committed", because(R.COMMITTED_BEFORE_TRANSFER, unit=unit.name))
    return None


def apply_transfer(state: GameState, nation: Nation, action: TransferAuthority) -> Accepted:
    actor = nation.id
    state = replace_state(
        state,
        transfers=(*state.transfers, Transfer(action.unit_id, actor, action.coalition_id)),
    )
    data: AuthorityMoved = {
        "nation_id": actor,
        "unit_id": action.unit_id,
        "coalition_id": action.coalition_id,
    }
    return Accepted(state, (Event(EventKind.AUTHORITY_TRANSFERRED, actor, data),))


def offer_transfers(state: GameState, nation: Nation) -> list[TransferAuthority]:
    coalitions = state.coalitions_of(nation.id)
    return [TransferAuthority(unit.id, c.id) for unit in nation.units for c in coalitions]


TRANSFER = ActionSpec(
    TransferAuthority,
    parse_transfer,
    apply_transfer,
    check=check_transfer,
    offers=offer_transfers,
    changes_orders=True,
)


# --- reclaim -------------------------------------------------------------------------------


def parse_reclaim(data: Data) -> ReclaimUnit | Rejection:
    unit_id = required_text(data, "unit_id", R.GIVE_UNIT_TO_RECLAIM)
    return unit_id if isinstance(unit_id, Rejection) else ReclaimUnit(unit_id)


def check_reclaim(state: GameState, nation: Nation, action: ReclaimUnit) -> Rejection | None:
    unit = nation.unit(action.unit_id)
    if unit is None:
        return _no_unit(nation, action.unit_id)
    if state.transfer(unit.id) is None:
        return Rejection("not_transferred", because(R.NOT_TRANSFERRED, unit=unit.name))
    if state.commitment(unit.id) is not None:
        return Rejection("already_committed", because(R.TASKED_BEFORE_RECLAIM, unit=unit.name))
    return None


def apply_reclaim(state: GameState, nation: Nation, action: ReclaimUnit) -> Accepted:
    actor = nation.id
    transfer = state.transfer(action.unit_id)
    assert transfer is not None
    state = replace_state(state, transfers=tuple(t for t in state.transfers if t is not transfer))
    data: AuthorityMoved = {
        "nation_id": actor,
        "unit_id": action.unit_id,
        "coalition_id": transfer.coalition_id,
    }
    return Accepted(state, (Event(EventKind.AUTHORITY_RECLAIMED, actor, data),))


RECLAIM = ActionSpec(
    ReclaimUnit,
    parse_reclaim,
    apply_reclaim,
    check=check_reclaim,
    offers=lambda state, nation: [ReclaimUnit(unit.id) for unit in nation.units],
    changes_orders=True,
)


# --- red card ------------------------------------------------------------------------------


def parse_red_card(data: Data) -> RedCard | Rejection:
    unit_id = required_text(data, "unit_id", R.GIVE_UNIT_TO_RED_CARD)
    return unit_id if isinstance(unit_id, Rejection) else RedCard(unit_id)


def check_red_card(state: GameState, nation: Nation, action: RedCard) -> Rejection | None:
    unit = nation.unit(action.unit_id)
    if unit is None:
        return _no_unit(nation, action.unit_id)
    current = state.commitment(unit.id)
    if current is None or current.tasked_by in (None, nation.id):
        return Rejection("no_tasking", because(R.NOTHING_TO_REFUSE, unit=unit.name))
    return None


def apply_red_card(state: GameState, nation: Nation, action: RedCard) -> Accepted:
    actor = nation.id
    current = state.commitment(action.unit_id)
    assert current is not None
    state = replace_state(
        state,
        commitments=tuple(c for c in state.commitments if c.unit_id != action.unit_id),
        red_cards=(*state.red_cards, (actor, action.unit_id)),
    )
    data: TaskingRefused = {
        "nation_id": actor,
        "unit_id": action.unit_id,
        "operation_id": current.operation_id,
        "tasked_by": current.tasked_by,
    }
    return Accepted(state, (Event(EventKind.RED_CARD, actor, data),))


RED_CARD = ActionSpec(
    RedCard,
    parse_red_card,
    apply_red_card,
    check=check_red_card,
    offers=lambda state, nation: [RedCard(unit.id) for unit in nation.units],
    changes_orders=True,
)
