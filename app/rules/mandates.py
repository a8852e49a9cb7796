"""Legitimacy negotiated, not scripted (docs/rules/legitimacy.md): a coalition's lead asks a
council (a `un` actor) for a mandate, and the council answers at once, by its terms
(`MandateTerms`, scenario data) and by how the coalition has behaved.

The council grants the mandate when nobody vetoes it, its attitude to the coalition effort
is high enough, the coalition has enough members, and none of them has harmed civilians
in the last turn it resolved. Its attitude moves with what the coalition does (offensive
force without a mandate and civilian harm lower it, relief that works raises it:
`app.rules.resolution.opinion.move_population`). A refusal is an answer too: public, with
its reason, and the coalition may ask again next turn.
"""

from __future__ import annotations

from app.rules.reasons import Reason, because
from app.rules.state import Actor, Coalition, GameState, MandateTerms
from app.rules.wording.changes import ChangeReason

DEFAULT_TERMS = MandateTerms()


def terms_of(actor: Actor) -> MandateTerms:
    return actor.mandate or DEFAULT_TERMS


def harmed_civilians(state: GameState, coalition: Coalition) -> list[str]:
    """The coalition's members whose forces harmed civilians in the last resolved turn."""
    if not state.records:
        return []
    last = state.records[-1].turn
    return sorted(
        {
            c.nation_id
            for o in state.outcomes_of_turn(last)
            if o.civilian_harm
            for c in o.contributions
            if c.nation_id in coalition.members
        }
    )


def answer(state: GameState, coalition: Coalition, council: Actor) -> Reason:
    """The council's answer: granted, or why not (its first reason)."""
    terms = terms_of(council)
    if terms.vetoed_by:
        return because(ChangeReason.MANDATE_VETOED, council=council.id, by=terms.vetoed_by)
    if council.attitude < terms.attitude_at_least:
        return because(
            ChangeReason.MANDATE_DOUBTED,
            council=council.id,
            attitude=council.attitude,
            needed=terms.attitude_at_least,
        )
    if len(coalition.members) < terms.members_at_least:
        return because(
            ChangeReason.MANDATE_TOO_FEW,
            council=council.id,
            members=len(coalition.members),
            needed=terms.members_at_least,
        )
    harm = harmed_civilians(state, coalition)
    if harm:
        return because(ChangeReason.MANDATE_HARM, council=council.id, nations=harm)
    return because(
        ChangeReason.MANDATE_GRANTED,
        council=council.id,
        coalition=coalition.id,
        mandate=terms.grants,
        attitude=council.attitude,
    )
