"""Every field of every view, for every viewer under every fog (issue 12).

Real games played by bots (Northern Reach with its private inject, Meridian Strait with a
private inject and a private new brief added), with private channels and messages, a
coalition that grows (so its channel has a joiner) under a command arrangement, units
under coalition command and control's feedback. At every step, for each nation, the
observer and control, under open, standard and strict fog, the whole of `view(state,
viewer)` (as JSON) and of `view_event` for every event so far is searched for every fact
kept from that viewer (`view_secrets.secrets_for`), and its numbers are checked
(`view_secrets.structural_leaks`).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pytest

from app import rules
from app.bots import make_bot
from app.rules import control, red_cell
from app.rules.action_types import RedMove
from app.rules.feed import feed_line
from app.rules.state import (
    FOG_LEVELS,
    RED_CELL_SEAT,
    Effect,
    GameState,
    ScriptedEvent,
    Trigger,
)
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario
from tests.rules.view_secrets import secrets_for, structural_leaks

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
TURNS = 3
PERSONALITIES = ("cooperative", "hawk", "free_rider", "dove", "cooperative", "spoiler", "hawk")


@dataclass(frozen=True)
class Step:
    """A state a page could be shown, with every event up to it."""

    state: GameState
    log: tuple[rules.Event, ...]
    commanded: dict[str, frozenset[str]]  # viewer -> others' units it has commanded


def _accept(state: GameState, actor: str, action: rules.Action) -> rules.Accepted:
    result = rules.apply(state, actor, action)
    assert isinstance(result, rules.Accepted), result
    return result


def _extras(scenario_id: str, state: GameState) -> GameState:
    """Meridian Strait has no private inject: give it one, and a private new brief."""
    if scenario_id != "meridian-strait":
        return state
    whisper = ScriptedEvent(
        "lindmark-whisper",
        "A whisper from Lindmark's treasury",
        "Lindmark's treasury quietly finds SECRET-WHISPER-FUNDS for the relief effort.",
        Trigger("turn", value=2),
        (Effect("budget", "lindmark", 7),),
        public=False,
    )
    brief = ScriptedEvent(
        "cardosa-cabinet",
        "A reshuffle in Cardosa's cabinet",
        "Cardosa's new cabinet receives SECRET-CABINET-NOTE from its intelligence chiefs.",
        Trigger("turn", value=3),
        (Effect("leadership_change", "cardosa", 0, "SECRET-NEW-BRIEF: keep the strait shut."),),
        public=False,
    )
    # And a student red cell playing Teskar, whose moves stay hidden until resolved.
    opened = red_cell.seat_red_cell(replace(state, events=(*state.events, whisper, brief)), "human")
    assert isinstance(opened, rules.Accepted)
    return opened.state


def _red_move(state: GameState, log: list[rules.Event]) -> GameState:
    """The red cell signals words of its own each turn (secret until the turn resolves)."""
    if state.red_cell is None:
        return state
    move = RedMove("signal", f"SECRET-RED-SIGNAL-<{state.turn}>")
    chosen = _accept(state, RED_CELL_SEAT, move)
    log.extend(chosen.events)
    return chosen.state


def _talk(state: GameState, log: list[rules.Event]) -> GameState:
    """Private talks between the first two nations, and a word in each coalition channel."""
    first, second = state.nations[0].id, state.nations[1].id
    back_room = next((c for c in state.channels if c.name == "Back room"), None)
    if back_room is None:
        opened = _accept(state, first, rules.OpenChannel((second,), "Back room"))
        log.extend(opened.events)
        state = opened.state
        back_room = state.channels[-1]
    channel_id = back_room.id
    for actor, channel, text in (
        (first, channel_id, f"SECRET-BACKROOM-<{len(log)}>: we carry the cost, you the risk."),
        *(
            (c.members[0], f"coalition-{c.id}", f"SECRET-COALITION-{c.id}-<{len(log)}>")
            for c in state.coalitions
            if c.active
        ),
    ):
        sent = _accept(state, actor, rules.SendMessage(channel, text))
        log.extend(sent.events)
        state = sent.state
    return state


def _try(state: GameState, log: list[rules.Event], actor: str, action: rules.Action) -> GameState:
    result = rules.apply(state, actor, action)
    if isinstance(result, rules.Rejection):
        return state
    log.extend(result.events)
    return result.state


def _command(state: GameState, log: list[rules.Event]) -> GameState:
    """An integrated command arrangement in the first coalition, and a partner's unit
    placed under its command and tasked by the lead."""
    coalition = next((c for c in state.coalitions if c.active and len(c.members) > 1), None)
    if coalition is None:
        return state
    if coalition.command != "integrated":
        terms = {"coalition_id": coalition.id, "command": "integrated"}
        proposal = rules.Propose("command_arrangement", coalition.members, terms)
        state = _try(state, log, coalition.lead, proposal)
        agreement = state.agreements[-1]
        for member in coalition.members:
            state = _try(state, log, member, rules.Sign(agreement.id))
    for member in coalition.members:
        if member == coalition.lead:
            continue
        legal = rules.legal_actions(state, member)
        transfer = next((a for a in legal if isinstance(a, rules.TransferAuthority)), None)
        if transfer is not None:
            state = _try(state, log, member, transfer)
            tasking = next(
                (
                    a
                    for a in rules.legal_actions(state, coalition.lead)
                    if isinstance(a, rules.CommitUnit) and a.unit_id == transfer.unit_id
                ),
                None,
            )
            if tasking is not None:
                state = _try(state, log, coalition.lead, tasking)
            return state
    return state


@cache
def played(scenario_id: str) -> tuple[Step, ...]:
    scenario = load_scenario(SCENARIOS / f"{scenario_id}.yaml")
    state, events = opening_state(scenario, seed=7, now=0.0)
    state = _extras(scenario_id, replace(state, turns=TURNS))
    bots = {n.id: make_bot(p) for n, p in zip(state.nations, PERSONALITIES, strict=False)}
    rngs = {n: random.Random(f"{scenario_id}:{n}") for n in bots}
    log = list(events)
    commanded: dict[str, set[str]] = {}
    steps = []

    def step(state: GameState) -> None:
        transferred = [(t.coalition_id, t.unit_id) for t in state.transfers] + [
            (e.data["coalition_id"], e.data["unit_id"])
            for e in log
            if e.kind == "authority_transferred"
        ]
        for coalition_id, unit_id in transferred:
            coalition = state.coalition(coalition_id)
            if coalition is not None:
                commanded.setdefault(coalition.lead, set()).add(unit_id)
        steps.append(Step(state, tuple(log), {k: frozenset(v) for k, v in commanded.items()}))

    step(state)
    now = 0.0
    while state.phase is not rules.Phase.ENDED:
        state = _red_move(_talk(state, log), log)
        for _round in range(2):
            for nation_id, bot in bots.items():
                for action in bot.decide(state, nation_id, rngs[nation_id]):
                    result = rules.apply(state, nation_id, action)
                    if isinstance(result, rules.Accepted):
                        state = result.state
                        log.extend(result.events)
            step(state)
        state = _command(_talk(state, log), log)  # after the coalitions have grown
        step(state)
        # Control holds the turn and writes to one nation before releasing it.
        # Each made for the moment it is pressed at, as the console's forms are.
        actions: tuple[Callable[[GameState], control.ControlAction], ...] = (
            lambda _: control.SetHold(True),
            lambda s: control.EndPhaseNow(at=control.Moment.of(s)),
            lambda s: control.GiveFeedback(
                s.nations[2].id, f"SECRET-FEEDBACK-<{s.turn}>", at=control.Moment.of(s)
            ),
        )
        for make in actions:
            result = control.apply_control(state, make(state), now)
            assert isinstance(result, rules.Accepted), result
            state = result.state
            log.extend(result.events)
        step(state)
        now += 600
        released = control.apply_control(
            state, control.ReleaseTurn(at=control.Moment.of(state)), now
        )
        assert isinstance(released, rules.Accepted), released
        state = released.state
        log.extend(released.events)
        step(state)
    return tuple(steps)


def viewers(state: GameState) -> list[rules.Viewer]:
    return [
        *(rules.Viewer.of_nation(n.id) for n in state.nations),
        rules.Viewer.observer(),
        rules.Viewer.red_cell(),  # sees what observers see, and its own move
        rules.Viewer.control(),
    ]


def test_what_we_look_for_is_in_the_games() -> None:
    """The test below can fail: the games hold every kind of secret it looks for, and
    control (who may see everything) does see them."""
    for scenario_id in ("northern-reach", "meridian-strait"):
        final = played(scenario_id)[-1]
        state = final.state
        kinds = {e.kind for e in final.log}
        assert {"inject", "message_sent", "channel_opened", "control_feedback"} <= kinds
        assert any(not e.public for e in state.events if e.id in state.fired)
        assert any(c.joiners for c in state.channels), "a coalition channel has a joiner"
        assert "authority_transferred" in kinds and final.commanded, "a coalition command"
        assert any(a.kind not in rules.views.PUBLIC_AGREEMENTS for a in state.agreements)
        assert any(r.burden for r in state.records)
        assert any(r.fired_events for r in state.records)
        if scenario_id == "meridian-strait":  # the red cell's words, once resolved, are public
            assert any(m.kind == "signal" for r in state.records for m in r.adversary)
        if scenario_id == "northern-reach":
            arrangements = [a for a in state.agreements if a.kind == "command_arrangement"]
            assert any(a.status == "signed" for a in arrangements)
        everything = json.loads(json.dumps(rules.view(state, rules.Viewer.control())))
        feed = [rules.view_event(state, e, rules.Viewer.control()) for e in final.log]
        for nation in state.nations:
            secrets = secrets_for(state, rules.Viewer.of_nation(nation.id), final.log)
            # What is kept from each nation is there for control to see, and is found.
            assert secrets.found_in(everything) and secrets.found_in(feed), nation.id


@pytest.mark.parametrize("fog", FOG_LEVELS)
@pytest.mark.parametrize("scenario_id", ["northern-reach", "meridian-strait"])
def test_no_view_shows_a_viewer_what_is_not_its_to_see(scenario_id: str, fog: str) -> None:
    leaks: list[str] = []
    for step in played(scenario_id):
        state = replace(step.state, fog=fog)
        for viewer in viewers(state):
            commanded = step.commanded.get(viewer.nation_id or "", frozenset())
            secrets = secrets_for(state, viewer, step.log, commanded)
            seen = json.loads(json.dumps(rules.view(state, viewer)))
            where = f"turn {state.turn} {state.phase.value}, {viewer.key}"
            leaks.extend(f"{where}: {leak}" for leak in secrets.found_in(seen))
            leaks.extend(
                f"{where}: {leak}" for leak in structural_leaks(state, viewer, seen, step.log)
            )
            for event in step.log:
                shown = rules.view_event(state, event, viewer)
                leaks.extend(f"{where}, {event.kind}: {leak}" for leak in secrets.found_in(shown))
                # The line's parameters too: only what the viewer may know.
                line = feed_line(state, event, viewer)
                said = None if line is None else {"code": line.code, "params": dict(line.params)}
                leaks.extend(
                    f"{where}, {event.kind} line: {leak}" for leak in secrets.found_in(said)
                )
    assert leaks == [], "\n".join(leaks[:40])


def _meridian_opening() -> GameState:
    state, _events = opening_state(
        load_scenario(SCENARIOS / "meridian-strait.yaml"), seed=7, now=0.0
    )
    return state


def _listed(state: GameState, viewer: rules.Viewer) -> set[str]:
    seen = rules.view(state, viewer)
    return {c["subject"] for c in seen["changes_so_far"]["changes"]} | {
        c["subject"] for r in seen["records"] for c in r["changes"]
    }


@pytest.mark.parametrize(
    ("target", "told"),
    [("arvenia>cardosa", {"arvenia", "cardosa"}), ("*", set())],
)
def test_a_private_inject_s_trust_is_listed_only_to_those_it_names(
    target: str, told: set[str]
) -> None:
    """Each pair's change is its truster's and trusted's to see, within the inject's
    audience: an inject on everyone's trust, told to no nation, is control's alone."""
    state = _meridian_opening()
    quiet = ScriptedEvent(
        "quiet-word",
        "A quiet word",
        "SECRET-QUIET-WORD",
        Trigger("turn", value=9),
        (Effect("trust", target, -6),),
        public=False,
    )
    state = replace(state, events=(*state.events, quiet))
    fired = control.apply_control(
        state, control.FireInject("quiet-word", at=control.Moment.of(state)), 0.0
    )
    assert isinstance(fired, rules.Accepted), fired
    state = fired.state
    assert any(c.subject.startswith("trust:") for c in state.pending_changes)
    for nation in state.nations:
        trust = {s for s in _listed(state, rules.Viewer.of_nation(nation.id)) if "trust" in s}
        assert bool(trust) == (nation.id in told), (nation.id, trust)
        assert all(nation.id in s.partition(":")[2].split(">") for s in trust)
    assert not any("trust" in s for s in _listed(state, rules.Viewer.observer()))
    assert any("trust" in s for s in _listed(state, rules.Viewer.control()))


def test_a_nation_that_leaves_sees_the_trust_it_lost_and_others_do_not() -> None:
    state = _meridian_opening()
    terms = {"name": "Strait Partners", "lead": "arvenia"}
    proposal = rules.Propose("coalition_membership", ("arvenia", "cardosa", "lindmark"), terms)
    made = rules.apply(state, "arvenia", proposal)
    assert isinstance(made, rules.Accepted)
    state = made.state
    for signer in ("cardosa", "lindmark"):
        signed = rules.apply(state, signer, rules.Sign(state.agreements[-1].id))
        assert isinstance(signed, rules.Accepted)
        state = signed.state
    coalition = state.coalitions[-1]
    left = rules.apply(state, "lindmark", rules.LeaveCoalition(coalition.id))
    assert isinstance(left, rules.Accepted), left
    state = left.state
    lost = {"trust:arvenia>lindmark", "trust:cardosa>lindmark"}
    assert lost <= _listed(state, rules.Viewer.of_nation("lindmark"))
    assert "trust:cardosa>lindmark" not in _listed(state, rules.Viewer.of_nation("arvenia"))
