"""Trust with consequences, intelligence and interoperability
(docs/rules/trust-and-intelligence.md): each effect on an operation's factors and on the
turn, with the numbers its words give."""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import combinations, permutations
from pathlib import Path

import pytest

from app import rules
from app.bots.hand import Hand
from app.bots.personalities import make_bot
from app.bots.simulate import opening_state
from app.rules import Accepted, CommitUnit, SendMessage, apply, resolve_turn
from app.rules.resolution.adjudication import resolve_operation
from app.rules.resolution.tuning import (
    COMMAND_PENALTY,
    COMMAND_TRUST,
    COOPERATION_BRIDGE,
    COOPERATION_EXERCISE,
    COOPERATION_LIAISON,
    COORDINATION_EASE,
    EXERCISE_COST,
    INTEL_LEAK_CHANCE,
    INTEL_LEAK_SUPPORT,
    INTEL_LEAK_TRUST,
    INTEROPERABILITY_PENALTY,
)
from app.rules.state import Agreement, Change, Factor, Outcome, Relation, Relations
from app.rules.wording import words
from app.rules.wording.changes import ChangeReason, FactorName
from app.scenarios.loader import load_scenario

GULF = Path(__file__).resolve().parents[2] / "scenarios" / "gulf-1990.yaml"
OPERATION = "liberate-kuwait"
FIGHTERS = ("usa", "uk", "france", "saudi-arabia", "egypt")


def _opening() -> rules.GameState:
    state = opening_state(load_scenario(GULF), seed=1)
    operation = state.operation(OPERATION)
    assert operation is not None
    coalition = state.coalition("gulf-coalition")
    assert coalition is not None
    state = state.replace_operation(replace(operation, opens_turn=1))
    return state.replace_coalition(
        replace(coalition, command="lead_nation", operations=(*coalition.operations, OPERATION))
    )


def _relations(
    state: rules.GameState, nations: tuple[str, ...], trust: int, cooperation: int = 0
) -> rules.GameState:
    """Every ordered pair of `nations` at `trust` and `cooperation`; the rest as they were."""
    set_pairs = set(permutations(nations, 2))
    kept = [r for r in state.relations if (r.nation, r.other) not in set_pairs]
    alignment = {(r.nation, r.other): r.alignment for r in state.relations}
    made = [Relation(a, b, trust, alignment.get((a, b), 50), cooperation) for a, b in set_pairs]
    return replace(state, relations=Relations([*kept, *made]))


def _commit(state: rules.GameState, nation_ids: tuple[str, ...]) -> rules.GameState:
    operation = state.operation(OPERATION)
    assert operation is not None
    needed = {capability for capability, _ in operation.requirements} | {"lift"}
    for nation_id in nation_ids:
        nation = state.nation(nation_id)
        assert nation is not None
        for unit in nation.units:
            if unit.capability in needed:
                result = apply(state, nation_id, CommitUnit(unit.id, OPERATION))
                if isinstance(result, Accepted):
                    state = result.state
    return state


def _signed(kind: str, parties: tuple[str, ...], **terms: str) -> Agreement:
    return Agreement(
        id=f"{kind}-{'-'.join(parties)}",
        kind=kind,  # type: ignore[arg-type]
        parties=parties,
        terms=dict(terms),
        proposer=parties[0],
        turn=1,
        status="signed",
        signatures=parties,
    )


def _sharing(state: rules.GameState, nations: tuple[str, ...]) -> rules.GameState:
    pacts = tuple(_signed("intel_sharing", pair) for pair in combinations(nations, 2))
    return replace(state, agreements=(*state.agreements, *pacts))


def _odds(state: rules.GameState) -> Outcome:
    operation = state.operation(OPERATION)
    assert operation is not None
    return resolve_operation(state, operation, random.Random(0))


def _factor(outcome: Outcome, name: str) -> Factor:
    return next(f for f in outcome.factors if f.name == name)


def test_distrust_withholds_intelligence_and_its_words_say_so() -> None:
    state = _commit(_sharing(_opening(), FIGHTERS), FIGHTERS)
    trusting = _factor(_odds(_relations(state, FIGHTERS, 60)), FactorName.INTEROPERABILITY)
    wary = _factor(_odds(_relations(state, FIGHTERS, 20)), FactorName.INTEROPERABILITY)
    assert wary.value < trusting.value
    assert wary.detail.params["sharing"] == 0 and wary.detail.params["withheld"] == 10
    assert "distrust withholds 10 intelligence-sharing agreements" in words(wary.detail, state)
    assert trusting.detail.params["withheld"] == 0


def test_a_history_of_cooperation_narrows_the_gap_between_standards() -> None:
    state = _commit(_opening(), FIGHTERS)
    strangers = _factor(_odds(_relations(state, FIGHTERS, 60, 0)), FactorName.INTEROPERABILITY)
    veterans = _factor(_odds(_relations(state, FIGHTERS, 60, 100)), FactorName.INTEROPERABILITY)
    mismatched = strangers.detail.params["mismatched"]
    assert strangers.value == pytest.approx(1 - INTEROPERABILITY_PENALTY * mismatched)
    assert veterans.value == pytest.approx(
        1 - INTEROPERABILITY_PENALTY * (1 - COOPERATION_BRIDGE) * mismatched
    )
    assert "a history of cooperation of 100 narrows the gap" in words(veterans.detail, state)


def test_trust_eases_command_and_distrust_hardens_it_by_the_stated_rule() -> None:
    state = _commit(_opening(), FIGHTERS)
    count = len(FIGHTERS)
    values = {}
    for trust in (20, 50, 90):
        command = _factor(_odds(_relations(state, FIGHTERS, trust)), FactorName.COMMAND_UNITY)
        coalition = state.coalition("gulf-coalition")
        assert coalition is not None
        ease = 1 - COMMAND_TRUST * (trust - 50) / 50
        friction = COMMAND_PENALTY["lead_nation"] * (count - 1) * ease
        expected = (1 - friction) * (0.85 + 0.15 * coalition.cohesion / 100)
        assert command.value == pytest.approx(expected)
        assert f"mutual trust {trust}" in words(command.detail, state)
        values[trust] = command.value
    assert values[20] < values[50] < values[90]


def test_talking_in_the_coalition_channel_eases_command() -> None:
    state = _relations(_commit(_opening(), FIGHTERS), FIGHTERS, 50)
    silent = _factor(_odds(state), FactorName.COMMAND_UNITY)
    talked = apply(state, "usa", SendMessage("coalition-gulf-coalition", "H-hour is 0300."))
    assert isinstance(talked, Accepted)
    coordinated = _factor(_odds(talked.state), FactorName.COMMAND_UNITY)
    friction = COMMAND_PENALTY["lead_nation"] * (len(FIGHTERS) - 1)
    cohesion = 0.85 + 0.15 * state.coalitions[0].cohesion / 100
    assert silent.value == pytest.approx((1 - friction) * cohesion)
    assert coordinated.value == pytest.approx((1 - friction * (1 - COORDINATION_EASE)) * cohesion)
    assert "coordinated in the coalition's channel" in words(coordinated.detail, talked.state)


def test_a_distrustful_host_keeps_a_partner_off_its_bases() -> None:
    based = replace(
        _opening(),
        agreements=(
            *_opening().agreements,
            _signed("basing", ("kuwait", "usa"), host="kuwait", region="kuwait"),
        ),
    )
    state = _commit(based, ("usa",))
    trusted = _factor(_odds(_relations(state, ("kuwait", "usa"), 60)), FactorName.LOGISTICS)
    distrusted = _factor(_odds(_relations(state, ("kuwait", "usa"), 20)), FactorName.LOGISTICS)
    assert trusted.detail.params["based"] == ["usa"]
    assert distrusted.detail.params["based"] == [] and distrusted.detail.params["refused"] == [
        "usa"
    ]
    assert distrusted.detail.params["needed"] > trusted.detail.params["needed"]
    assert "a distrustful host keeps United States off its bases" in words(distrusted.detail, state)


def _cooperation_changes(state: rules.GameState) -> dict[str, list[Change]]:
    changes: dict[str, list[Change]] = {}
    for change in state.records[-1].listed():
        changes.setdefault(change.subject, []).append(change)
    return changes


def test_exercises_and_liaison_officers_build_cooperation_and_exercises_cost_budget() -> None:
    opening = _opening()
    state = replace(
        opening,
        agreements=(
            *opening.agreements,
            _signed("combined_exercise", ("usa", "egypt")),
            _signed("liaison_officers", ("usa", "egypt")),
        ),
    )
    before = {n: state.cooperation(*n) for n in (("usa", "egypt"), ("egypt", "usa"))}
    resolved, _ = resolve_turn(state, 0)
    for pair, was in before.items():
        gained = min(100, was + COOPERATION_EXERCISE + COOPERATION_LIAISON)
        assert resolved.cooperation(*pair) == gained
    changes = _cooperation_changes(resolved)
    codes = {c.reason.code for c in changes["cooperation:usa>egypt"]}
    assert {ChangeReason.COMBINED_EXERCISE, ChangeReason.LIAISON_OFFICERS} <= codes
    exercise_costs = [
        c for c in changes["budget:egypt"] if c.reason.code == ChangeReason.COMBINED_EXERCISE
    ]
    assert [c.delta for c in exercise_costs] == [-EXERCISE_COST]
    assert exercise_costs[0].visible_to == ("egypt",)


def test_shared_intelligence_leaks_at_the_stated_chance_and_costs_support_and_trust() -> None:
    # Two partners share intelligence (and nothing else happens that moves their support
    # or trust in each other); over 300 seeds the leaks happen at about the chance listed.
    opening = _relations(_opening(), ("usa", "uk"), 60, 0)
    state = _sharing(opening, ("usa", "uk"))
    leaks = 0
    for seed in range(300):
        resolved, _ = resolve_turn(replace(state, seed=seed), 0)
        leaked = [
            c
            for c in resolved.records[-1].changes
            if c.reason.code == ChangeReason.INTELLIGENCE_LEAKED
        ]
        if not leaked:
            continue
        leaks += 1
        params = leaked[0].reason.params
        assert params["roll"] < params["chance"] == pytest.approx(INTEL_LEAK_CHANCE)
        deltas = {c.subject: c.delta for c in leaked}
        assert deltas["support:usa"] == deltas["support:uk"] == INTEL_LEAK_SUPPORT
        assert deltas["trust:usa>uk"] == deltas["trust:uk>usa"] == INTEL_LEAK_TRUST
        assert "leaks to the press" in words(leaked[0].reason, resolved)
    # Binomial(300, 0.06): mean 18, standard deviation 4.1.
    assert 6 <= leaks <= 30, leaks


def test_bots_ask_a_distrusted_partner_for_less_and_refuse_it_their_bases() -> None:
    state = _opening()
    bot = make_bot("cooperative", ())
    share = _signed("cost_sharing", ("egypt", "usa"), payer="usa", operation_id=OPERATION)
    share = replace(share, terms={**share.terms, "share": 50}, status="open", signatures=())
    basing = replace(
        _signed("basing", ("kuwait", "usa"), host="kuwait", region="kuwait"),
        status="open",
        proposer="usa",
        signatures=(),
    )

    def judged(trust: int, asked: int) -> tuple[bool, bool]:
        trusted = _relations(state, ("usa", "egypt", "kuwait"), trust)
        offer = replace(share, terms={**share.terms, "share": asked})
        return (
            bot.judge_cost_sharing(Hand(trusted, "usa"), offer),
            bot.judge_basing(Hand(trusted, "kuwait"), basing),
        )

    # Trusted at 90: half the costs and the bases. At 55 (no history of cooperation) it
    # pays at most 45%: the partner must ask for less; and a host at 30 keeps its bases.
    assert judged(90, 50) == (True, True)
    assert judged(55, 50) == (False, True)
    assert judged(55, 45) == (True, True)
    assert judged(30, 10)[1] is False
