"""Legitimacy negotiated, not scripted (issue 15, part 4; docs/rules/legitimacy.md): a
coalition's lead asks a council for a mandate and the council answers by its terms and the
coalition's conduct; the council's attitude moves with that conduct; an NGO consents to
coordination only while it trusts the effort and no party has harmed civilians where it
works."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app import rules
from app.rules.action_types import RequestMandate
from app.rules.events import EventKind
from app.rules.feed import view_event
from app.rules.ledger import Ledger
from app.rules.reasons import in_words
from app.rules.records import Contribution
from app.rules.resolution.opinion import move_population
from app.rules.resolution.tuning import SOVEREIGNTY_AFFRONT
from app.rules.state import Coalition, GameState, MandateTerms, Outcome
from app.rules.wording.changes import ChangeReason
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario
from tests.rules.conftest import NOW

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
COUNCIL = "regional-summit"  # Meridian Strait's: grants a regional mandate at attitude 55


def _coalition(state: GameState, members: tuple[str, ...] = ("arvenia", "lindmark")) -> GameState:
    coalition = Coalition(
        id="c-1",
        name="Strait Coalition",
        lead=members[0],
        members=members,
        command="integrated",
        mandate="none",
        cohesion=70,
    )
    return replace(state, coalitions=(coalition,))


def _outcome(operation_id: str, result: str, nation_id: str, *, harm: bool = False) -> Outcome:
    return Outcome(
        turn=1,
        operation_id=operation_id,
        result=result,  # type: ignore[arg-type]
        effectiveness=0.5,
        probability_success=0.5,
        probability_partial=0.2,
        roll=0.5,
        factors=(),
        contributions=(Contribution(nation_id, ("u",), 3, 0),),
        escalation_change=0.0,
        summary=in_words("a test outcome"),
        civilian_harm=harm,
    )


def _council(state: GameState, actor_id: str = COUNCIL, **changes: object) -> GameState:
    return replace(
        state,
        actors=tuple(replace(a, **changes) if a.id == actor_id else a for a in state.actors),
    )


def _ask(state: GameState, actor: str = "arvenia") -> rules.Accepted:
    result = rules.apply(state, actor, RequestMandate("c-1", COUNCIL))
    assert isinstance(result, rules.Accepted), result
    return result


def test_a_council_grants_a_well_behaved_coalition_its_mandate_and_says_so(
    meridian: GameState,
) -> None:
    result = _ask(_coalition(meridian))
    coalition = result.state.coalition("c-1")
    assert coalition is not None and coalition.mandate == "regional"
    event = result.events[0]
    assert event.kind == EventKind.MANDATE_ANSWERED and event.data["granted"] is True
    line = view_event(result.state, event, rules.Viewer.of_nation("cardosa"))  # public
    assert line is not None
    assert line["text"] == (
        "Arvenia asked Regional summit for a mandate for Strait Coalition. Regional summit "
        "grants Strait Coalition a regional mandate (its attitude 55): force it uses is now "
        "lawful in the world's eyes."
    )
    # Listed with the turn's changes, and it counts in the legitimacy factor from now on.
    assert any(c.subject == "mandate:c-1" for c in result.state.pending_changes)
    # A coalition with a mandate does not ask again.
    again = rules.apply(result.state, "arvenia", RequestMandate("c-1", COUNCIL))
    assert isinstance(again, rules.Rejection) and again.code == "has_mandate"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"mandate": MandateTerms(vetoed_by="Teskar's patron")}, ChangeReason.MANDATE_VETOED),
        ({"attitude": 40}, ChangeReason.MANDATE_DOUBTED),
        (
            {"mandate": MandateTerms(attitude_at_least=50, members_at_least=3)},
            ChangeReason.MANDATE_TOO_FEW,
        ),
    ],
)
def test_a_council_refuses_for_its_reason_and_the_coalition_may_ask_next_turn(
    meridian: GameState, change: dict[str, object], expected: ChangeReason
) -> None:
    state = _council(_coalition(meridian), **change)
    result = _ask(state)
    assert result.events[0].data["granted"] is False
    assert result.events[0].data["reason"]["code"] == expected
    assert result.state.coalition("c-1").mandate == "none"  # type: ignore[union-attr]
    twice = rules.apply(result.state, "arvenia", RequestMandate("c-1", COUNCIL))
    assert isinstance(twice, rules.Rejection) and twice.code == "asked_this_turn"
    resolved, _ = rules.resolve_turn(result.state, NOW)
    assert rules.apply(resolved, "arvenia", RequestMandate("c-1", COUNCIL)) is not None
    assert resolved.mandate_requests == ()


def test_only_the_lead_asks_and_only_a_council_answers(meridian: GameState) -> None:
    state = _coalition(meridian)
    by_member = rules.apply(state, "lindmark", RequestMandate("c-1", COUNCIL))
    assert isinstance(by_member, rules.Rejection) and by_member.code == "not_lead"
    to_ngo = rules.apply(state, "arvenia", RequestMandate("c-1", "saltmarsh-aid"))
    assert isinstance(to_ngo, rules.Rejection) and to_ngo.code == "not_a_council"
    legal = [a for a in rules.legal_actions(state, "arvenia") if isinstance(a, RequestMandate)]
    assert legal == [RequestMandate("c-1", COUNCIL)]
    assert not [a for a in rules.legal_actions(state, "lindmark") if isinstance(a, RequestMandate)]


def test_a_council_refuses_while_the_coalition_s_forces_have_just_harmed_civilians(
    meridian: GameState,
) -> None:
    state = _coalition(meridian)
    hard = next(o for o in state.operations if o.power == "hard")
    harm = _outcome(hard.id, "failure", "lindmark", harm=True)
    record = rules.resolve_turn(state, NOW)[0].records[-1]
    harmed = replace(state, outcomes=(harm,), records=(replace(record, turn=1),))
    answer = _ask(harmed).events[0].data
    assert answer["granted"] is False and answer["reason"]["code"] == ChangeReason.MANDATE_HARM


def test_the_council_s_attitude_moves_with_the_coalition_s_conduct(meridian: GameState) -> None:
    hard = next(o for o in meridian.operations if o.power == "hard")
    soft = next(o for o in meridian.operations if o.power == "soft")
    outcomes = (
        _outcome(hard.id, "failure", "arvenia", harm=True),
        _outcome(hard.id, "success", "arvenia"),
        _outcome(soft.id, "success", "arvenia"),
    )
    ledger = Ledger()
    moved = move_population(meridian, outcomes, ledger)
    before = meridian.actor(COUNCIL).attitude  # type: ignore[union-attr]
    after = moved.actor(COUNCIL).attitude  # type: ignore[union-attr]
    # Harm -5; two offensive operations without a mandate -2 each; relief that worked +1.
    assert after - before == -5 - 4 + 1
    listed = [c for c in ledger.changes if c.subject == f"attitude:{COUNCIL}"]
    assert sum(c.delta for c in listed) == after - before
    assert listed[0].reason.code == ChangeReason.COUNCIL_ATTITUDE


def test_an_ngo_consents_only_while_it_trusts_the_effort_and_no_party_harmed_civilians(
    meridian: GameState,
) -> None:
    ngo = "saltmarsh-aid"
    propose = rules.Propose("ngo_coordination", ("lindmark",), {"ngo": ngo})
    assert isinstance(rules.apply(meridian, "lindmark", propose), rules.Accepted)
    wary = _council(meridian, ngo, attitude=30)
    refused = rules.apply(wary, "lindmark", propose)
    assert isinstance(refused, rules.Rejection)
    assert "Saltmarsh aid agencies will not coordinate" in refused.message
    relief = next(o for o in meridian.operations if o.region == "saltmarsh")
    harm = _outcome(relief.id, "failure", "lindmark", harm=True)
    harmed = replace(meridian, outcomes=(harm,))
    refused = rules.apply(harmed, "lindmark", propose)
    assert isinstance(refused, rules.Rejection)
    assert "whose forces have harmed civilians where it works" in refused.message
    # Another party, clean, is welcome.
    other = rules.Propose("ngo_coordination", ("cardosa",), {"ngo": ngo})
    assert isinstance(rules.apply(harmed, "cardosa", other), rules.Accepted)


def test_the_shipped_councils_carry_their_history() -> None:
    """Crimea 2014: Russia's veto; the Gulf 1990: Resolution 678 for a broad coalition."""
    crimea, _ = opening_state(load_scenario(SCENARIOS / "crimea-2014.yaml"), seed=1, now=NOW)
    council = next(a for a in crimea.actors if a.kind == "un")
    assert council.mandate is not None and council.mandate.vetoed_by == "Russia"
    gulf, _ = opening_state(load_scenario(SCENARIOS / "gulf-1990.yaml"), seed=1, now=NOW)
    council = next(a for a in gulf.actors if a.kind == "un")
    assert council.mandate == MandateTerms(attitude_at_least=60, members_at_least=3)


def test_foreign_hard_power_without_the_host_turns_its_population(meridian: GameState) -> None:
    # The lane's waters made Cardosa's territory: Arvenian warships there without Cardosa
    # affront its sovereignty; with Cardosa taking part they do not.
    lane = next(o for o in meridian.operations if o.id == "open-lane")
    state = replace(
        meridian,
        regions=tuple(
            replace(r, host="cardosa") if r.id == lane.region else r for r in meridian.regions
        ),
    )
    people = "halvene-people"

    def moved(*contributors: str) -> int:
        outcome = replace(
            _outcome(lane.id, "partial", contributors[0]),
            contributions=tuple(Contribution(n, ("u",), 3, 0) for n in contributors),
        )
        after = move_population(state, (outcome,), Ledger()).actor(people)
        return after.attitude - state.actor(people).attitude  # type: ignore[union-attr]

    assert moved("arvenia") == -SOVEREIGNTY_AFFRONT
    assert moved("arvenia", "cardosa") == 0
    assert moved("cardosa") == 0
    # The same force where no nation at the table is host: no affront.
    assert move_population(meridian, (_outcome(lane.id, "partial", "arvenia"),), Ledger()).actor(
        people
    ) == meridian.actor(people)
