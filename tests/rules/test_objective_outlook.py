"""The objective checklist on a nation's page judges its orders as they stand: the budget it
will have after its committed forces are paid, and hard power it has ordered; the score
stays what the resolved turns earned."""

from __future__ import annotations

from dataclasses import replace

from app import rules
from app.rules import scoring
from app.rules.state import Objective


def with_objectives(game: rules.GameState, *objectives: Objective) -> rules.GameState:
    aurora = game.nation("aurora")
    assert aurora is not None
    return game.replace_nation(replace(aurora, objectives=objectives))


def committed(game: rules.GameState, unit_id: str, operation_id: str) -> rules.GameState:
    result = rules.apply(game, "aurora", rules.CommitUnit(unit_id, operation_id))
    assert not isinstance(result, rules.Rejection), result
    return result.state


def test_a_budget_objective_counts_the_forces_committed_this_turn(game) -> None:
    keep = Objective("keep", "Keep 45 in the bank.", "budget_at_least", value=45)
    state = committed(with_objectives(game, keep), "aur-frigates", "hammerfall")  # cost 10
    now = scoring.judge(state, keep, "aurora", with_orders=True)
    resolved = scoring.judge(state, keep, "aurora")
    assert (now.met, resolved.met) == (False, True)
    mine = rules.view(state, rules.Viewer.of_nation("aurora"))["me"]
    assert mine["budget_left"] == 40
    assert mine["objectives"][0]["met"] is False
    assert "budget 40 left (need 45)" in mine["objectives"][0]["detail"]
    assert mine["score"] == 10  # the resolved state still meets it


def test_hard_power_ordered_is_no_longer_no_hard_power(game) -> None:
    dove = Objective("dove", "Use no hard power.", "no_hard_power")
    state = with_objectives(game, dove)
    assert scoring.judge(state, dove, "aurora", with_orders=True).met
    soft = committed(state, "aur-lift", "wellspring")
    assert scoring.judge(soft, dove, "aurora", with_orders=True).met
    hard = committed(state, "aur-frigates", "hammerfall")
    judged = rules.view(hard, rules.Viewer.of_nation("aurora"))["me"]["objectives"][0]
    assert judged["met"] is False
    assert "hard power in this turn's orders" in judged["detail"]


def test_score_and_checklist_is_both_judgements_in_one(game) -> None:
    """The page's score and checklist judged together read as the two judgements do, for
    every kind (those the orders change judged twice): with orders standing and without."""
    keep = Objective("keep", "Keep 45 in the bank.", "budget_at_least", value=45, points=7)
    dove = Objective("dove", "Use no hard power.", "no_hard_power", points=5)
    lead = Objective("lead", "Lead a coalition.", "lead_coalition", points=3)
    base = with_objectives(game, keep, dove, lead)
    hard = committed(base, "aur-frigates", "hammerfall")
    for state in (base, committed(base, "aur-lift", "wellspring"), hard):
        for nation in state.nations:
            together = scoring.score_and_checklist(state, nation.id)
            assert together[0] == scoring.nation_score(state, nation.id)[0]
            assert together[1] == scoring.nation_score(state, nation.id, with_orders=True)[1]
    score, judged = scoring.score_and_checklist(hard, "aurora")
    assert score == 12 and [j.met for j in judged] == [False, False, False]
    assert scoring.score_and_checklist(hard, "nowhere") == (0, [])
