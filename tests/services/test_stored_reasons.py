"""The after-action review reads a game stored when reasons were sentences (factor names,
details, summaries, support reasons) exactly as it reads one stored with reason codes."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from app import rules
from app.rules.wording import words
from app.services.aar.export import outcome_rows
from app.services.aar.timeline import timeline
from app.services.game_results import LoggedEvent
from tests.rules.conftest import build_game
from tests.rules.test_change_reasons import _as_stored_before_codes, _resolved


def _resolution_event(state: rules.GameState, old: bool) -> LoggedEvent:
    support: dict[str, list[dict[str, Any]]] = {}
    for change in state.records[-1].changes:
        if change.subject.startswith("support:"):
            reason = words(change.reason, state) if old else asdict(change.reason)
            support.setdefault(change.subject.split(":", 1)[1], []).append(
                {"reason": reason, "change": change.delta}
            )
    data = {"turn": 1, "escalation": {"from": 0, "to": 0}, "support": support, "next_turn": 2}
    return LoggedEvent(1, 1, rules.Event("turn_resolved", None, data))


def test_the_review_reads_a_game_stored_with_sentences_as_before() -> None:
    game, _events = build_game()
    resolved = _resolved(game)
    loaded = rules.state_from_dict(_as_stored_before_codes(resolved))

    old = timeline([_resolution_event(loaded, old=True)], loaded)
    new = timeline([_resolution_event(resolved, old=False)], resolved)
    assert old == new
    (entry,) = [e for t in new for e in t.entries if e.resolution is not None]
    assert entry.resolution is not None
    (hammerfall,) = [o for o in entry.resolution.outcomes if o.operation_id == "hammerfall"]
    assert hammerfall.overridden
    assert "control adjudicated it a failure: the bridge was down" in hammerfall.notes
    assert outcome_rows(loaded) == outcome_rows(resolved)
