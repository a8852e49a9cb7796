"""Every feed line is a reason: a `FeedLine` code and its parameters, worded in one place
(`app/rules/wording/feed.py`) into the `text` each viewer's entry carries."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import rules
from app.rules.events import EventKind
from app.rules.feed import feed_line
from app.rules.state import FOG_LEVELS
from app.rules.wording import words
from app.rules.wording.feed import FeedLine
from tests.rules.test_events import SCENARIO_IDS, played


def _viewers(state: rules.GameState) -> list[rules.Viewer]:
    nations = [rules.Viewer.of_nation(n.id) for n in state.nations]
    return [rules.Viewer.control(), rules.Viewer.observer(), *nations]


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_each_entrys_text_is_its_line_in_words(scenario_id: str) -> None:
    log = played(scenario_id)
    for fog in FOG_LEVELS:
        state = replace(log.state, fog=fog)
        for viewer in _viewers(state):
            for event in log.events:
                entry = rules.view_event(state, event, viewer)
                line = feed_line(state, event, viewer)
                if entry is None:
                    assert line is None
                    continue
                assert line is not None and isinstance(line.code, FeedLine)
                assert entry["text"] == words(line, state)


def test_the_games_give_every_line() -> None:
    given = set()
    for scenario_id in SCENARIO_IDS:
        log = played(scenario_id)
        for fog in FOG_LEVELS:
            state = replace(log.state, fog=fog)
            for viewer in _viewers(state):
                lines = (feed_line(state, e, viewer) for e in log.events)
                given |= {line.code for line in lines if line is not None}
    # Told by the services; and the demo's first seat (tests/rules/test_first_seat_clock.py).
    assert set(FeedLine) - given == {FeedLine.GAME_BRANCHED, FeedLine.CLOCK_STARTED}


def test_a_branchs_first_line_names_where_it_came_from() -> None:
    state = played(SCENARIO_IDS[0]).state
    event = rules.Event(EventKind.GAME_BRANCHED, None, {"from_name": "Syndicate 1", "from_turn": 2})
    line = feed_line(state, event, rules.Viewer.observer())
    assert line is not None and line.code == FeedLine.GAME_BRANCHED
    assert dict(line.params) == {"from_name": "Syndicate 1", "from_turn": 2}
    assert words(line, state) == (
        "This exercise branches from 'Syndicate 1' at the start of turn 2: what happened "
        "before is history, the rest is yours."
    )


def test_a_line_read_without_a_state_keeps_its_ids() -> None:
    state = played(SCENARIO_IDS[0]).state
    joined = rules.Event(EventKind.SEAT_JOINED, "arvenia", {"nation_id": "arvenia"})
    line = feed_line(state, joined, rules.Viewer.observer())
    assert line is not None and dict(line.params) == {"who": "arvenia"}
    assert words(line) == "A player has taken the seat of arvenia."
    assert (
        words(replace(line, params={"who": "control"})) == "A player has taken the seat of Control."
    )


def test_controls_notes_name_the_nation_and_operation() -> None:
    state = played(SCENARIO_IDS[0]).state
    nation, operation = state.nations[0], state.operations[0]
    control = rules.Viewer.control()
    saved = rules.Event(EventKind.FEEDBACK_WRITTEN, None, {"nation_id": nation.id, "text": "x"})
    line = feed_line(state, saved, control)
    assert line is not None and words(line, state) == f"Feedback to {nation.name} saved."
    removed = rules.Event(
        EventKind.OUTCOME_OVERRIDDEN, None, {"operation_id": operation.id, "result": None}
    )
    line = feed_line(state, removed, control)
    assert line is not None and words(line, state) == f"Override of {operation.name} removed."
