"""Public opinion: the local population, press leaks, domestic support, leadership change."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import replace

from app.rules import diplomacy
from app.rules.events import EventKind
from app.rules.ledger import Ledger
from app.rules.outcomes import Event
from app.rules.reasons import because
from app.rules.resolution.burden import turn_shares
from app.rules.resolution.tuning import (
    ACTING_ALONE_SUPPORT,
    BURDEN_AT_HOME,
    BURDEN_AT_HOME_FLOOR,
    BURDEN_AT_HOME_SLACK,
    CASUALTY_SUPPORT,
    CIVILIAN_HARM_SUPPORT,
    COST_SUPPORT,
    COST_SUPPORT_MAX,
    CRISIS_SUPPORT,
    FAIR_BURDEN_FLOOR,
    FAIR_BURDEN_SUPPORT,
    LEAK_SUPPORT,
    MANDATE_SUPPORT,
    MANDATED_CASUALTY_SUPPORT,
    NEW_GOVERNMENT_HONEYMOON,
    NO_MANDATE_SUPPORT,
    SOVEREIGNTY_AFFRONT,
    SUPPORT_FOR_RESULT,
    WITHDRAWAL_CAVEAT,
)
from app.rules.state import (
    Actor,
    GameState,
    Nation,
    Operation,
    Outcome,
    Successor,
    nation_replaced,
    replace_state,
)
from app.rules.wording.changes import (
    CIVILIAN_HARM,
    RELIEF_WORKED,
    UNLAWFUL_FORCE,
    ChangeReason,
    default_brief,
    new_government,
)


def move_support(
    state: GameState,
    outcomes: tuple[Outcome, ...],
    carried: dict[str, int],
    ledger: Ledger,
) -> GameState:
    """Domestic support follows results, casualties, legitimacy (once a turn), costs
    against the nation's size, its burden against its size (both ways), and the crisis
    (docs/rules/domestic-politics.md; leaks are `leak_talks`, defections and collapses
    `update_cohesion`). Every move is listed with the numbers it was computed from."""
    # The hard power each nation used this turn, with a mandate and without one.
    mandated_ops: dict[str, list[str]] = defaultdict(list)
    unmandated_ops: dict[str, list[str]] = defaultdict(list)
    for outcome in outcomes:
        operation = state.operation(outcome.operation_id)
        assert operation is not None
        mandated = outcome.coalition_id is not None and (
            (c := state.coalition(outcome.coalition_id)) is not None and c.mandate != "none"
        )
        total_strength = sum(c.strength for c in outcome.contributions)
        # Who fights on its own soil (asked no mandate, acting alone in no one's eyes):
        # judged once per contribution, for both.
        at_home = {
            c.nation_id
            for c in outcome.contributions
            if operation.power == "hard" and _on_own_soil(state, operation, c.nation_id)
        }
        if operation.power == "hard":
            for contribution in outcome.contributions:
                if contribution.nation_id in at_home:
                    continue
                (mandated_ops if mandated else unmandated_ops)[contribution.nation_id].append(
                    operation.id
                )
        for contribution in outcome.contributions:
            nation_id = contribution.nation_id
            if outcome.result in SUPPORT_FOR_RESULT:
                ledger.support_change(
                    nation_id,
                    _result_support(
                        SUPPORT_FOR_RESULT[outcome.result],
                        contribution.strength,
                        total_strength,
                        len(outcome.contributions),
                    ),
                    because(
                        ChangeReason.OPERATION_RESULT,
                        result=outcome.result,
                        op=operation.id,
                        strength=contribution.strength,
                        of=total_strength,
                    ),
                )
            losses = outcome.casualties.get(nation_id, 0)
            if losses:
                each = MANDATED_CASUALTY_SUPPORT if mandated else CASUALTY_SUPPORT
                ledger.support_change(
                    nation_id,
                    each * losses,
                    because(
                        ChangeReason.CASUALTIES,
                        op=operation.id,
                        losses=losses,
                        each=each,
                        mandated=mandated,
                    ),
                )
            if nation_id not in at_home:
                _acting_alone(state, operation, nation_id, ledger)
            if outcome.civilian_harm:
                ledger.support_change(
                    nation_id,
                    CIVILIAN_HARM_SUPPORT,
                    because(ChangeReason.CIVILIAN_HARM, op=operation.id),
                )
    for nation in state.nations:
        _mandate_at_home(nation.id, mandated_ops[nation.id], unmandated_ops[nation.id], ledger)
        _costs_at_home(nation, carried.get(nation.id, 0), ledger)
    _burden_at_home(state, carried, ledger)
    if state.escalation.level >= state.escalation.threshold:
        for nation in state.nations:
            ledger.support_change(
                nation.id, CRISIS_SUPPORT, because(ChangeReason.CRISIS_PAST_THRESHOLD)
            )
    casualties: dict[str, int] = defaultdict(int)
    for outcome in outcomes:
        for nation_id, count in outcome.casualties.items():
            casualties[nation_id] += count
    state = ledger.settled_support(state)  # within 0-100, whole points, each part listed
    return replace_state(
        state,
        nations=tuple(
            nation_replaced(n, casualties=n.casualties + casualties[n.id]) for n in state.nations
        ),
    )


def cost_support(spent: int, capacity: int) -> int:
    """What spending `spent` in a turn costs a nation of `capacity` (its size) at home, in
    whole points: COST_SUPPORT for a turn's bill as large as its capacity, at most
    COST_SUPPORT_MAX a turn."""
    if spent <= 0:
        return 0
    share = spent / capacity if capacity > 0 else 1.0
    return max(COST_SUPPORT_MAX, math.ceil(COST_SUPPORT * share))


def _costs_at_home(nation: Nation, spent: int, ledger: Ledger) -> None:
    ledger.support_change(
        nation.id,
        cost_support(spent, nation.capacity),
        because(ChangeReason.COST_OF_OPERATIONS, spent=spent, capacity=nation.capacity),
    )


def _burden_at_home(state: GameState, carried: dict[str, int], ledger: Ledger) -> None:
    """Burden against size, both ways. Carrying more of a coalition's costs than the
    nation's size warrants costs support at home (in several coalitions, the one where it
    carries most beyond its share counts); carrying its part, from FAIR_BURDEN_FLOOR of
    its fair share up to the tolerated excess, sustains it: the public sees a shared
    effort (once a turn, and not in a turn it carried too much elsewhere)."""
    worst: dict[str, tuple[float, float, float, str]] = {}
    fairly: dict[str, tuple[float, float, str]] = {}
    for coalition in state.coalitions:
        if not coalition.active:
            continue
        spent = sum(max(0, carried.get(m, 0)) for m in coalition.members)
        if spent < BURDEN_AT_HOME_FLOOR:
            continue
        for member, (share, fair) in turn_shares(state, coalition, carried).items():
            excess = share - fair - BURDEN_AT_HOME_SLACK
            if excess > 0 and excess > worst.get(member, (0.0,))[0]:
                worst[member] = (excess, share, fair, coalition.id)
            elif excess <= 0 and share >= FAIR_BURDEN_FLOOR * fair:
                fairly.setdefault(member, (share, fair, coalition.id))
    for member, (share, fair, coalition_id) in sorted(fairly.items()):
        if member in worst:
            continue
        ledger.support_change(
            member,
            FAIR_BURDEN_SUPPORT,
            because(
                ChangeReason.FAIR_BURDEN,
                coalition=coalition_id,
                share=round(share, 3),
                fair=round(fair, 3),
                floor=FAIR_BURDEN_FLOOR,
            ),
        )
    for member, (excess, share, fair, coalition_id) in sorted(worst.items()):
        ledger.support_change(
            member,
            math.floor(BURDEN_AT_HOME * excess + 0.5),
            because(
                ChangeReason.BURDEN_AT_HOME,
                coalition=coalition_id,
                share=round(share, 3),
                fair=round(fair, 3),
                slack=BURDEN_AT_HOME_SLACK,
            ),
        )


def _mandate_at_home(
    nation_id: str, mandated: list[str], unmandated: list[str], ledger: Ledger
) -> None:
    """Legitimacy at home, judged once a turn: a government that used hard power without
    a mandate this turn loses NO_MANDATE_SUPPORT, however many operations it was split
    into; one whose hard power all had a mandate gains MANDATE_SUPPORT (a cause the world
    endorsed)."""
    if unmandated:
        ledger.support_change(
            nation_id, NO_MANDATE_SUPPORT, because(ChangeReason.NO_MANDATE, ops=unmandated)
        )
    elif mandated:
        ledger.support_change(
            nation_id, MANDATE_SUPPORT, because(ChangeReason.MANDATED, ops=mandated)
        )


def _on_own_soil(state: GameState, operation: Operation, nation_id: str) -> bool:
    """Whether the operation is on the nation's own territory (its region's host, or its
    home region): force at home, with its own consent, asks no mandate of the world nor
    a coalition's adoption."""
    region = next((r for r in state.regions if r.id == operation.region), None)
    nation = state.nation(nation_id)
    return (region is not None and region.host == nation_id) or (
        nation is not None and nation.home_region == operation.region
    )


def _acting_alone(state: GameState, operation: Operation, nation_id: str, ledger: Ledger) -> None:
    """What hard power outside a coalition (not on its own soil) costs a contributor at
    home: acting alone against a coalition's decision, as a member whose coalition has
    not adopted the operation, or beside a coalition that runs it without being a member."""
    if operation.power != "hard":
        return
    for coalition in state.coalitions:
        if not coalition.active:
            continue
        if nation_id in coalition.members:
            if coalition.operations and operation.id not in coalition.operations:
                reason = ChangeReason.ACTING_AGAINST_COALITION
            else:
                continue
        elif operation.id in coalition.operations:
            reason = ChangeReason.INTERVENING_UNILATERALLY
        else:
            continue
        ledger.support_change(
            nation_id,
            ACTING_ALONE_SUPPORT,
            because(reason, op=operation.id, coalition=coalition.id),
        )
        return  # one cost per contribution, however many coalitions it defies


def _result_support(base: int, strength: int, total_strength: int, contributors: int) -> int:
    """A result's support for one contributor. Credit for a success or partial scales with
    the nation's share of the force, up to its even share, rounded to whole points so the
    listed changes add up to the state's (one token unit earns little: no flag planting);
    a failure costs every contributor in full."""
    if base <= 0 or total_strength <= 0:
        return base
    return math.floor(base * min(1.0, contributors * strength / total_strength) + 0.5)


def _council_judges(
    state: GameState, outcomes: tuple[Outcome, ...], ledger: Ledger, council: Actor
) -> int:
    """How a council's attitude to the coalition effort moves (docs/rules/legitimacy.md):
    civilian harm costs 5, each offensive hard-power operation without a mandate 2, and
    each relief operation that works wins 1. Returns the change (listed with its reasons)."""
    harm = unlawful = relief = 0
    for outcome in outcomes:
        operation = state.operation(outcome.operation_id)
        if operation is None or outcome.result == "not_attempted":
            continue
        coalition = state.coalition(outcome.coalition_id) if outcome.coalition_id else None
        mandated = coalition is not None and coalition.mandate != "none"
        harm += outcome.civilian_harm
        if operation.power == "hard" and operation.posture == "offensive" and not mandated:
            unlawful += 1
        if operation.power == "soft" and outcome.result == "success":
            relief += 1
    delta = -5 * harm - 2 * unlawful + relief
    if delta:
        why = [
            f"{count} {what}"
            for count, what in (
                (harm, CIVILIAN_HARM),
                (unlawful, UNLAWFUL_FORCE),
                (relief, RELIEF_WORKED),
            )
            if count
        ]
        ledger.add(
            f"attitude:{council.id}",
            delta,
            because(ChangeReason.COUNCIL_ATTITUDE, council=council.id, why=why),
        )
    return delta


def move_population(state: GameState, outcomes: tuple[Outcome, ...], ledger: Ledger) -> GameState:
    for actor in state.actors:
        if actor.kind == "un":
            state = _moved_attitude(
                state, actor.id, _council_judges(state, outcomes, ledger, actor)
            )
            continue
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
            if actor.kind == "population" and _affronts_sovereignty(state, operation, outcome):
                delta -= SOVEREIGNTY_AFFRONT
        if actor.kind == "ngo":
            partners = [a for a in state.signed("ngo_coordination") if a.terms["ngo"] == actor.id]
            delta = delta // 2 + (2 if partners else 0)
        if delta:
            ledger.add(f"attitude:{actor.id}", delta, because(ChangeReason.GROUND_EFFECTS))
            state = _moved_attitude(state, actor.id, delta)
    return state


def _affronts_sovereignty(state: GameState, operation: Operation, outcome: Outcome) -> bool:
    """Foreign forces used hard power on a host nation's territory without it: the host
    neither took part nor granted any of them basing there (docs/rules/legitimacy.md)."""
    region = next((r for r in state.regions if r.id == operation.region), None)
    if operation.power != "hard" or region is None or region.host is None:
        return False
    contributors = {c.nation_id for c in outcome.contributions}
    if not contributors or region.host in contributors:
        return False
    return not any(
        a.terms["host"] == region.host
        and a.terms["region"] == region.id
        and contributors & set(a.parties)
        for a in state.signed("basing")
    )


def _moved_attitude(state: GameState, actor_id: str, delta: int) -> GameState:
    """The state with `actor_id`'s attitude moved by `delta`, kept within 0-100."""
    if not delta:
        return state
    return replace(
        state,
        actors=tuple(
            replace(a, attitude=max(0, min(100, a.attitude + delta))) if a.id == actor_id else a
            for a in state.actors
        ),
    )


def leak_talks(
    state: GameState, rng: random.Random, ledger: Ledger, events: list[Event]
) -> GameState:
    """Talks in a leaky channel may reach the press, which moves public opinion."""
    talked = set(state.talked)
    for channel in state.channels:
        if channel.id not in talked or channel.leak_chance <= 0:
            continue
        if rng.random() < channel.leak_chance:
            members = [m for m in channel.members if state.nation(m) is not None]
            leaked = because(ChangeReason.PRESS_LEAK, members=members)
            for member in channel.members:
                # The leak is public; the channel's name (chosen in private) is not.
                ledger.support_change(member, LEAK_SUPPORT, leaked)
                for other in channel.members:
                    ledger.trust_change(member, other, -1, leaked)
            events.append(
                Event(
                    EventKind.PRESS_LEAK,
                    None,
                    {"channel_id": channel.id, "members": list(channel.members)},
                )
            )
    return ledger.settle_trust(state)


def _default_successor(state: GameState, nation: Nation) -> Successor:
    """Who takes office where the scenario names no successor: a pragmatic government after
    a hawkish or alliance-minded one, else a cautious one that forbids combat and leaves
    the coalitions it does not lead whose cohesion is under 50."""
    profile = {"hawkish": "pragmatic", "alliance": "pragmatic"}.get(nation.profile, "cautious")
    if profile != "cautious":
        return Successor(profile="pragmatic")
    failing = tuple(
        c.id for c in state.coalitions_of(nation.id) if c.cohesion < 50 and c.lead != nation.id
    )
    return Successor(profile="cautious", caveats=(WITHDRAWAL_CAVEAT,), withdraw=failing)


def _default_brief(nation: Nation, caveats: list[str]) -> str:
    return default_brief(nation.name, nation.domestic_support, WITHDRAWAL_CAVEAT in caveats)


def change_leadership(state: GameState, ledger: Ledger, events: list[Event]) -> GameState:
    """Support under the threshold brings a new government: the scenario's successor for
    the nation (used once), else a default one. It adds its caveats, takes its profile,
    objectives and brief, and walks out of the coalitions it withdraws from. It inherits
    the fallen government's standing: it starts just above the threshold, never higher
    than 50, so a fall never lifts support towards an objective."""
    for nation in state.nations:
        if nation.domestic_support >= state.leadership_threshold:
            continue
        successor = nation.successor or _default_successor(state, nation)
        added = list(dict.fromkeys(c for c in successor.caveats if c not in nation.caveats))
        honeymoon = min(50, state.leadership_threshold + NEW_GOVERNMENT_HONEYMOON)
        leader = successor.leader or new_government(nation.leadership_changes + 2)
        changed = replace(
            nation,
            domestic_support=honeymoon,
            profile=successor.profile or nation.profile,
            caveats=(*nation.caveats, *added),
            leader=leader,
            leadership_changes=nation.leadership_changes + 1,
            objectives=nation.objectives if successor.objectives is None else successor.objectives,
            secret_objective=successor.brief or nation.secret_objective,
            successor=None,
        )
        state = state.replace_nation(changed)
        ledger.add(
            f"support:{nation.id}",
            honeymoon - nation.domestic_support,
            because(
                ChangeReason.NEW_GOVERNMENT,
                fallen=nation.domestic_support,
                threshold=state.leadership_threshold,
                honeymoon=NEW_GOVERNMENT_HONEYMOON,
            ),
        )
        for caveat in added:
            ledger.add(f"caveat:{nation.id}", 1, because(ChangeReason.NEW_CAVEAT, caveat=caveat))
        if successor.brief or successor.objectives is not None:
            ledger.add(f"leader:{nation.id}", 1, because(ChangeReason.NEW_BRIEF), (nation.id,))
        leaving = [
            c.id
            for c in state.coalitions_of(nation.id)
            if "*" in successor.withdraw or c.id in successor.withdraw
        ]
        events.append(
            Event(
                EventKind.LEADERSHIP_CHANGE,
                nation.id,
                {
                    "nation_id": nation.id,
                    "brief": successor.brief or _default_brief(nation, added),
                    "caveats": list(changed.caveats),
                    "leader": leader,
                    "support": nation.domestic_support,
                    "threshold": state.leadership_threshold,
                    "withdrawn": leaving,
                },
            )
        )
        for coalition_id in leaving:
            left = diplomacy.leave_coalition(state, nation.id, coalition_id, "withdrawal")
            state = left.state
            events.extend(left.events)
            # The brief holds: the coalition does not take back a government that left it.
            current = state.coalition(coalition_id)
            if current is not None and current.active:
                state = state.replace_coalition(
                    replace(current, defectors=(*current.defectors, nation.id))
                )
    return state
