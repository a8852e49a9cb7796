"""Every event the game tells has a kind of `EventKind` and data of that kind's payload type.

Bots play a few turns of every shipped scenario; on the way control uses each of its
actions and the seats change hands, and a few orders the bots seldom give are given by
hand. Every event told is checked against its kind's `TypedDict`, strictly (no key
missing, none unknown, every value of its type).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from app import rules
from app.bots import make_bot
from app.rules import control, red_cell, seats
from app.rules.action_types import RedMove, RequestMandate
from app.rules.events import PAYLOADS, EventKind, stored_kind
from app.rules.state import RED_CELL_SEAT, GameState
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario
from app.store.repositories.games import MESSAGE_KIND

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SCENARIO_IDS = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
TURNS = 3
PERSONALITIES = ("cooperative", "hawk", "spoiler", "dove", "free_rider", "cooperative", "hawk")
# Told by the services, not the rules (a branch's first event), or never told at all.
NOT_FROM_THE_RULES = {EventKind.GAME_BRANCHED, EventKind.UNKNOWN}


@cache
def _adapter(kind: EventKind) -> TypeAdapter[Any]:
    return TypeAdapter(PAYLOADS[kind])


def check(event: rules.Event) -> None:
    assert isinstance(event.kind, EventKind), f"{event.kind!r} is a bare string"
    _adapter(event.kind).validate_python(event.data, strict=True)


class Log:
    """The events of one game, and the state they led to."""

    def __init__(self, state: GameState, events: tuple[rules.Event, ...]) -> None:
        self.state = state
        self.events = list(events)

    def took(self, result: rules.Accepted | rules.Rejection) -> bool:
        if isinstance(result, rules.Rejection):
            return False
        self.state = result.state
        self.events.extend(result.events)
        return True

    def act(self, actor: str, action: rules.Action) -> bool:
        return self.took(rules.apply(self.state, actor, action))

    def control(self, make: Callable[[GameState], control.ControlAction], now: float) -> bool:
        return self.took(control.apply_control(self.state, make(self.state), now))

    def first_legal(self, kind: type) -> tuple[str, Any] | None:
        for nation in self.state.nations:
            legal = [a for a in rules.legal_actions(self.state, nation.id) if isinstance(a, kind)]
            if legal:
                return nation.id, legal[0]
        return None


def _by_hand(log: Log) -> None:
    """Orders and talks bots seldom give: a counter-proposal, a rejected and a withdrawn
    proposal, a unit placed under coalition command and taken back, a red card, a
    private channel the press hears of, a coalition left (by the last turn)."""
    for kind in (rules.TransferAuthority, rules.ReclaimUnit, rules.RedCard, RequestMandate):
        found = log.first_legal(kind)
        if found is not None:
            log.act(*found)
    first, second = (n.id for n in log.state.nations[:2])
    log.state = replace(log.state, bilateral_leak_chance=1.0)
    if log.act(first, rules.OpenChannel((second,), "")):
        log.act(first, rules.SendMessage(log.state.channels[-1].id, "Between us."))
    if log.state.turn == TURNS:
        while (found := log.first_legal(rules.LeaveCoalition)) is not None:
            log.act(*found)
    for answer in ("counter", "reject", "withdraw"):
        proposal = rules.Propose("joint_statement", (first, second), {"text": "Calm"})
        if not log.act(first, proposal):
            return
        agreement = log.state.agreements[-1].id
        if answer == "counter":
            log.act(second, rules.Counter(agreement, {"text": "Calmer"}))
        elif answer == "reject":
            log.act(second, rules.RejectProposal(agreement))
        else:
            log.act(first, rules.WithdrawProposal(agreement))


def _seats(log: Log) -> None:
    nation_id = log.state.nations[0].id
    log.took(seats.join_seat(log.state, nation_id))
    log.took(seats.hand_seat_to_bot(log.state, nation_id, "hawk"))
    log.took(seats.take_seat_back(log.state, nation_id))
    log.took(seats.hand_seat_to_bot(log.state, nation_id, "profile"))
    log.took(seats.take_seat_back(log.state, nation_id, "vacant"))
    log.took(seats.relink_seat(log.state, nation_id))
    # The red cell: control opens its seat, a student takes it and chooses a move.
    # (Handed to a bot and back to the reaction table on the way.)
    if log.took(red_cell.seat_red_cell(log.state, "vacant")):
        log.took(red_cell.seat_red_cell(log.state, "bot", "red"))
        log.took(red_cell.seat_red_cell(log.state, None))
        log.took(red_cell.seat_red_cell(log.state, "human"))
        log.took(rules.apply(log.state, RED_CELL_SEAT, RedMove("signal", "We are watching.")))


def _control_turn(log: Log, now: float) -> None:
    """Control pauses, extends, holds, adjudicates, writes, fires an inject and releases."""
    at = control.Moment.of
    nation_id = log.state.nations[-1].id
    for make in (
        lambda s: control.PauseClock(at=at(s)),
        lambda s: control.ResumeClock(at=at(s)),
        lambda s: control.ExtendPhase(300, at=at(s)),
        lambda _: control.SetPhaseLength(1800),
        lambda _: control.ControlMessage("public", "A word from control."),
        lambda _: control.LiveInject("Strike", "Dockers out.", (nation_id,)),
        lambda s: (
            control.FireInject(s.events[0].id, at=at(s)) if s.events else control.EndExercise()
        ),
        lambda _: control.SetHold(True),
        lambda s: control.EndPhaseNow(at=at(s)),
        lambda s: control.GiveFeedback(nation_id, "Sweep first.", at=at(s)),
    ):
        if isinstance(make(log.state), control.EndExercise):
            continue
        log.control(make, now)
    operation = next((o for o in log.state.operations if o.open_at(log.state.turn)), None)
    if operation is not None:
        override = control.OverrideOutcome(operation.id, "failure", "Mines", at=at(log.state))
        log.control(lambda _: override, now)
        cleared = control.OverrideOutcome(operation.id, None, "", at=at(log.state))
        log.control(lambda _: cleared, now)
        log.control(lambda _: override, now)
    log.control(lambda s: control.ReleaseTurn(at=at(s)), now)
    log.control(lambda _: control.SetHold(False), now)


@cache
def played(scenario_id: str) -> Log:
    scenario = load_scenario(SCENARIOS / f"{scenario_id}.yaml")
    state, events = opening_state(scenario, seed=3, now=0.0)
    log = Log(replace(state, turns=TURNS), events)
    bots = {n.id: make_bot(p) for n, p in zip(state.nations, PERSONALITIES, strict=False)}
    rngs = {n: random.Random(f"{scenario_id}:{n}") for n in bots}
    _seats(log)
    now = 0.0
    while log.state.phase is not rules.Phase.ENDED:
        for _round in range(2):
            for nation_id, bot in bots.items():
                for action in bot.decide(log.state, nation_id, rngs[nation_id]):
                    log.act(nation_id, action)
        _by_hand(log)
        now += 600
        if log.state.turn == 1:
            _control_turn(log, now)
        elif log.state.turn < TURNS:
            # A government falls.
            shaken = replace(log.state.nations[-1], domestic_support=0)
            log.state = log.state.replace_nation(shaken)
            state, events = rules.resolve_turn(log.state, now)
            log.state, log.events = state, [*log.events, *events]
        else:
            log.control(lambda _: control.EndExercise(), now)
    return log


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_every_event_told_has_its_kinds_payload(scenario_id: str) -> None:
    for event in played(scenario_id).events:
        check(event)


def test_the_games_tell_every_kind_the_rules_have() -> None:
    told = {e.kind for scenario_id in SCENARIO_IDS for e in played(scenario_id).events}
    assert set(EventKind) - told == NOT_FROM_THE_RULES


def test_every_kind_has_a_payload_type() -> None:
    assert set(PAYLOADS) == set(EventKind)
    for kind in EventKind:
        _adapter(kind)  # pydantic can build a validator for each


def test_a_payload_with_a_key_too_many_or_too_few_is_refused() -> None:
    good = {"nation_id": "arvenia", "ready": True}
    check(rules.Event(EventKind.READY_CHANGED, "arvenia", {"nation_id": "arvenia", "ready": True}))
    with pytest.raises(ValidationError):
        _adapter(EventKind.READY_CHANGED).validate_python(good | {"secret": 1}, strict=True)
    with pytest.raises(ValidationError):
        _adapter(EventKind.READY_CHANGED).validate_python({"ready": True}, strict=True)


def test_a_kinds_value_is_the_string_the_log_stores() -> None:
    assert EventKind.TURN_RESOLVED == "turn_resolved"
    assert MESSAGE_KIND == EventKind.MESSAGE_SENT  # the store's own name for it
    assert stored_kind("turn_resolved") is EventKind.TURN_RESOLVED
    assert stored_kind("a_kind_since_removed") is None


def test_an_event_read_back_from_the_log_has_its_kind() -> None:
    event = rules.Event.from_log(
        "ready_changed", "arvenia", {"nation_id": "arvenia", "ready": True}
    )
    assert event.kind is EventKind.READY_CHANGED
    assert event == rules.Event(
        EventKind.READY_CHANGED, "arvenia", {"nation_id": "arvenia", "ready": True}
    )


def test_an_unknown_stored_kind_loads_as_unknown_and_is_shown_to_nobody() -> None:
    state = played(SCENARIO_IDS[0]).state
    event = rules.Event.from_log("secret_plan", "arvenia", {"plan": "SECRET"})
    assert event.kind is EventKind.UNKNOWN
    assert event.data == {"kind": "secret_plan", "data": {"plan": "SECRET"}}
    check(event)
    for viewer in (rules.Viewer.control(), rules.Viewer.observer()):
        assert rules.view_event(state, event, viewer) is None
