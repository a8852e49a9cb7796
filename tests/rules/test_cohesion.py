"""Each member's grievance against its coalition: a member with its own reasons walks out
of a coalition whose cohesion is fine, with its reasons on record, and is not taken back;
its partners pay for it at home; a lead that walks out collapses the coalition. A member
using hard power alone outside the coalition's plan loses its partners' trust; members
fighting such an operation together do not."""

from __future__ import annotations

from dataclasses import replace

from app import rules
from app.rules import Accepted, CommitUnit, apply, resolve_turn
from app.rules.ledger import Ledger
from app.rules.outcomes import Event
from app.rules.resolution.cohesion import grievances, update_cohesion
from app.rules.resolution.tuning import (
    COLLAPSE_SUPPORT,
    DEFECTION_SUPPORT,
    GRIEVANCE_COMMAND,
    GRIEVANCE_LIMIT,
)
from app.rules.state import Coalition, CommandStructure, Relation
from app.rules.wording import words
from app.rules.wording.changes import ChangeReason

MEMBERS = ("aurora", "borealis", "caldera")


def _with_coalition(
    game: rules.GameState,
    command: CommandStructure = "parallel",
    estranged: str = "caldera",
    turn: int = 3,
) -> rules.GameState:
    """A cohesive coalition of the three nations, in which `estranged` distrusts its
    partners and shares few of their interests."""
    relations = tuple(
        Relation(a, b, trust=30, alignment=30)
        if estranged in (a, b)
        else Relation(a, b, trust=80, alignment=80)
        for a in MEMBERS
        for b in MEMBERS
        if a != b
    )
    coalition = Coalition("c1", "The Coalition", "aurora", MEMBERS, command, "none", 70)
    return replace(game, turn=turn, relations=relations, coalitions=(coalition,))


def _resolve(state: rules.GameState) -> tuple[rules.GameState, Ledger, list[Event]]:
    ledger, events = Ledger(), []
    state = update_cohesion(state, (), {"c1": 1.0}, ledger, events)
    return state, ledger, events


def test_an_estranged_member_defects_from_a_cohesive_coalition(game) -> None:
    state = _with_coalition(game, estranged="borealis")
    factors = grievances(state, state.coalitions[0], {})["borealis"]
    assert set(factors) >= {"distrust", "divergence", "command"}
    assert sum(factors.values()) >= GRIEVANCE_LIMIT

    after, ledger, events = _resolve(state)

    coalition = after.coalition("c1")
    assert coalition is not None and coalition.active and coalition.cohesion > 35
    assert coalition.members == ("aurora", "caldera")
    assert coalition.defectors == ("borealis",)
    defection = next(c for c in ledger.changes if c.reason.code == ChangeReason.DEFECTION)
    assert defection.reason.params["defector"] == "borealis"
    said = words(defection.reason, after)
    assert "Borealis defects" in said and "divergent interests" in said, said
    # Its partners look weaker at home; it does not.
    for nation in ("aurora", "caldera"):
        before = state.nation(nation).domestic_support  # type: ignore[union-attr]
        assert after.nation(nation).domestic_support == before + DEFECTION_SUPPORT  # type: ignore[union-attr]
    assert any(e.kind == rules.EventKind.COALITION_LEFT for e in events)
    # It brings its combat forces home.
    assert "no-combat" not in state.nation("borealis").caveats  # type: ignore[union-attr]
    assert "no-combat" in after.nation("borealis").caveats  # type: ignore[union-attr]
    assert any(c.subject == "caveat:borealis" for c in ledger.changes)


def test_a_defector_is_not_taken_back(game) -> None:
    after, _ledger, _events = _resolve(_with_coalition(game))
    invite = rules.Propose("coalition_membership", ("aurora", "caldera"), {"coalition_id": "c1"})
    assert after.coalition("c1").defectors == ("caldera",)  # type: ignore[union-attr]
    assert isinstance(rules.apply(after, "aurora", invite), rules.Rejection)


def test_integrated_command_and_patience_keep_the_same_member(game) -> None:
    # Under integrated command the divided-command factor is gone: under the limit.
    state = _with_coalition(game, command="integrated")
    factors = grievances(state, state.coalitions[0], {})["caldera"]
    assert "command" not in factors and GRIEVANCE_COMMAND["parallel"] > 0
    assert sum(factors.values()) < GRIEVANCE_LIMIT
    assert _resolve(state)[0].coalition("c1").members == MEMBERS  # type: ignore[union-attr]
    # A coalition in its first turns is given time before it is judged.
    young = _with_coalition(game, turn=2)
    assert _resolve(young)[0].coalition("c1").members == MEMBERS  # type: ignore[union-attr]


def test_a_lead_that_walks_out_collapses_the_coalition(game) -> None:
    state = _with_coalition(game, estranged="aurora")
    after, ledger, _events = _resolve(state)
    coalition = after.coalition("c1")
    assert coalition is not None and not coalition.active
    collapse = next(c for c in ledger.changes if c.reason.code == ChangeReason.COALITION_COLLAPSES)
    assert collapse.reason.params["lead"] == "aurora"
    assert "its lead, Aurora, walks out" in words(collapse.reason, after)
    for nation in MEMBERS:
        before = state.nation(nation).domestic_support  # type: ignore[union-attr]
        assert after.nation(nation).domestic_support == before + COLLAPSE_SUPPORT  # type: ignore[union-attr]


def _unilateral_trust(state: rules.GameState, units: dict[str, str]) -> dict[str, int]:
    """Each `truster>trusted` trust change for unilateral hard power once `units` (nation
    -> unit) fight Hammerfall, which the coalition has not adopted (its plan: Wellspring)."""
    coalition = state.coalition("c1")
    assert coalition is not None
    state = state.replace_coalition(replace(coalition, operations=("wellspring",)))
    for nation_id, unit_id in units.items():
        result = apply(state, nation_id, CommitUnit(unit_id, "hammerfall"))
        assert isinstance(result, Accepted), result
        state = result.state
    resolved, _ = resolve_turn(state, 0)
    return {
        c.subject.removeprefix("trust:"): int(c.delta)
        for c in resolved.records[-1].changes
        if c.reason.code == ChangeReason.UNILATERAL_HARD_POWER
    }


def test_a_member_fighting_alone_outside_the_plan_loses_its_partners_trust(game) -> None:
    state = replace(_with_coalition(game), turn=1)
    alone = _unilateral_trust(state, {"aurora": "aur-jets"})
    assert alone == {"borealis>aurora": -3, "caldera>aurora": -3}
    # The same operation fought by two members together is the coalition's own action,
    # held up only by the plan: nobody holds it against them (gulf-1990, parallel command,
    # everyone cooperative lost 0.2 members a game to it before).
    together = _unilateral_trust(state, {"aurora": "aur-jets", "borealis": "bor-corvettes"})
    assert together == {}
