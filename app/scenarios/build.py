"""From a validated scenario to the rules' opening state.

The scenario models (``app.scenarios.schema``) map one to one onto the dataclasses of
``app.rules.state``; this module is that mapping, plus the defaults a scenario may leave
out: a relation for every ordered pair of nations, and the plenary and coalition channels.
It is pure (no I/O, no clock): the caller passes the seed and the current time in.
"""

from __future__ import annotations

import dataclasses
from itertools import permutations

from app import rules
from app.i18n import N_
from app.rules import state as rs
from app.rules.resolution.tuning import COALITION_CHANNEL_LEAK_CHANCE
from app.scenarios import schema

__all__ = ["DEFAULT_RELATION", "PUBLIC_CHANNEL_ID", "opening_state"]

PUBLIC_CHANNEL_ID = "public"
# The plenary's name when the scenario lists no channel: stored in English, like a
# scenario's own texts, and shown in the reader's language (app/scenarios/texts.py).
PLENARY = N_("Plenary")
# Strangers start neutral: middling trust and alignment, no history of cooperation.
DEFAULT_RELATION = schema.Relation(between=("a", "b"))


def _objective(objective: schema.CollectiveObjective) -> rs.Objective:
    return rs.Objective(
        id=objective.id,
        text=objective.text,
        kind=objective.kind,
        target=objective.target,
        value=objective.value,
        points=objective.points,
        secret=objective.secret if isinstance(objective, schema.Objective) else False,
    )


def _nation(nation: schema.Nation) -> rs.Nation:
    return rs.Nation(
        id=nation.id,
        name=nation.name,
        budget=nation.budget,
        domestic_support=nation.domestic_support,
        interoperability=nation.interoperability,
        caveats=tuple(nation.caveats),
        public_objective=nation.public_objective,
        secret_objective=nation.secret_objective,
        units=tuple(rs.Unit(u.id, u.name, u.capability, u.strength, u.cost) for u in nation.units),
        leader=nation.leader or "",
        profile=nation.profile,
        capacity=nation.capacity,
        income=nation.income,
        objectives=tuple(_objective(o) for o in nation.objectives),
        home_region=nation.home_region or "",
        successor=_successor(nation.successor) if nation.successor else None,
    )


def _successor(successor: schema.Successor) -> rs.Successor:
    return rs.Successor(
        leader=successor.leader or "",
        profile=successor.profile,
        caveats=tuple(successor.caveats),
        withdraw=tuple(successor.withdraw),
        objectives=None
        if successor.objectives is None
        else tuple(_objective(o) for o in successor.objectives),
        brief=successor.brief or "",
    )


def _operation(operation: schema.Operation) -> rs.Operation:
    return rs.Operation(
        id=operation.id,
        name=operation.name,
        region=operation.region,
        power=operation.power,
        difficulty=operation.difficulty,
        # Sorted so that two loads of the same file give equal states.
        requirements=tuple(sorted(operation.requirements.items())),
        description=operation.description,
        risk=operation.risk,
        duration=operation.duration,
        civilian_risk=operation.civilian_risk,
        opens_turn=operation.opens_turn,
        deadline_turn=operation.deadline_turn,
        posture=operation.posture,
    )


def _relations(scenario: schema.Scenario) -> tuple[rs.Relation, ...]:
    """Every ordered pair of distinct nations (trust is directed and will drift apart in
    play), starting from the same values both ways."""
    relations: list[rs.Relation] = []
    for nation, other in permutations((n.id for n in scenario.nations), 2):
        given = scenario.relation(nation, other) or DEFAULT_RELATION
        relations.append(
            rs.Relation(
                nation=nation,
                other=other,
                trust=given.trust,
                alignment=given.alignment,
                cooperation=given.cooperation,
            )
        )
    return tuple(relations)


def _coalition(coalition: schema.Coalition) -> rs.Coalition:
    return rs.Coalition(
        id=coalition.id,
        name=coalition.name,
        lead=coalition.lead,
        members=coalition.members,
        command=coalition.command,
        mandate=coalition.mandate,
        cohesion=coalition.cohesion,
        operations=coalition.operations,
        formed_turn=1,
    )


def _coalition_channel(coalition: schema.Coalition) -> rs.Channel:
    # The rules find a coalition's room by this id when its membership changes.
    return rs.Channel(
        f"coalition-{coalition.id}",
        coalition.name,
        "coalition",
        coalition.members,
        COALITION_CHANNEL_LEAK_CHANCE,
    )


def _channels(scenario: schema.Scenario) -> tuple[rs.Channel, ...]:
    """The scenario's channels, or by default a plenary for all; every standing coalition
    also gets its own room unless the scenario lists one with the same id."""
    everyone = tuple(n.id for n in scenario.nations)
    listed = tuple(
        rs.Channel(
            id=c.id,
            name=c.name,
            kind=c.kind,
            members=c.members or everyone,  # no members listed: every nation
            leak_chance=c.leak_chance,
        )
        for c in scenario.channels
    ) or (rs.Channel(PUBLIC_CHANNEL_ID, PLENARY, "public", everyone, 0.0),)
    ids = {c.id for c in listed}
    return listed + tuple(
        channel for channel in map(_coalition_channel, scenario.coalitions) if channel.id not in ids
    )


def _event(event: schema.Event) -> rs.ScriptedEvent:
    trigger = event.trigger
    return rs.ScriptedEvent(
        id=event.id,
        name=event.name,
        text=event.text,
        trigger=rs.Trigger(trigger.kind, trigger.target, trigger.value),
        effects=tuple(rs.Effect(e.kind, e.target, e.value, e.text) for e in event.effects),
        public=event.public,
    )


def _host(scenario: schema.Scenario, region: schema.Region) -> str | None:
    """The region's host: as given, else the nation whose home region it is."""
    if region.host is not None:
        return region.host
    return next((n.id for n in scenario.nations if n.home_region == region.id), None)


def _mandate_terms(terms: schema.MandateTerms | None) -> rs.MandateTerms | None:
    if terms is None:
        return None
    return rs.MandateTerms(
        grants=terms.grants,
        attitude_at_least=terms.attitude_at_least,
        members_at_least=terms.members_at_least,
        vetoed_by=terms.vetoed_by or "",
    )


def _reaction(reaction: schema.Reaction | None) -> rs.Reaction | None:
    if reaction is None:
        return None
    return rs.Reaction(
        offensive=reaction.offensive,
        defensive=reaction.defensive,
        result=reaction.result.model_dump(),
        relief=reaction.relief,
        deterrence=reaction.deterrence,
        probe=reaction.probe,
        divided_below=reaction.divided_below,
        drift=reaction.drift,
        momentum=reaction.momentum,
        miscalculation_chance=reaction.miscalculation_chance,
        miscalculation=reaction.miscalculation,
        backs_down_at=reaction.backs_down_at,
        red_lines=tuple(
            rs.RedLine(line.id, line.name, tuple(line.operations), line.pressure, line.level)
            for line in reaction.red_lines
        ),
    )


def opening_state(
    scenario: schema.Scenario, *, seed: int, now: float
) -> tuple[rules.GameState, tuple[rules.Event, ...]]:
    """Turn a validated scenario into the rules' opening state, and the events that
    record the game's creation."""
    ladder = scenario.escalation
    settings = scenario.settings
    state, events = rules.new_game(
        seed=seed,
        turns=scenario.turns,
        orders_seconds=scenario.orders_seconds,
        regions=tuple(
            rs.Region(r.id, r.name, r.x, r.y, tuple(r.adjacent), _host(scenario, r))
            for r in scenario.map.regions
        ),
        nations=tuple(_nation(n) for n in scenario.nations),
        operations=tuple(_operation(o) for o in scenario.operations),
        escalation=rs.Escalation(
            level=ladder.start,
            max=ladder.max,
            threshold=ladder.threshold,
            ladder=ladder.ladder,
            peak=ladder.start,
        ),
        now=now,
    )
    # new_game takes only what every game has; the rest of the scenario is added here.
    state = dataclasses.replace(
        state,
        relations=_relations(scenario),
        coalitions=tuple(_coalition(c) for c in scenario.coalitions),
        channels=_channels(scenario),
        actors=tuple(
            rs.Actor(
                a.id,
                a.name,
                a.kind,
                a.attitude,
                a.region,
                _reaction(a.reaction),
                _mandate_terms(a.mandate),
            )
            for a in scenario.actors
        ),
        events=tuple(_event(e) for e in scenario.events),
        collective_objectives=tuple(_objective(o) for o in scenario.collective_objectives),
        defection_threshold=settings.defection_threshold,
        collapse_threshold=settings.collapse_threshold,
        leadership_threshold=settings.leadership_threshold,
        bilateral_leak_chance=settings.bilateral_leak_chance,
        standards=dict(scenario.standards),
    )
    state, opening_injects = rules.open_first_turn(state)
    return state, (*events, *opening_injects)
