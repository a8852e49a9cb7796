"""Turn resolution: a pure, seeded, explained function of the state.

`resolve_turn` adjudicates every operation (effectiveness = capability match x
interoperability x command unity x caveats x logistics x intelligence or local
cooperation; then a seeded roll against a probability derived from effectiveness and the
force ratio), and then follows the consequences the seed texts describe, in order:
casualties and civilian harm, escalation, the costs and who carries them (burden
sharing), the pledge ledger, trust, coalition cohesion (and defection or collapse),
domestic support (and leadership change), press leaks from talks, and the scenario's
injects. Every number that moves is recorded as a `Change` with its reason, so a student
can argue with it in the review.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from app.rules import diplomacy, injects
from app.rules.actions import Event
from app.rules.state import (
    Change,
    Coalition,
    Contribution,
    Factor,
    GameState,
    Nation,
    Operation,
    Outcome,
    Override,
    Phase,
    Pledge,
    Result,
    TurnRecord,
    Unit,
    outcomes_to_dicts,
)

# How much each extra interoperability standard among contributors costs (seed: "compatible
# communication systems, procedures and equipment"); intelligence sharing between
# contributors wins some of it back.
INTEROPERABILITY_PENALTY = 0.15
INTEROPERABILITY_FLOOR = 0.55
INTEL_SHARING_BONUS = 0.05
# Friction each extra nation adds under each command structure (seed: "unity of command";
# an integrated multinational HQ beats parallel national chains).
COMMAND_PENALTY = {"integrated": 0.03, "lead_nation": 0.07, "parallel": 0.15}
COMMAND_FLOOR = {"integrated": 0.8, "lead_nation": 0.65, "parallel": 0.5}
COMMAND_SCORE = {"integrated": 90, "lead_nation": 70, "parallel": 45}
# One unit of lift strength sustains this much other strength beyond a nation's first
# LIFT_FREE strength (which it can move itself).
LIFT_RATIO = 4
LIFT_FREE = 4
SUPPORT_FOR_RESULT: dict[Result, int] = {"success": 3, "partial": 1, "failure": -3}
CASUALTY_FACTOR: dict[Result, float] = {"success": 0.5, "partial": 1.0, "failure": 1.5}
# Cohesion moves this far towards what trust, alignment, fairness and command justify.
COHESION_INERTIA = 0.5
COHESION_WEIGHTS = {"trust": 0.35, "alignment": 0.2, "fairness": 0.25, "command": 0.2}
# Mass matters up to a point: a force twice the difficulty doubles the odds' basis, more
# adds nothing (seed: overwhelming force compensates for friction, within limits).
FORCE_RATIO_CAP = 2.0
# How fast the chance of success rises with effectiveness x force ratio: 1.1 gives about
# two chances in three for a fully effective force that matches the difficulty.
SUCCESS_STEEPNESS = 1.1
# Escalation pressure: every hard-power operation pushes the adversary up the ladder;
# relief that works, and a coalition deterring as one, pull it down.
HARD_POWER_PRESSURE = 0.5
SOFT_POWER_RELIEF: dict[str, float] = {"success": -1.0, "partial": -0.5}
CIVILIAN_HARM_PRESSURE = 1.0
UNITED_DETERRENCE = -0.5
# Defensive hard power provokes half as much, and a united defensive posture deters
# twice as credibly (seed: reassurance without provocation).
DEFENSIVE_FACTOR = 0.5
# Difficulty added to every operation while escalation is past the threshold.
CRISIS_SURCHARGE = 2
DIFFICULTY_FLOOR = 1


def _called(state: GameState, some_id: str) -> str:
    """A nation's or an operation's name for the reasons players read (ids are for code)."""
    nation = state.nation(some_id)
    if nation is not None:
        return nation.name
    operation = state.operation(some_id)
    return operation.name if operation is not None else some_id


def _unit_called(state: GameState, nation_id: str, unit_id: str) -> str:
    nation = state.nation(nation_id)
    unit = nation.unit(unit_id) if nation is not None else None
    return unit.name if unit is not None else unit_id


def phase_should_end(state: GameState, now: float) -> bool:
    """The orders phase ends at its deadline, or early when every seat a person plays or
    may still take is ready: a seat nobody has joined yet keeps the phase open (its player
    may be late), while the deadline bounds the wait."""
    if state.phase is not Phase.ORDERS or state.paused_remaining is not None:
        return False  # control has paused the clock: nothing ends until it resumes
    if state.deadline is not None and now >= state.deadline:
        return True
    seats = state.player_seats()
    return bool(seats) and all(seat in state.ready for seat in seats)


def _rng(state: GameState) -> random.Random:
    # A private generator per (game seed, turn): replays and tests reproduce every roll.
    return random.Random(f"entente:{state.seed}:{state.turn}")


@dataclass
class Ledger:
    """The changes of one resolution, collected as they are decided."""

    changes: list[Change] = field(default_factory=list)
    support: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    trust: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def trust_change(self, nation: str, other: str, delta: int) -> None:
        """Collected, then applied in one pass by `settle_trust`."""
        if nation != other:
            self.trust[(nation, other)] += delta

    def settle_trust(self, state: GameState) -> GameState:
        state = diplomacy.adjust_trust_many(state, dict(self.trust))
        self.trust.clear()
        return state

    def add(self, subject: str, delta: float, reason: str, visible_to: Iterable[str] = ()) -> None:
        if delta:
            self.changes.append(Change(subject, round(delta, 3), reason, tuple(visible_to)))

    def support_change(
        self, nation_id: str, delta: float, reason: str, public: bool = True
    ) -> None:
        if delta:
            self.support[nation_id] += delta
            self.add(f"support:{nation_id}", delta, reason, () if public else (nation_id,))


# --- operations --------------------------------------------------------------------------


def _contributions(state: GameState, operation: Operation) -> list[tuple[Nation, list[Unit]]]:
    by_nation: dict[str, list[Unit]] = defaultdict(list)
    for commitment in state.commitments_to(operation.id):
        unit = state.unit(commitment.unit_id)
        if unit is not None:
            by_nation[commitment.nation_id].append(unit)
    return [(n, by_nation[n.id]) for n in state.nations if n.id in by_nation]


def _signed_pairs(state: GameState, kind: str) -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for agreement in state.signed(kind):  # type: ignore[arg-type]  # a known kind
        for a in agreement.parties:
            for b in agreement.parties:
                if a != b:
                    pairs.add(frozenset((a, b)))
    return pairs


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
    state: GameState, operation: Operation, contributions: list[tuple[Nation, list[Unit]]]
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
    shortfalls = [
        f"{cap} {supplied[cap]:g}/{amount}"
        for cap, amount in operation.requirements
        if supplied[cap] < amount
    ]
    capability = Factor(
        "capability match",
        met / required if required else 1.0,
        "all requirements met"
        if not shortfalls
        else "short of the requirement: " + ", ".join(shortfalls),
    )

    nation_ids = [n.id for n, _ in contributions]
    standards = sorted({n.interoperability for n, _ in contributions})
    intel_pairs = _signed_pairs(state, "intel_sharing")
    contributors = set(nation_ids)
    sharing = sum(1 for pair in intel_pairs if pair <= contributors)
    penalty = INTEROPERABILITY_PENALTY * (len(standards) - 1)
    interop_value = max(INTEROPERABILITY_FLOOR, 1 - penalty)
    if len(standards) > 1 and sharing:
        interop_value = min(1.0, interop_value + INTEL_SHARING_BONUS * sharing)
    interoperability = Factor(
        "interoperability",
        interop_value,
        f"{_count(len(standards), 'standard')} among contributors ({', '.join(standards)})"
        + (f"; {_count(sharing, 'intelligence-sharing agreement')} help" if sharing else ""),
    )

    structure, coalition = _command(state, operation, nation_ids)
    count = len(contributions)
    unity = max(COMMAND_FLOOR[structure], 1 - COMMAND_PENALTY[structure] * (count - 1))
    where = (
        f"{coalition.name}'s {structure.replace('_', '-')} command"
        if coalition
        else "parallel national command"
    )
    detail = f"{_count(count, 'nation')} under {where}"
    if coalition is not None and count > 1:
        unity *= 0.85 + 0.15 * coalition.cohesion / 100
        detail += f", cohesion {coalition.cohesion}"
    command = Factor("command unity", unity if count > 1 else 1.0, detail)

    caveats = Factor(
        "national caveats",
        effective_strength / raw_strength if raw_strength else 1.0,
        "no caveat restricts the committed forces"
        if effective_strength == raw_strength
        else f"caveats reduce usable strength from {raw_strength} to {effective_strength:g}",
    )

    hosts = {
        (str(a.terms["region"]), p)
        for a in state.signed("basing")
        for p in a.parties
        if p != a.terms["host"]
    }
    lift = sum(u.strength for u in units if u.capability == "lift")
    lift_needed = 0
    based = []
    for nation, nation_units in contributions:
        need = math.ceil(
            max(0, sum(u.strength for u in nation_units if u.capability != "lift") - LIFT_FREE)
            / LIFT_RATIO
        )
        if (operation.region, nation.id) in hosts:
            need = math.ceil(need / 2)  # basing and overflight shorten the lines
            based.append(nation.name)
        lift_needed += need
    logistics = Factor(
        "logistics",
        1.0 if lift_needed == 0 else 0.7 + 0.3 * min(1.0, lift / lift_needed),
        ("no strategic lift needed" if lift_needed == 0 else f"lift {lift} of {lift_needed} needed")
        + (f"; basing rights for {', '.join(based)}" if based else ""),
    )

    if operation.power == "hard":
        isr = sum(u.strength for u in units if u.capability in ("isr", "cyber"))
        value = 1.0 + min(0.15, 0.03 * isr) + (0.05 if sharing else 0.0)
        situational = Factor(
            "intelligence",
            value,
            f"ISR and cyber strength {isr}" + ("; shared intelligence" if sharing else ""),
        )
    else:
        population = next((a for a in state.actors if a.kind == "population"), None)
        attitude = population.attitude if population else 50
        ngo_partners = {
            p for a in state.signed("ngo_coordination") for p in a.parties if p in nation_ids
        }
        value = 0.8 + 0.4 * attitude / 100 + (0.1 if ngo_partners else 0.0)
        situational = Factor(
            "local cooperation",
            value,
            f"local population attitude {attitude}"
            + ("; coordinated with NGOs" if ngo_partners else ""),
        )

    difficulty = _difficulty(state, operation)
    force_ratio = Factor(
        "force ratio",
        min(FORCE_RATIO_CAP, raw_strength / difficulty),
        f"committed strength {raw_strength} against difficulty {difficulty}"
        + (" (raised by the crisis)" if difficulty != operation.difficulty else ""),
    )
    factors = [capability, interoperability, command, caveats, logistics, situational, force_ratio]
    return factors, coalition


def _difficulty(state: GameState, operation: Operation) -> int:
    surcharge = CRISIS_SURCHARGE if state.escalation.level >= state.escalation.threshold else 0
    return max(DIFFICULTY_FLOOR, operation.difficulty + surcharge)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def resolve_operation(state: GameState, operation: Operation, rng: random.Random) -> Outcome:
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
            summary=f"{operation.name}: no forces were committed.",
        )
    factors, coalition = _factors(state, operation, contributions)
    effectiveness = math.prod(f.value for f in factors[:-1])
    score = effectiveness * factors[-1].value
    # Diminishing returns: each gain in effectiveness or mass still helps, never to certainty.
    p_success = min(0.95, max(0.02, 1 - math.exp(-SUCCESS_STEEPNESS * score)))
    p_partial = (1 - p_success) * 0.5
    roll = rng.random()
    result: Result = (
        "success" if roll < p_success else "partial" if roll < p_success + p_partial else "failure"
    )
    # Hard power raises the adversary's escalation pressure; successful soft power lowers it.
    if operation.power == "hard":
        escalation_change = HARD_POWER_PRESSURE * (
            DEFENSIVE_FACTOR if operation.posture == "defensive" else 1.0
        )
    else:
        escalation_change = SOFT_POWER_RELIEF.get(result, 0.0)
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
    summary = (
        f"{operation.name}: {result} (roll {roll:.2f} against {p_success:.0%} success, "
        f"{p_partial:.0%} partial; effectiveness {effectiveness:.2f})."
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


# --- the consequences, one step each ----------------------------------------------------


def _progress(state: GameState, outcomes: tuple[Outcome, ...], ledger: Ledger) -> GameState:
    """Operations advance by their results; a long operation needs several successes."""
    for outcome in outcomes:
        operation = state.operation(outcome.operation_id)
        assert operation is not None
        gain = {"success": 1.0, "partial": 0.5}.get(outcome.result, 0.0)
        progress = operation.progress + gain
        status = operation.status
        if progress >= operation.duration:
            status = "completed"
            ledger.add(f"operation:{operation.id}", 1, f"{operation.name} accomplished")
        elif operation.deadline_turn and state.turn >= operation.deadline_turn:
            status = "failed"
            ledger.add(f"operation:{operation.id}", -1, f"{operation.name} ran out of time")
        state = state.replace_operation(replace(operation, progress=progress, status=status))
    return state


def _escalation(
    state: GameState, outcomes: tuple[Outcome, ...], ledger: Ledger
) -> tuple[GameState, int]:
    pressure = 0.0
    for outcome in outcomes:
        if outcome.escalation_change:
            pressure += outcome.escalation_change
            verb = "hard power at" if outcome.escalation_change > 0 else "relief that worked at"
            ledger.add(
                "escalation pressure",
                outcome.escalation_change,
                f"{verb} {_called(state, outcome.operation_id)}",
            )
        if outcome.civilian_harm:
            pressure += CIVILIAN_HARM_PRESSURE
            ledger.add(
                "escalation pressure",
                CIVILIAN_HARM_PRESSURE,
                f"civilian harm during {_called(state, outcome.operation_id)}",
            )
    # Credible united deterrence: a cohesive coalition whose members stand together, in
    # the field (several members in its hard-power operations) or in one voice (a joint
    # statement of three or more).
    statements = state.signed("joint_statement")
    for coalition in state.coalitions:
        if not coalition.active or coalition.cohesion < 60:
            continue
        in_field = {
            c.nation_id
            for o in outcomes
            if o.coalition_id == coalition.id and o.escalation_change > 0
            for c in o.contributions
        }
        one_voice = len(coalition.members) >= 3 and any(
            set(coalition.members) <= set(s.parties) for s in statements
        )
        if len(in_field) >= 2 or one_voice:
            hard = [
                op
                for o in outcomes
                if o.coalition_id == coalition.id
                and (op := state.operation(o.operation_id)) is not None
                and op.power == "hard"
            ]
            defensive = bool(hard) and all(op.posture == "defensive" for op in hard)
            relief = UNITED_DETERRENCE / DEFENSIVE_FACTOR if defensive else UNITED_DETERRENCE
            how = "in the field" if len(in_field) >= 2 else "with one voice"
            how += ", defensively" if defensive else ""
            pressure += relief
            ledger.add("escalation pressure", relief, f"{coalition.name} deters {how}")
            break
    old = state.escalation
    carried = old.pressure + pressure
    steps = math.trunc(carried)  # whole points move the level; the rest carries over
    level = min(old.max, max(0, old.level + steps))
    carried -= steps
    if (level == old.max and carried > 0) or (level == 0 and carried < 0):
        carried = 0.0  # nothing builds up beyond the ends of the ladder
    if old.level < old.threshold <= level:
        ledger.add("escalation", 0.0001, f"the crisis crosses its threshold ({old.rung(level)})")
    escalation = replace(old, level=level, peak=max(old.peak, level), pressure=round(carried, 3))
    return replace(state, escalation=escalation), level - old.level


def _costs(
    state: GameState, outcomes: tuple[Outcome, ...], ledger: Ledger
) -> tuple[GameState, dict[str, int]]:
    """Each contributor pays for its committed units; cost-sharing partners pay a share."""
    own: dict[str, int] = defaultdict(int)
    by_operation: dict[tuple[str, str], int] = defaultdict(int)
    for outcome in outcomes:
        for c in outcome.contributions:
            own[c.nation_id] += c.cost
            by_operation[(outcome.operation_id, c.nation_id)] += c.cost
    carried = dict(own)
    budgets = {n.id: n.budget - own.get(n.id, 0) for n in state.nations}
    for agreement in state.signed("cost_sharing"):
        payer, operation_id = str(agreement.terms["payer"]), str(agreement.terms["operation_id"])
        share = int(agreement.terms["share"])
        for party in agreement.parties:
            if party == payer:
                continue
            owed = by_operation.get((operation_id, party), 0) * share // 100
            paid = max(0, min(owed, budgets[payer]))
            if paid:
                budgets[payer] -= paid
                budgets[party] += paid
                carried[payer] = carried.get(payer, 0) + paid
                carried[party] = carried.get(party, 0) - paid
                # Budgets and private deals are known to the deal's parties only.
                ledger.add(
                    f"budget:{payer}",
                    -paid,
                    f"pays {share}% of {_called(state, party)}'s costs on "
                    f"{_called(state, operation_id)}",
                    agreement.parties,
                )
                ledger.add(
                    f"budget:{party}",
                    paid,
                    f"{_called(state, payer)} pays {share}% of its costs on "
                    f"{_called(state, operation_id)}",
                    agreement.parties,
                )
    for nation in state.nations:
        spent = own.get(nation.id, 0)
        if spent:
            ledger.add(f"budget:{nation.id}", -spent, "cost of committed forces", (nation.id,))
    state = replace(state, nations=tuple(replace(n, budget=budgets[n.id]) for n in state.nations))
    return state, {k: v for k, v in carried.items() if v}


def _pledges(state: GameState, ledger: Ledger) -> GameState:
    """The ledger of pledged versus delivered: honoured pledges build trust, broken ones
    cost more of it than honouring would have earned."""
    delivered: dict[tuple[str, str], int] = defaultdict(int)
    for commitment in state.commitments:
        unit = state.unit(commitment.unit_id)
        if unit is not None:
            delivered[(commitment.nation_id, commitment.operation_id)] += unit.strength
    pledges: list[Pledge] = []
    for pledge in state.pledges:
        if pledge.status != "due" or pledge.turn != state.turn:
            pledges.append(pledge)
            continue
        got = delivered[(pledge.nation, pledge.operation_id)]
        honoured = got >= pledge.strength
        pledges.append(replace(pledge, delivered=got, status="honoured" if honoured else "broken"))
        agreement = state.agreement(pledge.agreement_id)
        partners = [p for p in (agreement.parties if agreement else ()) if p != pledge.nation]
        for partner in partners:
            delta = 5 if honoured else -10
            ledger.trust_change(partner, pledge.nation, delta)
            verb = "honoured" if honoured else "broke"
            ledger.add(
                f"trust:{partner}>{pledge.nation}",
                delta,
                f"{_called(state, pledge.nation)} {verb} its pledge of {pledge.strength} to "
                f"{_called(state, pledge.operation_id)} (delivered {got})",
                (partner,),  # a nation's trust in another is its own to know
            )
    return ledger.settle_trust(replace(state, pledges=tuple(pledges)))


def _cumulative_burden(state: GameState, carried: dict[str, int]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for record in state.records:
        for nation_id, amount in record.burden.items():
            total[nation_id] += amount
    for nation_id, amount in carried.items():
        total[nation_id] += amount
    return total


def _fairness(state: GameState, coalition: Coalition, burden: dict[str, int]) -> float:
    """1 when every member's share of the burden equals its share of capacity; 0 when one
    member carries everything that others could have shared."""
    members = [m for m in (state.nation(i) for i in coalition.members) if m is not None]
    total_burden = sum(max(0, burden.get(m.id, 0)) for m in members)
    total_capacity = sum(m.capacity for m in members)
    if total_burden == 0 or total_capacity == 0:
        return 1.0
    gap = sum(
        abs(max(0, burden.get(m.id, 0)) / total_burden - m.capacity / total_capacity)
        for m in members
    )
    return max(0.0, 1 - gap / 2)


def _burden_and_trust(
    state: GameState,
    outcomes: tuple[Outcome, ...],
    carried: dict[str, int],
    ledger: Ledger,
) -> tuple[GameState, dict[str, float]]:
    cumulative = _cumulative_burden(state, carried)
    fairness: dict[str, float] = {}
    for coalition in state.coalitions:
        if not coalition.active:
            continue
        fairness[coalition.id] = _fairness(state, coalition, cumulative)
        # Free riding costs trust with those who carry more (this turn's burden).
        members = [m for m in (state.nation(i) for i in coalition.members) if m is not None]
        turn_total = sum(max(0, carried.get(m.id, 0)) for m in members)
        capacity = sum(m.capacity for m in members)
        if turn_total == 0 or capacity == 0:
            continue
        shares = {m.id: max(0, carried.get(m.id, 0)) / turn_total for m in members}
        fair = {m.id: m.capacity / capacity for m in members}
        for rider in members:
            if shares[rider.id] >= 0.5 * fair[rider.id]:
                continue
            for carrier in members:
                if carrier.id != rider.id and shares[carrier.id] > fair[carrier.id]:
                    ledger.trust_change(carrier.id, rider.id, -4)
                    ledger.add(
                        f"trust:{carrier.id}>{rider.id}",
                        -4,
                        f"{rider.name} carried {shares[rider.id]:.0%} of {coalition.name}'s "
                        f"costs against a fair share of {fair[rider.id]:.0%}",
                        (carrier.id,),
                    )
    # Intelligence shared builds trust, turn by turn.
    for pair in sorted(_signed_pairs(state, "intel_sharing"), key=sorted):
        a, b = sorted(pair)
        ledger.trust_change(a, b, 1)
        ledger.trust_change(b, a, 1)
        ledger.add(f"trust:{a}<>{b}", 1, "intelligence shared", (a, b))
    # Fighting side by side and succeeding builds trust; unilateral action erodes it.
    for outcome in outcomes:
        ids = [c.nation_id for c in outcome.contributions]
        if outcome.result == "success" and len(ids) > 1:
            for a in ids:
                for b in ids:
                    ledger.trust_change(a, b, 1)
            ledger.add(f"trust:{outcome.operation_id}", 1, "a joint success")
        operation = state.operation(outcome.operation_id)
        if operation is None or operation.power != "hard":
            continue
        for nation_id in ids:
            for coalition in state.coalitions_of(nation_id):
                if coalition.operations and operation.id not in coalition.operations:
                    for member in coalition.members:
                        ledger.trust_change(member, nation_id, -3)
                    ledger.add(
                        f"trust:*>{nation_id}",
                        -3,
                        f"unilateral hard power at {operation.name}, outside {coalition.name}'s "
                        "agreed operations",
                        [m for m in coalition.members if m != nation_id],
                    )
    for nation_id, unit_id in state.red_cards:
        # The lead refused is the one whose command the unit is under (a nation may be in
        # several coalitions); a unit taken back since is judged by all of them.
        transfer = state.transfer(unit_id)
        commands = state.coalition(transfer.coalition_id) if transfer else None
        for coalition in (commands,) if commands else state.coalitions_of(nation_id):
            if coalition.lead != nation_id:
                ledger.trust_change(coalition.lead, nation_id, -4)
                ledger.add(
                    f"trust:{coalition.lead}>{nation_id}",
                    -4,
                    f"red card on the tasking of {_unit_called(state, nation_id, unit_id)}",
                    (coalition.lead,),
                )
    return ledger.settle_trust(state), fairness


def _mean(values: list[float], default: float = 50.0) -> float:
    return sum(values) / len(values) if values else default


def _cohesion(
    state: GameState,
    outcomes: tuple[Outcome, ...],
    fairness: dict[str, float],
    ledger: Ledger,
    events: list[Event],
) -> GameState:
    """Cohesion follows trust, aligned interests, fair burden sharing and command unity;
    below a threshold members defect, and further below the coalition collapses."""
    for coalition in state.coalitions:
        if not coalition.active:
            continue
        members = coalition.members
        trust = _mean([state.trust(a, b) for a in members for b in members if a != b])
        alignment = _mean([state.alignment(a, b) for a in members for b in members if a != b])
        fair = fairness.get(coalition.id, 1.0) * 100
        command = COMMAND_SCORE[coalition.command]
        target = (
            COHESION_WEIGHTS["trust"] * trust
            + COHESION_WEIGHTS["alignment"] * alignment
            + COHESION_WEIGHTS["fairness"] * fair
            + COHESION_WEIGHTS["command"] * command
        )
        delta = COHESION_INERTIA * (target - coalition.cohesion)
        reason = (
            f"towards {target:.0f}: trust {trust:.0f}, alignment {alignment:.0f}, "
            f"fairness {fair:.0f}, {coalition.command.replace('_', '-')} command {command}"
        )
        results = [o.result for o in outcomes if o.coalition_id == coalition.id]
        swing = 3 * results.count("success") - 4 * results.count("failure")
        if coalition.mandate == "none" and any(
            state.operation(o.operation_id) is not None
            and state.operation(o.operation_id).power == "hard"  # type: ignore[union-attr]
            for o in outcomes
            if o.coalition_id == coalition.id
        ):
            swing -= 2
            reason += "; hard power without a mandate divides members"
        if swing:
            reason += f"; results {swing:+d}"
        cohesion = round(max(0, min(100, coalition.cohesion + delta + swing)))
        ledger.add(f"cohesion:{coalition.id}", cohesion - coalition.cohesion, reason)
        state = state.replace_coalition(replace(coalition, cohesion=cohesion))
        coalition = replace(coalition, cohesion=cohesion)
        if cohesion < state.collapse_threshold:
            for member in list(coalition.members):
                left = diplomacy.leave_coalition(state, member, coalition.id, "collapse")
                state = left.state
                events.extend(e for e in left.events if e.kind == "coalition_dissolved")
                current = state.coalition(coalition.id)
                if current is None or not current.active:
                    break
            ledger.add(f"cohesion:{coalition.id}", 0.0001, f"{coalition.name} collapses")
        elif cohesion < state.defection_threshold and len(members) > 2:
            # The member that trusts the others least, unless its leaders are committed
            # allies, walks out.
            loyalty = {m: _mean([state.trust(m, o) for o in members if o != m]) for m in members}

            candidates = [
                m for m in members if (n := state.nation(m)) is not None and n.profile != "alliance"
            ]
            if candidates:
                defector = min(candidates, key=lambda m: (loyalty[m], m))
                left = diplomacy.leave_coalition(state, defector, coalition.id, "defection")
                state = left.state
                events.extend(left.events)
                ledger.add(
                    f"cohesion:{coalition.id}",
                    0.0001,
                    f"{defector} defects: it trusts its partners least ({loyalty[defector]:.0f})",
                )
    return state


def _support(
    state: GameState,
    outcomes: tuple[Outcome, ...],
    carried: dict[str, int],
    ledger: Ledger,
) -> GameState:
    """Domestic support follows costs, casualties, results, legitimacy and the crisis."""
    for outcome in outcomes:
        operation = state.operation(outcome.operation_id)
        assert operation is not None
        mandated = outcome.coalition_id is not None and (
            (c := state.coalition(outcome.coalition_id)) is not None and c.mandate != "none"
        )
        for contribution in outcome.contributions:
            nation_id = contribution.nation_id
            if outcome.result in SUPPORT_FOR_RESULT:
                ledger.support_change(
                    nation_id,
                    SUPPORT_FOR_RESULT[outcome.result],
                    f"{outcome.result} of {operation.name}",
                )
            losses = outcome.casualties.get(nation_id, 0)
            if losses:
                ledger.support_change(nation_id, -2 * losses, f"casualties in {operation.name}")
            if operation.power == "hard" and not mandated:
                ledger.support_change(nation_id, -1, f"{operation.name} has no mandate")
            if outcome.civilian_harm:
                ledger.support_change(nation_id, -4, f"civilian harm during {operation.name}")
    for nation_id, amount in carried.items():
        if amount >= 20:
            ledger.support_change(nation_id, -(amount // 20), "cost of operations")
    if state.escalation.level >= state.escalation.threshold:
        for nation in state.nations:
            ledger.support_change(nation.id, -1, "the crisis is past its threshold")
    casualties: dict[str, int] = defaultdict(int)
    for outcome in outcomes:
        for nation_id, count in outcome.casualties.items():
            casualties[nation_id] += count
    return replace(
        state,
        nations=tuple(
            replace(
                n,
                domestic_support=round(
                    min(100, max(0, n.domestic_support + ledger.support.get(n.id, 0)))
                ),
                casualties=n.casualties + casualties[n.id],
            )
            for n in state.nations
        ),
    )


def _population(state: GameState, outcomes: tuple[Outcome, ...], ledger: Ledger) -> GameState:
    for actor in state.actors:
        if actor.kind not in ("population", "ngo"):
            continue
        delta = 0
        for outcome in outcomes:
            operation = state.operation(outcome.operation_id)
            if operation is None:
                continue
            if outcome.civilian_harm:
                delta -= 10
            elif operation.power == "soft" and outcome.result == "success":
                delta += 3
        if actor.kind == "ngo":
            partners = [a for a in state.signed("ngo_coordination") if a.terms["ngo"] == actor.id]
            delta = delta // 2 + (2 if partners else 0)
        if delta:
            ledger.add(f"attitude:{actor.id}", delta, "what the operations did on the ground")
            state = replace(
                state,
                actors=tuple(
                    replace(a, attitude=max(0, min(100, a.attitude + delta)))
                    if a.id == actor.id
                    else a
                    for a in state.actors
                ),
            )
    return state


def _leaks(state: GameState, rng: random.Random, ledger: Ledger, events: list[Event]) -> GameState:
    """Talks in a leaky channel may reach the press, which moves public opinion."""
    talked = set(state.talked)
    for channel in state.channels:
        if channel.id not in talked or channel.leak_chance <= 0:
            continue
        if rng.random() < channel.leak_chance:
            names = " and ".join(
                n.name for m in channel.members if (n := state.nation(m)) is not None
            )
            for member in channel.members:
                # The leak is public; the channel's name (chosen in private) is not.
                ledger.support_change(member, -2, f"the press reports private talks with {names}")
                for other in channel.members:
                    ledger.trust_change(member, other, -1)
            events.append(
                Event(
                    "press_leak", None, {"channel_id": channel.id, "members": list(channel.members)}
                )
            )
    return ledger.settle_trust(state)


def _leadership(state: GameState, ledger: Ledger, events: list[Event]) -> GameState:
    """Support too low brings a new government, which may impose caveats or withdraw."""
    for nation in state.nations:
        if nation.domestic_support >= state.leadership_threshold:
            continue
        profile = {"hawkish": "pragmatic", "alliance": "pragmatic"}.get(nation.profile, "cautious")
        caveats = nation.caveats
        brief = (
            f"A new government takes office in {nation.name} after support fell to "
            f"{nation.domestic_support}. It promises to bring costs under control"
        )
        if profile == "cautious" and "no-combat" not in caveats:
            caveats = (*caveats, "no-combat")
            brief += " and forbids combat operations (a new national caveat)"
        brief += "."
        changed = replace(
            nation,
            domestic_support=50,
            profile=profile,  # type: ignore[arg-type]
            caveats=caveats,
            leader=f"new government ({nation.leadership_changes + 2})",
            leadership_changes=nation.leadership_changes + 1,
        )
        state = state.replace_nation(changed)
        ledger.add(f"support:{nation.id}", 50 - nation.domestic_support, "a new government")
        events.append(
            Event(
                "leadership_change",
                nation.id,
                {"nation_id": nation.id, "brief": brief, "caveats": list(caveats)},
            )
        )
        if profile == "cautious":
            for coalition in state.coalitions_of(nation.id):
                if coalition.cohesion < 50 and coalition.lead != nation.id:
                    left = diplomacy.leave_coalition(state, nation.id, coalition.id, "withdrawal")
                    state = left.state
                    events.extend(left.events)
    return state


def _record(
    state: GameState,
    carried: dict[str, int],
    fairness: dict[str, float],
    ledger: Ledger,
    fired: tuple[str, ...],
) -> TurnRecord:
    ids = [n.id for n in state.nations]
    return TurnRecord(
        turn=state.turn,
        escalation=state.escalation.level,
        support={n.id: n.domestic_support for n in state.nations},
        budget={n.id: n.budget for n in state.nations},
        cohesion={c.id: c.cohesion for c in state.coalitions if c.active},
        mean_trust={i: round(_mean([state.trust(o, i) for o in ids if o != i]), 2) for i in ids},
        burden=dict(carried),
        fairness={k: round(v, 3) for k, v in fairness.items()},
        changes=tuple(ledger.changes),
        fired_events=fired,
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
            Factor("control's adjudication", 1.0, f"{override.result}: {override.reason}"),
        ),
        summary=f"{outcome.summary} Control adjudicated it a {override.result.replace('_', ' ')}: "
        f"{override.reason}",
    )


def resolve_turn(state: GameState, now: float) -> tuple[GameState, tuple[Event, ...]]:
    """Resolve the orders of the current turn and open the next one at `now`."""
    rng = _rng(state)
    ledger = Ledger()
    events: list[Event] = []
    operations = [op for op in state.operations if op.open_at(state.turn)]
    # Every operation draws its roll even when control overrides it, so an override never
    # changes another operation's roll.
    outcomes = tuple(
        adjudicated(resolve_operation(state, op, rng), state.overrides) for op in operations
    )
    start = state
    state = _progress(state, outcomes, ledger)
    state, escalation_change = _escalation(state, outcomes, ledger)
    state, carried = _costs(state, outcomes, ledger)
    state = _pledges(state, ledger)
    state, fairness = _burden_and_trust(state, outcomes, carried, ledger)
    state = _population(state, outcomes, ledger)
    state = _leaks(state, rng, ledger, events)
    state = _support(state, outcomes, carried, ledger)
    state = _cohesion(state, outcomes, fairness, ledger, events)
    state = _leadership(state, ledger, events)

    last_turn = state.turn >= state.turns
    # Open proposals lapse with the turn; signed deals stay in force.
    agreements = tuple(
        replace(a, status="withdrawn") if a.status == "open" else a for a in state.agreements
    )
    for nation_id, text in sorted(state.feedback.items()):
        events.append(
            Event(
                "control_feedback", None, {"nation_id": nation_id, "text": text, "turn": start.turn}
            )
        )
    state = replace(
        state,
        agreements=agreements,
        commitments=(),
        red_cards=(),
        talked=(),
        ready=frozenset(),
        outcomes=state.outcomes + outcomes,
        overrides=(),
        feedback={},
        paused_remaining=None,
    )
    record = _record(state, carried, fairness, ledger, ())
    if not last_turn:
        # The next turn's intelligence phase: the treasury's allowance, then the injects.
        state = replace(
            state,
            turn=state.turn + 1,
            nations=tuple(replace(n, budget=n.budget + n.income) for n in state.nations),
        )
        state, fired, inject_events = injects.fire(state, ledger)
        events.extend(inject_events)
        record = replace(record, changes=tuple(ledger.changes), fired_events=fired)
    state = replace(
        state,
        phase=Phase.ENDED if last_turn else Phase.ORDERS,
        deadline=None if last_turn else now + state.orders_seconds,
        records=(*state.records, record),
    )
    outcome_dicts = outcomes_to_dicts(outcomes)
    support: dict[str, list[dict[str, object]]] = defaultdict(list)
    for change in ledger.changes:
        if change.subject.startswith("support:"):
            support[change.subject.split(":", 1)[1]].append(
                {"reason": change.reason, "change": change.delta}
            )
    resolved = Event(
        "turn_resolved",
        None,
        {
            "turn": start.turn,
            "now": now,
            "outcomes": outcome_dicts,
            "escalation": {"from": start.escalation.level, "to": state.escalation.level},
            "escalation_change": escalation_change,
            "support": dict(support),
            "spent": dict(carried),
            "next_turn": None if last_turn else state.turn,
        },
    )
    return state, (resolved, *events)
