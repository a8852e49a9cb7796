"""The red cell (app/rules/red_cell.py): a student or a bot plays the adversary. Its move
replaces the reaction table's probe and backing down, stays hidden until the turn
resolves, is explained like every other move, and is scored in its own scorecard."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from app import rules
from app.bots.red_cell import choose_red_move
from app.rules import red_cell
from app.rules.action_types import RedMove
from app.rules.events import EventKind
from app.rules.feed import view_event
from app.rules.resolution import phase_should_end
from app.rules.state import RED_CELL_SEAT, Coalition, GameState, Phase
from app.rules.wording import words
from app.rules.wording.changes import ChangeReason
from tests.rules.conftest import NOW

RED = RED_CELL_SEAT


def _seated(state: GameState, seat: str = "human") -> GameState:
    opened = red_cell.seat_red_cell(state, "vacant")
    assert isinstance(opened, rules.Accepted)
    taken = red_cell.seat_red_cell(opened.state, seat, "red" if seat == "bot" else None)  # type: ignore[arg-type]
    assert isinstance(taken, rules.Accepted)
    return taken.state


def _move(state: GameState, move: str, text: str = "") -> GameState:
    result = rules.apply(state, RED, RedMove(move, text))
    assert isinstance(result, rules.Accepted), result
    return result.state


def _resolve(state: GameState) -> tuple[GameState, tuple[rules.Event, ...]]:
    return rules.resolve_turn(state, NOW)


def _with_united_coalition(
    state: GameState, members: tuple[str, ...], operation_id: str
) -> GameState:
    """`members` in a cohesive coalition that has taken on `operation_id`."""
    coalition = Coalition(
        id="c-test",
        name="Strait Coalition",
        lead=members[0],
        members=members,
        operations=(operation_id,),
        command="integrated",
        mandate="regional",
        cohesion=80,
    )
    return replace(state, coalitions=(coalition,))


def _united_in_the_field(state: GameState) -> GameState:
    """Two nations in a cohesive coalition, each with a unit in its hard-power operation."""
    hard = next(o for o in state.operations if o.power == "hard" and o.open_at(state.turn))
    commits = {
        nation.id: action
        for nation in state.nations
        for action in rules.legal_actions(state, nation.id)
        if isinstance(action, rules.CommitUnit) and action.operation_id == hard.id
    }
    members = tuple(sorted(commits))[:2]
    assert len(members) == 2
    united = _with_united_coalition(state, members, hard.id)
    for nation_id in members:
        committed = rules.apply(united, nation_id, commits[nation_id])
        assert isinstance(committed, rules.Accepted), committed
        united = committed.state
    return united


def test_a_move_is_read_from_input_and_bad_input_is_refused_with_its_reason() -> None:
    assert rules.parse_action({"kind": "red_move", "move": "signal", "text": " Back  off "}) == (
        RedMove("signal", "Back off")
    )
    unknown = rules.parse_action({"kind": "red_move", "move": "nuke"})
    assert isinstance(unknown, rules.Rejection) and unknown.code == "malformed"
    assert "must be one of hold, escalate, probe" in unknown.message
    worded = rules.parse_action({"kind": "red_move", "move": "signal", "text": 5})
    assert isinstance(worded, rules.Rejection) and "must be text" in worded.message
    too_long = rules.parse_action({"kind": "red_move", "move": "signal", "text": "x" * 501})
    assert isinstance(too_long, rules.Rejection) and too_long.code == "bad_text"


def test_only_the_seated_red_cell_moves_and_it_takes_no_nation_s_actions(
    meridian: GameState,
) -> None:
    # No seat opened: the table plays, so nobody may move for it.
    refused = rules.apply(meridian, RED, RedMove("hold"))
    assert isinstance(refused, rules.Rejection) and refused.code == "not_red_cell"
    state = _seated(meridian)
    # A nation cannot make the adversary's moves...
    by_nation = rules.apply(state, "arvenia", RedMove("escalate"))
    assert isinstance(by_nation, rules.Rejection) and by_nation.code == "not_red_cell"
    # ...and the red cell cannot act as a nation.
    unit = meridian.nations[0].units[0].id
    as_nation = rules.apply(state, RED, rules.CommitUnit(unit, meridian.operations[0].id))
    assert isinstance(as_nation, rules.Rejection) and as_nation.code == "not_a_nation"
    assert "its moves are hold, escalate" in as_nation.message
    # A signal needs words; the ladder's top cannot be climbed.
    silent = rules.apply(state, RED, RedMove("signal"))
    assert isinstance(silent, rules.Rejection) and "needs its words" in silent.message
    top = replace(state, escalation=replace(state.escalation, level=state.escalation.max))
    assert isinstance(rules.apply(top, RED, RedMove("escalate")), rules.Rejection)
    assert "escalate" not in {m.move for m in red_cell.legal_red_moves(top, RED)}
    # Terms only once the crisis is down to the adversary's rung (Meridian: 1; it opens at 3).
    assert {m.move for m in red_cell.legal_red_moves(state, RED)} == set(red_cell.RED_MOVES) - {
        "accept_terms"
    }
    early = rules.apply(state, RED, RedMove("accept_terms"))
    assert isinstance(early, rules.Rejection) and early.code == "terms_not_yet"
    assert "only once the crisis is down to level 1 (it is at 3)" in early.message
    no_terms = replace(
        state,
        actors=tuple(
            replace(a, reaction=replace(a.reaction, backs_down_at=None)) if a.reaction else a
            for a in state.actors
        ),
    )
    never = rules.apply(
        replace(no_terms, escalation=replace(state.escalation, level=0)),
        RED,
        RedMove("accept_terms"),
    )
    assert isinstance(never, rules.Rejection) and never.code == "no_terms"
    assert set(rules.legal_actions(state, RED)) == set(red_cell.legal_red_moves(state, RED))


def test_a_scenario_whose_adversary_has_no_reaction_table_has_no_red_cell(
    meridian: GameState,
) -> None:
    adversary = meridian.adversary()
    assert adversary is not None
    tableless = replace(
        meridian,
        actors=tuple(replace(a, reaction=None) if a is adversary else a for a in meridian.actors),
    )
    refused = red_cell.seat_red_cell(tableless, "vacant")
    assert isinstance(refused, rules.Rejection) and refused.code == "no_adversary"


def test_the_move_stays_hidden_from_the_nations_until_the_turn_resolves(
    meridian: GameState,
) -> None:
    state = _seated(meridian)
    result = rules.apply(state, RED, RedMove("signal", "The Narrows are ours: zxq-warning"))
    assert isinstance(result, rules.Accepted)
    state = result.state
    chosen = result.events[0]
    assert chosen.kind == EventKind.RED_MOVE_CHOSEN
    for viewer in (rules.Viewer.of_nation("arvenia"), rules.Viewer.observer()):
        assert view_event(state, chosen, viewer) is None
        seen = rules.view(state, viewer)
        assert "zxq-warning" not in repr(seen)
        assert seen["adversary"]["played_by"] == "human"
        assert "move" not in seen["adversary"]
    for viewer in (rules.Viewer.red_cell(), rules.Viewer.control()):
        entry = view_event(state, chosen, viewer)
        assert entry is not None and entry["text"] == "The red cell chose its move: signal."
        assert rules.view(state, viewer)["adversary"]["move"] == "signal"
    # Resolved, the words are public, in the turn's line.
    state, events = _resolve(state)
    resolved = next(e for e in events if e.kind == EventKind.TURN_RESOLVED)
    line = view_event(state, resolved, rules.Viewer.of_nation("arvenia"))
    assert line is not None
    assert "Teskari Directorate signals" in line["text"]
    assert "“The Narrows are ours: zxq-warning”" in line["text"]


def test_a_student_red_cell_holds_the_turn_open_until_it_has_chosen(
    meridian: GameState,
) -> None:
    everyone_ready = replace(meridian, ready=frozenset(n.id for n in meridian.nations))
    assert phase_should_end(everyone_ready, NOW)
    state = _seated(everyone_ready)
    assert RED in state.player_seats() and not phase_should_end(state, NOW)
    assert phase_should_end(_move(state, "hold"), NOW)
    # A bot's seat never holds the turn open.
    assert phase_should_end(_seated(everyone_ready, "bot"), NOW)


def test_escalating_adds_one_rung_of_pressure_explained_and_the_move_is_cleared(
    meridian: GameState,
) -> None:
    held, _ = _resolve(_move(_seated(meridian), "hold"))
    escalated, _ = _resolve(_move(_seated(meridian), "escalate"))
    move = next(m for m in escalated.records[-1].adversary if m.kind == "escalate")
    assert move.pressure == red_cell.ESCALATE_PRESSURE
    assert words(move.reason, escalated).startswith("the red cell escalates")
    # Same seed, same everything else: the one rung is the whole difference.
    total = sum(m.pressure for m in escalated.records[-1].adversary)
    assert total == pytest.approx(sum(m.pressure for m in held.records[-1].adversary) + 1.0)
    assert escalated.red_cell is not None and escalated.red_cell.move is None
    assert escalated.red_cell.seat == "human"  # the seat stays; the move is per turn


def test_a_probe_gains_by_the_signs_of_weakness_and_is_rebuffed_by_a_united_deterrent(
    meridian: GameState,
) -> None:
    reaction = meridian.adversary().reaction  # type: ignore[union-attr]
    assert reaction is not None and reaction.probe > 0
    # Nobody in a coalition and nobody acting: divided and undeterred (two signs).
    probed, _ = _resolve(_move(_seated(meridian), "probe"))
    probe = next(m for m in probed.records[-1].adversary if m.kind == "probe")
    assert probe.pressure == pytest.approx(2 * reaction.probe)
    assert probe.reason.code == ChangeReason.RED_CELL_PROBES
    assert "no coalition at cohesion 50 or more" in words(probe.reason, probed)
    # A cohesive coalition with two members in a hard-power operation: no sign at all.
    united = _united_in_the_field(_seated(meridian))
    rebuffed_state, _ = _resolve(_move(united, "probe"))
    rebuffed = next(m for m in rebuffed_state.records[-1].adversary if m.kind == "probe")
    assert rebuffed.pressure == pytest.approx(-reaction.probe)
    assert "is rebuffed" in words(rebuffed.reason, rebuffed_state)


def test_with_a_red_cell_the_table_no_longer_probes_but_still_answers_force(
    meridian: GameState,
) -> None:
    by_table, _ = _resolve(meridian)
    assert "probe" in {m.kind for m in by_table.records[-1].adversary}
    by_red, _ = _resolve(_move(_seated(meridian), "hold"))
    kinds = {m.kind for m in by_red.records[-1].adversary}
    assert "probe" not in kinds
    # Drift (nobody acted) is the crisis's own, kept by the rules.
    assert "drift" in kinds
    # A red cell that chose nothing (absent, out of time) is no softer than the table.
    absent, _ = _resolve(_seated(meridian))
    assert absent.records[-1].adversary == by_table.records[-1].adversary


def test_deterrence_that_works_ends_the_crisis_whoever_plays_the_adversary(
    meridian: GameState,
) -> None:
    """The table's backing down is what force does: a red cell that holds cannot refuse it
    once a united coalition deters it at its rung."""
    low = replace(meridian, escalation=replace(meridian.escalation, level=1))
    state = _united_in_the_field(_seated(low))
    settled, _ = _resolve(_move(state, "hold"))
    assert settled.phase is Phase.ENDED
    assert settled.records[-1].adversary[-1].reason.code == ChangeReason.ADVERSARY_BACKS_DOWN


def test_accepting_terms_ends_the_crisis_with_the_turn(meridian: GameState) -> None:
    low = replace(meridian, escalation=replace(meridian.escalation, level=1))
    state, events = _resolve(_move(_seated(low), "accept_terms", "We withdraw."))
    assert state.phase is Phase.ENDED
    settled = state.records[-1].adversary[-1]
    assert settled.kind == "back_down"
    assert words(settled.reason, state) == (
        "the red cell accepts the coalition's terms and the crisis ends: “We withdraw.”"
    )
    report = next(e for e in events if e.kind == EventKind.TURN_RESOLVED).data["adversary"]
    assert report["ended"] is True and report["said"] == ["We withdraw."]
    card = red_cell.scorecard(state)
    assert card.backed_down_turn == 1
    assert dict(card.lines)["held out to the end (no backing down)"] == 0


def test_the_scorecard_adds_up_its_lines(meridian: GameState) -> None:
    state = _seated(meridian)
    for _turn in range(3):
        state, _ = _resolve(_move(state, "escalate"))
    card = red_cell.scorecard(state)
    assert card.moves["escalate"] == 3
    assert card.score == sum(points for _, points in card.lines)
    assert card.peak == state.escalation.peak
    assert card.operations_denied == sum(
        o.status == "failed" or (o.status == "open" and o.opens_turn <= state.turn)
        for o in state.operations
    )
    assert dict(card.lines)["held out to the end (no backing down)"] == 10
    # Three deliberate rungs (and the table's answers) climbed; still below open war.
    climbed = state.escalation.peak - meridian.escalation.level
    if state.escalation.peak < state.escalation.threshold:
        assert dict(card.lines)["pressure: rungs climbed below the threshold (2 each)"] == (
            2 * climbed
        )
    else:
        assert dict(card.lines)["the crisis went past its threshold: open war"] == -15


def test_escalation_changes_add_up_with_a_red_cell(meridian: GameState) -> None:
    """Every move is a listed change of escalation pressure, and the listed changes move
    the ladder exactly (whole points move it a rung, the rest carries over)."""
    state = _seated(meridian)
    for move in ("escalate", "probe", "offer_talks"):
        before = state.escalation
        state, _ = _resolve(_move(state, move))
        record = state.records[-1]
        # (Less the ledger's own conversion of whole points into a rung.)
        listed = [
            c
            for c in record.changes
            if c.subject == "escalation pressure" and c.reason.code != "pressure_to_level"
        ]
        for adversary_move in record.adversary:
            if adversary_move.pressure:
                assert any(c.reason == adversary_move.reason for c in listed), adversary_move
        pressure = sum(c.delta for c in listed)
        expected = before.level + int(before.pressure + pressure)
        assert state.escalation.level == min(before.max, max(0, expected))


def test_the_red_cell_bot_always_makes_a_legal_move_over_a_game(meridian: GameState) -> None:
    state = _seated(meridian, "bot")
    made = []
    while state.phase is Phase.ORDERS:
        move = choose_red_move(state, random.Random(state.turn))
        assert move is not None
        state = _move(state, move.move, move.text)
        made.append(move.move)
        state, _ = _resolve(state)
    assert len(made) >= 2 and set(made) <= set(red_cell.RED_MOVES)
