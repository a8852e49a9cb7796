"""Adjudicating an operation: its factors, the seeded roll, its outcome and control's override."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import replace

from app.rules.reasons import because
from app.rules.resolution.adversary import operation_pressure
from app.rules.resolution.intelligence import (
    basing_rights,
    pair_means,
    sharing_among,
)
from app.rules.resolution.tuning import (
    CASUALTY_FACTOR,
    COMMAND_FLOOR,
    COMMAND_PENALTY,
    COMMAND_TRUST,
    COOPERATION_BRIDGE,
    COORDINATION_EASE,
    CRISIS_SURCHARGE,
    DIFFICULTY_FLOOR,
    FORCE_RATIO_CAP,
    HOST_NATION_LEGITIMACY,
    INTEL_BRIDGE_SHARE,
    INTEL_SHARING_BONUS,
    INTEROPERABILITY_FLOOR,
    INTEROPERABILITY_PENALTY,
    LEGITIMACY_BASE,
    LIFT_FREE,
    LIFT_RATIO,
    LOCAL_KNOWLEDGE,
    MANDATE_LEGITIMACY,
    MIN_CAPABILITY_MATCH,
    MIN_FORCE_RATIO,
    REGIONAL_PARTNER_LEGITIMACY,
    RESULTS_TABLE,
    Column,
)
from app.rules.state import (
    Coalition,
    Contribution,
    Factor,
    GameState,
    Nation,
    Operation,
    Outcome,
    Override,
    Pair,
    Result,
    Unit,
)
from app.rules.wording.changes import FactorName, FactorReason, OutcomeReason


def _contributions(state: GameState, operation: Operation) -> list[tuple[Nation, list[Unit]]]:
    by_nation: dict[str, list[Unit]] = defaultdict(list)
    for commitment in state.commitments_to(operation.id):
        unit = state.unit(commitment.unit_id)
        if unit is not None:
            by_nation[commitment.nation_id].append(unit)
    return [(n, by_nation[n.id]) for n in state.nations if n.id in by_nation]


def _command(
    state: GameState, operation: Operation, nation_ids: list[str]
) -> tuple[str, Coalition | None]:
    """The command structure contributors fight under: their coalition's, if every
    contributor is a member of the coalition running the operation; else parallel."""
    coalition = state.coalition_for_operation(operation.id)
    if coalition is not None and all(n in coalition.members for n in nation_ids):
        return coalition.command, coalition
    return "parallel", None


def _factors(
    state: GameState,
    operation: Operation,
    contributions: list[tuple[Nation, list[Unit]]],
    intelligence: tuple[list[Pair], list[Pair]] | None = None,
) -> tuple[list[Factor], Coalition | None]:
    units = [u for _, us in contributions for u in us]
    supplied: dict[str, float] = defaultdict(float)
    raw_strength = sum(u.strength for u in units)
    effective_strength = 0.0
    for nation, nation_units in contributions:
        for unit in nation_units:
            strength = float(unit.strength)
            if (
                operation.power == "hard"
                and unit.capability == "land"
                and "no-offensive-ground" in nation.caveats
            ):
                strength /= 2  # the caveat keeps these troops out of offensive tasks
            if "no-night-ops" in nation.caveats and operation.power == "hard":
                strength *= 0.8  # a third of the clock is closed to them
            supplied[unit.capability] += strength
            effective_strength += strength

    required = sum(amount for _, amount in operation.requirements)
    met = sum(min(supplied[cap], amount) for cap, amount in operation.requirements)
    shortfalls = [(cap, amount) for cap, amount in operation.requirements if supplied[cap] < amount]
    capability = Factor(
        FactorName.CAPABILITY_MATCH,
        met / required if required else 1.0,
        because(FactorReason.REQUIREMENTS_MET)
        if not shortfalls
        else because(
            FactorReason.REQUIREMENTS_SHORT,
            capabilities=[cap for cap, _ in shortfalls],
            supplied=[supplied[cap] for cap, _ in shortfalls],
            required=[amount for _, amount in shortfalls],
        ),
    )

    nation_ids = [n.id for n, _ in contributions]
    standards = sorted({n.interoperability for n, _ in contributions})
    sharing_pairs, withheld = sharing_among(state, nation_ids, intelligence)
    sharing = len(sharing_pairs)
    # Friction grows with the share of the force that is not on the main standard: a
    # small partner on other equipment costs little, half the force on it a lot. A history
    # of working together (exercises, liaison officers, joint operations) makes the
    # standards work together: it takes part of the penalty away.
    on_standard: dict[str, int] = defaultdict(int)
    for nation, nation_units in contributions:
        on_standard[nation.interoperability] += sum(u.strength for u in nation_units)
    mismatched = 1 - max(on_standard.values()) / raw_strength if raw_strength else 0.0
    trust, cooperation = pair_means(state, nation_ids)
    penalty = INTEROPERABILITY_PENALTY * (1 - COOPERATION_BRIDGE * cooperation / 100)
    interop_value = max(INTEROPERABILITY_FLOOR, 1 - penalty * mismatched)
    # Shared intelligence bridges different standards, but only part of the gap; with one
    # standard there is no gap to bridge, and the words say so (they name the agreements
    # only where they helped).
    bridging = sharing if len(standards) > 1 else 0
    bridged = min(INTEL_BRIDGE_SHARE * (1 - interop_value), INTEL_SHARING_BONUS * bridging)
    interop_value += bridged
    interoperability = Factor(
        FactorName.INTEROPERABILITY,
        interop_value,
        because(
            FactorReason.STANDARDS,
            standards=standards,
            sharing=bridging,
            mismatched=mismatched,
            cooperation=round(cooperation, 1),
            bridged=round(bridged, 3),
            withheld=withheld,
        ),
    )

    structure, coalition = _command(state, operation, nation_ids)
    count = len(contributions)
    # Trust eases command and distrust hardens it; talking in the coalition's channel
    # this turn takes some of the friction away (docs/rules/trust-and-intelligence.md).
    # (`trust`: the pairs' mean, with their history of cooperation above.)
    coordinated = coalition is not None and f"coalition-{coalition.id}" in state.talked
    ease = (1 - COMMAND_TRUST * (trust - 50) / 50) * (1 - COORDINATION_EASE * coordinated)
    unity = max(COMMAND_FLOOR[structure], 1 - COMMAND_PENALTY[structure] * (count - 1) * ease)
    cohesion = None
    if coalition is not None and count > 1:
        unity *= 0.85 + 0.15 * coalition.cohesion / 100
        cohesion = coalition.cohesion
    command = Factor(
        FactorName.COMMAND_UNITY,
        unity if count > 1 else 1.0,
        because(
            FactorReason.COMMAND,
            nations=count,
            coalition=coalition.id if coalition else None,
            structure=structure,
            cohesion=cohesion,
            trust=round(trust, 1) if count > 1 else None,
            coordinated=coordinated and count > 1,
        ),
    )

    caveats = Factor(
        FactorName.NATIONAL_CAVEATS,
        effective_strength / raw_strength if raw_strength else 1.0,
        because(FactorReason.NO_CAVEAT)
        if effective_strength == raw_strength
        else because(FactorReason.CAVEATS_REDUCE, raw=raw_strength, effective=effective_strength),
    )

    hosts, refused = basing_rights(state, operation.region, nation_ids)
    # A host nation among the contributors opens its ports and roads to all of them.
    host_contributes = any(n.home_region == operation.region for n, _ in contributions)
    lift = sum(u.strength for u in units if u.capability == "lift")
    lift_needed = 0
    based = []
    for nation, nation_units in contributions:
        need = math.ceil(
            max(0, sum(u.strength for u in nation_units if u.capability != "lift") - LIFT_FREE)
            / LIFT_RATIO
        )
        if host_contributes or nation.id in hosts:
            need = math.ceil(need / 2)  # basing and overflight shorten the lines
            based.append(nation.id)
        lift_needed += need
    logistics = Factor(
        FactorName.LOGISTICS,
        1.0 if lift_needed == 0 else 0.7 + 0.3 * min(1.0, lift / lift_needed),
        because(
            FactorReason.LIFT,
            lift=lift,
            needed=lift_needed,
            based=based,
            refused=[] if host_contributes else refused,
        ),
    )

    local = _locals(state, operation, nation_ids)
    knowledge = LOCAL_KNOWLEDGE if local else 0.0
    if operation.power == "hard":
        isr = sum(u.strength for u in units if u.capability in ("isr", "cyber"))
        value = 1.0 + min(0.15, 0.03 * isr) + (0.05 if sharing else 0.0) + knowledge
        situational = Factor(
            FactorName.INTELLIGENCE,
            value,
            because(FactorReason.ISR, isr=isr, shared=bool(sharing), local=local),
        )
    else:
        population = next((a for a in state.actors if a.kind == "population"), None)
        attitude = population.attitude if population else 50
        ngo_partners = {
            p for a in state.signed("ngo_coordination") for p in a.parties if p in nation_ids
        }
        value = 0.8 + 0.4 * attitude / 100 + (0.1 if ngo_partners else 0.0) + knowledge
        situational = Factor(
            FactorName.LOCAL_COOPERATION,
            value,
            because(
                FactorReason.POPULATION, attitude=attitude, ngos=bool(ngo_partners), local=local
            ),
        )

    difficulty = _difficulty(state, operation)
    force_ratio = Factor(
        FactorName.FORCE_RATIO,
        min(FORCE_RATIO_CAP, raw_strength / difficulty),
        because(
            FactorReason.STRENGTH_AGAINST_DIFFICULTY,
            strength=raw_strength,
            difficulty=difficulty,
            raised=difficulty != operation.difficulty,
        ),
    )
    factors = [capability, interoperability, command, caveats, logistics, situational]
    if operation.power == "hard":
        factors.append(_legitimacy(state, operation, nation_ids, coalition))
    return [*factors, force_ratio], coalition


def _locals(state: GameState, operation: Operation, nation_ids: list[str]) -> list[str]:
    """Contributors from the crisis region (their home region is on the map)."""
    regions = {r.id for r in state.regions}
    return [n for n in nation_ids if (nation := state.nation(n)) and nation.home_region in regions]


def _legitimacy(
    state: GameState, operation: Operation, nation_ids: list[str], coalition: Coalition | None
) -> Factor:
    """How acceptable the use of force is where it is used: the mandate the contributors
    fight under (only under their coalition's command), the host nation (contributing,
    or granting a contributor basing there) and partners from the region."""
    mandate = coalition.mandate if coalition is not None else "none"
    hosts = [
        n
        for n in nation_ids
        if (nation := state.nation(n)) and nation.home_region == operation.region
    ]
    consenting = [
        str(a.terms["host"])
        for a in state.signed("basing")
        if a.terms["region"] == operation.region and any(p in nation_ids for p in a.parties)
    ]
    host = sorted({*hosts, *consenting})
    regional = [n for n in _locals(state, operation, nation_ids) if n not in host]
    value = (
        LEGITIMACY_BASE
        + MANDATE_LEGITIMACY[mandate]
        + (HOST_NATION_LEGITIMACY if host else 0.0)
        + (REGIONAL_PARTNER_LEGITIMACY if regional else 0.0)
    )
    return Factor(
        FactorName.LEGITIMACY,
        value,
        because(FactorReason.LEGITIMACY, mandate=mandate, host=host, regional=regional),
    )


def results_column(capability: float, force_ratio: float, score: float) -> Column:
    """The column of the combat results table an attempt is read in: the last whose lowest
    effectiveness x force ratio it reaches, or "no effect" (the first) when its capability
    match or force ratio is under the minimum."""
    if capability < MIN_CAPABILITY_MATCH or force_ratio < MIN_FORCE_RATIO:
        return RESULTS_TABLE[0]
    return [c for c in RESULTS_TABLE if score >= c.lowest][-1]


def _difficulty(state: GameState, operation: Operation) -> int:
    surcharge = CRISIS_SURCHARGE if state.escalation.level >= state.escalation.threshold else 0
    return max(DIFFICULTY_FLOOR, operation.difficulty + surcharge)


def resolve_operation(
    state: GameState,
    operation: Operation,
    rng: random.Random,
    intelligence: tuple[list[Pair], list[Pair]] | None = None,
) -> Outcome:
    """The operation attempted by what is committed to it, rolled with `rng`
    (`intelligence`: the state's `intelligence_pairs`, if known: a turn's operations share
    them)."""
    contributions = _contributions(state, operation)
    if not contributions:
        return Outcome(
            turn=state.turn,
            operation_id=operation.id,
            result="not_attempted",
            effectiveness=0.0,
            probability_success=0.0,
            probability_partial=0.0,
            roll=None,
            factors=(),
            contributions=(),
            escalation_change=0,
            summary=because(OutcomeReason.NOT_ATTEMPTED, op=operation.id),
        )
    factors, coalition = _factors(state, operation, contributions, intelligence)
    effectiveness = math.prod(f.value for f in factors[:-1])
    force_ratio = factors[-1].value
    capability = factors[0].value
    score = effectiveness * force_ratio
    column = results_column(capability, force_ratio, score)
    p_success, p_partial = column.success, column.partial
    roll = rng.random()
    result: Result = (
        "success" if roll < p_success else "partial" if roll < p_success + p_partial else "failure"
    )
    # The adversary answers hard power by its size, posture and result (its reaction
    # table); relief that works lowers the pressure.
    escalation_change = operation_pressure(
        state, operation, result, sum(u.strength for _, us in contributions for u in us)
    )
    # Casualties: each committed unit is at risk, more so when the operation goes badly.
    casualties: dict[str, int] = {}
    for nation, nation_units in contributions:
        losses = sum(
            1 for _ in nation_units if rng.random() < operation.risk * CASUALTY_FACTOR[result]
        )
        if losses:
            casualties[nation.id] = losses
    civilian_harm = (
        operation.power == "hard"
        and result != "success"
        and operation.civilian_risk > 0
        and rng.random() < operation.civilian_risk
    )
    summary = because(
        OutcomeReason.ROLLED if column is not RESULTS_TABLE[0] else OutcomeReason.NO_EFFECT,
        op=operation.id,
        result=result,
        roll=roll,
        success=p_success,
        partial=p_partial,
        effectiveness=effectiveness,
        force_ratio=force_ratio,
        score=score,
        column=column.label,
        capability=capability,
        min_capability=MIN_CAPABILITY_MATCH,
        min_force_ratio=MIN_FORCE_RATIO,
        min_score=RESULTS_TABLE[1].lowest,
    )
    return Outcome(
        turn=state.turn,
        operation_id=operation.id,
        result=result,
        effectiveness=effectiveness,
        probability_success=p_success,
        probability_partial=p_partial,
        roll=roll,
        factors=tuple(factors),
        contributions=tuple(
            Contribution(
                n.id,
                tuple(u.id for u in us),
                sum(u.strength for u in us),
                sum(u.cost for u in us),
            )
            for n, us in contributions
        ),
        escalation_change=escalation_change,
        summary=summary,
        casualties=casualties,
        civilian_harm=civilian_harm,
        coalition_id=coalition.id if coalition else None,
    )


def adjudicated(outcome: Outcome, overrides: tuple[Override, ...]) -> Outcome:
    """The outcome as control adjudicated it, if it did: the result is control's (it may
    confirm the rules' result), the factors and the roll stay on record, and the reason is
    added to them."""
    override = next((o for o in overrides if o.operation_id == outcome.operation_id), None)
    if override is None:
        return outcome
    return replace(
        outcome,
        result=override.result,
        factors=(
            *outcome.factors,
            Factor(
                FactorName.CONTROL_ADJUDICATION,
                1.0,
                because(
                    FactorReason.CONTROL_ADJUDICATED, result=override.result, text=override.reason
                ),
            ),
        ),
        # The rules' summary stays in the parameters, so control's word reads after it.
        summary=because(
            OutcomeReason.ADJUDICATED,
            summary=outcome.summary.code,
            **outcome.summary.params,
            adjudicated=override.result,
            why=override.reason,
        ),
    )
