"""A scripted inject that makes an operation harder says so in the news: which operation,
its difficulty now and the change, in the same feed line as the inject's text."""

from __future__ import annotations

from app import rules
from app.rules.injects import fire_one
from app.rules.ledger import Ledger
from app.rules.state import Effect, ScriptedEvent, Trigger


def test_an_inject_raising_difficulty_says_what_changed(game: rules.GameState) -> None:
    before = game.operation("hammerfall")
    assert before is not None
    storm = ScriptedEvent(
        "storm",
        "Storm season",
        "Gales sweep the strait.",
        Trigger("turn", value=1),
        (Effect("difficulty", "hammerfall", 2),),
    )
    state, event = fire_one(game, storm, Ledger())
    after = state.operation("hammerfall")
    assert after is not None and after.difficulty == before.difficulty + 2
    line = rules.view_event(state, event, rules.Viewer.of_nation("aurora"))
    assert line is not None
    assert line["text"] == (
        f"Storm season: Gales sweep the strait. ({after.name}: difficulty now "
        f"{after.difficulty} (+2).)"
    )


def test_an_inject_that_changes_no_operation_reads_as_before(game: rules.GameState) -> None:
    calm = ScriptedEvent("calm", "Calm", "Nothing moves.", Trigger("turn", value=1))
    state, event = fire_one(game, calm, Ledger())
    line = rules.view_event(state, event, rules.Viewer.observer())
    assert line is not None and line["text"] == "Calm: Nothing moves."
    assert "operations" not in event.data
