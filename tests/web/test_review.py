"""The review of a turn ("What changed in turn N") shows every change its viewer may
see, however small, each with its reason, grouped where one reason moved many numbers
alike (issue 14): a defensive operation's quarter rung of pressure is on the page, the
trust a coalition's founding moved is there with its reason (so far in the turn, then in
its review), and each nation sees what the others now think of it, not the trust
between others."""

from __future__ import annotations

from dataclasses import replace

from app import rules
from app.rules.action_types import CommitUnit
from app.rules.resolution import resolve_turn
from app.rules.state import GameState
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario
from app.services.game_results import Snapshot
from app.web.rendering import (
    PageRenderer,
    change_line_label,
    make_templates,
    signed,
    subject_label,
)
from tests.conftest import SCENARIOS_DIR

TEMPLATES = make_templates()


def _results(state: GameState, viewer: rules.Viewer) -> str:
    context = PageRenderer(TEMPLATES).context(Snapshot("g-1", "A game", 1, state), viewer, now=0)
    return TEMPLATES.get_template("fragments/results.html").render(context)


def _apply(state: GameState, actor: str, action: rules.Action) -> GameState:
    result = rules.apply(state, actor, action)
    assert isinstance(result, rules.Accepted), result
    return result.state


def _meridian() -> GameState:
    state, _events = opening_state(
        load_scenario(SCENARIOS_DIR / "meridian-strait.yaml"), seed=5, now=0.0
    )
    # Northern Watch made a defensive patrol, against an adversary with no reaction table
    # (the flat rule): a quarter of a rung of pressure.
    watch = state.operation("northern-watch")
    assert watch is not None
    state = replace(state, actors=tuple(replace(a, reaction=None) for a in state.actors))
    return state.replace_operation(replace(watch, posture="defensive"))


def _founded(state: GameState) -> GameState:
    terms = {"name": "Strait Partners", "lead": "arvenia", "command": "integrated"}
    state = _apply(
        state, "arvenia", rules.Propose("coalition_membership", ("arvenia", "cardosa"), terms)
    )
    return _apply(state, "cardosa", rules.Sign(state.agreements[-1].id))


def test_signed_numbers_are_shown_as_they_moved() -> None:
    assert [signed(d) for d in (3, -4.0, 0.25, -0.5, 0.125)] == [
        "+3",
        "-4",
        "+0.25",
        "-0.5",
        "+0.125",
    ]


def test_a_founding_shows_its_trust_so_far_with_its_reason_to_its_parties_only() -> None:
    state = _founded(_meridian())
    arvenia = _results(state, rules.Viewer.of_nation("arvenia"))
    assert "What changed so far in turn 1" in arvenia
    assert "trust between Arvenia and Cardosa" in arvenia and "+2" in arvenia
    assert "Arvenia and Cardosa found Strait Partners" in arvenia
    lindmark = _results(state, rules.Viewer.of_nation("lindmark"))
    assert "trust between Arvenia and Cardosa" not in lindmark
    assert "cohesion of Strait Partners" in lindmark  # a coalition's cohesion is public


def test_the_review_lists_every_change_however_small() -> None:
    state = _founded(_meridian())
    state = _apply(state, "arvenia", CommitUnit("arv-air-wing", "northern-watch"))
    resolved, _events = resolve_turn(state, 0.0)
    record = resolved.records[-1]
    quarter = [c for c in record.changes if c.subject == "escalation pressure" and c.delta == 0.25]
    assert quarter, record.changes
    for viewer in (rules.Viewer.of_nation("arvenia"), rules.Viewer.observer()):
        page = _results(resolved, viewer)
        assert "What changed in turn 1" in page
        assert "Escalation pressure" in page and "+0.25" in page
        assert "hard power at Northern Watch" in page
        assert "&lt;&#39;s" not in page and "<'s" not in page
    arvenia = _results(resolved, rules.Viewer.of_nation("arvenia"))
    # The founding's trust, made during the turn, is in the turn's review with its reason.
    assert "Arvenia and Cardosa found Strait Partners" in arvenia
    # Every change the view lists for the viewer is on the page, by its reason.
    seen = rules.view(resolved, rules.Viewer.of_nation("arvenia"))["records"][-1]
    for line in seen["change_lines"]:
        assert str(line["reason"]).replace("'", "&#39;") in arvenia, line


def test_a_nation_sees_what_others_now_think_of_it() -> None:
    state = _founded(_meridian())
    cardosa = rules.view(state, rules.Viewer.of_nation("cardosa"))
    assert cardosa["me"]["trusted_by"]["arvenia"] == state.trust("arvenia", "cardosa")
    subjects = {c["subject"] for c in cardosa["changes_so_far"]["changes"]}
    assert "trust:arvenia>cardosa" in subjects
    assert not any("lindmark" in s for s in subjects)


def test_no_subject_reads_as_a_broken_name() -> None:
    """ "trust:arvenia<>lindmark" (as games stored it before trust was listed per pair)
    once read "arvenia<'s trust in Lindmark"."""
    names = {"arvenia": "Arvenia", "lindmark": "Lindmark", "cardosa": "Cardosa"}
    game: dict[str, list[dict[str, str]]] = {"coalitions": [], "operations": [], "actors": []}
    assert subject_label("trust:arvenia<>lindmark", names, game) == (
        "trust between Arvenia and Lindmark"
    )
    assert subject_label("trust:arvenia>lindmark", names, game) == "Arvenia's trust in Lindmark"
    every_pair = [f"trust:{a}>{b}" for a in names for b in names if a != b]
    line = {"kind": "trust", "subjects": every_pair}
    assert change_line_label(line, names, game) == "trust among Arvenia, Cardosa and Lindmark"
    one_way = {"kind": "trust", "subjects": ["trust:arvenia>lindmark", "trust:cardosa>lindmark"]}
    assert change_line_label(one_way, names, game) == (
        "Arvenia's trust in Lindmark; Cardosa's trust in Lindmark"
    )
