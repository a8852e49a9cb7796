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
from app.rules.resolution.tuning import (
    ACTING_ALONE_SUPPORT,
    NEW_GOVERNMENT_HONEYMOON,
    SOVEREIGNTY_AFFRONT,
    SUPPORT_FOR_RESULT,
)
from app.rules.state import Actor, GameState, Operation, Outcome
from app.rules.wording.changes import ChangeReason


def move_support(
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
        total_strength = sum(c.strength for c in outcome.contributions)
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
                    because(ChangeReason.OPERATION_RESULT, result=outcome.result, op=operation.id),
                )
            losses = outcome.casualties.get(nation_id, 0)
            if losses:
                ledger.support_change(
                    nation_id, -2 * losses, because(ChangeReason.CASUALTIES, op=operation.id)
                )
            _legitimacy(state, outcome, operation, nation_id, mandated, ledger)
            if outcome.civilian_harm:
                ledger.support_change(
                    nation_id, -4, because(ChangeReason.CIVILIAN_HARM, op=operation.id)
                )
    for nation_id, amount in carried.items():
        if amount >= 20:
            ledger.support_change(
                nation_id, -(amount // 20), because(ChangeReason.COST_OF_OPERATIONS)
            )
    if state.escalation.level >= state.escalation.threshold:
        for nation in state.nations:
            ledger.support_change(nation.id, -1, because(ChangeReason.CRISIS_PAST_THRESHOLD))
    casualties: dict[str, int] = defaultdict(int)
    for outcome in outcomes:
        for nation_id, count in outcome.casualties.items():
            casualties[nation_id] += count
    state = ledger.settled_support(state)  # within 0-100, whole points, each part listed
    return replace(
        state,
        nations=tuple(
            replace(n, casualties=n.casualties + casualties[n.id]) for n in state.nations
        ),
    )


def _legitimacy(
    state: GameState,
    outcome: Outcome,
    operation: Operation,
    nation_id: str,
    mandated: bool,
    ledger: Ledger,
) -> None:
    """What hard power without legitimacy costs a contributor at home: no mandate; and
    acting alone against a coalition's decision, as a member whose coalition has not
    adopted the operation, or beside a coalition that runs it without being a member."""
    if operation.power != "hard":
        return
    if not mandated:
        ledger.support_change(nation_id, -1, because(ChangeReason.NO_MANDATE, op=operation.id))
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
                (harm, "civilian harm (-5 each)"),
                (unlawful, "offensive operations without a mandate (-2 each)"),
                (relief, "relief that worked (+1 each)"),
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
                ledger.support_change(member, -2, leaked)
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


def change_leadership(state: GameState, ledger: Ledger, events: list[Event]) -> GameState:
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
        # A new government starts on a short honeymoon just above the threshold, never
        # higher: a fall must not lift support towards any objective.
        honeymoon = min(50, state.leadership_threshold + NEW_GOVERNMENT_HONEYMOON)
        changed = replace(
            nation,
            domestic_support=honeymoon,
            profile=profile,  # type: ignore[arg-type]
            caveats=caveats,
            leader=f"new government ({nation.leadership_changes + 2})",
            leadership_changes=nation.leadership_changes + 1,
        )
        state = state.replace_nation(changed)
        ledger.add(
            f"support:{nation.id}",
            honeymoon - nation.domestic_support,
            because(ChangeReason.NEW_GOVERNMENT),
        )
        events.append(
            Event(
                EventKind.LEADERSHIP_CHANGE,
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
