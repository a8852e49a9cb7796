"""`legal_actions` (all kinds, or some) against its plain definition, the state's lookups
by id against a scan, and `check` against `apply`, on the states of seeded random games
of several scenarios (some shaken into cases play rarely reaches): the page lists a
nation's orders after every order, through these."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app import rules
from app.rules.actions import ACTIONS, check
from app.rules.state import RED_CELL_SEAT, replace_state
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
# With national caveats (no-combat, home-region-only), coalitions at the start or not.
NAMES = ("gulf-1990", "meridian-strait", "northern-reach", "haiyan-2013", "vietnam-1965")
NO_RED_CARD = ("meridian-strait", "northern-reach")
ORDER_KINDS = {"commit", "withdraw", "transfer", "reclaim", "red_card"}
# Drawn more often: what forms coalitions (signing), or follows a tasking (red cards).
RARE_KINDS = {"sign", "red_card", "reclaim"}


def reference(state: rules.GameState, actor: str) -> list[rules.Action]:
    """`legal_actions` by its definition: every kind's candidates that `check` accepts."""
    nation = state.nation(actor)
    if nation is None or state.phase is not rules.Phase.ORDERS:
        return []
    candidates = [a for spec in ACTIONS.values() for a in spec.offers(state, nation)]
    return [a for a in candidates if check(state, nation, a) is None]


def _tasking(state: rules.GameState, actor: str, action: rules.Action) -> bool:
    """A lead's commit of another nation's unit under its coalition's command."""
    if not isinstance(action, rules.CommitUnit):
        return False
    owner = state.owner_of(action.unit_id)
    return owner is not None and owner.id != actor


def _shaken(state: rules.GameState, rng: random.Random) -> rules.GameState:
    """The state with a budget cut, an operation closed, a commitment said to be tasked
    by another (or by no one), a dissolved coalition of the same id listed before one, or
    an operation, commitment or transfer listed again, changed, after the first: cases
    play rarely or never gets to (of an id listed twice, the first counts)."""
    if rng.random() < 0.3:
        nation = rng.choice(state.nations)
        state = state.replace_nation(replace(nation, budget=rng.randint(0, nation.budget)))
    if rng.random() < 0.15 and state.operations:
        operation = rng.choice(state.operations)
        status = rng.choice(("open", "succeeded", "failed"))
        state = state.replace_operation(replace(operation, status=status))
    if rng.random() < 0.2 and state.commitments:
        commitments = list(state.commitments)
        at = rng.randrange(len(commitments))
        tasked_by = rng.choice([None, *(n.id for n in state.nations)])
        commitments[at] = replace(commitments[at], tasked_by=tasked_by)
        state = replace_state(state, commitments=tuple(commitments))
    if rng.random() < 0.1 and state.coalitions:
        coalition = rng.choice(state.coalitions)
        lead = rng.choice(state.nations).id
        clash = replace(coalition, lead=lead, dissolved_turn=state.turn)
        state = replace_state(state, coalitions=(clash, *state.coalitions))
    if rng.random() < 0.1 and state.operations:
        operation = rng.choice(state.operations)
        again = replace(operation, status="failed", power="hard")
        state = replace_state(state, operations=(*state.operations, again))
    if rng.random() < 0.1 and state.commitments:
        commitment = rng.choice(state.commitments)
        again_c = replace(commitment, tasked_by=commitment.nation_id)
        state = replace_state(state, commitments=(*state.commitments, again_c))
    if rng.random() < 0.1 and state.transfers:
        transfer = rng.choice(state.transfers)
        again_t = replace(transfer, coalition_id="elsewhere")
        state = replace_state(state, transfers=(*state.transfers, again_t))
    return state


def states(name: str, seed: int, per_turn: int = 14) -> Iterator[rules.GameState]:
    """The states of a seeded random game of scenario `name`, each order and answer
    drawn from `legal_actions` (orders more often than talks and proposals often signed,
    to reach coalitions, transfers, taskings and red cards), one in a few a little
    shaken (`_shaken`)."""
    rng = random.Random(seed)
    state = opening_state(load_scenario(SCENARIOS / f"{name}.yaml"), seed=seed, now=0.0)[0]
    nation_ids = [n.id for n in state.nations]
    while state.phase is not rules.Phase.ENDED:
        for _ in range(per_turn):
            actor = rng.choice(nation_ids)
            legal = rules.legal_actions(state, actor)
            orders = [a for a in legal if a.kind in ORDER_KINDS]
            rare = [a for a in legal if a.kind in RARE_KINDS or _tasking(state, actor, a)]
            pool = (
                rare
                if rare and rng.random() < 0.6
                else orders
                if orders and rng.random() < 0.7
                else legal
            )
            if not pool:
                continue
            result = rules.apply(state, actor, rng.choice(pool))
            assert isinstance(result, rules.Accepted), result
            yield _shaken(result.state, rng)
            state = result.state
        state, _ = rules.resolve_turn(state, 0.0)
        yield state


@pytest.mark.parametrize("name", NAMES)
def test_legal_actions_are_the_candidates_check_accepts(name: str) -> None:
    seen = {kind: 0 for kind in ORDER_KINDS}
    for seed in (1, 2):
        for state in states(name, seed):
            for nation in state.nations:
                expected = reference(state, nation.id)
                assert rules.legal_actions(state, nation.id) == expected
                for kind in ACTIONS:
                    listed = [a for a in expected if a.kind == kind]
                    assert rules.legal_actions(state, nation.id, {kind}) == listed
                for action in expected:
                    seen[action.kind] = seen.get(action.kind, 0) + 1
            moves = rules.legal_actions(state, RED_CELL_SEAT)
            assert rules.legal_actions(state, RED_CELL_SEAT, {"commit"}) == []
            assert rules.legal_actions(state, RED_CELL_SEAT, {m.kind for m in moves}) == moves
    # The games reached every order (a red card needs a lead to task another's unit
    # first: these seeds' games of two scenarios have none).
    reached = ORDER_KINDS - ({"red_card"} if name in NO_RED_CARD else set())
    assert all(seen[kind] for kind in reached), seen


@pytest.mark.parametrize("name", NAMES)
def test_lookups_by_id_find_what_a_scan_finds(name: str) -> None:
    # Built once per state (`GameState._operation_index`, ...), the first of an id counting.
    for state in states(name, 5):
        units = {u.id for n in state.nations for u in n.units}
        for operation_id in {o.id for o in state.operations} | {"nowhere"}:
            found = next((o for o in state.operations if o.id == operation_id), None)
            assert state.operation(operation_id) is found
        for coalition_id in {c.id for c in state.coalitions} | {"nowhere"}:
            found_c = next((c for c in state.coalitions if c.id == coalition_id), None)
            assert state.coalition(coalition_id) is found_c
        for unit_id in units | {"nowhere"}:
            commitment = next((c for c in state.commitments if c.unit_id == unit_id), None)
            assert state.commitment(unit_id) is commitment
            transfer = next((t for t in state.transfers if t.unit_id == unit_id), None)
            assert state.transfer(unit_id) is transfer
        for nation in state.nations:
            mine = tuple(c for c in state.commitments if c.nation_id == nation.id)
            assert state.commitments_of(nation.id) == mine
            committed = {c.unit_id for c in mine}
            cost = sum(u.cost for u in nation.units if u.id in committed)
            assert state.committed_cost(nation) == cost
            # Kept per nation object: a changed copy of it is costed as it is.
            dearer = replace(nation, units=tuple(replace(u, cost=u.cost + 1) for u in nation.units))
            assert state.committed_cost(dearer) == cost + sum(
                u.id in committed for u in nation.units
            )
            assert state.committed_cost(nation) == cost
        for nation_id in [n.id for n in state.nations] + ["nowhere"]:
            active = tuple(c for c in state.coalitions if c.active and nation_id in c.members)
            assert state.coalitions_of(nation_id) == active
            assert all(a is b for a, b in zip(state.coalitions_of(nation_id), active, strict=True))
        for operation_id in {o.id for o in state.operations} | {"nowhere"}:
            taken = next(
                (c for c in state.coalitions if c.active and operation_id in c.operations), None
            )
            assert state.coalition_for_operation(operation_id) is taken
        for channel_id in {c.id for c in state.channels} | {"nowhere"}:
            channel = next((c for c in state.channels if c.id == channel_id), None)
            assert state.channel(channel_id) is channel
        table = state.relation_table
        for nation_id in [n.id for n in state.nations] + ["nowhere"]:
            assert table.held_by.get(nation_id, ()) == tuple(
                r for r in state.relations if r.nation == nation_id
            )
            assert table.held_of.get(nation_id, ()) == tuple(
                r for r in state.relations if r.other == nation_id
            )


def test_a_page_blocked_operation_gives_the_rejection_apply_gives(
    game: rules.GameState,
) -> None:
    # The page words a blocked operation with `check`'s rejection, not `apply`'s.
    for state in [game, *list(states("gulf-1990", 4, per_turn=6))[:40]]:
        for nation in state.nations:
            for unit in nation.units:
                for operation in state.operations:
                    action = rules.CommitUnit(unit.id, operation.id)
                    applied = rules.apply(state, nation.id, action)
                    refused = rules.check(state, nation, action)
                    if isinstance(applied, rules.Rejection):
                        assert refused == applied
                    else:
                        assert refused is None
