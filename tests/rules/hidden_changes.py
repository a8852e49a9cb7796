"""Games that differ only in what one nation may not see (for the belief and estimate
tests)."""

from __future__ import annotations

from dataclasses import replace

from app.rules import actions as acts
from app.rules.state import GameState, Objective, RedCell

ME = "arvenia"


def others(state: GameState) -> list[str]:
    return [n.id for n in state.nations if n.id != ME]


def apply_ok(state: GameState, actor: str, action: acts.Action) -> GameState:
    result = acts.apply(state, actor, action)
    assert not isinstance(result, acts.Rejection), result
    return result.state


def commit_first_open(state: GameState, nation_id: str) -> GameState:
    nation = state.nation(nation_id)
    assert nation is not None
    for unit in nation.units:
        for operation in state.operations:
            result = acts.apply(state, nation_id, acts.CommitUnit(unit.id, operation.id))
            if not isinstance(result, acts.Rejection):
                return result.state
    raise AssertionError(f"{nation_id} could commit nothing")


def hidden_changes(state: GameState) -> dict[str, GameState]:
    """The same game with one thing `ME` may not see changed."""
    a, b = others(state)[:2]
    other = state.nation(a)
    assert other is not None
    secret = Objective("plot", "A secret plan", "escalation_at_most", value=2, secret=True)
    talks = apply_ok(state, a, acts.OpenChannel((a, b), "Back room"))
    channel = talks.channels[-1].id
    return {
        "another's orders": commit_first_open(state, a),
        "another's budget": state.replace_nation(replace(other, budget=other.budget + 77)),
        "another's caveats": state.replace_nation(replace(other, caveats=("no-combat",))),
        "another's secret objective": state.replace_nation(
            replace(other, objectives=(*other.objectives, secret), secret_objective="plot")
        ),
        "another's profile": state.replace_nation(replace(other, profile="spoiler")),
        "a private channel": talks,
        "private messages": apply_ok(talks, a, acts.SendMessage(channel, "Let us leave them")),
        "a private proposal": apply_ok(state, a, acts.Propose("intel_sharing", (a, b), {})),
        "trust between others": replace(
            state,
            relations=state.relation_table.with_trust({(a, b): 3, (b, a): 97}),
        ),
        "the game's seed": replace(state, seed=state.seed + 1),
        "the red cell's move": replace(state, red_cell=RedCell("human", move="escalate")),
        "the others' readiness": apply_ok(state, a, acts.SetReady(True)),
        "control's hold": replace(state, hold=not state.hold),
    }
