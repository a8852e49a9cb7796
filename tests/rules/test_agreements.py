"""The kinds of agreement (app/rules/agreements): every kind has its registry entry, its
form partial, a bot judgement and its terms in words; each kind's terms, checked, take
their effect at signature, and bad terms get the kind's refusal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

import pytest
from markupsafe import escape

from app import rules
from app.bots.judging import JUDGES, Judging, judgement_of
from app.rules.agreements import AGREEMENTS, Names, UnknownAgreement, agreement
from app.rules.diplomacy import normalise_terms
from app.rules.state import Actor, AgreementKind, Coalition
from app.rules.views import AGREEMENT_LABELS, PUBLIC_AGREEMENTS
from app.web.rendering import TEMPLATES_DIR, make_templates
from app.web.talks import KIND_HELP, describe_terms

KINDS: tuple[str, ...] = get_args(AgreementKind)


def _render_fields(kind: str, me: str = "aurora", parties: tuple[str, ...] = ()) -> str:
    options: dict[str, Any] = {
        "help": KIND_HELP,
        "nations": [("aurora", "Aurora"), ("borealis", "Borealis"), ("caldera", "Caldera")],
        "operations": [("hammerfall", "Operation Hammerfall")],
        "pledgeable_operations": [("hammerfall", "Operation Hammerfall")],
        "regions": [("harbour", "Harbour")],
        "coalitions": [("co-1", "Northern Shield")],
        "ngos": [("relief", "Relief Without Borders")],
        "commands": [("integrated", "integrated"), ("lead_nation", "lead-nation")],
        "turn": 1,
        "turns": 2,
    }
    template = make_templates().env.get_template("talks/fields.html")
    return template.render(
        talks={"composer": options, "me": me},
        values={"agreement": kind, "terms": {}, "parties": list(parties)},
    )


# -- every kind has all its parts ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_its_registry_entry_partial_judgement_and_words(kind: str) -> None:
    spec = agreement(kind)
    assert spec.kind == kind
    assert spec.label and spec.help and spec.outside_party in (None, "ngo")
    assert AGREEMENT_LABELS[kind] == spec.label and KIND_HELP[kind] == spec.help
    assert (kind in PUBLIC_AGREEMENTS) is spec.public
    assert (TEMPLATES_DIR / "talks" / "fields" / f"{kind}.html").is_file()
    html = _render_fields(kind, parties=("borealis",))
    assert f'data-kind="{kind}"' in html and str(escape(spec.help)) in html
    assert callable(getattr(Judging, judgement_of(kind)))
    words = describe_terms(kind, {}, Names({}, {}, {}, {}, {}))
    assert isinstance(words, str) and words


def test_the_registry_the_judges_and_the_partials_hold_exactly_the_kinds() -> None:
    assert set(AGREEMENTS) == set(KINDS) == set(JUDGES)
    partials = {p.stem for p in Path(TEMPLATES_DIR, "talks", "fields").glob("*.html")}
    assert partials == set(KINDS)


def test_an_unknown_kind_is_an_error_never_a_default(game: rules.GameState) -> None:
    with pytest.raises(UnknownAgreement):
        agreement("alliance")
    with pytest.raises(KeyError):
        normalise_terms(game, "alliance", ("aurora", "borealis"), {})
    with pytest.raises(UnknownAgreement):
        describe_terms("alliance", {}, Names({}, {}, {}, {}, {}))
    with pytest.raises(UnknownAgreement):
        judgement_of("alliance")
    # The rules never see one: `parse_action` refuses it first.
    refused = rules.parse_action(
        {"kind": "propose", "agreement": "alliance", "parties": ["aurora", "borealis"]}
    )
    assert isinstance(refused, rules.Rejection)


# -- each kind's rules: good terms take effect at signature, bad ones are refused ------------


def _sign_all(state: rules.GameState, proposer: str, action: rules.Propose) -> rules.GameState:
    result = rules.apply(state, proposer, action)
    assert isinstance(result, rules.Accepted), result
    state = result.state
    made = state.agreements[-1]
    for party in action.parties:
        if party in made.signatures:
            continue
        signed = rules.apply(state, party, rules.Sign(made.id))
        assert isinstance(signed, rules.Accepted), signed
        state = signed.state
    assert state.agreement(made.id).status == "signed"  # type: ignore[union-attr]
    return state


def _refused(state: rules.GameState, proposer: str, action: rules.Propose, code: str) -> None:
    result = rules.apply(state, proposer, action)
    assert isinstance(result, rules.Rejection), result
    assert result.code == code, result


def _with_coalition(state: rules.GameState) -> rules.GameState:
    coalition = Coalition(
        id="co-1",
        name="Northern Shield",
        lead="aurora",
        members=("aurora", "borealis"),
        command="lead_nation",
        mandate="none",
        cohesion=60,
        operations=("hammerfall",),
        formed_turn=1,
    )
    return replace(state, coalitions=(coalition,))


PAIR = ("aurora", "borealis")


def test_coalition_membership_founds_a_coalition(game: rules.GameState) -> None:
    state = _sign_all(
        game, "aurora", rules.Propose("coalition_membership", PAIR, {"name": "Northern Shield"})
    )
    (coalition,) = state.coalitions
    assert coalition.members == PAIR and coalition.lead == "aurora"
    assert state.trust("borealis", "aurora") > game.trust("borealis", "aurora")
    _refused(
        game,
        "aurora",
        rules.Propose("coalition_membership", PAIR, {"lead": "caldera"}),
        "bad_terms",
    )
    _refused(
        game,
        "aurora",
        rules.Propose("coalition_membership", PAIR, {"command": "anarchy"}),
        "bad_terms",
    )


def test_coalition_membership_brings_a_nation_into_one(game: rules.GameState) -> None:
    state = _with_coalition(game)
    joined = _sign_all(
        state,
        "aurora",
        rules.Propose("coalition_membership", ("aurora", "caldera"), {"coalition_id": "co-1"}),
    )
    assert "caldera" in joined.coalition("co-1").members  # type: ignore[union-attr]
    _refused(
        state,
        "aurora",
        rules.Propose("coalition_membership", PAIR, {"coalition_id": "co-1"}),
        "bad_terms",
    )  # every party is already a member


def test_force_pledge_becomes_a_pledge(game: rules.GameState) -> None:
    terms = {"nation": "borealis", "operation_id": "hammerfall", "strength": 3}
    state = _sign_all(game, "aurora", rules.Propose("force_pledge", PAIR, terms))
    (pledge,) = state.pledges
    assert (pledge.nation, pledge.operation_id, pledge.strength) == (
        "borealis",
        "hammerfall",
        3,
    )
    _refused(
        game, "aurora", rules.Propose("force_pledge", PAIR, terms | {"strength": 0}), "bad_terms"
    )
    _refused(
        game,
        "aurora",
        rules.Propose("force_pledge", PAIR, terms | {"operation_id": "nowhere"}),
        "bad_terms",
    )


def test_cost_sharing_is_signed_with_its_terms(game: rules.GameState) -> None:
    terms = {"payer": "aurora", "operation_id": "hammerfall", "share": "40"}
    state = _sign_all(game, "aurora", rules.Propose("cost_sharing", PAIR, terms))
    (signed,) = state.signed("cost_sharing")
    assert signed.terms == {"payer": "aurora", "operation_id": "hammerfall", "share": 40}
    _refused(
        game, "aurora", rules.Propose("cost_sharing", PAIR, terms | {"share": 101}), "bad_terms"
    )
    _refused(
        game,
        "aurora",
        rules.Propose("cost_sharing", PAIR, terms | {"payer": "caldera"}),
        "bad_terms",
    )


def test_intel_sharing_has_no_terms(game: rules.GameState) -> None:
    state = _sign_all(game, "aurora", rules.Propose("intel_sharing", PAIR, {"anything": 1}))
    (signed,) = state.signed("intel_sharing")
    assert signed.terms == {}
    _refused(game, "aurora", rules.Propose("intel_sharing", ("aurora",)), "bad_parties")


def test_basing_is_signed_with_its_host_and_region(game: rules.GameState) -> None:
    # Only the government of the region grants basing there (issue 15: legitimacy).
    unhosted = rules.apply(
        game, "aurora", rules.Propose("basing", PAIR, {"host": "borealis", "region": "harbour"})
    )
    assert isinstance(unhosted, rules.Rejection)
    assert (
        unhosted.message
        == "No government at the table rules Harbour: nobody can grant basing there."
    )
    hosted = replace(game, regions=tuple(replace(r, host="borealis") for r in game.regions))
    terms = {"host": "borealis", "region": "harbour"}
    state = _sign_all(hosted, "aurora", rules.Propose("basing", PAIR, terms))
    assert state.signed("basing")[0].terms == terms
    _refused(
        hosted, "aurora", rules.Propose("basing", PAIR, terms | {"region": "moon"}), "bad_terms"
    )
    not_host = rules.apply(
        hosted, "aurora", rules.Propose("basing", PAIR, {"host": "aurora", "region": "harbour"})
    )
    assert isinstance(not_host, rules.Rejection)
    assert "Aurora cannot grant basing in Harbour" in not_host.message


def test_command_arrangement_changes_the_coalition(game: rules.GameState) -> None:
    state = _with_coalition(game)
    terms = {"coalition_id": "co-1", "command": "integrated", "lead": "borealis"}
    after = _sign_all(state, "aurora", rules.Propose("command_arrangement", PAIR, terms))
    coalition = after.coalition("co-1")
    assert coalition is not None
    assert (coalition.command, coalition.lead, coalition.operations) == (
        "integrated",
        "borealis",
        ("hammerfall",),
    )
    _refused(
        state,
        "aurora",
        rules.Propose("command_arrangement", ("aurora", "borealis", "caldera"), terms),
        "bad_terms",
    )  # only the members sign


def test_aid_moves_budget_at_signature(game: rules.GameState) -> None:
    terms = {"from": "aurora", "to": "borealis", "amount": 10}
    state = _sign_all(game, "aurora", rules.Propose("aid", PAIR, terms))
    assert state.nation("aurora").budget == game.nation("aurora").budget - 10  # type: ignore[union-attr]
    assert state.nation("borealis").budget == game.nation("borealis").budget + 10  # type: ignore[union-attr]
    _refused(game, "aurora", rules.Propose("aid", PAIR, terms | {"to": "aurora"}), "bad_terms")
    # The giver must have the amount: on proposing (by either party) ...
    for proposer in PAIR:
        over = rules.Propose("aid", PAIR, terms | {"amount": 1000})
        refused = rules.apply(game, proposer, over)
        assert isinstance(refused, rules.Rejection) and refused.code == "over_budget"
    # ... and still at the last signature, which enacts the gift.
    asked = rules.apply(game, "aurora", rules.Propose("aid", PAIR, terms | {"amount": 40}))
    assert isinstance(asked, rules.Accepted)
    first = asked.state.agreements[-1].id
    spent = _sign_all(asked.state, "aurora", rules.Propose("aid", PAIR, terms | {"amount": 40}))
    refused = rules.apply(spent, "borealis", rules.Sign(first))
    assert isinstance(refused, rules.Rejection) and refused.code == "no_longer_possible"
    assert spent.nation("aurora").budget == game.nation("aurora").budget - 40  # type: ignore[union-attr]


def test_joint_statement_keeps_its_text(game: rules.GameState) -> None:
    state = _sign_all(
        game, "aurora", rules.Propose("joint_statement", PAIR, {"text": "  We stand together. "})
    )
    assert state.signed("joint_statement")[0].terms == {"text": "We stand together."}
    _refused(game, "aurora", rules.Propose("joint_statement", PAIR, {"text": " "}), "bad_terms")


def test_ngo_coordination_needs_one_party_and_an_ngo(game: rules.GameState) -> None:
    state = replace(game, actors=(*game.actors, Actor("relief", "Relief Without Borders", "ngo")))
    after = _sign_all(
        state, "aurora", rules.Propose("ngo_coordination", ("aurora",), {"ngo": "relief"})
    )
    assert after.signed("ngo_coordination")[0].terms == {"ngo": "relief"}
    _refused(
        state,
        "aurora",
        rules.Propose("ngo_coordination", ("aurora",), {"ngo": "nobody"}),
        "bad_terms",
    )


@pytest.mark.parametrize("kind", [k for k in KINDS if agreement(k).outside_party is None])
def test_a_deal_among_nations_is_refused_with_one_party(kind: str, game: rules.GameState) -> None:
    """A nation cannot sign a deal with itself: one party is refused, with its reason,
    whatever the terms."""
    result = rules.apply(game, "aurora", rules.Propose(kind, ("aurora",), {}))  # type: ignore[arg-type]
    assert isinstance(result, rules.Rejection) and result.code == "bad_parties"
    assert (
        result.message
        == f"A {agreement(kind).label} needs at least two parties: name another nation."
    )


def test_ngo_coordination_names_the_ngo_as_its_other_party(game: rules.GameState) -> None:
    state = replace(game, actors=(*game.actors, Actor("relief", "Relief Without Borders", "ngo")))
    result = rules.apply(
        state, "aurora", rules.Propose("ngo_coordination", ("aurora",), {"ngo": "relief"})
    )
    assert isinstance(result, rules.Accepted)
    signed = next(e for e in result.events if e.kind == rules.EventKind.AGREEMENT_SIGNED)
    seen = rules.view_event(result.state, signed, rules.Viewer.of_nation("aurora"))
    assert seen is not None
    assert seen["text"] == (
        "Signed: NGO coordination agreement between Aurora and Relief Without Borders."
    )


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_describes_its_signed_terms_with_names(kind: str, game: rules.GameState) -> None:
    """Words for the canonical terms of every kind, with names and no ids."""
    terms: dict[str, dict[str, str | int]] = {
        "coalition_membership": {
            "name": "Northern Shield",
            "lead": "aurora",
            "command": "integrated",
            "operations": "hammerfall",
        },
        "force_pledge": {
            "nation": "aurora",
            "operation_id": "hammerfall",
            "strength": 3,
            "turn": 1,
        },
        "cost_sharing": {"payer": "aurora", "operation_id": "hammerfall", "share": 40},
        "intel_sharing": {},
        "combined_exercise": {},
        "liaison_officers": {},
        "basing": {"host": "aurora", "region": "harbour"},
        "command_arrangement": {
            "coalition_id": "co-1",
            "command": "integrated",
            "lead": "aurora",
            "operations": "hammerfall",
        },
        "aid": {"from": "aurora", "to": "borealis", "amount": 10},
        "joint_statement": {"text": "We stand together."},
        "ngo_coordination": {"ngo": "relief"},
    }
    names = Names.of_state(_with_coalition(game))
    words = describe_terms(
        kind, terms[kind], replace(names, actors={"relief": "Relief Without Borders"})
    )
    for raw in ("aurora", "borealis", "hammerfall", "harbour", "co-1", "relief"):
        assert raw not in words, (kind, words)


@pytest.mark.parametrize("kind", KINDS)
def test_legal_actions_offer_only_well_formed_proposals(kind: str, game: rules.GameState) -> None:
    state = replace(_with_coalition(game), actors=(*game.actors, Actor("relief", "Relief", "ngo")))
    for nation in state.nations:
        for action in agreement(kind).proposals(state, nation):
            assert action.agreement == kind
            assert not isinstance(
                normalise_terms(state, kind, action.parties, action.terms), rules.Rejection
            ), action


def test_command_terms_a_later_arrangement_replaced_are_no_longer_in_force(
    game: rules.GameState,
) -> None:
    state = _with_coalition(game)
    first_terms = {"coalition_id": "co-1", "command": "integrated", "lead": "borealis"}
    state = _sign_all(state, "aurora", rules.Propose("command_arrangement", PAIR, first_terms))
    first = state.agreements[-1]
    spec = agreement("command_arrangement")
    assert spec.in_force(state, first)
    later_terms = {"coalition_id": "co-1", "command": "parallel", "lead": "aurora"}
    state = _sign_all(state, "borealis", rules.Propose("command_arrangement", PAIR, later_terms))
    later = state.agreements[-1]
    assert (spec.in_force(state, first), spec.in_force(state, later)) == (False, True)
    seen = rules.view(state, rules.Viewer.of_nation("aurora"))["agreements"]
    assert [a["in_force"] for a in seen if a["kind"] == "command_arrangement"] == [False, True]


def test_a_pledge_is_in_force_until_its_turn_is_checked(game: rules.GameState) -> None:
    terms = {"nation": "borealis", "operation_id": "hammerfall", "strength": 3}
    state = _sign_all(game, "aurora", rules.Propose("force_pledge", PAIR, terms))
    pledged = state.agreements[-1]
    assert agreement("force_pledge").in_force(state, pledged)
    state, _ = rules.resolve_turn(state, state.deadline or 0.0)
    assert state.pledges[0].status != "due"  # broken: nothing was committed
    assert not agreement("force_pledge").in_force(state, pledged)
    # Every other kind stays in force once signed.
    assert agreement("intel_sharing").in_force(state, replace(pledged, kind="intel_sharing"))
