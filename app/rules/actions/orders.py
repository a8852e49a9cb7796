"""Orders: what a nation does with its units this turn. commit and withdraw (a unit to or
from an operation, also a coalition lead's tasking of units under its command), transfer
(place a unit under a coalition's command), reclaim (take it back) and red_card (refuse
the coalition's tasking of one's own unit this turn). Each changes orders, so each
withdraws the nation's "ready"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from app.rules.action_types import CommitUnit, ReclaimUnit, RedCard, TransferAuthority, WithdrawUnit
from app.rules.actions.common import ActionSpec, Data, not_a_member, required_text
from app.rules.events import AuthorityMoved, EventKind, TaskingRefused, UnitMoved
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.reasons import because
from app.rules.state import (
    Coalition,
    Commitment,
    GameState,
    Nation,
    Operation,
    Transfer,
    Unit,
    replace_state,
)
from app.rules.wording.rejections import RejectionReason as R


def _no_unit(nation: Nation, unit_id: str) -> Rejection:
    return Rejection("unknown_unit", because(R.NO_SUCH_UNIT, nation=nation.name, unit_id=unit_id))


def _led_transfers(state: GameState, nation: Nation) -> Iterator[tuple[Transfer, Coalition]]:
    """Other nations' units under the command of a coalition `nation` leads."""
    for transfer in state.transfers:
        if transfer.nation_id != nation.id:
            coalition = state.coalition(transfer.coalition_id)
            if coalition is not None and coalition.lead == nation.id:
                yield transfer, coalition


_ByUnit = TypeVar("_ByUnit", Commitment, Transfer)


def _first_by_unit(items: tuple[_ByUnit, ...]) -> dict[str, _ByUnit]:
    """Each unit's first commitment (or transfer), as `state.commitment` (`state.transfer`)
    finds it."""
    first: dict[str, _ByUnit] = {}
    for item in items:
        first.setdefault(item.unit_id, item)
    return first


def _coalitions_by_id(state: GameState) -> dict[str, Coalition]:
    """The coalitions by id, the first counting, as `state.coalition` finds them."""
    first: dict[str, Coalition] = {}
    for coalition in state.coalitions:
        first.setdefault(coalition.id, coalition)
    return first


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


def _forbidding_caveat(nation: Nation, operation: Operation) -> str | None:
    """The national caveat that forbids `nation`'s units on `operation`, if any."""
    if operation.power == "hard" and "no-combat" in nation.caveats:
        return "no-combat"
    if "home-region-only" in nation.caveats and nation.home_region not in ("", operation.region):
        return "home-region-only"
    return None


def caveat_rejection(
    nation: Nation, unit: Unit, state: GameState, operation_id: str
) -> Rejection | None:
    """A national caveat that forbids this unit on this operation, whoever tasks it."""
    operation = state.operation(operation_id)
    if operation is None:
        return None
    caveat = _forbidding_caveat(nation, operation)
    if caveat == "no-combat":
        return Rejection(
            "caveat", because(R.CAVEAT_NO_COMBAT, nation=nation.name, operation=operation.name)
        )
    if caveat == "home-region-only":
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


def offer_commits(state: GameState, nation: Nation) -> list[CommitUnit]:
    open_operations = [op for op in state.operations if op.open_at(state.turn)]
    offered = [CommitUnit(unit.id, op.id) for unit in nation.units for op in open_operations]
    for transfer, coalition in _led_transfers(state, nation):
        offered.extend(CommitUnit(transfer.unit_id, op_id) for op_id in coalition.operations)
    return offered


def legal_commits(state: GameState, nation: Nation) -> list[CommitUnit]:
    """`offer_commits` that `check_commit` accepts. Its checks read the unit (owner,
    command, commitment, budget) or the operation (open, caveat, mandate); each unit's and
    each operation's are read once here, not once per (unit, operation) pair. What is
    refused does not matter here, only whether: so the checks' order does not either."""
    operations: dict[str, Operation] = {}
    for operation in state.operations:  # by id, the first counting, as `state.operation`
        operations.setdefault(operation.id, operation)
    open_ids = {op_id for op_id, op in operations.items() if op.open_at(state.turn)}
    transfers = _first_by_unit(state.transfers)
    coalitions = _coalitions_by_id(state)
    committed = {c.unit_id for c in state.commitments}
    costs: dict[int, int] = {}  # committed cost by owner (by identity: the owner itself)
    # Per unit: its owner and, under a coalition's command, the operations the coalition
    # may task it on (None: any); absent from here, no operation.
    takers: dict[str, tuple[Nation, tuple[str, ...] | None]] = {}
    refused: set[str] = set()
    caveats: dict[tuple[int, str], bool] = {}  # (owner, operation): no caveat forbids it
    legal: list[CommitUnit] = []
    for action in offer_commits(state, nation):
        unit_id, op_id = action.unit_id, action.operation_id
        if unit_id in refused or op_id not in open_ids:
            continue
        taker = takers.get(unit_id)
        if taker is None:
            owner = state.owner_of(unit_id)
            transfer = transfers.get(unit_id)
            unit = owner.unit(unit_id) if owner is not None else None
            mandate: tuple[str, ...] | None = None
            if transfer is not None:
                coalition = coalitions.get(transfer.coalition_id)
                if coalition is not None and coalition.lead == nation.id:
                    mandate = coalition.operations
            if owner is not None and id(owner) not in costs:
                costs[id(owner)] = state.committed_cost(owner)
            if (
                owner is None
                or unit is None
                or (owner.id != nation.id and transfer is None)
                or (transfer is not None and mandate is None)
                or (transfer is not None and (owner.id, unit.id) in state.red_cards)
                or unit_id in committed
                or costs[id(owner)] + unit.cost > owner.budget
            ):
                refused.add(unit_id)
                continue
            taker = takers[unit_id] = (owner, mandate)
        owner, mandate = taker
        if mandate is not None and op_id not in mandate:
            continue
        key = (id(owner), op_id)
        free = caveats.get(key)
        if free is None:
            free = caveats[key] = _forbidding_caveat(owner, operations[op_id]) is None
        if free:
            legal.append(action)
    return legal


COMMIT = ActionSpec(
    CommitUnit,
    parse_commit,
    apply_commitment,
    check=check_commit,
    offers=offer_commits,
    changes_orders=True,
    legal=legal_commits,
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


def legal_withdrawals(state: GameState, nation: Nation) -> list[WithdrawUnit]:
    """`offer_withdrawals` that `check_withdraw` accepts: committed units the nation
    committed itself, or tasked."""
    current = _first_by_unit(state.commitments)
    legal: list[WithdrawUnit] = []
    for action in offer_withdrawals(state, nation):
        commitment = current.get(action.unit_id)
        owner = state.owner_of(action.unit_id)
        if commitment is None or owner is None:
            continue
        tasked_by = commitment.tasked_by
        if tasked_by == nation.id or (tasked_by is None and owner.id == nation.id):
            legal.append(action)
    return legal


WITHDRAW = ActionSpec(
    WithdrawUnit,
    parse_withdraw,
    apply_commitment,
    check=check_withdraw,
    offers=offer_withdrawals,
    changes_orders=True,
    legal=legal_withdrawals,
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


def legal_transfers(state: GameState, nation: Nation) -> list[TransferAuthority]:
    """`offer_transfers` that `check_transfer` accepts: units neither transferred nor
    committed, to a coalition the nation is a member of."""
    coalitions = _coalitions_by_id(state)
    busy = {t.unit_id for t in state.transfers} | {c.unit_id for c in state.commitments}
    legal: list[TransferAuthority] = []
    for action in offer_transfers(state, nation):
        coalition = coalitions.get(action.coalition_id)
        if (
            coalition is not None
            and coalition.active
            and nation.id in coalition.members
            and action.unit_id not in busy
        ):
            legal.append(action)
    return legal


TRANSFER = ActionSpec(
    TransferAuthority,
    parse_transfer,
    apply_transfer,
    check=check_transfer,
    offers=offer_transfers,
    changes_orders=True,
    legal=legal_transfers,
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


def legal_reclaims(state: GameState, nation: Nation) -> list[ReclaimUnit]:
    """The nation's units that `check_reclaim` accepts: transferred, not committed."""
    transferred = {t.unit_id for t in state.transfers}
    committed = {c.unit_id for c in state.commitments}
    return [
        ReclaimUnit(unit.id)
        for unit in nation.units
        if unit.id in transferred and unit.id not in committed
    ]


RECLAIM = ActionSpec(
    ReclaimUnit,
    parse_reclaim,
    apply_reclaim,
    check=check_reclaim,
    offers=lambda state, nation: [ReclaimUnit(unit.id) for unit in nation.units],
    changes_orders=True,
    legal=legal_reclaims,
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


def legal_red_cards(state: GameState, nation: Nation) -> list[RedCard]:
    """The nation's units that `check_red_card` accepts: tasked by another."""
    current = _first_by_unit(state.commitments)
    legal: list[RedCard] = []
    for unit in nation.units:
        commitment = current.get(unit.id)
        if commitment is not None and commitment.tasked_by not in (None, nation.id):
            legal.append(RedCard(unit.id))
    return legal


RED_CARD = ActionSpec(
    RedCard,
    parse_red_card,
    apply_red_card,
    check=check_red_card,
    offers=lambda state, nation: [RedCard(unit.id) for unit in nation.units],
    changes_orders=True,
    legal=legal_red_cards,
)
