"""request_mandate: a coalition's lead asks a council (a `un` actor) for a mandate; the
council answers at once (`app.rules.mandates`), and a refusal is an answer too."""

from __future__ import annotations

from dataclasses import replace

from app.rules.action_types import RequestMandate
from app.rules.actions.common import ActionSpec, Data, required_text
from app.rules.events import EventKind, MandateAnswered
from app.rules.mandates import answer, terms_of
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.reasons import because
from app.rules.state import Change, GameState, Nation
from app.rules.wording.changes import ChangeReason
from app.rules.wording.rejections import RejectionReason as R


def parse(data: Data) -> RequestMandate | Rejection:
    coalition_id = required_text(data, "coalition_id", R.GIVE_COALITION_FOR_MANDATE)
    if isinstance(coalition_id, Rejection):
        return coalition_id
    actor_id = required_text(data, "actor_id", R.GIVE_COUNCIL)
    if isinstance(actor_id, Rejection):
        return actor_id
    return RequestMandate(coalition_id, actor_id)


def check(state: GameState, nation: Nation, action: RequestMandate) -> Rejection | None:
    coalition = state.coalition(action.coalition_id)
    if coalition is None or not coalition.active or coalition.lead != nation.id:
        return Rejection("not_lead", because(R.ONLY_LEAD_ASKS, nation=nation.name))
    council = state.actor(action.actor_id)
    if council is None or council.kind != "un":
        return Rejection("not_a_council", because(R.NOT_A_COUNCIL, actor_id=action.actor_id))
    if coalition.mandate == terms_of(council).grants or coalition.mandate == "un":
        return Rejection(
            "has_mandate",
            because(R.HAS_MANDATE, coalition=coalition.name, mandate=coalition.mandate),
        )
    if (coalition.id, council.id) in state.mandate_requests:
        return Rejection("asked_this_turn", because(R.ASKED_THIS_TURN, council=council.name))
    return None


def apply(state: GameState, nation: Nation, action: RequestMandate) -> Accepted:
    coalition = state.coalition(action.coalition_id)
    council = state.actor(action.actor_id)
    assert coalition is not None and council is not None  # checked
    reason = answer(state, coalition, council)
    granted = reason.code == ChangeReason.MANDATE_GRANTED
    state = replace(state, mandate_requests=(*state.mandate_requests, (coalition.id, council.id)))
    if granted:
        state = state.replace_coalition(replace(coalition, mandate=terms_of(council).grants))
        # Listed with the turn's changes when it resolves (mandate 0 -> 1).
        change = Change(f"mandate:{coalition.id}", 1, reason)
        state = replace(state, pending_changes=(*state.pending_changes, change))
    data: MandateAnswered = {
        "coalition_id": coalition.id,
        "actor_id": council.id,
        "granted": granted,
        "mandate": terms_of(council).grants if granted else None,
        "reason": {"code": reason.code, "params": dict(reason.params)},
    }
    return Accepted(state, (Event(EventKind.MANDATE_ANSWERED, nation.id, data),))


def offers(state: GameState, nation: Nation) -> list[RequestMandate]:
    councils = [a for a in state.actors if a.kind == "un"]
    return [
        RequestMandate(c.id, council.id)
        for c in state.coalitions_of(nation.id)
        if c.lead == nation.id
        for council in councils
    ]


REQUEST_MANDATE = ActionSpec(RequestMandate, parse, apply, check=check, offers=offers)
