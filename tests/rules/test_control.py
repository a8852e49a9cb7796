"""Control's actions on a game (app/rules/control.py): the clock, the adjudication hold
with overrides and feedback, and injects fired by hand or written live."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import rules
from app.rules import CommitUnit, Phase, SetReady, Viewer, view_event
from app.rules.control import (
    CONTROL_ACTIONS,
    ControlMessage,
    EndExercise,
    EndPhaseNow,
    ExtendPhase,
    FireInject,
    GiveFeedback,
    LiveInject,
    Moment,
    OverrideOutcome,
    PauseClock,
    ReleaseTurn,
    ResumeClock,
    SetHold,
    SetPhaseLength,
    apply_control,
    parse_control,
    preview,
)
from app.rules.wording import words
from tests.rules.conftest import NOW

TURN_1, HELD_1 = Moment(1, Phase.ORDERS), Moment(1, Phase.ADJUDICATION)


def control(state: rules.GameState, action: object, now: float = NOW) -> rules.Accepted:
    result = apply_control(state, action, now)  # type: ignore[arg-type]
    assert isinstance(result, rules.Accepted), result
    return result


def refused(state: rules.GameState, action: object, now: float = NOW) -> str:
    result = apply_control(state, action, now)  # type: ignore[arg-type]
    assert isinstance(result, rules.Rejection), result
    return result.code


def everyone_ready(state: rules.GameState) -> rules.GameState:
    for nation in state.nations:
        result = rules.apply(state, nation.id, SetReady(True))
        assert isinstance(result, rules.Accepted), result
        state = result.state
    return state


def test_a_paused_clock_keeps_its_time_and_ends_nothing(game: rules.GameState) -> None:
    assert game.deadline is not None
    left = game.deadline - (NOW + 100)
    paused = control(game, PauseClock(at=Moment.of(game)), NOW + 100).state
    assert paused.deadline is None and paused.paused_remaining == pytest.approx(left)
    assert refused(paused, PauseClock(at=Moment.of(paused))) == "not_running"
    # Neither the old deadline nor every seat being ready ends a paused phase.
    assert rules.advance(everyone_ready(paused), NOW + 10**6) is None
    extended = control(paused, ExtendPhase(60, at=Moment.of(paused))).state
    assert extended.paused_remaining == pytest.approx(left + 60)
    resumed = control(extended, ResumeClock(at=Moment.of(extended)), NOW + 5000).state
    assert resumed.paused_remaining is None
    assert resumed.deadline == pytest.approx(NOW + 5000 + left + 60)
    assert refused(resumed, ResumeClock(at=Moment.of(resumed))) == "not_paused"


def test_extend_end_now_and_a_new_phase_length(game: rules.GameState) -> None:
    assert game.deadline is not None
    extended = control(game, ExtendPhase(300, at=TURN_1)).state
    assert extended.deadline == game.deadline + 300
    assert refused(game, ExtendPhase(0, at=TURN_1)) == "bad_duration"
    assert refused(game, SetPhaseLength(5)) == "bad_duration"
    longer = control(extended, SetPhaseLength(1800)).state
    assert longer.deadline == extended.deadline  # this turn keeps its deadline
    ended = control(longer, EndPhaseNow(at=TURN_1), NOW + 10)
    assert ended.state.turn == 2 and ended.state.deadline == NOW + 10 + 1800
    kinds = [e.kind for e in ended.events]
    assert kinds[:2] == ["phase_ended_by_control", "turn_resolved"]


def test_a_held_turn_waits_for_control_who_overrides_gives_feedback_and_releases(
    game: rules.GameState,
) -> None:
    state = control(game, SetHold(True)).state
    state = rules.apply(state, "aurora", CommitUnit("aur-guards", "hammerfall")).state  # type: ignore[union-attr]
    state = rules.apply(state, "caldera", CommitUnit("cal-hospital", "wellspring")).state  # type: ignore[union-attr]
    advanced = rules.advance(everyone_ready(state), NOW + 1)
    assert advanced is not None
    held, events = advanced
    assert held.phase is Phase.ADJUDICATION and held.turn == 1 and held.deadline is None
    assert [e.kind for e in events] == ["adjudication_started"]
    # Orders are closed while control adjudicates.
    late = rules.apply(held, "borealis", CommitUnit("bor-rifles", "hammerfall"))
    assert isinstance(late, rules.Rejection)

    before = {o.operation_id: o for o in preview(held)}
    assert set(before) == {"hammerfall", "wellspring"}
    assert all(o.factors for o in before.values() if o.result != "not_attempted")
    flipped = "failure" if before["hammerfall"].result == "success" else "success"
    assert (
        refused(held, OverrideOutcome("hammerfall", flipped, "  ", at=HELD_1)) == "reason_required"
    )
    assert (
        refused(held, OverrideOutcome("atlantis", flipped, "x", at=HELD_1)) == "unknown_operation"
    )
    held = control(
        held, OverrideOutcome("hammerfall", flipped, "the bridge was down", at=HELD_1)
    ).state
    held = control(
        held, GiveFeedback("aurora", "Your guards arrived without lift.", at=HELD_1)
    ).state
    after = {o.operation_id: o for o in preview(held)}
    assert after["hammerfall"].result == flipped
    assert after["hammerfall"].roll == before["hammerfall"].roll
    assert "the bridge was down" in words(after["hammerfall"].factors[-1].detail, held)
    assert after["wellspring"] == before["wellspring"]  # its roll did not move

    released = control(held, ReleaseTurn(at=HELD_1), NOW + 50)
    state = released.state
    assert state.phase is Phase.ORDERS and state.turn == 2
    assert state.overrides == () and state.feedback == {}
    outcome = next(o for o in state.outcomes if o.operation_id == "hammerfall")
    assert outcome.result == flipped and "Control adjudicated" in words(outcome.summary, state)
    feedback = next(e for e in released.events if e.kind == "control_feedback")
    seen = {
        n: view_event(state, feedback, Viewer.of_nation(n))
        for n in ("aurora", "borealis", "caldera")
    }
    assert seen["aurora"] is not None and "without lift" in seen["aurora"]["text"]
    assert seen["borealis"] is None and seen["caldera"] is None
    assert view_event(state, feedback, Viewer.observer()) is None
    assert refused(state, ReleaseTurn(at=Moment.of(state))) == "not_held"


def test_control_fires_a_scripted_event_once_and_writes_live_injects(
    meridian: rules.GameState,
) -> None:
    fired = control(meridian, FireInject("militia-offensive", at=TURN_1))
    relief = fired.state.operation("saltmarsh-relief")
    before = meridian.operation("saltmarsh-relief")
    assert relief is not None and before is not None
    assert relief.difficulty == before.difficulty + 2
    assert "militia-offensive" in fired.state.fired
    assert refused(fired.state, FireInject("militia-offensive", at=TURN_1)) == "already_fired"
    assert refused(fired.state, FireInject("nothing", at=TURN_1)) == "unknown_event"

    live = control(
        meridian, LiveInject("Port closure", "Port Calder closes at dawn.", ("lindmark",))
    )
    (event,) = live.events
    assert view_event(live.state, event, Viewer.of_nation("lindmark")) is not None
    assert view_event(live.state, event, Viewer.of_nation("arvenia")) is None
    public = control(meridian, LiveInject("Storm", "A storm closes the strait.")).events[0]
    assert view_event(meridian, public, Viewer.of_nation("arvenia")) is not None
    assert refused(meridian, LiveInject("", "text")) == "malformed"
    assert refused(meridian, LiveInject("T", "text", ("atlantis",))) == "unknown_nation"


def test_a_second_end_now_for_turn_1_is_refused_and_the_game_stays_at_turn_2(
    game: rules.GameState,
) -> None:
    ended = control(game, EndPhaseNow(at=TURN_1), NOW + 10).state
    assert ended.turn == 2 and ended.phase is Phase.ORDERS
    again = apply_control(ended, EndPhaseNow(at=TURN_1), NOW + 11)
    assert isinstance(again, rules.Rejection)
    assert (again.code, again.message) == (
        "stale",
        "Turn 1's orders phase has already ended; the console now shows turn 2. "
        "Nothing was changed.",
    )
    # Every action about turn 1's phase is refused in turn 2; turn 2's own are not.
    for late in (
        PauseClock(at=TURN_1),
        ExtendPhase(300, at=TURN_1),
        FireInject("nothing", at=TURN_1),
        ReleaseTurn(at=TURN_1),
    ):
        assert refused(ended, late) == "stale", late
    turn_2 = control(ended, EndPhaseNow(at=Moment(2, Phase.ORDERS)), NOW + 12)
    assert turn_2.events[0] == rules.Event("phase_ended_by_control", "control", {"turn": 2})


def test_a_held_turn_refuses_the_orders_phase_s_actions_and_a_second_release(
    game: rules.GameState,
) -> None:
    held = control(control(game, SetHold(True)).state, EndPhaseNow(at=TURN_1)).state
    assert (held.turn, held.phase) == (1, Phase.ADJUDICATION)
    late = apply_control(held, ExtendPhase(300, at=TURN_1), NOW)
    assert isinstance(late, rules.Rejection) and late.message == (
        "Turn 1's orders phase has already ended; the console now shows turn 1's "
        "adjudication. Nothing was changed."
    )
    assert refused(held, EndPhaseNow(at=TURN_1)) == "stale"
    released = control(held, ReleaseTurn(at=HELD_1), NOW + 1).state
    assert (released.turn, released.phase) == (2, Phase.ORDERS)
    twice = apply_control(released, ReleaseTurn(at=HELD_1), NOW + 2)
    assert isinstance(twice, rules.Rejection) and twice.message.startswith(
        "Turn 1's adjudication has already ended; the console now shows turn 2."
    )
    feedback = apply_control(released, GiveFeedback("aurora", "Late.", at=HELD_1), NOW)
    assert isinstance(feedback, rules.Rejection) and released.feedback == {}
    # A standing setting means the same in any phase: it names none.
    assert control(released, SetHold(False)).state.hold is False
    assert control(released, SetPhaseLength(900)).state.orders_seconds == 900


def test_an_action_for_a_turn_not_yet_begun_is_refused(game: rules.GameState) -> None:
    early = apply_control(game, EndPhaseNow(at=Moment(2, Phase.ORDERS)), NOW)
    assert isinstance(early, rules.Rejection) and early.code == "stale"
    assert "has not begun" in early.message


def test_nothing_is_controlled_after_the_exercise_ends(game: rules.GameState) -> None:
    ended = replace(game, phase=Phase.ENDED, deadline=None)
    assert refused(ended, PauseClock(at=TURN_1)) == "game_over"


def test_what_a_private_inject_changes_is_seen_by_its_audience_only() -> None:
    """Esterholm's secret gas discount moves its budget: nobody else may read that in the
    turn's changes (they would learn the inject and Esterholm's budget)."""
    from app.rules.injects import fire_one
    from app.rules.resolution import Ledger
    from app.scenarios.build import opening_state
    from app.scenarios.loader import load_scenario
    from tests.conftest import SCENARIOS_DIR

    state, _ = opening_state(load_scenario(SCENARIOS_DIR / "northern-reach.yaml"), seed=1, now=0)
    offer = next(e for e in state.events if e.id == "varkan-gas-offer")
    assert not offer.public
    ledger = Ledger()
    fire_one(state, offer, ledger)
    assert ledger.changes, "the offer changes something"
    for change in ledger.changes:
        assert change.visible_to and set(change.visible_to) <= {"esterholm", "control"}
    seen_by_aldmark = [
        c
        for c in ledger.changes
        if not c.visible_to or Viewer.of_nation("aldmark").among(c.visible_to)
    ]
    assert seen_by_aldmark == []


# --- parse_control: from the console's forms to control's actions ------------------------

AT = {"turn": "1", "phase": "orders"}
FORMS = [
    ({"action": "pause", **AT}, PauseClock(at=TURN_1)),
    ({"action": "resume", **AT}, ResumeClock(at=TURN_1)),
    ({"action": "extend", "minutes": " 5 ", **AT}, ExtendPhase(300, at=TURN_1)),
    ({"action": "phase_length", "minutes": "30"}, SetPhaseLength(1800)),
    ({"action": "advance", **AT}, EndPhaseNow(at=TURN_1)),
    ({"action": "hold", "hold": "on"}, SetHold(True)),
    ({"action": "hold", "hold": "off"}, SetHold(False)),
    (
        {"action": "override", "operation_id": "open-lane", "result": "failure", "reason": "Mines"}
        | {"turn": "1", "phase": "adjudication"},
        OverrideOutcome("open-lane", "failure", "Mines", at=HELD_1),
    ),
    (
        {"action": "override", "operation_id": "open-lane", "result": "rules", **AT},
        OverrideOutcome("open-lane", None, "", at=TURN_1),
    ),
    (
        {"action": "feedback", "nation_id": "arvenia", "text": "Sweep first.", **AT},
        GiveFeedback("arvenia", "Sweep first.", at=TURN_1),
    ),
    ({"action": "release", "turn": "1", "phase": "adjudication"}, ReleaseTurn(at=HELD_1)),
    ({"action": "fire", "event_id": "storm", **AT}, FireInject("storm", at=TURN_1)),
    (
        {"action": "live_inject", "title": "Strike", "text": "Dockers out."}
        | {"to_lindmark": "lindmark", "to_arvenia": ""},
        LiveInject("Strike", "Dockers out.", ("lindmark",)),
    ),
    (
        {"action": "control_message", "channel_id": "public", "text": "Hello"},
        ControlMessage("public", "Hello"),
    ),
    ({"action": "end_exercise"}, EndExercise()),
]


@pytest.mark.parametrize(("form", "action"), FORMS, ids=lambda v: getattr(v, "kind", ""))
def test_each_control_action_parses_from_its_form(form: dict[str, str], action: object) -> None:
    parsed = parse_control(form)
    assert parsed == action
    # The form's `action` is the kind the dataclass has and the event log records.
    assert getattr(parsed, "kind", None) == form["action"]


def test_every_kind_has_a_parser_named_by_its_dataclass_s_kind() -> None:
    assert set(CONTROL_ACTIONS) == {form["action"] for form, _ in FORMS}


@pytest.mark.parametrize("kind", ["extend", "phase_length"])
@pytest.mark.parametrize("minutes", ["", "soon", "0", "-5", "1.5", "²", "9" * 5000])
def test_minutes_must_be_a_whole_number_above_0(kind: str, minutes: str) -> None:
    refused = parse_control({"action": kind, "minutes": minutes, **AT})
    assert isinstance(refused, rules.Rejection)
    assert (refused.code, refused.message) == ("malformed", "Give a whole number of minutes.")


@pytest.mark.parametrize("kind", ["pause", "resume", "extend", "advance", "override", "feedback"])
@pytest.mark.parametrize(
    "moment",
    [
        {},
        {"turn": "", "phase": ""},
        {"turn": "one", "phase": "orders"},
        {"turn": "1"},
        {"turn": "1", "phase": "later"},
    ],
)
def test_a_phase_bound_form_without_its_turn_and_phase_is_refused(
    kind: str, moment: dict[str, str]
) -> None:
    refused = parse_control({"action": kind, "minutes": "5", **moment})
    assert isinstance(refused, rules.Rejection)
    assert (refused.code, refused.message) == (
        "malformed",
        "This form does not say which turn it was meant for; reload the console.",
    )


@pytest.mark.parametrize("form", [{}, {"action": "end"}, {"action": "hold_on"}, {"action": 3}])
def test_an_unknown_control_action_is_refused(form: dict[str, object]) -> None:
    result = parse_control(form)
    assert isinstance(result, rules.Rejection)
    assert (result.code, result.message) == (
        "malformed",
        f"Unknown control action {form.get('action', '')!r}.",
    )


@pytest.mark.parametrize("hold", ["", "yes", "ON", None])
def test_the_hold_is_on_or_off(hold: object) -> None:
    result = parse_control({"action": "hold", "hold": hold})
    assert isinstance(result, rules.Rejection) and result.code == "malformed"
