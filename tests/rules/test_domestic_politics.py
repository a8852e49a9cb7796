"""Domestic politics (issue 15, part 3): support moves with costs against a nation's size,
its burden against its size (both ways), legitimacy once a turn and the rest of the model,
each move listed with the numbers it was computed from; a fallen government's successor
brings the scenario's brief."""

from __future__ import annotations

from dataclasses import replace

from app import rules
from app.rules.ledger import Ledger
from app.rules.outcomes import Event
from app.rules.reasons import because
from app.rules.records import Contribution, Outcome
from app.rules.resolution.opinion import change_leadership, cost_support, move_support
from app.rules.resolution.tuning import (
    BURDEN_AT_HOME,
    BURDEN_AT_HOME_SLACK,
    CASUALTY_SUPPORT,
    COST_SUPPORT_MAX,
    FAIR_BURDEN_SUPPORT,
    MANDATE_SUPPORT,
    MANDATED_CASUALTY_SUPPORT,
    NEW_GOVERNMENT_HONEYMOON,
    NO_MANDATE_SUPPORT,
)
from app.rules.state import Coalition, Objective, Successor
from app.rules.wording import words
from app.rules.wording.changes import ChangeReason


def _coalition(members: tuple[str, ...], lead: str = "aurora") -> Coalition:
    return Coalition(
        id="league",
        name="The League",
        lead=lead,
        members=members,
        command="lead_nation",
        mandate="none",
        cohesion=60,
        peak_members=len(members),
    )


def _support_lines(ledger: Ledger, nation_id: str, code: str) -> list[rules.Change]:
    return [
        c for c in ledger.changes if c.subject == f"support:{nation_id}" and c.reason.code == code
    ]


def _hammerfall_with_losses(coalition_id: str) -> Outcome:
    """Aurora's failed attack on the harbour forts, under `coalition_id`, losing 2 units."""
    return Outcome(
        turn=1,
        operation_id="hammerfall",
        result="failure",
        effectiveness=1.0,
        probability_success=0.5,
        probability_partial=0.2,
        roll=0.9,
        factors=(),
        contributions=(Contribution("aurora", ("aur-guards",), 4, 5),),
        escalation_change=0.0,
        summary=because(ChangeReason.OPERATION_RESULT),
        casualties={"aurora": 2},
        coalition_id=coalition_id,
    )


def test_a_mandate_keeps_support_for_hard_power(game: rules.GameState) -> None:
    # The same failed attack and the same losses, under a coalition without a mandate and
    # under one with the UN's: only the legitimacy lines differ.
    def lines(mandate: str) -> tuple[list[int], list[int]]:
        coalition = replace(_coalition(("aurora", "borealis")), mandate=mandate)
        state = replace(game, coalitions=(coalition,))
        ledger = Ledger()
        move_support(state, (_hammerfall_with_losses(coalition.id),), {}, ledger)
        return (
            [c.delta for c in _support_lines(ledger, "aurora", ChangeReason.NO_MANDATE)],
            [c.delta for c in _support_lines(ledger, "aurora", ChangeReason.CASUALTIES)],
        )

    assert lines("none") == ([NO_MANDATE_SUPPORT], [2 * CASUALTY_SUPPORT])
    assert lines("un") == ([], [2 * MANDATED_CASUALTY_SUPPORT])
    assert NO_MANDATE_SUPPORT < 0 and CASUALTY_SUPPORT < MANDATED_CASUALTY_SUPPORT < 0


def _attack(operation_id: str, nation_id: str, coalition_id: str | None) -> Outcome:
    return replace(
        _hammerfall_with_losses("league"),
        operation_id=operation_id,
        result="success",
        contributions=(Contribution(nation_id, ("aur-guards",), 4, 5),),
        casualties={},
        coalition_id=coalition_id,
    )


def test_legitimacy_is_judged_once_a_turn(game: rules.GameState) -> None:
    # Aurora's hard power in two operations without a mandate costs it once, naming both.
    hard = replace(game.operations[0], id="second-front", name="Second Front", power="hard")
    assert game.operations[0].power == "hard"
    state = replace(game, operations=(*game.operations, hard), coalitions=())
    ledger = Ledger()
    outcomes = (_attack("hammerfall", "aurora", None), _attack("second-front", "aurora", None))
    after = move_support(state, outcomes, {}, ledger)
    [line] = _support_lines(ledger, "aurora", ChangeReason.NO_MANDATE)
    assert line.delta == NO_MANDATE_SUPPORT
    assert line.reason.params["ops"] == ["hammerfall", "second-front"]
    assert words(line.reason, after) == (
        "hard power without a mandate this turn (Operation Hammerfall and Second Front; "
        "once a turn)"
    )
    # Under a mandate, the public backs it once a turn too.
    league = replace(_coalition(("aurora", "borealis")), mandate="un")
    mandated = replace(state, coalitions=(league,))
    ledger = Ledger()
    outcomes = (
        _attack("hammerfall", "aurora", "league"),
        _attack("second-front", "aurora", "league"),
    )
    move_support(mandated, outcomes, {}, ledger)
    [line] = _support_lines(ledger, "aurora", ChangeReason.MANDATED)
    assert line.delta == MANDATE_SUPPORT
    assert not _support_lines(ledger, "aurora", ChangeReason.NO_MANDATE)


def test_force_on_its_own_soil_asks_no_mandate(game: rules.GameState) -> None:
    # The harbour is Aurora's: its attack there without a mandate is not judged by it.
    harbour = replace(game.regions[0], host="aurora")
    assert game.operations[0].region == harbour.id
    state = replace(game, regions=(harbour, *game.regions[1:]), coalitions=())
    ledger = Ledger()
    move_support(state, (_attack("hammerfall", "aurora", None),), {}, ledger)
    assert not _support_lines(ledger, "aurora", ChangeReason.NO_MANDATE)
    # Another nation's forces there are.
    ledger = Ledger()
    move_support(state, (_attack("hammerfall", "borealis", None),), {}, ledger)
    assert len(_support_lines(ledger, "borealis", ChangeReason.NO_MANDATE)) == 1


def test_costs_are_felt_against_the_nations_size() -> None:
    # The same spending costs a small nation more than a large one, in whole points felt.
    assert cost_support(0, 100) == 0
    assert cost_support(10, 100) == 0  # a tenth of its capacity: 0.6, not felt
    assert cost_support(30, 90) == -2  # a third of it
    assert cost_support(30, 300) == 0
    assert cost_support(90, 90) == COST_SUPPORT_MAX  # its whole capacity, at most the cap
    assert cost_support(10, 0) == COST_SUPPORT_MAX


def test_a_cost_is_listed_with_what_was_spent_against_the_nations_capacity(
    game: rules.GameState,
) -> None:
    ledger = Ledger()
    borealis = game.nation("borealis")
    assert borealis is not None
    state = game.replace_nation(replace(borealis, capacity=20, budget=10))
    after = move_support(state, (), {"borealis": 10}, ledger)
    [line] = _support_lines(ledger, "borealis", ChangeReason.COST_OF_OPERATIONS)
    assert line.delta == cost_support(10, 20) == -3
    assert dict(line.reason.params) == {"spent": 10, "capacity": 20}
    assert words(line.reason, after) == (
        "cost of operations: 10 spent, 50% of the nation's capacity of 20 (felt in whole points)"
    )
    new = after.nation("borealis")
    assert new is not None and new.domestic_support == borealis.domestic_support - 3
    # The treasury running down does not make the same bill dearer.
    ledger = Ledger()
    move_support(
        state.replace_nation(replace(borealis, capacity=20, budget=0)), (), {"borealis": 10}, ledger
    )
    [line] = _support_lines(ledger, "borealis", ChangeReason.COST_OF_OPERATIONS)
    assert line.delta == -3


def test_carrying_a_coalitions_costs_beyond_the_nations_size_costs_support_at_home(
    game: rules.GameState,
) -> None:
    # Three members of equal capacity: Aurora carries 30 of 36 (83% against a third).
    state = replace(game, coalitions=(_coalition(("aurora", "borealis", "caldera")),))
    ledger = Ledger()
    move_support(state, (), {"aurora": 30, "borealis": 3, "caldera": 3}, ledger)
    [line] = _support_lines(ledger, "aurora", ChangeReason.BURDEN_AT_HOME)
    share, fair = 30 / 36, 1 / 3
    expected = round(BURDEN_AT_HOME * (share - fair - BURDEN_AT_HOME_SLACK))
    assert line.delta == expected < 0
    assert words(line.reason, state) == (
        "carried 83% of the League's costs this turn against a fair share of 33% "
        "(its capacity's; 15% is tolerated)"
    )
    # Those who carried less than their share are not blamed at home for it.
    for rider in ("borealis", "caldera"):
        assert not _support_lines(ledger, rider, ChangeReason.BURDEN_AT_HOME)
    # Nor do they gain the fair burden's support: under half their fair share.
    for rider in ("borealis", "caldera"):
        assert not _support_lines(ledger, rider, ChangeReason.FAIR_BURDEN)
    assert not _support_lines(ledger, "aurora", ChangeReason.FAIR_BURDEN)
    # A fair split costs nobody at home, and sustains every member's support once.
    fair_ledger = Ledger()
    move_support(state, (), {"aurora": 12, "borealis": 12, "caldera": 12}, fair_ledger)
    assert not [c for c in fair_ledger.changes if c.reason.code == ChangeReason.BURDEN_AT_HOME]
    for member in ("aurora", "borealis", "caldera"):
        [line] = _support_lines(fair_ledger, member, ChangeReason.FAIR_BURDEN)
        assert line.delta == FAIR_BURDEN_SUPPORT > 0
    assert words(line.reason, state) == (
        "carried 33% of the League's costs this turn against a fair share of 33% "
        "(its capacity's): its part of a shared effort"
    )


def _fallen(state: rules.GameState, nation_id: str, successor: Successor | None) -> rules.GameState:
    nation = state.nation(nation_id)
    assert nation is not None
    return state.replace_nation(
        replace(nation, domestic_support=state.leadership_threshold - 6, successor=successor)
    )


def test_a_successor_brings_its_brief_caveats_objectives_and_withdrawal(
    game: rules.GameState,
) -> None:
    successor = Successor(
        leader="Premier Ada Voss",
        profile="cautious",
        caveats=("no-combat", "no-night-ops"),
        withdraw=("*",),
        objectives=(Objective("home", "Bring the troops home.", "outside_coalitions"),),
        brief="SECRET-SUCCESSOR: come home.",
    )
    state = replace(game, coalitions=(_coalition(("aurora", "borealis", "caldera")),))
    state = _fallen(state, "borealis", successor)
    ledger, events = Ledger(), list[Event]()
    after = change_leadership(state, ledger, events)
    new = after.nation("borealis")
    assert new is not None
    assert new.leader == "Premier Ada Voss" and new.profile == "cautious"
    assert new.caveats == ("no-offensive-ground", "no-combat", "no-night-ops")
    assert [o.id for o in new.objectives] == ["home"]
    assert new.secret_objective == "SECRET-SUCCESSOR: come home."
    assert new.successor is None  # used once
    assert new.leadership_changes == 1
    # It inherits the fall: just above the threshold, nowhere near a fresh start.
    assert new.domestic_support == state.leadership_threshold + NEW_GOVERNMENT_HONEYMOON
    league = after.coalition("league")
    assert league is not None and "borealis" not in league.members
    assert "borealis" in league.admitted_before  # the brief holds: it is not taken back
    [change] = [e for e in events if e.kind == rules.EventKind.LEADERSHIP_CHANGE]
    assert change.data["withdrawn"] == ["league"]
    assert change.data["support"] == state.leadership_threshold - 6
    assert [e.kind for e in events].count(rules.EventKind.COALITION_LEFT) == 1
    # Every move is listed: the support, each new caveat, the new brief (its nation's).
    [support] = _support_lines(ledger, "borealis", ChangeReason.NEW_GOVERNMENT)
    assert support.delta == NEW_GOVERNMENT_HONEYMOON + 6
    assert words(support.reason, after) == (
        f"a new government: support fell to {state.leadership_threshold - 6}, under the "
        f"threshold of {state.leadership_threshold}; its successor starts "
        f"{NEW_GOVERNMENT_HONEYMOON} above the threshold"
    )
    caveats = [c.reason.params["caveat"] for c in ledger.changes if c.subject == "caveat:borealis"]
    assert caveats == ["no-combat", "no-night-ops"]
    [brief] = [c for c in ledger.changes if c.subject == "leader:borealis"]
    assert brief.visible_to == ("borealis",)


def test_the_feed_tells_everyone_of_the_fall_and_only_the_nation_its_brief(
    game: rules.GameState,
) -> None:
    successor = Successor(leader="Premier Ada Voss", brief="SECRET-SUCCESSOR: come home.")
    state = _fallen(game, "borealis", successor)
    events: list[Event] = []
    after = change_leadership(state, Ledger(), events)
    [event] = events
    others = rules.view_event(after, event, rules.Viewer.of_nation("aurora"))
    own = rules.view_event(after, event, rules.Viewer.of_nation("borealis"))
    assert others is not None and own is not None
    assert "SECRET-SUCCESSOR" not in str(others)
    assert own["brief"] == "SECRET-SUCCESSOR: come home."
    assert others["text"] == (
        f"A new government takes office in Borealis, led by Premier Ada Voss: support fell "
        f"to {state.leadership_threshold - 6}, under {state.leadership_threshold}."
    )


def test_without_a_successor_a_cautious_government_forbids_combat(
    game: rules.GameState,
) -> None:
    # Borealis is pragmatic: its successor is cautious, takes 'no-combat' and leaves a
    # coalition it does not lead whose cohesion is under 50.
    coalition = replace(_coalition(("aurora", "borealis", "caldera")), cohesion=40)
    state = _fallen(replace(game, coalitions=(coalition,)), "borealis", None)
    events: list[Event] = []
    after = change_leadership(state, Ledger(), events)
    new = after.nation("borealis")
    assert new is not None and new.profile == "cautious" and "no-combat" in new.caveats
    league = after.coalition("league")
    assert league is not None and "borealis" not in league.members
    # A government that has not fallen keeps everything.
    assert after.nation("aurora") == state.nation("aurora")
