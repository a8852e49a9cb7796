"""Bots: legal play, determinism, and each personality behaving as described."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from app.bots import PERSONALITIES, Bot, Hand, StrategyPlan, make_bot
from app.bots.intents import REGION_AIM, Intents
from app.bots.simulate import (
    NationPlan,
    PlayStats,
    UnknownStrategy,
    opening_state,
    play_game,
    strategy_for,
)
from app.rules.action_types import RequestMandate
from app.rules.actions import (
    Accepted,
    CommitUnit,
    LeaveCoalition,
    Propose,
    RedCard,
    RejectProposal,
    Sign,
    TransferAuthority,
    apply,
)
from app.rules.reaction import MandateTerms
from app.rules.resolution import resolve_turn
from app.rules.state import (
    Actor,
    Coalition,
    GameState,
    Phase,
    Relation,
    Relations,
    state_to_dict,
)
from tests.bots.conftest import SCENARIO_FILES, load_or_skip
from tests.bots.helpers import Recording

SEEDS = (1, 2, 3, 4)


def play(
    state: GameState, plan: StrategyPlan, seed: int, *, verify: bool = False
) -> tuple[GameState, PlayStats]:
    stats = PlayStats()
    final = play_game(state, plan.bots(state), seed, stats=stats, verify=verify)
    return final, stats


def assert_clean(stats: PlayStats) -> None:
    assert stats.actions > 0
    assert (stats.rejections, stats.refusals, stats.illegal) == (0, 0, 0), stats.problems


def mixed(**personalities: str) -> StrategyPlan:
    return StrategyPlan(
        id="test", name="test", nations={k: NationPlan(v) for k, v in personalities.items()}
    )


def contributions(state: GameState, nation_id: str) -> list[tuple[str, str]]:
    """(operation id, power) of every operation-turn the nation put forces into."""
    found = []
    for outcome in state.outcomes:
        operation = state.operation(outcome.operation_id)
        assert operation is not None
        if any(c.nation_id == nation_id for c in outcome.contributions):
            found.append((operation.id, operation.power))
    return found


# --- legality --------------------------------------------------------------------------


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_bots_only_take_legal_actions_in_every_shipped_scenario(path: Path) -> None:
    scenario = load_or_skip(path)
    state = opening_state(scenario, seed=0)
    # The scenario's default strategy, then one personality for everyone (rotating, so
    # that across the files every personality plays).
    personality = sorted(PERSONALITIES)[SCENARIO_FILES.index(path) % len(PERSONALITIES)]
    for name in (None, personality):
        final, stats = play(state, strategy_for(scenario, name, state), 11, verify=True)
        assert final.phase is Phase.ENDED
        assert_clean(stats)


@pytest.mark.parametrize("personality", sorted(PERSONALITIES))
def test_every_personality_plays_meridian_legally(
    meridian_state: GameState, personality: str
) -> None:
    for seed in (1, 2):
        _, stats = play(meridian_state, StrategyPlan.everyone(personality), seed, verify=True)
        assert stats.rejections == stats.refusals == stats.illegal == 0, stats.problems


def test_a_mix_of_personalities_plays_legally(meridian_state: GameState) -> None:
    plan = mixed(arvenia="hawk", cardosa="spoiler", lindmark="free_rider")
    for seed in SEEDS:
        _, stats = play(meridian_state, plan, seed, verify=True)
        assert_clean(stats)


def test_bots_do_nothing_outside_the_orders_phase(meridian_state: GameState) -> None:
    ended = replace(meridian_state, phase=Phase.ENDED)
    for name in PERSONALITIES:
        assert make_bot(name).decide(ended, "arvenia", random.Random(1)) == []
        assert make_bot(name).decide(meridian_state, "atlantis", random.Random(1)) == []


def test_every_personality_is_a_bot() -> None:
    for name in PERSONALITIES:
        assert isinstance(make_bot(name), Bot)
    with pytest.raises(KeyError):
        make_bot("pacifist")
    with pytest.raises(UnknownStrategy):
        StrategyPlan.everyone("pacifist")


# --- determinism -----------------------------------------------------------------------


def test_the_same_seed_replays_the_same_game(meridian_state: GameState) -> None:
    plan = mixed(cardosa="free_rider")
    first, _ = play(meridian_state, plan, 7)
    again, _ = play(meridian_state, plan, 7)
    other, _ = play(meridian_state, plan, 8)
    assert state_to_dict(first) == state_to_dict(again)
    assert state_to_dict(first) != state_to_dict(other)
    assert first.seed == 7 and other.seed == 8


def test_the_fast_path_plays_the_game_the_verified_path_plays(meridian_state: GameState) -> None:
    plan = mixed(arvenia="hawk", cardosa="spoiler")
    fast, _ = play(meridian_state, plan, 5)
    checked, stats = play(meridian_state, plan, 5, verify=True)
    assert state_to_dict(fast) == state_to_dict(checked)
    assert stats.illegal == 0


def test_play_game_hands_every_seat_to_a_bot(meridian_state: GameState) -> None:
    final, _ = play(meridian_state, StrategyPlan.everyone("cooperative"), 1)
    assert {n.controller for n in final.nations} == {"bot"}
    assert len(final.records) == meridian_state.turns


# --- negotiation ---------------------------------------------------------------------


def test_cooperative_partners_form_a_coalition_within_the_first_turn(
    meridian_state: GameState,
) -> None:
    one_turn = replace(meridian_state, turns=1)
    final, stats = play(one_turn, StrategyPlan.everyone("cooperative"), 1)
    assert_clean(stats)
    [coalition] = [c for c in final.coalitions if c.active]
    # Arvenia, the largest, founds it; both partners it trusts join in the same turn.
    assert coalition.lead == "arvenia"
    assert set(coalition.members) == {"arvenia", "cardosa", "lindmark"}
    assert coalition.formed_turn == 1
    assert coalition.command == "integrated"
    # Pledges were made, signed by the lead and checked in the same turn.
    assert final.pledges and all(p.status == "honoured" for p in final.pledges)


def _with_coalition(state: GameState, **changes: Any) -> GameState:
    coalition = Coalition(
        id="entente",
        name="Entente",
        lead="arvenia",
        members=("arvenia", "cardosa", "lindmark"),
        command="lead_nation",
        mandate="none",
        cohesion=60,
        operations=("open-lane", "saltmarsh-relief", "northern-watch"),
    )
    return replace(state, coalitions=(replace(coalition, **changes),))


def test_a_cooperative_lead_proposes_its_preferred_command(meridian_state: GameState) -> None:
    state = _with_coalition(meridian_state)
    for command in ("integrated", "parallel"):
        preferred = None if command == "integrated" else command
        bot = make_bot("cooperative", command=preferred)  # type: ignore[arg-type]
        actions = bot.decide(state, "arvenia", random.Random(1))
        arrangements = [
            a for a in actions if isinstance(a, Propose) and a.agreement == "command_arrangement"
        ]
        assert [a.terms["command"] for a in arrangements] == [command]


def test_a_bot_ranks_first_the_operations_its_intents_aim_at(meridian_state: GameState) -> None:
    # Its own and the collective objectives name both the lane and the relief: mixing its
    # powers, the cooperative starts with the (hard) lane; caring only for its own aims and
    # the Saltmarsh region, it starts with the relief and leaves the lane out of its aims.
    hand = Hand(meridian_state, "cardosa")
    own = Intents(regions=("saltmarsh",), collective=False)
    assert make_bot("cooperative").ranked_operations(hand)[0].id == "open-lane"
    assert make_bot("cooperative", own).ranked_operations(hand)[0].id == "saltmarsh-relief"
    assert make_bot("cooperative", own).aims(hand) == {"saltmarsh-relief": 10 + REGION_AIM}


@pytest.mark.parametrize(
    "intents",
    [Intents(no_regions=("saltmarsh",)), Intents(no_powers=("soft",))],
    ids=["region", "power"],
)
def test_red_lines_keep_a_bot_off_the_operations_they_forbid(
    meridian_state: GameState, intents: Intents
) -> None:
    plain = make_bot("cooperative").decide(meridian_state, "lindmark", random.Random(1))
    bound = make_bot("cooperative", intents).decide(meridian_state, "lindmark", random.Random(1))
    assert any(isinstance(a, CommitUnit) and a.operation_id == "saltmarsh-relief" for a in plain)
    assert not any(
        isinstance(a, CommitUnit) and a.operation_id == "saltmarsh-relief" for a in bound
    )


def test_no_combat_by_keeps_those_units_out_of_hard_power(meridian_state: GameState) -> None:
    plain = make_bot("hawk").decide(meridian_state, "cardosa", random.Random(1))
    bound = make_bot("hawk", Intents(no_combat_by=("land",))).decide(
        meridian_state, "cardosa", random.Random(1)
    )
    assert CommitUnit("car-2-infantry", "open-lane") in plain
    assert not any(isinstance(a, CommitUnit) and a.unit_id == "car-2-infantry" for a in bound)
    assert CommitUnit("car-coastal-flotilla", "open-lane") in bound  # the rest still fights


def test_cooperatives_honour_every_pledge_and_commit_what_is_asked(
    meridian_state: GameState,
) -> None:
    plan = StrategyPlan.everyone("cooperative")
    pledged = 0
    for seed in SEEDS:
        final, _ = play(meridian_state, plan, seed)
        pledged += len(final.pledges)
        assert all(p.status == "honoured" for p in final.pledges)
        for outcome in final.outcomes:
            operation = final.operation(outcome.operation_id)
            assert operation is not None
            wanted = {cap for cap, _ in operation.requirements} | {"lift"}
            for contribution in outcome.contributions:
                for unit_id in contribution.unit_ids:
                    unit = final.unit(unit_id)
                    assert unit is not None and unit.capability in wanted, (unit, operation.id)
    assert pledged > 0


def test_a_cooperative_mixes_hard_and_soft_power(meridian_state: GameState) -> None:
    hand = Hand(meridian_state, "arvenia")
    ranked = [op.power for op in make_bot("cooperative").ranked_operations(hand)]
    assert ranked == ["hard", "soft", "hard"]  # alternating, where a hawk would not
    assert [op.power for op in make_bot("hawk").ranked_operations(hand)] == ["hard", "hard"]
    final, _ = play(meridian_state, StrategyPlan.everyone("cooperative"), 1)
    powers = {power for n in final.nations for _, power in contributions(final, n.id)}
    assert powers == {"hard", "soft"}


# --- personalities ---------------------------------------------------------------------


def test_a_hawk_never_commits_to_soft_power_and_a_dove_never_to_hard(
    meridian_state: GameState,
) -> None:
    plans = [
        StrategyPlan.everyone("hawk"),
        StrategyPlan.everyone("dove"),
        mixed(arvenia="hawk", cardosa="dove", lindmark="dove"),
        mixed(arvenia="dove", cardosa="hawk"),
    ]
    seen = {"hawk": 0, "dove": 0}
    for plan in plans:
        for seed in (1, 2):
            final, _ = play(meridian_state, plan, seed)
            for nation in final.nations:
                personality = plan.plan_for(nation.id).personality
                if personality not in seen:
                    continue
                used = {power for _, power in contributions(final, nation.id)}
                assert used <= {"hard" if personality == "hawk" else "soft"}, (nation.id, plan)
                seen[personality] += bool(used)
    assert seen["hawk"] and seen["dove"]


def test_a_hawk_spends_more_than_a_cooperative(meridian_state: GameState) -> None:
    # Per turn in which it commits forces: a hawk that wins early has nothing left to
    # pay for in the last turn, so the game's total would measure its luck, not its
    # appetite.
    def spent(plan: StrategyPlan) -> float:
        turns = []
        for seed in SEEDS:
            final, _ = play(meridian_state, plan, seed)
            turns += [r.burden["arvenia"] for r in final.records if r.burden.get("arvenia")]
        return sum(turns) / len(turns)

    assert spent(mixed(arvenia="hawk")) > spent(mixed(arvenia="cooperative"))


def test_a_free_rider_breaks_the_pledges_it_signs_more_often(meridian_state: GameState) -> None:
    plan = mixed(cardosa="free_rider")
    tally = {"cardosa": [0, 0], "lindmark": [0, 0]}  # [honoured, broken]
    for seed in SEEDS:
        final, stats = play(meridian_state, plan, seed)
        assert_clean(stats)
        for pledge in final.pledges:
            if pledge.nation in tally and pledge.status != "due":
                tally[pledge.nation][pledge.status == "broken"] += 1
    rider_honoured, rider_broken = tally["cardosa"]
    partner_honoured, partner_broken = tally["lindmark"]
    assert rider_broken > 0
    assert rider_broken / (rider_honoured + rider_broken) > partner_broken / max(
        1, partner_honoured + partner_broken
    )


def test_a_free_rider_carries_less_and_never_pays_for_others(meridian_state: GameState) -> None:
    def burden(plan: StrategyPlan) -> tuple[int, list[GameState]]:
        finals = [play(meridian_state, plan, seed)[0] for seed in SEEDS]
        return sum(r.burden.get("cardosa", 0) for f in finals for r in f.records), finals

    riding, finals = burden(mixed(cardosa="free_rider"))
    working, _ = burden(mixed(cardosa="cooperative"))
    assert riding < working
    for final in finals:
        paying = [a for a in final.signed("cost_sharing") if a.terms["payer"] == "cardosa"]
        assert paying == []
        assert all(a.terms["from"] != "cardosa" for a in final.signed("aid"))
    # It asks its lead to pay half its costs instead. (Lindmark, a cooperative partner
    # whose caveats forbid combat, offers to pay its own share: not the rider's deals.)
    asked = [
        a
        for f in finals
        for a in f.agreements
        if a.kind == "cost_sharing" and "cardosa" in a.parties
    ]
    assert asked and all(a.proposer == "cardosa" and a.terms["payer"] == "arvenia" for a in asked)


def test_a_spoiler_joins_then_obstructs(meridian_state: GameState) -> None:
    spoiler = Recording(make_bot("spoiler"))
    for seed in SEEDS:
        bots = StrategyPlan.everyone("cooperative").bots(meridian_state)
        spoiler.bot = make_bot("spoiler")
        bots["cardosa"] = spoiler  # type: ignore[assignment]
        stats = PlayStats()
        final = play_game(meridian_state, bots, seed, stats=stats)
        assert_clean(stats)
        # Inside the coalition, signing nothing but its membership.
        assert any("cardosa" in c.members for c in final.coalitions)
        for agreement in final.agreements:
            if "cardosa" in agreement.signatures and agreement.proposer != "cardosa":
                assert agreement.kind == "coalition_membership", agreement
    # It turns proposals down, places a unit under coalition command, then refuses its
    # tasking (a red card).
    assert spoiler.actions(RejectProposal)
    assert spoiler.actions(TransferAuthority)
    assert spoiler.actions(RedCard)


def test_a_spoiler_walks_out_of_a_coalition_whose_cohesion_is_low(
    meridian_state: GameState,
) -> None:
    low = _with_coalition(meridian_state, cohesion=meridian_state.defection_threshold + 5)
    high = _with_coalition(meridian_state, cohesion=80)
    leave = LeaveCoalition("entente")
    assert leave in make_bot("spoiler").decide(low, "cardosa", random.Random(1))
    assert leave not in make_bot("spoiler").decide(high, "cardosa", random.Random(1))
    assert leave not in make_bot("cooperative").decide(low, "cardosa", random.Random(1))


def test_without_a_coalition_builder_no_coalition_forms(meridian_state: GameState) -> None:
    for name in ("free_rider", "spoiler"):
        final, _ = play(meridian_state, StrategyPlan.everyone(name), 1)
        assert final.coalitions == ()


def test_a_resolved_turn_is_followed_by_fresh_orders(meridian_state: GameState) -> None:
    """Bots pick up a game in progress (a seat taken over mid-game)."""
    state, _ = resolve_turn(meridian_state, 0.0)
    actions = make_bot("cooperative").decide(state, "arvenia", random.Random(3))
    assert any(isinstance(a, CommitUnit) for a in actions)


def test_a_seat_without_a_bot_keeps_its_orders(meridian_state: GameState) -> None:
    """The staff estimate's case: bots play the others around one nation's fixed orders."""
    orders = CommitUnit("lin-field-hospital", "saltmarsh-relief")
    state = apply_ok(meridian_state, "lindmark", orders)
    bots = StrategyPlan.everyone("cooperative").bots(state)
    del bots["lindmark"]
    final = play_game(replace(state, turns=1), bots, 2)
    assert final.nation("lindmark").controller == "vacant"  # type: ignore[union-attr]
    [relief] = [o for o in final.outcomes if o.operation_id == "saltmarsh-relief"]
    lindmark = [c for c in relief.contributions if c.nation_id == "lindmark"]
    assert [c.unit_ids for c in lindmark] == [("lin-field-hospital",)]


def apply_ok(state: GameState, actor: str, action: CommitUnit) -> GameState:
    result = apply(state, actor, action)
    assert isinstance(result, Accepted), result
    return result.state


# --- legitimacy: basing and mandates ------------------------------------------------------


def _trusting(state: GameState, nation: str, other: str, trust: int, cooperation: int) -> GameState:
    """`nation`'s trust in `other` and their history of cooperation; the rest as it was."""
    kept = [r for r in state.relations if (r.nation, r.other) != (nation, other)]
    alignment = next((r.alignment for r in state.relations if r.nation == nation), 50)
    made = Relation(nation, other, trust, alignment, cooperation)
    return replace(state, relations=Relations([*kept, made]))


def _hosted(state: GameState, region_id: str, host: str) -> GameState:
    regions = tuple(replace(r, host=host) if r.id == region_id else r for r in state.regions)
    return replace(state, regions=regions)


def test_a_member_asks_the_host_for_basing_where_its_coalition_operates(
    meridian_state: GameState,
) -> None:
    lane = meridian_state.operation("open-lane")
    assert lane is not None
    # Cardosa hosts the lane's waters: Arvenia asks it for basing there, and nowhere else.
    state = _hosted(_with_coalition(meridian_state), lane.region, "cardosa")
    asked = [
        a
        for a in make_bot("cooperative").decide(state, "arvenia", random.Random(1))
        if isinstance(a, Propose) and a.agreement == "basing"
    ]
    assert [(a.parties, dict(a.terms)) for a in asked] == [
        (("arvenia", "cardosa"), {"host": "cardosa", "region": lane.region})
    ]
    # No operation of the coalition in a hosted region: nothing to ask.
    elsewhere = _with_coalition(meridian_state, operations=("saltmarsh-relief",))
    unhosted = _hosted(elsewhere, lane.region, "cardosa")
    assert not any(
        isinstance(a, Propose) and a.agreement == "basing"
        for a in make_bot("cooperative").decide(unhosted, "arvenia", random.Random(1))
    )
    # The host grants it by trust, a history of cooperation counting (Hand.confidence):
    # the same trust (above the rules' floor, under its own threshold) is refused
    # without that history and granted with it; under the rules' floor, always refused.
    proposed = apply(state, "arvenia", asked[0])
    assert isinstance(proposed, Accepted)
    for trust, cooperation, grants in ((40, 0, False), (40, 100, True), (30, 100, False)):
        hosting = _trusting(proposed.state, "cardosa", "arvenia", trust, cooperation)
        answers = [
            type(a).__name__
            for a in make_bot("cooperative").decide(hosting, "cardosa", random.Random(1))
            if isinstance(a, Sign | RejectProposal)
            and (deal := hosting.agreement(a.agreement_id)) is not None
            and deal.kind == "basing"
        ]
        assert answers == (["Sign"] if grants else ["RejectProposal"]), (trust, cooperation)


def test_a_lead_with_a_regional_mandate_asks_the_un_when_its_operations_need_it(
    meridian_state: GameState,
) -> None:
    council = Actor("council", "Security Council", "un", attitude=80, mandate=MandateTerms())
    state = replace(meridian_state, actors=(*meridian_state.actors, council))

    def asked(coalition_state: GameState) -> list[str]:
        actions = make_bot("cooperative").decide(coalition_state, "arvenia", random.Random(1))
        return sorted(a.actor_id for a in actions if isinstance(a, RequestMandate))

    # Without a mandate it asks every council; with the regional one, only the UN, for
    # its offensive operations; with soft power only, the regional mandate is enough.
    assert asked(_with_coalition(state)) == ["council", "regional-summit"]
    assert asked(_with_coalition(state, mandate="regional")) == ["council"]
    soft = _with_coalition(state, mandate="regional", operations=("saltmarsh-relief",))
    assert asked(soft) == []
    assert asked(_with_coalition(state, mandate="un")) == []
