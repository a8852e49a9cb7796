"""The review's scorecards and standings: scores, where each nation stands, agreements in force."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app import rules
from app.i18n import N_, _
from app.rules.agreements import Names
from app.rules.agreements import agreement as agreement_spec
from app.rules.red_cell import RedScorecard
from app.rules.red_cell import scorecard as red_scorecard
from app.rules.scoring import Judged
from app.rules.wording import words
from app.services.aar.series import Burden, mean_trust
from app.services.aar.words import (
    controller_text,
    nation_names,
    sentence,
)


@dataclass(frozen=True)
class Scorecard:
    nation_id: str  # "" for the collective objectives
    name: str
    score: int
    available: int
    judged: tuple[Judged, ...]
    details: tuple[str, ...]  # how each judged objective stands, in words
    leader: str = ""
    controller: str = ""
    brief: str = ""  # the nation's secret brief in words


def scorecards(state: rules.GameState) -> list[Scorecard]:
    cards = []
    for nation in state.nations:
        score, judged = rules.nation_score(state, nation.id)
        cards.append(
            Scorecard(
                nation_id=nation.id,
                name=nation.name,
                score=score,
                available=sum(o.points for o in nation.objectives),
                judged=tuple(judged),
                details=tuple(words(j.detail, state) for j in judged),
                leader=nation.leader,
                controller=controller_text(nation),
                brief=nation.secret_objective,
            )
        )
    return cards


def collective_card(state: rules.GameState) -> Scorecard:
    score, judged = rules.collective_score(state)
    return Scorecard(
        nation_id="",
        name=_("Collective objectives"),
        score=score,
        available=sum(o.points for o in state.collective_objectives),
        judged=tuple(judged),
        details=tuple(words(j.detail, state) for j in judged),
    )


@dataclass(frozen=True)
class AdversaryCard:
    """The adversary's scorecard: who played it, how it fared, and its moves turn by turn
    (each in the words of its reason, with its pressure on the ladder)."""

    name: str
    played_by: str
    card: RedScorecard
    moves: tuple[tuple[int, tuple[tuple[str, float], ...]], ...]


ADVERSARY_PLAYED_BY = {
    None: N_("its reaction table"),
    "vacant": N_("its reaction table (the red cell's seat was never taken)"),
    "human": N_("the red cell (students)"),
    "bot": N_("the red-cell bot"),
}


def adversary_card(state: rules.GameState) -> AdversaryCard | None:
    """The adversary's card, if the scenario has one that reacts (a reaction table)."""
    adversary = state.adversary()
    if adversary is None or adversary.reaction is None:
        return None
    seat = state.red_cell.seat if state.red_cell is not None else None
    played_by = _(ADVERSARY_PLAYED_BY[seat])
    red_moves = any(
        str(m.reason.code).startswith("red_cell_") for r in state.records for m in r.adversary
    )
    if red_moves and seat in (None, "vacant"):
        # The seat is what it is at the end; the timeline says who held it when.
        played_by = _(
            "a red cell for part of the game (see the timeline), then %(controller)s",
            controller=played_by,
        )
    return AdversaryCard(
        name=adversary.name,
        played_by=played_by,
        card=red_scorecard(state),
        moves=tuple(
            (r.turn, tuple((words(m.reason, state), m.pressure) for m in r.adversary))
            for r in state.records
        ),
    )


@dataclass(frozen=True)
class Standing:
    """Where a nation stands now (at the end of an ended game)."""

    nation_id: str
    name: str
    score: int
    available: int
    budget: int
    support: int
    trust_received: float  # the mean of the others' trust in it
    burden_share: float | None  # its share of everything spent on operations
    fair_share: float  # its part of the economic capacity


def standings(state: rules.GameState, cards: Sequence[Scorecard], spent: Burden) -> list[Standing]:
    trust = mean_trust(state)
    by_id = {c.nation_id: c for c in cards}
    return [
        Standing(
            nation_id=n.id,
            name=n.name,
            score=by_id[n.id].score,
            available=by_id[n.id].available,
            budget=n.budget,
            support=n.domestic_support,
            trust_received=trust[n.id],
            burden_share=spent.overall(n.id),
            fair_share=spent.fair.get(n.id, 0.0),
        )
        for n in state.nations
    ]


def agreements_in_force(state: rules.GameState) -> list[tuple[str, list[str]]]:
    """The signed agreements still in effect, by kind: (kind in words, one line each), each
    in the words of its kind's `describe` (`app/rules/agreements/`), as the talks panel
    reads them. Coalition memberships are in the coalitions themselves; pledges are those
    due now."""
    names = Names.of_state(state)
    groups: dict[str, list[str]] = {}
    for agreement in state.agreements:
        if agreement.status != "signed" or agreement.kind == "coalition_membership":
            continue
        spec = agreement_spec(agreement.kind)
        terms = agreement.terms
        if agreement.kind == "force_pledge":
            if int(terms.get("turn", 0)) < state.turn:
                continue
            label = _("Force pledges due")
        else:
            label = sentence(_(spec.label))
        parties = nation_names(state, list(agreement.parties))
        described = spec.describe(terms, names).removesuffix(".")
        groups.setdefault(label, []).append(
            _(
                "%(parties)s: %(terms)s, signed in turn %(turn)s",
                parties=parties,
                terms=described,
                turn=agreement.turn,
            )
        )
    return sorted(groups.items())
