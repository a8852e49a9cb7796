"""ready: a nation says its orders are given (or takes that back). When every seat is
ready the orders phase ends before its deadline."""

from __future__ import annotations

from app.rules.action_types import SetReady
from app.rules.actions.common import FORM_BOOLEANS, ActionSpec, Data
from app.rules.events import EventKind
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.reasons import because
from app.rules.state import GameState, Nation, replace_state
from app.rules.wording.rejections import RejectionReason as R


def parse(data: Data) -> SetReady | Rejection:
    ready = data.get("ready")
    if isinstance(ready, str):
        ready = FORM_BOOLEANS.get(ready.strip().lower())
    if not isinstance(ready, bool):
        return Rejection("malformed", because(R.READY_NOT_TRUE_OR_FALSE))
    return SetReady(ready=ready)


def apply(state: GameState, nation: Nation, action: SetReady) -> Accepted:
    actor = nation.id
    ready = state.ready | {actor} if action.ready else state.ready - {actor}
    if ready == state.ready:
        return Accepted(state, ())
    return Accepted(
        replace_state(state, ready=ready),
        (Event(EventKind.READY_CHANGED, actor, {"nation_id": actor, "ready": action.ready}),),
    )


def offers(state: GameState, nation: Nation) -> list[SetReady]:
    # Setting "ready" to its current value is accepted as a harmless no-op (a double click).
    return [SetReady(True), SetReady(False)]


READY = ActionSpec(SetReady, parse, apply, offers=offers)
