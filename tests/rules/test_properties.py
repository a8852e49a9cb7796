"""Property tests of the rules module (hypothesis): replay, legality, conservation, fog.

Each example plays a random but legal game of a scenario — orders, proposals and answers
drawn from `legal_actions`, plus free-text messages — through every turn, so the
properties hold over states the hand-written tests never thought of.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from app import rules
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
# Whole games are large examples: shrinking one takes minutes, so failures are reported
# as found (with their seed) instead of minimised.
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Step = tuple[str, Any]  # (actor, action) or ("resolve", None)


@pytest.fixture(scope="module")
def openings() -> list[rules.GameState]:
    states = []
    for name in ("meridian-strait.yaml", "northern-reach.yaml"):
        path = SCENARIOS / name
        if path.exists():
            states.append(opening_state(load_scenario(path), seed=7, now=0.0)[0])
    return states


def _message(state: rules.GameState, actor: str, marker: int) -> rules.SendMessage | None:
    channels = [c for c in state.channels if actor in c.members]
    if not channels:
        return None
    channel = channels[marker % len(channels)]
    return rules.SendMessage(channel.id, f"private-note-{actor}-{channel.id}-{marker}")


def play(
    state: rules.GameState, data: st.DataObject, actions_per_turn: int
) -> tuple[rules.GameState, list[Step], list[tuple[rules.GameState, rules.Event]]]:
    """Play to the end with drawn legal actions; returns the log needed to replay it."""
    steps: list[Step] = []
    events: list[tuple[rules.GameState, rules.Event]] = []
    nation_ids = [n.id for n in state.nations]
    while state.phase is not rules.Phase.ENDED:
        for _ in range(actions_per_turn):
            actor = data.draw(st.sampled_from(nation_ids))
            if data.draw(st.integers(0, 5)) == 0:
                action: Any = _message(state, actor, data.draw(st.integers(0, 10_000)))
            else:
                legal = rules.legal_actions(state, actor)
                action = data.draw(st.sampled_from(legal)) if legal else None
            if action is None:
                continue
            result = rules.apply(state, actor, action)
            assert isinstance(result, rules.Accepted), (action, result)
            state = result.state
            steps.append((actor, action))
            events += [(state, e) for e in result.events]
        state, resolved = rules.resolve_turn(state, 0.0)
        steps.append(("resolve", None))
        events += [(state, e) for e in resolved]
    return state, steps, events


def replay(opening: rules.GameState, steps: list[Step]) -> rules.GameState:
    state = opening
    for actor, action in steps:
        if actor == "resolve":
            state, _ = rules.resolve_turn(state, 0.0)
        else:
            result = rules.apply(state, actor, action)
            assert isinstance(result, rules.Accepted)
            state = result.state
    return state


@SETTINGS
@given(data=st.data())
def test_replaying_the_seed_and_actions_gives_the_same_game(
    openings: list[rules.GameState], data: st.DataObject
) -> None:
    opening = data.draw(st.sampled_from(openings))
    final, steps, _ = play(opening, data, actions_per_turn=12)
    again = replay(opening, steps)
    assert rules.state_to_dict(again) == rules.state_to_dict(final)
    # ...and the state survives its JSON form unchanged (the store keeps it that way).
    assert rules.state_from_dict(json.loads(json.dumps(rules.state_to_dict(final)))) == final
    # The JSON an action writes, encoded in one pass, is that same document (ready sorted).
    for state in (opening, final):
        assert json.loads(rules.state_to_json(state)) == rules.state_to_dict(state)


@SETTINGS
@given(data=st.data())
def test_each_state_encodes_byte_for_byte_as_the_whole_document(
    openings: list[rules.GameState], data: st.DataObject
) -> None:
    """`state_to_json` encodes field by field, reusing the encoding of each value a state
    shares with the states before it: the same bytes as pydantic's dump of the whole."""
    opening = data.draw(st.sampled_from(openings))
    _, _, events = play(opening, data, actions_per_turn=12)
    whole = TypeAdapter(rules.GameState)
    for state in [opening, *(s for s, _ in events)]:
        assert rules.state_to_json(state) == whole.dump_json(state)


ids = st.sampled_from(
    [
        "",
        "x",
        "arvenia",
        "cardosa",
        "lindmark",
        "open-lane",
        "saltmarsh-relief",
        "ag-1",
        "ag-2",
        "co-3",
        "public",
        "arv-1-frigate-sqn",
        "lin-field-hospital",
        "car-2-infantry",
        "ch-9",
    ]
)
values = st.one_of(ids, st.integers(-5, 200), st.booleans(), st.none(), st.lists(ids, max_size=3))
raw_actions = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(
            [
                "commit",
                "withdraw",
                "ready",
                "propose",
                "sign",
                "reject",
                "counter",
                "withdraw_proposal",
                "message",
                "open_channel",
                "transfer",
                "reclaim",
                "red_card",
                "leave_coalition",
                "nonsense",
                5,
            ]
        )
    },
    optional={
        key: values
        for key in (
            "unit_id",
            "operation_id",
            "ready",
            "agreement_id",
            "channel_id",
            "text",
            "members",
            "parties",
            "coalition_id",
            "agreement",
        )
    }
    | {
        "terms": st.dictionaries(
            st.sampled_from(
                [
                    "nation",
                    "operation_id",
                    "strength",
                    "payer",
                    "share",
                    "coalition_id",
                    "command",
                    "from",
                    "to",
                    "amount",
                    "text",
                    "ngo",
                    "region",
                    "lead",
                ]
            ),
            st.one_of(ids, st.integers(-5, 200), st.sampled_from(["integrated", "parallel"])),
            max_size=4,
        )
    },
)


@SETTINGS
@given(data=st.data(), raw=st.lists(raw_actions, min_size=1, max_size=30))
def test_any_input_is_accepted_or_rejected_with_a_code_never_an_exception(
    openings: list[rules.GameState], data: st.DataObject, raw: list[dict[str, Any]]
) -> None:
    state = data.draw(st.sampled_from(openings))
    nation_ids = [n.id for n in state.nations] + ["nobody"]
    for body in raw:
        actor = data.draw(st.sampled_from(nation_ids))
        action = rules.parse_action(body)
        if isinstance(action, rules.Rejection):
            assert action.code and action.message
            continue
        legal = action in rules.legal_actions(state, actor)
        result = rules.apply(state, actor, action)
        if isinstance(result, rules.Rejection):
            assert result.code and result.message
            assert not legal, (action, result)
        else:
            state = result.state


@SETTINGS
@given(data=st.data())
def test_forces_and_money_are_conserved_except_where_a_rule_moves_them(
    openings: list[rules.GameState], data: st.DataObject
) -> None:
    # Injects may grant or take budget by design; without them only costs and the
    # treasury's allowance move money, and nothing creates or destroys a unit.
    state = replace(data.draw(st.sampled_from(openings)), events=())
    units = {u.id for n in state.nations for u in n.units}
    nation_ids = [n.id for n in state.nations]
    while state.phase is not rules.Phase.ENDED:
        for _ in range(10):
            actor = data.draw(st.sampled_from(nation_ids))
            legal = rules.legal_actions(state, actor)
            before = sum(n.budget for n in state.nations)
            state = rules.apply(state, actor, data.draw(st.sampled_from(legal))).state  # type: ignore[union-attr]
            assert sum(n.budget for n in state.nations) == before  # aid only moves money
            for nation in state.nations:
                assert state.committed_cost(nation) <= nation.budget
        before = sum(n.budget for n in state.nations)
        costs = sum(state.committed_cost(n) for n in state.nations)
        last = state.turn >= state.turns
        income = 0 if last else sum(n.income for n in state.nations)
        state, _ = rules.resolve_turn(state, 0.0)
        assert sum(n.budget for n in state.nations) == before - costs + income
        assert {u.id for n in state.nations for u in n.units} == units


def _secrets_of(final: rules.GameState, nation: rules.Nation) -> list[str]:
    secrets = [nation.secret_objective]
    secrets += [o.text for o in nation.objectives if o.secret]
    return [s for s in secrets if s]


# Fifteen whole games with every nation's view after every event: about a minute alone,
# more than the suite's 120 s default on a machine busy with other work.
@pytest.mark.timeout(600)
@SETTINGS
@given(data=st.data())
def test_no_view_of_a_nation_shows_another_nations_secrets_orders_or_private_messages(
    openings: list[rules.GameState], data: st.DataObject
) -> None:
    opening = data.draw(st.sampled_from(openings))
    nation_ids = [n.id for n in opening.nations]
    state = opening
    while state.phase is not rules.Phase.ENDED:
        for _ in range(14):
            actor = data.draw(st.sampled_from(nation_ids))
            if data.draw(st.integers(0, 3)) == 0:
                action: Any = _message(state, actor, data.draw(st.integers(0, 10_000)))
            else:
                action = data.draw(st.sampled_from(rules.legal_actions(state, actor)))
            if action is None:
                continue
            result = rules.apply(state, actor, action)
            assert isinstance(result, rules.Accepted)
            state = result.state
            for viewer_id in nation_ids:
                _assert_fog(state, viewer_id, result.events)
        before = state
        state, resolved = rules.resolve_turn(state, 0.0)
        for viewer_id in nation_ids:
            _assert_fog(before, viewer_id, ())  # orders still standing before resolution
            _assert_fog(state, viewer_id, resolved)


def _assert_fog(
    state: rules.GameState, viewer_id: str, events: tuple[rules.Event, ...] | list[rules.Event]
) -> None:
    viewer = rules.Viewer.of_nation(viewer_id)
    seen = json.dumps(rules.view(state, viewer))
    seen += json.dumps([rules.view_event(state, e, viewer) for e in events], default=str)
    commanded = {
        t.unit_id
        for t in state.transfers
        if (c := state.coalition(t.coalition_id)) is not None and c.lead == viewer_id
    }
    # A secret's words that are also some objective's public words (two nations may
    # share an aim) give nothing away.
    public_words = {o.text for n in state.nations for o in n.objectives if not o.secret}
    for other in state.nations:
        if other.id == viewer_id:
            continue
        for secret in _secrets_of(state, other):
            if secret in public_words:
                continue
            assert secret not in seen, f"{viewer_id} sees {other.id}'s secret {secret!r}"
        for commitment in state.commitments_of(other.id):
            if commitment.unit_id in commanded or commitment.tasked_by == viewer_id:
                continue  # units under the viewer's coalition command are the viewer's to task
            assert f'"{commitment.unit_id}"' not in seen, (
                f"{viewer_id} sees where {other.id}'s {commitment.unit_id} is committed"
            )
    for event in events:
        if event.kind != "message_sent":
            continue
        channel = state.channel(event.data["channel_id"])
        if channel is not None and viewer_id not in channel.members and channel.kind != "public":
            assert event.data["text"] not in seen, f"{viewer_id} reads {channel.id}"
