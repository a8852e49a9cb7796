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


def harmed_civilians(
    state: GameState,
    nations: tuple[str, ...],
    *,
    region: str | None = None,
    turn: int | None = None,
) -> list[str]:
    """Which of `nations` had forces in an operation that harmed civilians: in `region`
    (anywhere if None), in `turn` (any turn so far if None). A council reads the last
    turn; an NGO, its own region over the whole game."""
    outcomes = state.outcomes if turn is None else state.outcomes_of_turn(turn)
    return sorted(
        {
            c.nation_id
            for o in outcomes
            if o.civilian_harm
            and (
                region is None
                or ((op := state.operation(o.operation_id)) is not None and op.region == region)
            )
            for c in o.contributions
            if c.nation_id in nations
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
    last = state.records[-1].turn if state.records else None
    harm = harmed_civilians(state, coalition.members, turn=last) if last is not None else []
    if harm:
        return because(ChangeReason.MANDATE_HARM, council=council.id, nations=harm)
    return because(
        ChangeReason.MANDATE_GRANTED,
        council=council.id,
        coalition=coalition.id,
        mandate=terms.grants,
        attitude=council.attitude,
    )
