"""Player actions: apply, rejection codes, parse_action, legal_actions (app/rules/actions)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from app import rules
from app.rules import (
    Accepted,
    CommitUnit,
    Event,
    Phase,
    Rejection,
    SetReady,
    WithdrawUnit,
    apply,
    legal_actions,
    parse_action,
    state_to_dict,
)
from app.rules.state import Commitment


def ok(result: Accepted | Rejection) -> Accepted:
    assert isinstance(result, Accepted), result
    return result


def rejected(result: Accepted | Rejection, code: str) -> Rejection:
    assert isinstance(result, Rejection), result
    assert result.code == code, result
    assert result.message  # every rejection explains itself to the player
    return result


def play(state: rules.GameState, *moves: tuple[str, rules.Action]) -> rules.GameState:
    for actor, action in moves:
        state = ok(apply(state, actor, action)).state
    return state


# --- new_game ---------------------------------------------------------------------------


def test_new_game_opens_turn_one_orders_with_a_deadline(make_game) -> None:
    state, events = make_game(seed=99)
    assert state.turn == 1
    assert state.phase is Phase.ORDERS
    assert state.deadline == pytest.approx(1_000_000.0 + 600)
    assert state.commitments == ()
    assert state.ready == frozenset()
    assert events == (Event("game_created", None, {"seed": 99}),)


# --- accepted actions -------------------------------------------------------------------


def test_commit_records_the_commitment_and_emits_unit_committed(game) -> None:
    result = ok(apply(game, "aurora", CommitUnit("aur-guards", "hammerfall")))
    assert result.state.commitments == (Commitment("aur-guards", "aurora", "hammerfall"),)
    assert result.events == (
        Event(
            "unit_committed",
            "aurora",
            {
                "nation_id": "aurora",
                "unit_id": "aur-guards",
                "operation_id": "hammerfall",
                "committed_units": 1,
                "was_ready": False,
            },
        ),
    )


def test_committed_units_counts_only_the_actors_own_commitments(game) -> None:
    state = play(
        game,
        ("borealis", CommitUnit("bor-medics", "wellspring")),
        ("aurora", CommitUnit("aur-guards", "hammerfall")),
    )
    result = ok(apply(state, "aurora", CommitUnit("aur-jets", "hammerfall")))
    assert result.events[0].data["committed_units"] == 2
    assert len(result.state.commitments) == 3


def test_withdraw_removes_the_commitment_and_names_the_operation_it_left(game) -> None:
    state = play(
        game,
        ("aurora", CommitUnit("aur-guards", "hammerfall")),
        ("aurora", CommitUnit("aur-eyes", "wellspring")),
    )
    result = ok(apply(state, "aurora", WithdrawUnit("aur-eyes")))
    assert result.state.commitments == (Commitment("aur-guards", "aurora", "hammerfall"),)
    assert result.events == (
        Event(
            "unit_withdrawn",
            "aurora",
            {
                "nation_id": "aurora",
                "unit_id": "aur-eyes",
                "operation_id": "wellspring",
                "committed_units": 1,
                "was_ready": False,
            },
        ),
    )


def test_ready_true_then_false(game) -> None:
    on = ok(apply(game, "caldera", SetReady(True)))
    assert on.state.ready == frozenset({"caldera"})
    assert on.events == (
        Event("ready_changed", "caldera", {"nation_id": "caldera", "ready": True}),
    )
    off = ok(apply(on.state, "caldera", SetReady(False)))
    assert off.state.ready == frozenset()
    assert off.events == (
        Event("ready_changed", "caldera", {"nation_id": "caldera", "ready": False}),
    )


def test_repeating_ready_changes_nothing_and_emits_nothing(game) -> None:
    state = play(game, ("caldera", SetReady(True)))
    again = ok(apply(state, "caldera", SetReady(True)))
    assert again.state == state
    assert again.events == ()


@pytest.mark.parametrize(
    "change",
    [CommitUnit("aur-jets", "hammerfall"), WithdrawUnit("aur-guards")],
    ids=["commit", "withdraw"],
)
def test_changing_orders_clears_only_the_actors_ready(game, change) -> None:
    state = play(
        game,
        ("aurora", CommitUnit("aur-guards", "hammerfall")),
        ("aurora", SetReady(True)),
        ("borealis", SetReady(True)),
    )
    result = ok(apply(state, "aurora", change))
    assert result.state.ready == frozenset({"borealis"})
    assert result.events[0].data["was_ready"] is True


def test_budget_may_be_spent_exactly(game) -> None:
    # caldera: budget 10; hospital 4 + sappers 4 = 8; then cyber 3 would be 11.
    state = play(
        game,
        ("caldera", CommitUnit("cal-hospital", "wellspring")),
        ("caldera", CommitUnit("cal-sappers", "wellspring")),
    )
    rejected(apply(state, "caldera", CommitUnit("cal-hackers", "wellspring")), "over_budget")
    # Withdrawing frees the budget again.
    state = play(state, ("caldera", WithdrawUnit("cal-sappers")))
    ok(apply(state, "caldera", CommitUnit("cal-hackers", "wellspring")))


def test_caveat_no_combat_allows_soft_operations(game) -> None:
    ok(apply(game, "caldera", CommitUnit("cal-hospital", "wellspring")))


def test_no_offensive_ground_does_not_forbid_committing_to_hard_operations(game) -> None:
    # The caveat weakens land units in hard operations (resolution), it does not forbid them.
    ok(apply(game, "borealis", CommitUnit("bor-rifles", "hammerfall")))


# --- rejections -------------------------------------------------------------------------


@pytest.mark.parametrize("phase", [Phase.ENDED, Phase.REVIEW, Phase.ADJUDICATION])
@pytest.mark.parametrize(
    "action",
    [CommitUnit("aur-guards", "hammerfall"), WithdrawUnit("aur-guards"), SetReady(True)],
    ids=["commit", "withdraw", "ready"],
)
def test_wrong_phase(game, phase, action) -> None:
    state = replace(play(game, ("aurora", CommitUnit("aur-guards", "hammerfall"))), phase=phase)
    rejected(apply(state, "aurora", action), "wrong_phase")
    assert legal_actions(state, "aurora") == []


def test_wrong_phase_after_the_final_turn(make_game) -> None:
    state, _ = make_game(turns=1)
    ended, _ = rules.resolve_turn(state, state.deadline)
    assert ended.phase is Phase.ENDED
    rejected(apply(ended, "aurora", CommitUnit("aur-guards", "hammerfall")), "wrong_phase")
    rejected(apply(ended, "aurora", SetReady(True)), "wrong_phase")


@pytest.mark.parametrize(
    "action",
    [
        CommitUnit("no-such-unit", "hammerfall"),
        WithdrawUnit("no-such-unit"),
        CommitUnit("bor-rifles", "wellspring"),  # another nation's unit
        WithdrawUnit("bor-rifles"),
        CommitUnit("hammerfall", "hammerfall"),  # an operation id is not a unit
    ],
)
def test_unknown_unit(game, action) -> None:
    rejected(apply(game, "aurora", action), "unknown_unit")


def test_cannot_withdraw_another_nations_committed_unit(game) -> None:
    state = play(game, ("borealis", CommitUnit("bor-rifles", "hammerfall")))
    rejected(apply(state, "aurora", WithdrawUnit("bor-rifles")), "unknown_unit")
    rejected(apply(state, "aurora", CommitUnit("bor-rifles", "wellspring")), "unknown_unit")


@pytest.mark.parametrize("operation_id", ["no-such-op", "", "harbour", "aur-guards"])
def test_unknown_operation(game, operation_id) -> None:
    rejected(apply(game, "aurora", CommitUnit("aur-guards", operation_id)), "unknown_operation")


@pytest.mark.parametrize("operation_id", ["hammerfall", "wellspring"])
def test_already_committed(game, operation_id) -> None:
    state = play(game, ("aurora", CommitUnit("aur-guards", "hammerfall")))
    result = rejected(
        apply(state, "aurora", CommitUnit("aur-guards", operation_id)), "already_committed"
    )
    assert "Operation Hammerfall" in result.message


def test_caveat_no_combat_forbids_hard_operations(game) -> None:
    result = rejected(apply(game, "caldera", CommitUnit("cal-hospital", "hammerfall")), "caveat")
    assert "no-combat" in result.message


def test_caveat_also_applies_in_the_scenario(meridian) -> None:
    rejected(apply(meridian, "lindmark", CommitUnit("lin-field-hospital", "open-lane")), "caveat")
    ok(apply(meridian, "lindmark", CommitUnit("lin-field-hospital", "saltmarsh-relief")))


def test_over_budget_for_a_single_unit(game) -> None:
    poor = game.replace_nation(replace(game.nation("aurora"), budget=9))
    rejected(apply(poor, "aurora", CommitUnit("aur-frigates", "hammerfall")), "over_budget")
    ok(apply(poor, "aurora", CommitUnit("aur-jets", "hammerfall")))  # cost 8 fits


def test_not_committed(game) -> None:
    rejected(apply(game, "aurora", WithdrawUnit("aur-guards")), "not_committed")
    state = play(
        game,
        ("aurora", CommitUnit("aur-guards", "hammerfall")),
        ("aurora", WithdrawUnit("aur-guards")),
    )
    rejected(apply(state, "aurora", WithdrawUnit("aur-guards")), "not_committed")


@pytest.mark.parametrize("actor", ["atlantis", "", "Aurora", "AURORA", "aurora "])
@pytest.mark.parametrize(
    "action",
    [CommitUnit("aur-guards", "hammerfall"), WithdrawUnit("aur-guards"), SetReady(True)],
    ids=["commit", "withdraw", "ready"],
)
def test_unknown_nation(game, actor, action) -> None:
    rejected(apply(game, actor, action), "unknown_nation")
    assert legal_actions(game, actor) == []


# --- parse_action -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (None, "malformed"),
        ([], "malformed"),
        ([{"kind": "ready", "ready": True}], "malformed"),
        ("commit", "malformed"),
        (3, "malformed"),
        ({"kind": "commit"}, "malformed"),
        ({"kind": "commit", "unit_id": "aur-guards"}, "malformed"),
        ({"kind": "commit", "operation_id": "hammerfall"}, "malformed"),
        ({"kind": "commit", "unit_id": "", "operation_id": "hammerfall"}, "malformed"),
        ({"kind": "commit", "unit_id": 5, "operation_id": "hammerfall"}, "malformed"),
        ({"kind": "commit", "unit_id": "aur-guards", "operation_id": ["x"]}, "malformed"),
        ({"kind": "withdraw"}, "malformed"),
        ({"kind": "withdraw", "unit_id": None}, "malformed"),
        ({"kind": "ready"}, "malformed"),
        ({"kind": "ready", "ready": 1}, "malformed"),
        ({"kind": "ready", "ready": None}, "malformed"),
        ({"kind": "ready", "ready": [True]}, "malformed"),
        ({"kind": "ready", "ready": ""}, "malformed"),
        ({"kind": "ready", "ready": "maybe"}, "malformed"),
        ({}, "unknown_action"),
        ({"kind": 3}, "unknown_action"),
        ({"kind": None}, "unknown_action"),
        ({"kind": "COMMIT"}, "unknown_action"),
        ({"kind": ["commit"]}, "unknown_action"),
        ({"kind": "launch", "unit_id": "aur-guards"}, "unknown_action"),
    ],
)
def test_parse_action_rejects_junk(data, code) -> None:
    rejected(parse_action(data), code)


@pytest.mark.parametrize(
    ("data", "action"),
    [
        (
            {"kind": "commit", "unit_id": "aur-guards", "operation_id": "hammerfall"},
            CommitUnit("aur-guards", "hammerfall"),
        ),
        ({"kind": "withdraw", "unit_id": "aur-guards", "extra": 1}, WithdrawUnit("aur-guards")),
        ({"kind": "ready", "ready": True}, SetReady(True)),
        ({"kind": "ready", "ready": False}, SetReady(False)),
        ({"kind": "ready", "ready": "on"}, SetReady(True)),
        ({"kind": "ready", "ready": "TRUE"}, SetReady(True)),
        ({"kind": "ready", "ready": " Yes "}, SetReady(True)),
        ({"kind": "ready", "ready": "false"}, SetReady(False)),
        ({"kind": "ready", "ready": "off"}, SetReady(False)),
        ({"kind": "ready", "ready": "0"}, SetReady(False)),
    ],
)
def test_parse_action_builds_actions(data, action) -> None:
    assert parse_action(data) == action


JUNK_INPUTS = [
    None,
    [],
    {},
    {"kind": 3},
    {"kind": "commit"},
    {"kind": "commit", "unit_id": "aur-guards", "operation_id": "hammerfall"},
    {"kind": "commit", "unit_id": "bor-rifles", "operation_id": "hammerfall"},
    {"kind": "commit", "unit_id": "x" * 10_000, "operation_id": "y" * 10_000},
    {"kind": "commit", "unit_id": "\x00", "operation_id": "\u2603"},
    {"kind": "commit", "unit_id": "hammerfall", "operation_id": "aur-guards"},
    {"kind": "commit", "unit_id": "aur-guards", "operation_id": "wellspring", "kind2": "x"},
    {"kind": "withdraw", "unit_id": "aur-guards"},
    {"kind": "withdraw", "unit_id": "bor-rifles"},
    {"kind": "withdraw", "unit_id": "{unit}"},
    {"kind": "ready", "ready": "maybe"},
    {"kind": "ready", "ready": True},
    {"kind": "ready", "ready": 0},
]


def test_apply_never_raises_on_parsed_junk(game) -> None:
    committed = play(
        game,
        ("aurora", CommitUnit("aur-guards", "hammerfall")),
        ("borealis", CommitUnit("bor-rifles", "hammerfall")),
        ("borealis", SetReady(True)),
    )
    states = [game, committed, replace(committed, phase=Phase.ENDED)]
    actors = ["aurora", "borealis", "caldera", "nobody", ""]
    applied = 0
    for data in JUNK_INPUTS:
        parsed = parse_action(data)
        if isinstance(parsed, Rejection):
            assert parsed.code in {"malformed", "unknown_action", "bad_text"}
            continue
        for state in states:
            for actor in actors:
                result = apply(state, actor, parsed)
                assert isinstance(result, Accepted | Rejection)
                applied += 1
    assert applied > 0


# --- immutability -----------------------------------------------------------------------


def test_apply_does_not_change_the_input_state(game, make_game) -> None:
    pristine, _ = make_game()
    snapshot = state_to_dict(game)
    state = game
    for actor, action in [
        ("aurora", CommitUnit("aur-guards", "hammerfall")),
        ("aurora", SetReady(True)),
        ("caldera", CommitUnit("cal-hospital", "wellspring")),
        ("aurora", WithdrawUnit("aur-guards")),
    ]:
        before = state_to_dict(state)
        result = ok(apply(state, actor, action))
        assert state_to_dict(state) == before
        assert result.state is not state
        state = result.state
    assert game == pristine
    assert state_to_dict(game) == snapshot
    assert game.commitments == ()
    assert game.ready == frozenset()


# --- join_seat --------------------------------------------------------------------------


def test_join_seat(game) -> None:
    joined = ok(rules.join_seat(game, "borealis"))
    assert joined.state.nation("borealis").controller == "human"
    assert game.nation("borealis").controller == "vacant"
    assert joined.events == (Event("seat_joined", "borealis", {"nation_id": "borealis"}),)
    assert joined.state.human_seats() == ("borealis",)
    again = ok(rules.join_seat(joined.state, "borealis"))
    assert again.state == joined.state
    assert again.events == ()
    rejected(rules.join_seat(game, "atlantis"), "unknown_nation")


# --- legal_actions ----------------------------------------------------------------------


def _order_candidates(state: rules.GameState) -> list[rules.Action]:
    """Every commit of every unit (of any nation) to every operation, every withdraw."""
    unit_ids = [u.id for n in state.nations for u in n.units] + ["ghost-unit"]
    operation_ids = [o.id for o in state.operations] + ["ghost-op"]
    return [CommitUnit(u, o) for u in unit_ids for o in operation_ids] + [
        WithdrawUnit(u) for u in unit_ids
    ]


def _accepted(state: rules.GameState, actor: str, candidates: list[rules.Action]) -> set:
    return {a for a in candidates if isinstance(apply(state, actor, a), Accepted)}


def _sample_states(game: rules.GameState) -> list[rules.GameState]:
    one = play(game, ("aurora", CommitUnit("aur-guards", "hammerfall")))
    busy = play(
        one,
        ("aurora", CommitUnit("aur-frigates", "hammerfall")),
        ("aurora", CommitUnit("aur-jets", "wellspring")),
        ("borealis", CommitUnit("bor-corvettes", "hammerfall")),
        ("borealis", CommitUnit("bor-medics", "wellspring")),  # 12/20: rifles (6) still fit
        ("caldera", CommitUnit("cal-hospital", "wellspring")),
        ("caldera", CommitUnit("cal-sappers", "wellspring")),  # 8/10: hackers (3) do not
        ("caldera", SetReady(True)),
    )
    ended, _ = rules.resolve_turn(replace(busy, turn=busy.turns), busy.deadline)
    return [game, one, busy, replace(busy, phase=Phase.REVIEW), ended]


def test_legal_orders_are_exactly_the_orders_apply_accepts(game) -> None:
    for state in _sample_states(game):
        candidates = _order_candidates(state)
        for actor in ["aurora", "borealis", "caldera", "atlantis"]:
            legal = legal_actions(state, actor)
            legal_orders = {a for a in legal if isinstance(a, CommitUnit | WithdrawUnit)}
            assert legal_orders == _accepted(state, actor, candidates), (actor, state.commitments)
            assert len(legal) == len(set(legal))  # no duplicates


def test_every_legal_action_is_accepted(game, meridian) -> None:
    for state in [*_sample_states(game), meridian]:
        for nation in state.nations:
            for action in legal_actions(state, nation.id):
                ok(apply(state, nation.id, action))


def test_legal_actions_of_the_busy_state_reflect_each_check(game) -> None:
    busy = _sample_states(game)[2]
    caldera = set(legal_actions(busy, "caldera"))
    assert CommitUnit("cal-hackers", "wellspring") not in caldera  # over budget
    assert CommitUnit("cal-hackers", "hammerfall") not in caldera  # caveat
    assert WithdrawUnit("cal-hospital") in caldera
    assert WithdrawUnit("cal-hackers") not in caldera  # not committed
    borealis = set(legal_actions(busy, "borealis"))
    assert CommitUnit("bor-rifles", "hammerfall") in borealis
    assert CommitUnit("bor-medics", "hammerfall") not in borealis  # already committed


def test_legal_actions_equal_everything_apply_accepts_including_ready(game) -> None:
    for state in _sample_states(game):
        candidates = [*_order_candidates(state), SetReady(True), SetReady(False)]
        for actor in ["aurora", "borealis", "caldera"]:
            orders = {
                a
                for a in legal_actions(state, actor)
                if isinstance(a, CommitUnit | WithdrawUnit | SetReady)
            }
            assert orders == _accepted(state, actor, candidates)


def test_random_play_keeps_legal_actions_and_apply_in_agreement(meridian) -> None:
    rng = random.Random(20240601)
    state = meridian
    candidates = _order_candidates(state)
    nation_ids = [n.id for n in state.nations]
    for _step in range(40):
        actor = rng.choice(nation_ids)
        legal = legal_actions(state, actor)
        legal_orders = {a for a in legal if isinstance(a, CommitUnit | WithdrawUnit)}
        assert legal_orders == _accepted(state, actor, candidates)
        state = ok(apply(state, actor, rng.choice(legal))).state
        for nation in state.nations:  # the invariant the checks protect
            assert state.committed_cost(nation) <= nation.budget
            if "no-combat" in nation.caveats:
                assert all(
                    state.operation(c.operation_id).power == "soft"
                    for c in state.commitments_of(nation.id)
                )
        assert len({c.unit_id for c in state.commitments}) == len(state.commitments)
