"""What a coalition adds, on the same operation (Liberation of Kuwait, gulf-1990): a
well-run coalition gets better odds than the strongest nation alone, a badly run one
worse; and acting alone against a coalition's decision costs domestic support."""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import pytest

from app import rules
from app.bots.simulate import opening_state
from app.rules import Accepted, CommitUnit, apply, resolve_turn
from app.rules.resolution.adjudication import resolve_operation
from app.rules.resolution.tuning import INTEL_BRIDGE_SHARE
from app.rules.state import Agreement, Outcome
from app.rules.wording import words
from app.rules.wording.changes import ChangeReason, FactorName
from app.scenarios.loader import load_scenario

GULF = Path(__file__).resolve().parents[2] / "scenarios" / "gulf-1990.yaml"
OPERATION = "liberate-kuwait"
FIGHTERS = ("usa", "uk", "france", "saudi-arabia", "egypt", "syria", "kuwait")


def _opening() -> rules.GameState:
    state = opening_state(load_scenario(GULF), seed=1)
    operation = state.operation(OPERATION)
    assert operation is not None
    return state.replace_operation(replace(operation, opens_turn=1))


def _commit(state: rules.GameState, nation_ids: tuple[str, ...], op: str) -> rules.GameState:
    operation = state.operation(op)
    assert operation is not None
    needed = {capability for capability, _ in operation.requirements}
    for nation_id in nation_ids:
        nation = state.nation(nation_id)
        assert nation is not None
        for unit in nation.units:
            if unit.capability in needed:
                result = apply(state, nation_id, CommitUnit(unit.id, op))
                if isinstance(result, Accepted):
                    state = result.state
    return state


def _coalition(state: rules.GameState, **changes: object) -> rules.GameState:
    coalition = state.coalition("gulf-coalition")
    assert coalition is not None
    return state.replace_coalition(
        replace(coalition, operations=(*coalition.operations, OPERATION), **changes)  # type: ignore[arg-type]
    )


def _odds(state: rules.GameState) -> Outcome:
    operation = state.operation(OPERATION)
    assert operation is not None
    return resolve_operation(state, operation, random.Random(0))


def _factor(outcome: Outcome, name: str) -> float:
    return next(f.value for f in outcome.factors if f.name == name)


def test_a_well_run_coalition_beats_the_strongest_nation_alone_and_a_badly_run_one_does_not() -> (
    None
):
    opening = _opening()
    alone = _odds(_commit(opening, ("usa",), OPERATION))
    integrated = _odds(_commit(_coalition(opening, command="integrated"), FIGHTERS, OPERATION))
    # Badly run: parallel national chains, every nation its own standard, heavy caveats.
    badly = _coalition(opening, command="parallel")
    badly = replace(
        badly,
        nations=tuple(
            replace(n, interoperability=n.id, caveats=(*n.caveats, "no-night-ops"))
            for n in badly.nations
        ),
    )
    badly_run = _odds(_commit(badly, FIGHTERS, OPERATION))
    assert (
        integrated.probability_success > alone.probability_success > badly_run.probability_success
    )
    # What the coalition adds, factor by factor: legitimacy (its mandate, the host nation,
    # a regional partner) and local knowledge, which the strongest nation alone lacks.
    assert _factor(integrated, FactorName.LEGITIMACY) > _factor(alone, FactorName.LEGITIMACY)
    assert _factor(integrated, FactorName.INTELLIGENCE) > _factor(alone, FactorName.INTELLIGENCE)
    legitimacy = next(f for f in integrated.factors if f.name == FactorName.LEGITIMACY)
    said = words(legitimacy.detail, opening)
    assert "regional mandate" in said and "host nation Kuwait" in said and "Saudi" in said
    alone_said = words(
        next(f for f in alone.factors if f.name == FactorName.LEGITIMACY).detail, opening
    )
    assert alone_said == "no mandate; no host nation"


def test_shared_intelligence_bridges_half_the_gap_between_the_coalitions_standards() -> None:
    state = _commit(_coalition(_opening(), command="integrated"), FIGHTERS, OPERATION)
    without = _odds(state)
    sharing = tuple(
        Agreement(
            id=f"intel-{a}-{b}",
            kind="intel_sharing",
            parties=(a, b),
            terms={},
            proposer=a,
            turn=1,
            status="signed",
            signatures=(a, b),
        )
        for a, b in combinations(FIGHTERS, 2)
    )
    with_sharing = _odds(replace(state, agreements=(*state.agreements, *sharing)))
    # Six agreements among four standards would more than close the gap at 0.04 each;
    # sharing bridges at most half of it (INTEL_BRIDGE_SHARE): equipment and procedures
    # stay what they are.
    shared, alone = (_factor(o, FactorName.INTEROPERABILITY) for o in (with_sharing, without))
    assert alone < shared < 1.0
    assert shared == pytest.approx(alone + INTEL_BRIDGE_SHARE * (1 - alone))
    assert with_sharing.probability_success >= without.probability_success


def _support_reasons(state: rules.GameState, nation_id: str) -> dict[str, float]:
    resolved, _ = resolve_turn(state, 0)
    return {
        str(c.reason.code): c.delta
        for c in resolved.records[-1].changes
        if c.subject == f"support:{nation_id}"
    }


def test_a_member_using_hard_power_its_coalition_has_not_adopted_loses_support() -> None:
    # Liberation of Kuwait is open but the coalition has not taken it on.
    state = _commit(_opening(), ("usa",), OPERATION)
    reasons = _support_reasons(state, "usa")
    assert reasons[ChangeReason.ACTING_AGAINST_COALITION] == -2
    # Once the coalition adopts it, the same forces act with it.
    adopted = _commit(_coalition(_opening()), ("usa",), OPERATION)
    assert ChangeReason.ACTING_AGAINST_COALITION not in _support_reasons(adopted, "usa")


def test_a_non_member_intervening_beside_a_coalition_loses_support() -> None:
    opening = _opening()
    coalition = opening.coalition("gulf-coalition")
    assert coalition is not None
    outside = opening.replace_coalition(
        replace(coalition, members=tuple(m for m in coalition.members if m != "egypt"))
    )
    state = _commit(outside, ("egypt",), "desert-shield")
    reasons = _support_reasons(state, "egypt")
    assert reasons[ChangeReason.INTERVENING_UNILATERALLY] == -2
