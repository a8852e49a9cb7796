"""Fog of war and serialisation: view, view_event, state_to_dict (app/rules/views, state)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from app import rules
from app.rules import (
    Accepted,
    CommitUnit,
    Phase,
    SetReady,
    Viewer,
    WithdrawUnit,
    apply,
    resolve_turn,
    state_from_dict,
    state_to_dict,
    view,
    view_event,
)


def accept(state: rules.GameState, actor: str, action: rules.Action) -> Accepted:
    result = apply(state, actor, action)
    assert isinstance(result, Accepted), result
    return result


def play(state: rules.GameState, *moves: tuple[str, rules.Action]) -> rules.GameState:
    for actor, action in moves:
        state = accept(state, actor, action).state
    return state


def secrets_of(nation: rules.Nation) -> list[str]:
    """Every string that only `nation` (and control) may see."""
    return [
        nation.secret_objective,
        *(u.id for u in nation.units),
        *(u.name for u in nation.units),
    ]


def leaks(text: str, nation: rules.Nation) -> list[str]:
    return [secret for secret in secrets_of(nation) if secret in text]


@pytest.fixture
def busy(game) -> rules.GameState:
    """Every nation has orders in; borealis is ready."""
    return play(
        game,
        ("aurora", CommitUnit("aur-guards", "hammerfall")),
        ("aurora", CommitUnit("aur-eyes", "wellspring")),
        ("borealis", CommitUnit("bor-rifles", "hammerfall")),
        ("borealis", CommitUnit("bor-medics", "wellspring")),
        ("borealis", SetReady(True)),
        ("caldera", CommitUnit("cal-hospital", "wellspring")),
    )


@pytest.fixture
def busy_meridian(meridian) -> rules.GameState:
    return play(
        meridian,
        ("arvenia", CommitUnit("arv-1-frigate-sqn", "open-lane")),
        ("arvenia", CommitUnit("arv-airlift-group", "saltmarsh-relief")),
        ("cardosa", CommitUnit("car-coastal-flotilla", "northern-watch")),
        ("lindmark", CommitUnit("lin-field-hospital", "saltmarsh-relief")),
        ("lindmark", SetReady(True)),
    )


# --- view -------------------------------------------------------------------------------


def test_the_secrets_are_distinct_enough_to_search_for(busy, busy_meridian) -> None:
    # Guards the searches below: no secret of one nation is public text of the game.
    for state in (busy, busy_meridian):
        public = json.dumps(
            [
                [(n.id, n.name, n.public_objective) for n in state.nations],
                [(o.id, o.name, o.description) for o in state.operations],
            ]
        )
        for nation in state.nations:
            assert leaks(public, nation) == []


@pytest.mark.parametrize("which", ["busy", "busy_meridian"])
def test_a_nation_sees_its_own_secrets_and_no_one_elses(request, which) -> None:
    state: rules.GameState = request.getfixturevalue(which)
    for me in state.nations:
        seen = view(state, Viewer.of_nation(me.id))
        text = json.dumps(seen)

        assert seen["me"]["id"] == me.id
        assert seen["me"]["secret_objective"] == me.secret_objective
        assert [u["id"] for u in seen["me"]["units"]] == [u.id for u in me.units]
        mine = {c.unit_id: c.operation_id for c in state.commitments_of(me.id)}
        assert mine  # every nation has orders in
        assert {u["id"]: u["operation_id"] for u in seen["me"]["units"]} == {
            u.id: mine.get(u.id) for u in me.units
        }
        assert seen["me"]["committed_cost"] == state.committed_cost(me)
        for op in seen["operations"]:
            assert op["my_units"] == [u for u, o in mine.items() if o == op["id"]]
            assert "commitments" not in op
        assert "private" not in seen

        for other in state.nations:
            if other.id != me.id:
                assert leaks(text, other) == [], (me.id, other.id)


def test_a_nation_sees_the_public_facts_of_others(busy) -> None:
    seen = view(busy, Viewer.of_nation("aurora"))
    public = {n["id"]: n for n in seen["nations"]}
    assert public["borealis"]["committed_units"] == 2
    assert public["borealis"]["ready"] is True
    assert public["caldera"]["committed_units"] == 1
    assert public["caldera"]["ready"] is False
    assert public["borealis"]["public_objective"] == busy.nation("borealis").public_objective
    assert "secret_objective" not in public["borealis"]
    assert "units" not in public["borealis"]
    assert "budget" not in public["borealis"]


def test_an_observer_sees_no_secret_objective_or_unit(busy, busy_meridian) -> None:
    for state in (busy, busy_meridian):
        seen = view(state, Viewer.observer())
        text = json.dumps(seen)
        assert seen["me"] is None
        assert "private" not in seen
        assert "secret_objective" not in text
        for nation in state.nations:
            assert leaks(text, nation) == []
        for op in seen["operations"]:
            assert "commitments" not in op and "my_units" not in op


def test_an_unknown_nation_viewer_sees_no_secrets(busy) -> None:
    text = json.dumps(view(busy, Viewer.of_nation("atlantis")))
    for nation in busy.nations:
        assert leaks(text, nation) == []


def test_control_sees_everything(busy) -> None:
    seen = view(busy, Viewer.control())
    assert set(seen["private"]) == {n.id for n in busy.nations}
    for nation in busy.nations:
        private = seen["private"][nation.id]
        assert private["secret_objective"] == nation.secret_objective
        assert private["budget"] == nation.budget
        assert private["caveats"] == list(nation.caveats)
        assert {u["id"]: u["operation_id"] for u in private["units"]} == {
            u.id: (busy.commitment(u.id).operation_id if busy.commitment(u.id) else None)
            for u in nation.units
        }
    for op in seen["operations"]:
        assert sorted((c["nation_id"], c["unit_id"]) for c in op["commitments"]) == sorted(
            (c.nation_id, c.unit_id) for c in busy.commitments if c.operation_id == op["id"]
        )


def test_view_is_json_ready_for_every_viewer(busy) -> None:
    resolved, _ = resolve_turn(busy, 0)
    viewers = [Viewer.control(), Viewer.observer()] + [Viewer.of_nation(n.id) for n in busy.nations]
    for state in (busy, resolved):
        for viewer in viewers:
            seen = view(state, viewer)
            json.dumps(seen, allow_nan=False)  # raises on anything JSON cannot carry
            assert seen["turn"] == state.turn
            assert seen["phase"] == state.phase.value


def test_last_results_show_the_previous_turns_outcomes(busy) -> None:
    assert view(busy, Viewer.observer())["last_results"] is None
    resolved, _ = resolve_turn(busy, 0)
    results = view(resolved, Viewer.of_nation("aurora"))["last_results"]
    assert results["turn"] == 1
    assert [o["operation_id"] for o in results["outcomes"]] == ["hammerfall", "wellspring"]
    assert results["outcomes"][0]["operation_name"] == "Operation Hammerfall"
    assert len(results["outcomes"][0]["factors"]) == 8  # hard power: legitimacy too


def test_a_nation_sees_no_other_nations_units_after_a_resolved_turn(busy) -> None:
    resolved, _ = resolve_turn(busy, 0)
    for viewer in [Viewer.of_nation("aurora"), Viewer.observer()]:
        text = json.dumps(view(resolved, viewer))
        for nation in resolved.nations:
            if nation.id != viewer.nation_id:
                assert leaks(text, nation) == []


# --- view_event -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["unit_committed", "unit_withdrawn"])
def test_order_events_are_redacted_for_other_nations(game, kind) -> None:
    state = play(game, ("borealis", CommitUnit("bor-medics", "wellspring")))
    if kind == "unit_committed":
        result = accept(state, "borealis", CommitUnit("bor-rifles", "hammerfall"))
        count = 2
    else:
        state = play(state, ("borealis", CommitUnit("bor-rifles", "hammerfall")))
        result = accept(state, "borealis", WithdrawUnit("bor-rifles"))
        count = 1
    (event,) = result.events
    assert event.kind == kind
    after = result.state

    for viewer in (Viewer.of_nation("borealis"), Viewer.control()):
        seen = view_event(after, event, viewer)
        assert seen["kind"] == kind
        assert seen["nation_id"] == "borealis"
        assert seen["unit_id"] == "bor-rifles"
        assert seen["operation_id"] == "hammerfall"
        assert seen["committed_units"] == count
        assert "Tundra Rifle Regiment" in seen["text"]
        assert "Operation Hammerfall" in seen["text"]

    for viewer in (Viewer.of_nation("aurora"), Viewer.of_nation("caldera"), Viewer.observer()):
        seen = view_event(after, event, viewer)
        assert seen["kind"] == "orders_changed"
        assert seen["nation_id"] == "borealis"
        assert seen["committed_units"] == count
        assert set(seen) == {"kind", "nation_id", "committed_units", "text"}
        text = json.dumps(seen)
        for hidden in ("bor-rifles", "Tundra Rifle Regiment", "hammerfall", "Hammerfall"):
            assert hidden not in text, (viewer, hidden)
        assert leaks(text, after.nation("borealis")) == []


def test_ready_and_seat_events_are_public(game) -> None:
    (ready,) = accept(game, "caldera", SetReady(True)).events
    for viewer in (Viewer.of_nation("aurora"), Viewer.observer(), Viewer.control()):
        seen = view_event(game, ready, viewer)
        assert seen["kind"] == "ready_changed"
        assert seen["nation_id"] == "caldera"
        assert seen["ready"] is True
        assert "Caldera" in seen["text"]
    joined = rules.join_seat(game, "caldera")
    assert isinstance(joined, Accepted)
    seen = view_event(joined.state, joined.events[0], Viewer.of_nation("aurora"))
    assert seen["kind"] == "seat_joined" and "Caldera" in seen["text"]


def test_unknown_event_kinds_are_hidden(game) -> None:
    event = rules.Event("secret_plan", "aurora", {"plan": "SECRET-AURORA"})
    assert view_event(game, event, Viewer.of_nation("aurora")) is None
    assert view_event(game, event, Viewer.observer()) is None


def test_turn_resolved_shows_only_the_viewers_own_support_change(busy) -> None:
    resolved, (event,) = resolve_turn(busy, 0)
    support = {k: v for k, v in event.data["support"].items() if v}
    assert set(support) == {"aurora", "borealis", "caldera"}

    for nation in busy.nations:
        seen = view_event(resolved, event, Viewer.of_nation(nation.id))
        assert seen["kind"] == "turn_resolved"
        assert seen["turn"] == 1
        assert seen["escalation"] == event.data["escalation"]
        assert {k: v for k, v in seen["support"].items() if v} == {nation.id: support[nation.id]}
        text = json.dumps(seen)
        for other in busy.nations:
            if other.id != nation.id:
                assert f'"{other.id}"' not in text  # no other nation's key or id
                assert leaks(text, other) == []

    observed = view_event(resolved, event, Viewer.observer())
    assert {k: v for k, v in observed["support"].items() if v} == {}
    controlled = view_event(resolved, event, Viewer.control())
    assert {k: v for k, v in controlled["support"].items() if v} == support


def test_turn_resolved_text_names_each_operation_and_result(busy) -> None:
    resolved, (event,) = resolve_turn(busy, 0)
    seen = view_event(resolved, event, Viewer.observer())
    for out in resolved.outcomes:
        name = resolved.operation(out.operation_id).name
        assert f"{name}: {out.result.replace('_', ' ')}" in seen["text"]


# --- serialisation ----------------------------------------------------------------------


def roundtrip(state: rules.GameState) -> rules.GameState:
    return state_from_dict(json.loads(json.dumps(state_to_dict(state))))


def test_roundtrip_of_opening_states(game, meridian) -> None:
    for state in (game, meridian):
        restored = roundtrip(state)
        assert restored == state
        assert restored.phase is Phase.ORDERS
        assert isinstance(restored.nations, tuple)
        assert isinstance(restored.ready, frozenset)


def test_roundtrip_after_actions_and_resolved_turns(busy, busy_meridian) -> None:
    for state in (busy, busy_meridian):
        state = rules.join_seat(state, state.nations[0].id).state
        state = play(state, (state.nations[0].id, SetReady(True)))
        assert len(state.ready) == 2
        restored = roundtrip(state)
        assert restored == state
        assert restored.ready == state.ready

        resolved, _ = resolve_turn(state, 1234.5)
        assert any(o.factors for o in resolved.outcomes)
        restored = roundtrip(resolved)
        assert restored == resolved
        assert restored.outcomes == resolved.outcomes

        ended, _ = resolve_turn(replace(resolved, turn=resolved.turns), 0)
        assert ended.phase is Phase.ENDED
        assert roundtrip(ended) == ended


def test_ready_is_serialised_in_a_stable_order(busy) -> None:
    a = play(busy, ("aurora", SetReady(True)), ("caldera", SetReady(True)))
    b = play(
        busy,
        ("borealis", SetReady(False)),
        ("caldera", SetReady(True)),
        ("borealis", SetReady(True)),
        ("aurora", SetReady(True)),
    )
    assert a == b
    assert json.dumps(state_to_dict(a)) == json.dumps(state_to_dict(b))
    assert state_to_dict(a)["ready"] == ["aurora", "borealis", "caldera"]


def test_a_restored_state_plays_on_identically(busy) -> None:
    restored = roundtrip(busy)
    action = CommitUnit("aur-jets", "hammerfall")
    assert apply(restored, "aurora", action) == apply(busy, "aurora", action)
    assert resolve_turn(restored, 99) == resolve_turn(busy, 99)


def test_a_private_deal_stays_private_in_the_turns_changes(meridian) -> None:
    """Cost sharing and force pledges are private to their parties, and so are budgets and
    a nation's trust in another: the third nation's record of the turn says nothing of
    them, while the parties read what their deals did."""
    parties = ("arvenia", "lindmark")
    state = meridian
    for kind, terms in (
        ("cost_sharing", {"payer": "arvenia", "operation_id": "saltmarsh-relief", "share": 52}),
        ("force_pledge", {"nation": "lindmark", "operation_id": "saltmarsh-relief", "strength": 3}),
    ):
        state = accept(state, "arvenia", rules.Propose(kind, parties, terms)).state  # type: ignore[arg-type]
    for agreement in state.agreements:
        state = accept(state, "lindmark", rules.Sign(agreement.id)).state
    state = play(
        state,
        ("lindmark", CommitUnit("lin-field-hospital", "saltmarsh-relief")),
        ("cardosa", CommitUnit("car-helo-group", "saltmarsh-relief")),
    )
    resolved, _events = resolve_turn(state, 0.0)

    def reasons(nation_id: str) -> str:
        record = view(resolved, Viewer.of_nation(nation_id))["records"][-1]
        return "\n".join(f"{c['subject']} {c['reason']}" for c in record["changes"])

    payment = "pays 52% of Lindmark's costs on Saltmarsh Relief"
    pledge = "Lindmark honoured its pledge of 3 to Saltmarsh Relief"
    assert payment in reasons("arvenia") and pledge in reasons("arvenia")
    assert payment in reasons("lindmark")
    cardosa = reasons("cardosa")
    assert payment not in cardosa and pledge not in cardosa
    assert "budget:arvenia" not in cardosa and "budget:lindmark" not in cardosa
    assert "trust:arvenia>" not in cardosa and "trust:lindmark>" not in cardosa


def test_open_fog_shows_every_nations_orders_and_strict_fog_hides_even_their_count(
    game,
) -> None:
    orders = (
        ("borealis", CommitUnit("bor-medics", "wellspring")),
        ("aurora", CommitUnit("aur-guards", "hammerfall")),
    )
    aurora = Viewer.of_nation("aurora")
    for fog in ("open", "standard", "strict"):
        state = play(replace(game, fog=fog), orders[0])
        result = accept(state, *orders[1])
        (event,) = result.events
        commit = view_event(result.state, event, Viewer.of_nation("borealis"))
        seen = view(result.state, Viewer.of_nation("borealis"))
        aurora_row = next(n for n in seen["nations"] if n["id"] == "aurora")
        hammerfall = next(o for o in seen["operations"] if o["id"] == "hammerfall")
        resolved, _ = resolve_turn(result.state, 0)
        outcome = next(
            o
            for o in view(resolved, aurora)["last_results"]["outcomes"]
            if o["operation_id"] == "wellspring"
        )
        (contribution,) = outcome["contributions"]  # Borealis's, seen by Aurora
        if fog == "open":
            assert "Crimson Guards Brigade" in commit["text"]
            assert hammerfall["committed_nations"] == ["aurora"]
            assert list(contribution["unit_ids"]) == ["bor-medics"]
        elif fog == "standard":
            assert commit["text"] == "Aurora changed its orders (1 unit committed)."
            assert hammerfall["committed_nations"] is None
            assert aurora_row["committed_units"] == 1
            assert "unit_ids" not in contribution and contribution["strength"] == 2
        else:
            assert commit["text"] == "Aurora changed its orders."
            assert "committed_units" not in commit
            assert aurora_row["committed_units"] is None
            assert "strength" not in contribution and "unit_ids" not in contribution
            # A nation still sees its own orders and its own count.
            mine = view(result.state, aurora)
            assert next(n for n in mine["nations"] if n["id"] == "aurora")["committed_units"] == 1


# --- a coalition's channel and the nations that join it later ---------------------------


def _form_coalition(state: rules.GameState) -> tuple[rules.GameState, str, str]:
    """Arvenia and Lindmark form a coalition: its id and its channel's."""
    terms = {"name": "Strait Group"}
    proposal = rules.Propose("coalition_membership", ("arvenia", "lindmark"), terms)
    state = accept(state, "arvenia", proposal).state
    state = accept(state, "lindmark", rules.Sign(state.agreements[-1].id)).state
    coalition = state.coalitions[-1]
    return state, coalition.id, f"coalition-{coalition.id}"


def _join(state: rules.GameState, coalition_id: str, nation_id: str) -> rules.GameState:
    terms = {"coalition_id": coalition_id}
    proposal = rules.Propose("coalition_membership", ("arvenia", nation_id), terms)
    state = accept(state, "arvenia", proposal).state
    return accept(state, nation_id, rules.Sign(state.agreements[-1].id)).state


def _say(state: rules.GameState, actor: str, channel_id: str, text: str) -> Accepted:
    return accept(state, actor, rules.SendMessage(channel_id, text))


def _counts(state: rules.GameState, viewer: Viewer) -> dict[str, int]:
    return {c["id"]: c["messages"] for c in view(state, viewer)["channels"]}


def test_a_nation_that_joins_a_coalition_reads_its_channel_from_when_it_joined(meridian) -> None:
    state, coalition_id, channel_id = _form_coalition(meridian)
    before = _say(state, "lindmark", channel_id, "Cardosa will want the port dues.")
    state = _join(before.state, coalition_id, "cardosa")
    after = _say(state, "arvenia", channel_id, "Welcome, Cardosa.")
    state = after.state
    cardosa = Viewer.of_nation("cardosa")

    assert "cardosa" in state.channel(channel_id).members
    assert view_event(state, before.events[0], cardosa) is None
    assert view_event(state, after.events[0], cardosa)["text"].endswith("Welcome, Cardosa.")
    assert _counts(state, cardosa)[channel_id] == 1
    # The founders, and control, read everything that was said there.
    for founder in ("arvenia", "lindmark"):
        assert view_event(state, before.events[0], Viewer.of_nation(founder)) is not None
        assert _counts(state, Viewer.of_nation(founder))[channel_id] == 2
    assert view_event(state, before.events[0], Viewer.control()) is not None
    assert _counts(state, Viewer.control())[channel_id] == 2


def test_a_nation_that_leaves_and_comes_back_reads_from_its_return(meridian) -> None:
    state, coalition_id, channel_id = _form_coalition(meridian)
    state = _join(state, coalition_id, "cardosa")
    while_in = _say(state, "arvenia", channel_id, "Welcome, Cardosa.")
    state = accept(while_in.state, "cardosa", rules.LeaveCoalition(coalition_id)).state
    away = _say(state, "arvenia", channel_id, "Cardosa has walked out.")
    state = _join(away.state, coalition_id, "cardosa")
    back = _say(state, "lindmark", channel_id, "Cardosa is back.")
    state = back.state
    cardosa = Viewer.of_nation("cardosa")

    assert [
        view_event(state, e.events[0], cardosa) is not None for e in (while_in, away, back)
    ] == [
        False,
        False,
        True,
    ]
    assert _counts(state, cardosa)[channel_id] == 1
    assert _counts(state, Viewer.of_nation("lindmark"))[channel_id] == 3


def test_a_joiner_survives_the_states_round_trip(meridian) -> None:
    state, coalition_id, channel_id = _form_coalition(meridian)
    early = _say(state, "arvenia", channel_id, "early")
    state = _join(early.state, coalition_id, "cardosa")
    (joiner,) = state.channel(channel_id).joiners
    assert (joiner.nation_id, joiner.earlier) == ("cardosa", 1)
    assert joiner.first_message > early.events[0].data["message_id"]
    assert state_from_dict(json.loads(json.dumps(state_to_dict(state)))) == state


def test_views_asdict_equals_the_librarys_on_a_resolved_game(busy_meridian) -> None:
    """The views' own `asdict` (faster) gives what `dataclasses.asdict` gives, value and
    type alike, on everything a played state holds (tuple subclasses, enums, records)."""
    import dataclasses

    from app.rules import views

    resolved, _ = resolve_turn(busy_meridian, 0)
    for state in (busy_meridian, resolved):
        ours, theirs = views.asdict(state), dataclasses.asdict(state)
        assert ours == theirs
        assert repr(ours) == repr(theirs)  # the same types, down to each container
    assert resolved.outcomes and resolved.records  # what the comparison must cover


def test_a_lazy_view_equals_the_view_for_every_viewer(busy) -> None:
    """`LazyView` (the live panels' view, each part computed when first read) holds what
    `view` holds, key for key and in the same order, before and after a resolution."""
    from app.rules.views import LazyView

    resolved, _ = resolve_turn(busy, 0)
    viewers = [Viewer.control(), Viewer.observer()] + [Viewer.of_nation(n.id) for n in busy.nations]
    for state in (busy, resolved):
        for viewer in viewers:
            lazy = LazyView(state, viewer)
            assert lazy["me"] == view(state, viewer)["me"]  # one part read before the rest
            assert json.dumps(dict(lazy)) == json.dumps(view(state, viewer))


def test_an_objective_s_detail_kept_reads_as_worded_and_names_nothing(busy, busy_meridian) -> None:
    """The judgements whose words are kept (`views._NAMELESS`) read nothing of the state:
    worded without it, they read the same; and a kept detail is the one worded anew."""
    from app.rules import scoring, views
    from app.rules.wording import WORDS, words
    from app.rules.wording.base import NAME_SPECS

    seen = set()
    for state in (busy, busy_meridian):
        for nation in state.nations:
            for with_orders in (False, True):
                _, judged = scoring.nation_score(state, nation.id, with_orders=with_orders)
                for j in judged:
                    for _ in range(2):  # worded, then kept
                        got = views._detail(j.detail, state)
                        assert got == views._explained("detail", j.detail, state)
                    if j.detail.code in views._NAMELESS:
                        seen.add(j.detail.code)
                        assert words(j.detail, None) == words(j.detail, state)
    assert len(seen) >= 3
    for code in views._NAMELESS:  # and no template of theirs has a name in it
        template = WORDS[code]
        assert callable(template) or not any(f":{spec}" in template for spec in NAME_SPECS)
