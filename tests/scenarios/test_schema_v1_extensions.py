"""The optional parts of scenario format 1: relations, coalitions, actors, channels, events,
objectives, settings, historical outcomes and strategies (app/scenarios/schema, build)."""

from __future__ import annotations

from functools import cache
from itertools import permutations
from pathlib import Path
from typing import get_args

import pytest

from app import rules
from app.rules.resolution.tuning import COALITION_CHANNEL_LEAK_CHANCE
from app.rules.state import Capability
from app.scenarios.build import PUBLIC_CHANNEL_ID, opening_state
from app.scenarios.loader import load_scenario, parse_scenario
from app.scenarios.schema import PERSONALITIES, Personality, Scenario
from tests.scenarios.helpers import (
    HEAD,
    MAP,
    NATIONS,
    OPERATIONS,
    SCENARIOS_DIR,
    errors_of,
    line,
    only_error,
)

BASE = HEAD + MAP + NATIONS + OPERATIONS
SCENARIO_FILES = sorted(SCENARIOS_DIR.glob("*.yaml"))
HISTORICAL = (
    "gulf-1990",
    "haiyan-2013",
    "crimea-2014",
    "unasur",
    "provide-comfort-1991",
    "vietnam-1965",
)


@cache
def load(path: Path) -> Scenario:
    return load_scenario(path)


def shipped(scenario_id: str) -> Scenario:
    return load(SCENARIOS_DIR / f"{scenario_id}.yaml")


# -- the shipped scenarios ---------------------------------------------------------------


def test_the_expected_scenarios_are_shipped() -> None:
    assert {p.stem for p in SCENARIO_FILES} >= {
        "meridian-strait",
        "northern-reach",
        *HISTORICAL,
    }


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_each_shipped_scenario_validates(path: Path) -> None:
    scenario = load(path)
    assert scenario.id == path.stem
    # Every scenario plays with a plenary, named rungs and scripted injects.
    assert len(scenario.escalation.ladder) == scenario.escalation.max + 1
    assert scenario.events and scenario.actors and scenario.relations
    assert scenario.strategies, "bots need at least one strategy to play it"


@pytest.mark.parametrize("scenario_id", HISTORICAL)
def test_historical_scenarios_carry_outcome_and_strategies(scenario_id: str) -> None:
    scenario = shipped(scenario_id)
    assert scenario.historical_outcome is not None
    assert scenario.historical_outcome.checks
    historical = scenario.strategy("historical")
    assert historical is not None
    assert len(scenario.strategies) >= 2, "needs an alternative that history did not follow"
    assert scenario.briefing.count("\n\n") >= 3, "the briefing tells the history in paragraphs"
    assert any(n.objectives for n in scenario.nations)
    assert scenario.collective_objectives


def test_gulf_outcome_is_kuwait_liberated_by_a_lasting_coalition() -> None:
    gulf = shipped("gulf-1990")
    checks = {(c.kind, c.target) for c in gulf.historical_outcome.checks}  # type: ignore[union-attr]
    assert ("operation_succeeds", "liberate-kuwait") in checks
    assert ("cohesion_at_least", "gulf-coalition") in checks
    assert {"germany", "japan"} <= {n.id for n in gulf.nations if "no-combat" in n.caveats}
    assert any(c.mandate != "un" for c in gulf.coalitions)  # the UN mandate comes by event
    assert any(
        e.kind == "mandate" and e.text == "un" for event in gulf.events for e in event.effects
    )


def test_unasur_history_dissolves_the_union() -> None:
    unasur = shipped("unasur")
    assert unasur.historical_outcome is not None
    assert ("coalition_dissolved", "unasur") in {
        (c.kind, c.target) for c in unasur.historical_outcome.checks
    }
    historical = unasur.strategy("historical")
    assert historical is not None
    assert {"spoiler", "free_rider"} <= {p.personality for p in historical.nations.values()}
    cooperative = unasur.strategy("cooperative")
    assert cooperative is not None
    assert all(cooperative.personality(n.id) == "cooperative" for n in unasur.nations)


def test_northern_reach_is_the_full_teaching_scenario() -> None:
    reach = shipped("northern-reach")
    assert 6 <= len(reach.nations) <= 7
    assert 8 <= reach.turns <= 10
    assert 7 <= len(reach.map.regions) <= 9
    assert 7 <= len(reach.operations) <= 9
    assert 6 <= len(reach.events) <= 10
    used = {unit.capability for _, unit in reach.units()}
    used |= {c for op in reach.operations for c in op.requirements}
    assert used == set(get_args(Capability))
    assert len({n.interoperability for n in reach.nations}) >= 3
    assert len({n.profile for n in reach.nations}) >= 4
    assert len({(n.budget, n.capacity, n.income) for n in reach.nations}) == len(reach.nations)
    assert any(n.caveats for n in reach.nations)
    assert reach.escalation.max == 10
    kinds = [a.kind for a in reach.actors]
    assert kinds.count("adversary") == 1 and "un" in kinds and "population" in kinds
    assert kinds.count("ngo") >= 2
    assert {op.power for op in reach.operations} == {"hard", "soft"}
    assert any(op.duration > 1 for op in reach.operations)
    opened = {e.target for ev in reach.events for e in ev.effects if e.kind == "open_operation"}
    assert any(reach.operation(o).opens_turn > 1 for o in opened)  # type: ignore[union-attr]
    triggers = {event.trigger.kind for event in reach.events}
    assert "turn" in triggers and len(triggers) >= 3
    effects = {e.kind for event in reach.events for e in event.effects}
    assert {"leadership_change", "escalation", "support"} <= effects
    for nation in reach.nations:
        assert any(not o.secret for o in nation.objectives), nation.id
        assert any(o.secret for o in nation.objectives), nation.id
    secret_kinds = {o.kind for n in reach.nations for o in n.objectives if o.secret}
    assert {"lead_coalition", "coalition_dissolved", "budget_at_least"} <= secret_kinds
    assert {s.id for s in reach.strategies} == {"cooperative", "mixed"}
    trust = sorted(r.trust for r in reach.relations)
    assert trust[0] <= 25 and trust[-1] >= 70, "blocs and rivals, not a flat table"


def test_personality_is_exported_for_the_bots() -> None:
    assert set(get_args(Personality)) == set(PERSONALITIES)
    assert PERSONALITIES == ("cooperative", "free_rider", "hawk", "dove", "spoiler")


# -- defaults ----------------------------------------------------------------------------


def test_a_scenario_without_the_new_parts_gets_the_defaults() -> None:
    scenario = parse_scenario(BASE)
    assert scenario.relations == scenario.coalitions == scenario.events == ()
    assert scenario.historical_outcome is None and scenario.strategies == ()
    assert scenario.escalation.ladder == ()
    red = scenario.nation("red")
    assert red is not None
    assert (red.capacity, red.income, red.profile, red.leader) == (100, 0, "pragmatic", None)
    op = scenario.operation("op-a")
    assert op is not None
    assert (op.risk, op.duration, op.civilian_risk, op.opens_turn, op.deadline_turn) == (
        0.1,
        1,
        0.0,
        1,
        0,
    )
    defaults = rules.GameState.__dataclass_fields__
    settings = scenario.settings
    assert settings.defection_threshold == defaults["defection_threshold"].default
    assert settings.collapse_threshold == defaults["collapse_threshold"].default
    assert settings.leadership_threshold == defaults["leadership_threshold"].default

    state, _ = opening_state(scenario, seed=1, now=0.0)
    assert [(r.nation, r.other, r.trust, r.alignment, r.cooperation) for r in state.relations] == [
        ("red", "blue", 50, 50, 0),
        ("blue", "red", 50, 50, 0),
    ]
    assert [(c.id, c.kind, c.members) for c in state.channels] == [
        (PUBLIC_CHANNEL_ID, "public", ("red", "blue"))
    ]
    assert state.escalation.ladder == () and state.escalation.peak == 1


def test_the_new_parts_are_parsed_and_built() -> None:
    text = (
        BASE
        + """\
relations:
  - {between: [blue, red], trust: 80, alignment: 70, cooperation: 40}
coalitions:
  - {id: pact, name: The Pact, lead: red, members: [red, blue], command: integrated,
     mandate: un, cohesion: 70, operations: [op-a]}
actors:
  - {id: foe, name: The Foe, kind: adversary, attitude: 5, region: beta}
  - {id: folk, name: The Folk, kind: population}
events:
  - id: storm
    name: Storm
    text: A storm.
    public: false
    trigger: {kind: turn, value: 2}
    effects:
      - {kind: trust, target: red>blue, value: -5}
      - {kind: caveat, target: blue, text: no-combat}
collective_objectives:
  - {id: win, text: Win., kind: operation_succeeds, target: op-a, points: 30}
settings: {defection_threshold: 40, collapse_threshold: 15, bilateral_leak_chance: 0.3}
"""
    )
    state, _ = opening_state(parse_scenario(text), seed=3, now=10.0)
    assert {(r.nation, r.other): r.trust for r in state.relations} == {
        ("red", "blue"): 80,
        ("blue", "red"): 80,
    }
    (pact,) = state.coalitions
    assert (pact.lead, pact.members, pact.command, pact.mandate, pact.cohesion) == (
        "red",
        ("red", "blue"),
        "integrated",
        "un",
        70,
    )
    assert pact.operations == ("op-a",) and pact.active
    assert [c.id for c in state.channels] == [PUBLIC_CHANNEL_ID, "coalition-pact"]
    assert state.adversary() == rules.state.Actor("foe", "The Foe", "adversary", 5, "beta")
    (storm,) = state.events
    assert storm.public is False and storm.trigger == rules.state.Trigger("turn", "", 2)
    assert storm.effects[1] == rules.state.Effect("caveat", "blue", 0, "no-combat")
    assert state.collective_objectives[0].points == 30
    assert (state.defection_threshold, state.collapse_threshold) == (40, 15)
    assert (
        state.leadership_threshold
        == rules.GameState.__dataclass_fields__["leadership_threshold"].default
    )
    assert state.bilateral_leak_chance == 0.3


def test_listed_channels_replace_the_plenary_but_keep_coalition_rooms() -> None:
    text = (
        BASE
        + """\
coalitions:
  - {id: pact, name: The Pact, lead: red, members: [red]}
channels:
  - {id: hall, name: Hall, kind: public}
  - {id: red-blue, name: Red and Blue, kind: bilateral, members: [red, blue], leak_chance: 0.5}
"""
    )
    state, _ = opening_state(parse_scenario(text), seed=3, now=10.0)
    assert [(c.id, c.members, c.leak_chance) for c in state.channels] == [
        ("hall", ("red", "blue"), 0.0),
        ("red-blue", ("red", "blue"), 0.5),
        ("coalition-pact", ("red",), COALITION_CHANNEL_LEAK_CHANCE),
    ]


# -- opening states of the shipped scenarios ---------------------------------------------


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_opening_state_carries_the_whole_scenario(path: Path) -> None:
    scenario = load(path)
    state, events = opening_state(scenario, seed=7, now=1000.0)
    assert events and events[0].kind == "game_created"

    nation_ids = [n.id for n in scenario.nations]
    pairs = [(r.nation, r.other) for r in state.relations]
    assert sorted(pairs) == sorted(permutations(nation_ids, 2))
    # Symmetric as authored (the opening's injects may then move trust one way).
    quiet, _ = opening_state(scenario.model_copy(update={"events": ()}), seed=7, now=1000.0)
    for relation in quiet.relations:
        back = quiet.relation(relation.other, relation.nation)
        assert back is not None and back.trust == relation.trust
    # Injects due at the start of turn 1 have fired in the opening, announced as events.
    due = [e.id for e in scenario.events if e.trigger.kind == "turn" and e.trigger.value <= 1]
    assert set(due) <= set(state.fired)
    assert len([e for e in events if e.kind == "inject"]) == len(state.fired)

    channel_ids = {c.id for c in state.channels}
    assert {f"coalition-{c.id}" for c in scenario.coalitions} <= channel_ids
    assert any(c.kind == "public" and set(c.members) == set(nation_ids) for c in state.channels)

    assert [e.id for e in state.events] == [e.id for e in scenario.events]
    assert [a.id for a in state.actors] == [a.id for a in scenario.actors]
    assert [c.id for c in state.coalitions] == [c.id for c in scenario.coalitions]
    assert [o.id for o in state.collective_objectives] == [
        o.id for o in scenario.collective_objectives
    ]
    for nation in scenario.nations:
        built = state.nation(nation.id)
        assert built is not None
        assert [o.id for o in built.objectives] == [o.id for o in nation.objectives]
        assert [o.secret for o in built.objectives] == [o.secret for o in nation.objectives]
        assert (built.capacity, built.income, built.profile) == (
            nation.capacity,
            nation.income,
            nation.profile,
        )
        assert built.leader == (nation.leader or "")
    for operation in scenario.operations:
        built_op = state.operation(operation.id)
        assert built_op is not None
        assert (built_op.duration, built_op.opens_turn, built_op.risk) == (
            operation.duration,
            operation.opens_turn,
            operation.risk,
        )
    assert state.escalation.ladder == scenario.escalation.ladder
    assert quiet.escalation.peak == quiet.escalation.level == scenario.escalation.start
    assert state.escalation.peak == state.escalation.level

    assert rules.state_from_dict(rules.state_to_dict(state)) == state


# -- cross-reference errors: the right line and field ------------------------------------


def test_relation_with_an_unknown_nation() -> None:
    text = (
        """\
relations:
  - {between: [red, blue], trust: 60}
  - between: [red, green]
    trust: 10
"""
        + BASE
    )
    error = only_error(text)
    assert (error.field, error.line) == ("relations[1].between[1]", 3)
    assert "unknown nation 'green'" in error.message and "blue, red" in error.message


def test_relation_pair_listed_twice_in_either_order() -> None:
    text = (
        """\
relations:
  - {between: [red, blue], trust: 60}
  - {between: [blue, red], trust: 20}
"""
        + BASE
    )
    error = only_error(text)
    assert (error.field, error.line) == ("relations[1].between", 3)
    assert "already given at relations[1]" in error.message  # numbered from 1


def test_relation_of_a_nation_with_itself() -> None:
    error = only_error("relations:\n  - {between: [red, red]}\n" + BASE)
    assert (error.field, error.line) == ("relations[0].between[1]", 2)
    assert "two different nations" in error.message


def test_relation_needs_exactly_two_nations() -> None:
    error = only_error("relations:\n  - {between: [red]}\n" + BASE)
    assert (error.field, error.line) == ("relations[0].between", 2)
    assert "at least 2" in error.message


def test_coalition_lead_must_be_a_member() -> None:
    text = (
        """\
coalitions:
  - id: pact
    name: The Pact
    lead: blue
    members: [red]
"""
        + BASE
    )
    error = only_error(text)
    assert (error.field, error.line, error.column) == ("coalitions[0].lead", 4, 5)
    assert line(text, 4).strip() == "lead: blue"
    assert "'blue' must be one of the members (red)" in error.message


def test_coalition_members_and_operations_must_exist() -> None:
    text = (
        """\
coalitions:
  - {id: pact, name: Pact, lead: red, members: [red, grey], operations: [op-z]}
"""
        + BASE
    )
    errors = errors_of(text)
    assert [e.field for e in errors] == ["coalitions[0].members[1]", "coalitions[0].operations[0]"]
    assert all(e.line == 2 for e in errors)


def test_event_effect_with_an_unknown_target() -> None:
    text = (
        """\
events:
  - id: flood
    name: Flood
    text: The river rises.
    trigger: {kind: turn, value: 2}
    effects:
      - {kind: support, target: "*", value: -5}
      - kind: difficulty
        target: op-x
        value: 2
"""
        + BASE
    )
    error = only_error(text)
    assert (error.field, error.line, error.column) == ("events[0].effects[1].target", 9, 9)
    assert "unknown operation 'op-x'" in error.message
    assert "'difficulty' effect" in error.message and "op-a, op-b" in error.message


@pytest.mark.parametrize(
    ("effect", "field", "fragment"),
    [
        ("{kind: trust, target: red>grey, value: -5}", "target", "unknown nation 'grey'"),
        ("{kind: trust, target: red, value: -5}", "target", "'a>b'"),
        ("{kind: trust, target: red>red, value: -5}", "target", "same nation twice"),
        ("{kind: support, value: -5}", "target", "needs a target"),
        ("{kind: escalation, target: red, value: 1}", "target", "takes no target"),
        ("{kind: support, target: red}", "value", "not 0"),
        ("{kind: escalation, value: 9}", "value", "from -5 to 5"),
        ("{kind: caveat, target: red, text: no-tanks}", "text", "no-combat"),
        ("{kind: leadership_change, target: red}", "text", "needs a text"),
        ("{kind: mandate, target: '*', text: none}", "text", "un, regional"),
        ("{kind: population, target: nobody, value: 5}", "target", "unknown actor"),
        ("{kind: open_operation, target: op-a, value: 3}", "value", "takes no value"),
    ],
)
def test_effect_checks(effect: str, field: str, fragment: str) -> None:
    text = (
        f"""\
events:
  - id: e
    name: E
    text: Something.
    trigger: {{kind: turn, value: 1}}
    effects:
      - {effect}
"""
        + BASE
    )
    error = only_error(text)
    assert (error.field, error.line) == (f"events[0].effects[0].{field}", 7)
    assert fragment in error.message, error.message


@pytest.mark.parametrize(
    ("trigger", "field", "fragment"),
    [
        ("{kind: turn, value: 3}", "value", "1-2"),
        ("{kind: turn, value: 1.5}", "value", "whole number"),
        ("{kind: escalation_at_least, value: 6}", "value", "0-5"),
        ("{kind: support_below, target: green, value: 30}", "target", "unknown nation"),
        ("{kind: cohesion_below, value: 30}", "target", "a coalition id"),
        ("{kind: operation_failed, target: op-q}", "target", "unknown operation"),
    ],
)
def test_trigger_checks(trigger: str, field: str, fragment: str) -> None:
    text = (
        f"""\
events:
  - id: e
    name: E
    text: Something.
    trigger: {trigger}
"""
        + BASE
    )
    error = only_error(text)
    assert (error.field, error.line) == (f"events[0].trigger.{field}", 5)
    assert fragment in error.message, error.message


def test_objective_checks() -> None:
    text = (
        """\
nations:
  - id: red
    name: Red
    budget: 10
    domestic_support: 50
    interoperability: std
    public_objective: Keep the peace.
    secret_objective: Keep the port.
    objectives:
      - {id: a, text: Trust me., kind: trust_at_least, target: red, value: 60}
      - {id: b, text: Lead., kind: lead_coalition}
      - {id: b, text: Share., kind: burden_share_at_most, value: 2, secret: true}
    units:
      - {id: red-1, name: Red One, capability: land, strength: 3, cost: 1}
  - id: blue
    name: Blue
    budget: 8
    domestic_support: 60
    interoperability: std
    public_objective: Help.
    secret_objective: Be thanked.
    units:
      - {id: blue-1, name: Blue One, capability: medical, strength: 2, cost: 1}
collective_objectives:
  - {id: mine, text: Mine., kind: budget_at_least, value: 5}
"""
        + HEAD
        + MAP
        + OPERATIONS
    )
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [
        ("nations[0].objectives[0].target", 10),
        ("nations[0].objectives[2].id", 12),
        ("nations[0].objectives[2].value", 12),
        ("collective_objectives[0].kind", 25),
    ]
    assert "another nation" in errors[0].message
    assert "duplicate objective id 'b'" in errors[1].message
    assert "share from 0 to 1" in errors[2].message
    assert "measures one nation" in errors[3].message


def test_collective_objective_has_no_secret_field() -> None:
    text = (
        "collective_objectives:\n"
        "  - {id: x, text: X., kind: operation_succeeds, target: op-a, secret: true}\n" + BASE
    )
    error = only_error(text)
    assert (error.field, error.line) == ("collective_objectives[0].secret", 2)
    assert "unknown field 'secret'" in error.message


def test_strategy_naming_an_unknown_nation_or_region() -> None:
    text = (
        """\
strategies:
  - id: plan
    name: Plan
    description: A plan.
    nations:
      red: {personality: hawk, aims: {regions: [alpha]}}
      green: {personality: dove}
      blue:
        personality: spoiler
        red_lines: {regions: [beta, gamma], coalition_with: [blue]}
"""
        + BASE
    )
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [
        ("strategies[0].nations.green", 7),
        ("strategies[0].nations.blue.red_lines.regions[1]", 10),
        ("strategies[0].nations.blue.red_lines.coalition_with[0]", 10),
    ]
    assert "unknown nation 'green'" in errors[0].message
    assert "unknown region 'gamma'" in errors[1].message
    assert "cannot name itself" in errors[2].message


def test_intents_that_contradict_themselves_are_explained() -> None:
    text = (
        """\
strategies:
  - id: plan
    name: Plan
    description: A plan.
    nations:
      red:
        personality: hawk
        aims: {regions: [alpha]}
        red_lines: {powers: [hard], regions: [alpha], coalition_with: [blue]}
        seeks: {coalition_with: [blue]}
"""
        + BASE
    )
    messages = {e.field: e.message for e in errors_of(text)}
    assert "both an aim and a red line" in messages["strategies[0].nations.red.aims.regions[0]"]
    assert "both sought" in messages["strategies[0].nations.red.seeks.coalition_with[0]"]
    assert "could do nothing" in messages["strategies[0].nations.red.red_lines.powers"]


def test_a_strategy_with_the_removed_focus_list_says_what_replaces_it() -> None:
    text = (
        """\
strategies:
  - id: plan
    name: Plan
    description: A plan.
    nations:
      red: {personality: hawk, focus: [op-a]}
"""
        + BASE
    )
    error = only_error(text)
    assert error.field.startswith("strategies[0].nations.red")
    assert "'focus'" in error.message and "aims" in error.message
    assert "red_lines" in error.message and "seeks" in error.message


def test_strategy_personality_and_field_typos_are_explained() -> None:
    text = (
        """\
strategies:
  - id: plan
    name: Plan
    description: A plan.
    nations:
      red: {personalty: hawk}
      blue: {personality: hawkish}
"""
        + BASE
    )
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [
        ("strategies[0].nations.red.personalty", 6),
        ("strategies[0].nations.blue.personality", 7),
    ]
    assert "did you mean 'personality'" in errors[0].message
    assert "did you mean 'hawk'" in errors[1].message


def test_historical_outcome_needs_a_historical_strategy() -> None:
    text = (
        """\
historical_outcome:
  summary: It went well.
  checks:
    - {kind: operation_succeeds, target: op-a}
    - {kind: support_at_least, target: grey, value: 50}
strategies:
  - {id: other, name: Other, description: Not what happened.}
"""
        + BASE
    )
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [
        ("historical_outcome", 1),
        ("historical_outcome.checks[1].target", 5),
    ]
    assert "strategy with id 'historical'" in errors[0].message
    assert "unknown nation 'grey'" in errors[1].message


def test_historical_outcome_check_kinds_are_limited() -> None:
    text = (
        """\
historical_outcome:
  summary: It went well.
  checks:
    - {kind: no_hard_power}
strategies:
  - {id: historical, name: History, description: What happened.}
"""
        + BASE
    )
    error = only_error(text)
    assert (error.field, error.line) == ("historical_outcome.checks[0].kind", 4)
    assert "'operation_succeeds'" in error.message


def test_escalation_ladder_of_the_wrong_length() -> None:
    text = scenario_head(
        """\
escalation:
  start: 1
  max: 3
  threshold: 2
  ladder: [Calm, Tense, Crisis]
"""
    )
    error = only_error(text)
    assert (error.field, error.line) == ("escalation.ladder", 5)
    assert "names 3 rungs" in error.message and "need 4 names" in error.message


def test_escalation_threshold_and_start_above_max() -> None:
    text = scenario_head("escalation: {start: 6, max: 5, threshold: 7}\n")
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [
        ("escalation.start", 1),
        ("escalation.threshold", 1),
    ]
    assert "threshold (7) must not be above max (5)" in errors[1].message


def test_only_one_adversary_and_actor_ids_apart_from_nations() -> None:
    text = (
        """\
actors:
  - {id: foe, name: Foe, kind: adversary}
  - {id: red, name: Red militia, kind: population, region: gamma}
  - {id: foe-two, name: Other foe, kind: adversary}
"""
        + BASE
    )
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [
        ("actors[1].id", 3),
        ("actors[1].region", 3),
        ("actors[2].kind", 4),
    ]
    assert "at most one adversary" in errors[2].message


def test_channel_checks() -> None:
    text = (
        """\
channels:
  - {id: ch-3, name: Taken, kind: public}
  - {id: pair, name: Pair, kind: bilateral, members: [red]}
  - {id: leaky, name: Leaky, kind: liaison, members: [red, blue], leak_chance: 1.5}
"""
        + BASE
    )
    # Every error in one pass: the schema's and the cross-checks'.
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [
        ("channels[0].id", 2),
        ("channels[1].members", 3),
        ("channels[2].leak_chance", 4),
    ]
    assert "reserved" in errors[0].message and "exactly 2 members" in errors[1].message
    text = text.replace("leak_chance: 1.5", "leak_chance: 0.5")
    assert [(e.field, e.line) for e in errors_of(text)] == [
        ("channels[0].id", 2),
        ("channels[1].members", 3),
    ]


def test_operation_turns_and_settings_are_checked() -> None:
    text = (
        """\
operations:
  - id: op-a
    name: Op A
    region: alpha
    power: hard
    difficulty: 4
    requirements: {land: 2}
    description: Hold the line.
    opens_turn: 3
    deadline_turn: 5
  - id: op-b
    name: Op B
    region: beta
    power: soft
    difficulty: 3
    requirements: {medical: 2}
    description: Run a clinic.
    opens_turn: 2
    deadline_turn: 1
    risk: 1.2
settings: {defection_threshold: 20, collapse_threshold: 30}
"""
        + HEAD
        + MAP
        + NATIONS
    )
    # One pass lists the checks of the other fields too, except those of the operation
    # whose risk is wrong (with a stand-in risk they would only echo it).
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [
        ("operations[0].opens_turn", 9),
        ("operations[0].deadline_turn", 10),
        ("operations[1].risk", 20),
        ("settings.collapse_threshold", 21),
    ]
    text = text.replace("risk: 1.2", "risk: 0.2")
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [
        ("operations[0].opens_turn", 9),
        ("operations[0].deadline_turn", 10),
        ("operations[1].deadline_turn", 19),
        ("settings.collapse_threshold", 21),
    ]


def test_home_region_only_caveat_needs_a_home_region() -> None:
    text = BASE.replace("caveats: [no-night-ops]", "caveats: [no-night-ops, home-region-only]")
    error = only_error(text)
    assert error.field == "nations[0].caveats[1]"
    assert "home_region" in error.message
    fixed = text.replace("    caveats: [no-night", "    home_region: alpha\n    caveats: [no-night")
    state, _ = opening_state(parse_scenario(fixed), seed=1, now=0.0)
    assert state.nation("red").home_region == "alpha"  # type: ignore[union-attr]


# -- YAML indentation ---------------------------------------------------------------------


def test_bad_indentation_says_what_to_fix() -> None:
    text = "format: 1\nnations:\n  - id: red\n    name: Red\n   budget: 3\n"
    error = only_error(text)
    assert (error.field, error.line) == ("(document)", 5)
    assert "Check the indentation of line 5" in error.message
    assert "line 4 starts at column 5" in error.message


def test_key_in_the_column_of_a_list_dash_is_explained() -> None:
    error = only_error("format: 1\nnations:\n  - id: red\n  name: Red\n")
    assert error.line == 4
    assert "column of the '-'" in error.message and "(column 5)" in error.message


def test_over_indented_key_is_explained() -> None:
    error = only_error("format: 1\nid: tiny\n  version: 1\n")
    assert "mapping values are not allowed" in error.message
    assert "deeper than line 2" in error.message


def test_tab_indentation_is_explained() -> None:
    error = only_error("format: 1\n\tid: tiny\n")
    assert "spaces" in error.message and "tab" in error.message


def scenario_head(escalation: str) -> str:
    """A valid scenario whose first lines are ``escalation`` (replacing the head's)."""
    head = "".join(text + "\n" for text in HEAD.splitlines() if not text.startswith("escalation:"))
    return escalation + head + MAP + NATIONS + OPERATIONS
