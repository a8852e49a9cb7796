"""Control's (the white cell's) actions on a game: the clock, adjudication, injects.

Pure like the rest of the rules: the service passes `now` in. Control is not a nation, so
these actions have their own `apply_control`; players can never send them (the web layer
only takes them from signed-in instructors, and `rules.apply` does not know them).

Each kind is one entry of `CONTROL_ACTIONS`, a `ControlSpec` holding its parser (a console
form to the action) and its apply, keyed by the kind: the form's `action`, the rules' kind
and the logged action's kind are one name. `parse_control` and `apply_control` dispatch
through that table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast, get_args

from app.rules.events import (
    ClockMoved,
    EventKind,
    FeedbackWritten,
    HoldSet,
    Inject,
    MessageSent,
    OfTurn,
    OutcomeOverridden,
    Payload,
    Seconds,
)
from app.rules.injects import fire_one
from app.rules.ledger import Ledger
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.reasons import because
from app.rules.resolution import resolve_turn
from app.rules.state import GameState, Outcome, Override, Phase, Result
from app.rules.wording.rejections import RejectionReason as R

MAX_EXTENSION = 24 * 3600
MIN_PHASE, MAX_PHASE = 30, 7 * 24 * 3600
MAX_TEXT = 2000


@dataclass(frozen=True)
class Moment:
    """A turn and its phase: the one a control action was made for (what the console
    showed when control pressed the button)."""

    turn: int
    phase: Phase

    @classmethod
    def of(cls, state: GameState) -> Moment:
        return cls(state.turn, state.phase)


@dataclass(frozen=True)
class PhaseBound:
    """An action about the phase control was looking at: the clock of this orders phase
    (pause, resume, extend, end now), this held turn (override, feedback, release) and a
    scripted event fired "now". Applied to a later phase it would do something nobody
    asked for (a second "end now" ending the next turn too), so it names its moment and a
    stale one is refused. Standing settings (the hold, the phase length from the next
    turn, the end of the exercise) and words (messages, live injects) mean the same in
    any phase and name none."""

    at: Moment = field(kw_only=True)


@dataclass(frozen=True)
class PauseClock(PhaseBound):
    kind: Literal["pause"] = "pause"


@dataclass(frozen=True)
class ResumeClock(PhaseBound):
    kind: Literal["resume"] = "resume"


@dataclass(frozen=True)
class ExtendPhase(PhaseBound):
    seconds: int
    kind: Literal["extend"] = "extend"


@dataclass(frozen=True)
class SetPhaseLength:
    """The orders phase length from the next turn on (the current deadline is kept)."""

    seconds: int
    kind: Literal["phase_length"] = "phase_length"


@dataclass(frozen=True)
class EndPhaseNow(PhaseBound):
    """End the orders phase now, ready or not (into adjudication if the turn is held)."""

    kind: Literal["advance"] = "advance"


@dataclass(frozen=True)
class SetHold:
    hold: bool
    kind: Literal["hold"] = "hold"


@dataclass(frozen=True)
class OverrideOutcome(PhaseBound):
    operation_id: str
    result: Result | None  # None removes control's override
    reason: str = ""
    kind: Literal["override"] = "override"


@dataclass(frozen=True)
class GiveFeedback(PhaseBound):
    nation_id: str
    text: str  # empty removes it
    kind: Literal["feedback"] = "feedback"


@dataclass(frozen=True)
class ReleaseTurn(PhaseBound):
    kind: Literal["release"] = "release"


@dataclass(frozen=True)
class FireInject(PhaseBound):
    """Fire one of the scenario's scripted events now, whatever its trigger."""

    event_id: str
    kind: Literal["fire"] = "fire"


@dataclass(frozen=True)
class LiveInject:
    """An inject control writes during the game, for everyone or for some nations."""

    title: str
    text: str
    audience: tuple[str, ...] = ()  # empty: everyone
    kind: Literal["live_inject"] = "live_inject"


@dataclass(frozen=True)
class EndExercise:
    """Control ends the exercise now (for the debrief): no more orders or turns."""

    kind: Literal["end_exercise"] = "end_exercise"


@dataclass(frozen=True)
class ControlMessage:
    """Control writes in a channel (as "Control"); its members read it like any message."""

    channel_id: str
    text: str
    kind: Literal["control_message"] = "control_message"


ControlAction = (
    PauseClock
    | ResumeClock
    | ExtendPhase
    | SetPhaseLength
    | EndPhaseNow
    | SetHold
    | OverrideOutcome
    | GiveFeedback
    | ReleaseTurn
    | FireInject
    | LiveInject
    | ControlMessage
    | EndExercise
)
RESULTS: tuple[str, ...] = get_args(Result)


# --- from a form to a control action ------------------------------------------------------


def _field(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    return value if isinstance(value, str) else ""


def _whole(text: str) -> int | None:
    """A whole number written in digits, else None (also past int's digit limit)."""
    if not text.isdecimal():
        return None
    try:
        return int(text)
    except ValueError:
        return None


def parse_moment(data: Mapping[str, Any]) -> Moment | Rejection:
    """The turn and phase a form was made for (the console's hidden `turn` and `phase`)."""
    turn, phase = _whole(_field(data, "turn").strip()), _field(data, "phase")
    if turn is None or phase not in {p.value for p in Phase}:
        return Rejection("malformed", because(R.NO_MOMENT))
    return Moment(turn, Phase(phase))


def _seconds(data: Mapping[str, Any]) -> int | Rejection:
    """The form's `minutes`, a whole number above 0, in seconds."""
    minutes = _whole(_field(data, "minutes").strip())
    if not minutes:
        return Rejection("malformed", because(R.MINUTES))
    return minutes * 60


def _phase_bound(
    build: Callable[[Mapping[str, Any], Moment], ControlAction | Rejection],
) -> Callable[[Mapping[str, Any]], ControlAction | Rejection]:
    """A parser of a `PhaseBound` action: the form's moment first, then `build`."""

    def parse(data: Mapping[str, Any]) -> ControlAction | Rejection:
        at = parse_moment(data)
        return at if isinstance(at, Rejection) else build(data, at)

    return parse


def _parse_extend(data: Mapping[str, Any]) -> ControlAction | Rejection:
    seconds = _seconds(data)  # the minutes are checked before the moment
    if isinstance(seconds, Rejection):
        return seconds
    at = parse_moment(data)
    return at if isinstance(at, Rejection) else ExtendPhase(seconds, at=at)


def _parse_phase_length(data: Mapping[str, Any]) -> ControlAction | Rejection:
    seconds = _seconds(data)
    return seconds if isinstance(seconds, Rejection) else SetPhaseLength(seconds)


HOLD_VALUES = {"on": True, "off": False}


def _parse_hold(data: Mapping[str, Any]) -> ControlAction | Rejection:
    hold = HOLD_VALUES.get(_field(data, "hold"))
    if hold is None:
        return Rejection("malformed", because(R.HOLD_ON_OR_OFF))
    return SetHold(hold)


def _parse_override(data: Mapping[str, Any], at: Moment) -> ControlAction | Rejection:
    result = _field(data, "result")  # "rules": the rules' outcome again (no override)
    return OverrideOutcome(
        _field(data, "operation_id"),
        None if result == "rules" else cast(Result, result),  # apply_control checks it
        _field(data, "reason"),
        at=at,
    )


def _parse_live_inject(data: Mapping[str, Any]) -> ControlAction | Rejection:
    """Its audience: the ticked `to_<nation>` boxes, whose values are the nations' ids."""
    audience = tuple(v for k, v in data.items() if k.startswith("to_") and isinstance(v, str) and v)
    return LiveInject(_field(data, "title"), _field(data, "text"), audience)


def parse_control(data: Mapping[str, Any]) -> ControlAction | Rejection:
    """Build control's action from untrusted input (a console form: its `action` is the
    action's `kind`); never raises. Phase-bound actions take the form's `turn` and
    `phase` as the moment they were made for."""
    kind = data.get("action", "")
    spec = CONTROL_ACTIONS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        return Rejection("malformed", because(R.UNKNOWN_CONTROL_ACTION, kind=kind))
    return spec.parse(data)


CONTROL = "control"  # the actor of control's events


def _event(kind: EventKind, data: Payload) -> tuple[Event, ...]:
    return (Event(kind, CONTROL, data),)


def end_orders_phase(state: GameState, now: float) -> tuple[GameState, tuple[Event, ...]]:
    """The orders phase is over: resolve the turn, or with the hold wait for control."""
    if state.hold:
        held = replace(state, phase=Phase.ADJUDICATION, deadline=None, paused_remaining=None)
        return held, _event(EventKind.ADJUDICATION_STARTED, OfTurn(turn=state.turn))
    return resolve_turn(replace(state, paused_remaining=None), now)


def preview(state: GameState) -> tuple[Outcome, ...]:
    """The outcomes this turn would have if released now, control's overrides included:
    every factor and roll, for control's eyes (the same seeded rolls as the release)."""
    resolved, _events = resolve_turn(state, 0.0)
    return resolved.outcomes[len(state.outcomes) :]


def stale(state: GameState, at: Moment) -> Rejection | None:
    """The refusal of an action made for `at` when the game has moved on (or, from a
    forged form, is not there yet); None while `at` is the game's turn and phase."""
    now = Moment.of(state)
    if at == now:
        return None
    # What the console shows now: this turn's phase, or (from a later turn's orders) the turn.
    shown_phase = now.phase.value if at.turn == now.turn or now.phase is not Phase.ORDERS else None
    moments = {
        "at_turn": at.turn,
        "at_phase": at.phase.value,
        "shown_turn": now.turn,
        "shown_phase": shown_phase,
    }
    # A later turn, or this turn's adjudication after its orders: `at` is over.
    if at.turn < now.turn or (at.turn == now.turn and at.phase is Phase.ORDERS):
        return Rejection("stale", because(R.MOMENT_ENDED, **moments))
    return Rejection("stale", because(R.MOMENT_NOT_BEGUN, **moments))


def apply_control(state: GameState, action: ControlAction, now: float) -> Accepted | Rejection:
    """Apply control's action: its registry entry's `apply`, unless the exercise is over
    or the action was made for a moment that has passed."""
    if state.phase is Phase.ENDED:
        return Rejection("game_over", because(R.EXERCISE_ENDED))
    if isinstance(action, PhaseBound) and (refused := stale(state, action.at)) is not None:
        return refused
    return CONTROL_ACTIONS[action.kind].apply(state, action, now)


# --- each kind's apply ---------------------------------------------------------------------


def _pause(state: GameState, action: PauseClock, now: float) -> Accepted | Rejection:
    if state.phase is not Phase.ORDERS or state.paused_remaining is not None:
        return Rejection("not_running", because(R.CLOCK_NOT_RUNNING))
    left = max(0.0, (state.deadline or now) - now)
    paused = replace(state, deadline=None, paused_remaining=left)
    return Accepted(paused, _event(EventKind.CLOCK_PAUSED, ClockMoved(remaining=round(left))))


def _resume(state: GameState, action: ResumeClock, now: float) -> Accepted | Rejection:
    if state.paused_remaining is None:
        return Rejection("not_paused", because(R.CLOCK_NOT_PAUSED))
    resumed = replace(state, deadline=now + state.paused_remaining, paused_remaining=None)
    return Accepted(
        resumed,
        _event(EventKind.CLOCK_RESUMED, ClockMoved(remaining=round(state.paused_remaining))),
    )


def _extend(state: GameState, action: ExtendPhase, now: float) -> Accepted | Rejection:
    if not 0 < action.seconds <= MAX_EXTENSION:
        return Rejection("bad_duration", because(R.EXTENSION_OUT_OF_RANGE))
    if state.phase is not Phase.ORDERS:
        return Rejection("not_running", because(R.NO_DEADLINE_TO_EXTEND))
    if state.paused_remaining is not None:
        extended = replace(state, paused_remaining=state.paused_remaining + action.seconds)
    else:
        extended = replace(state, deadline=(state.deadline or now) + action.seconds)
    return Accepted(extended, _event(EventKind.PHASE_EXTENDED, Seconds(seconds=action.seconds)))


def _set_phase_length(state: GameState, action: SetPhaseLength, now: float) -> Accepted | Rejection:
    if not MIN_PHASE <= action.seconds <= MAX_PHASE:
        return Rejection("bad_duration", because(R.PHASE_LENGTH_OUT_OF_RANGE))
    changed = replace(state, orders_seconds=action.seconds)
    return Accepted(changed, _event(EventKind.PHASE_LENGTH_SET, Seconds(seconds=action.seconds)))


def _end_phase_now(state: GameState, action: EndPhaseNow, now: float) -> Accepted | Rejection:
    if state.phase is not Phase.ORDERS:
        return Rejection("not_running", because(R.ORDERS_NOT_RUNNING))
    ended, events = end_orders_phase(state, now)
    return Accepted(
        ended, _event(EventKind.PHASE_ENDED_BY_CONTROL, OfTurn(turn=state.turn)) + events
    )


def _set_hold(state: GameState, action: SetHold, now: float) -> Accepted | Rejection:
    return Accepted(
        replace(state, hold=action.hold), _event(EventKind.HOLD_SET, HoldSet(hold=action.hold))
    )


def _feedback(state: GameState, action: GiveFeedback, now: float) -> Accepted | Rejection:
    if state.nation(action.nation_id) is None:
        return Rejection("unknown_nation", because(R.NO_NATION, nation_id=action.nation_id))
    text = action.text.strip()[:MAX_TEXT]
    feedback = {k: v for k, v in state.feedback.items() if k != action.nation_id}
    if text:
        feedback[action.nation_id] = text
    # Logged for the record (only control sees it); the nation reads it on release.
    noted = _event(
        EventKind.FEEDBACK_WRITTEN, FeedbackWritten(nation_id=action.nation_id, text=text)
    )
    return Accepted(replace(state, feedback=feedback), noted)


def _release(state: GameState, action: ReleaseTurn, now: float) -> Accepted | Rejection:
    if state.phase is not Phase.ADJUDICATION:
        return Rejection("not_held", because(R.NOTHING_HELD))
    released, events = resolve_turn(state, now)
    return Accepted(released, _event(EventKind.TURN_RELEASED, OfTurn(turn=state.turn)) + events)


def _end_exercise(state: GameState, action: EndExercise, now: float) -> Accepted | Rejection:
    ended = replace(
        state, phase=Phase.ENDED, deadline=None, paused_remaining=None, ready=frozenset()
    )
    return Accepted(ended, _event(EventKind.EXERCISE_ENDED, OfTurn(turn=state.turn)))


def _message(state: GameState, action: ControlMessage, now: float) -> Accepted | Rejection:
    text = action.text.strip()[:MAX_TEXT]
    if state.channel(action.channel_id) is None:
        return Rejection(
            "unknown_channel", because(R.NO_SUCH_CHANNEL, channel_id=action.channel_id)
        )
    if not text:
        return Rejection("malformed", because(R.NOTHING_TO_SEND))
    counts = dict(state.message_counts)
    counts[action.channel_id] = counts.get(action.channel_id, 0) + 1
    data: MessageSent = {
        "channel_id": action.channel_id,
        "message_id": state.next_id,
        "text": text,
        "turn": state.turn,
    }
    # Not "talked": control's words do not make the press leak the nations' talks.
    state = replace(state, message_counts=counts, next_id=state.next_id + 1)
    return Accepted(state, (Event(EventKind.MESSAGE_SENT, CONTROL, data),))


def _override(state: GameState, action: OverrideOutcome, now: float) -> Accepted | Rejection:
    if state.phase is not Phase.ADJUDICATION:
        return Rejection("not_held", because(R.OVERRIDE_NOT_HELD))
    operation = state.operation(action.operation_id)
    if operation is None or not operation.open_at(state.turn):
        return Rejection("unknown_operation", because(R.OPERATION_NOT_RESOLVED))
    kept = tuple(o for o in state.overrides if o.operation_id != operation.id)
    if action.result is None:
        cleared = _event(
            EventKind.OUTCOME_OVERRIDDEN,
            OutcomeOverridden(operation_id=operation.id, result=None, reason=""),
        )
        return Accepted(replace(state, overrides=kept), cleared)
    if action.result not in RESULTS:
        return Rejection("bad_result", because(R.BAD_RESULT, results=list(RESULTS)))
    reason = " ".join(action.reason.split())[:MAX_TEXT]
    if not reason:
        return Rejection("reason_required", because(R.OVERRIDE_REASON_REQUIRED))
    override = Override(operation.id, action.result, reason)
    recorded = _event(
        EventKind.OUTCOME_OVERRIDDEN,
        OutcomeOverridden(operation_id=operation.id, result=action.result, reason=reason),
    )
    return Accepted(replace(state, overrides=(*kept, override)), recorded)


def _fire(state: GameState, action: FireInject, now: float) -> Accepted | Rejection:
    scripted = next((e for e in state.events if e.id == action.event_id), None)
    if scripted is None:
        return Rejection("unknown_event", because(R.NO_SUCH_EVENT, event_id=action.event_id))
    if scripted.id in state.fired:
        return Rejection("already_fired", because(R.ALREADY_FIRED, event=scripted.name))
    ledger = Ledger()
    fired, event = fire_one(state, scripted, ledger, fired_by="control")
    # What it changed is listed in the turn's record, when the turn resolves.
    fired = replace(ledger.keep_pending(fired), fired=(*fired.fired, scripted.id))
    return Accepted(fired, (event,))


def _live_inject(state: GameState, action: LiveInject, now: float) -> Accepted | Rejection:
    title = " ".join(action.title.split())[:200]
    text = action.text.strip()[:MAX_TEXT]
    if not title or not text:
        return Rejection("malformed", because(R.INJECT_INCOMPLETE))
    unknown = [n for n in action.audience if state.nation(n) is None]
    if unknown:
        return Rejection("unknown_nation", because(R.NO_NATION, nation_id=unknown[0]))
    data: Inject = {
        "event_id": f"live-{state.next_id}",
        "name": title,
        "text": text,
        "public": not action.audience,
        "audience": list(action.audience),
        "briefs": {},
        "fired_by": "control",
    }
    return Accepted(
        replace(state, next_id=state.next_id + 1), (Event(EventKind.INJECT, None, data),)
    )


# --- the registry ----------------------------------------------------------------------------

# A control action's parser: a console form to the action, or its refusal.
ControlParser = Callable[[Mapping[str, Any]], ControlAction | Rejection]


@dataclass(frozen=True)
class ControlSpec:
    """Everything the rules know of one kind of control action: its dataclass, whose
    `kind` is what a form's `action` says and what the event log's action records; how it
    is built from a form (`parse`) and what it does (`apply`, after `apply_control` has
    refused a stale or finished game)."""

    action: type[Any]
    parse: ControlParser
    apply: Callable[[GameState, Any, float], Accepted | Rejection]

    @property
    def kind(self) -> str:
        return str(self.action.kind)


CONTROL_ACTIONS: dict[str, ControlSpec] = {
    spec.kind: spec
    for spec in (
        ControlSpec(PauseClock, _phase_bound(lambda data, at: PauseClock(at=at)), _pause),
        ControlSpec(
            ResumeClock,
            _phase_bound(lambda data, at: ResumeClock(at=at)),
            _resume,
        ),
        ControlSpec(ExtendPhase, _parse_extend, _extend),
        ControlSpec(SetPhaseLength, _parse_phase_length, _set_phase_length),
        ControlSpec(
            EndPhaseNow,
            _phase_bound(lambda data, at: EndPhaseNow(at=at)),
            _end_phase_now,
        ),
        ControlSpec(SetHold, _parse_hold, _set_hold),
        ControlSpec(OverrideOutcome, _phase_bound(_parse_override), _override),
        ControlSpec(
            GiveFeedback,
            _phase_bound(
                lambda data, at: GiveFeedback(
                    _field(data, "nation_id"), _field(data, "text"), at=at
                )
            ),
            _feedback,
        ),
        ControlSpec(
            ReleaseTurn,
            _phase_bound(lambda data, at: ReleaseTurn(at=at)),
            _release,
        ),
        ControlSpec(
            FireInject,
            _phase_bound(lambda data, at: FireInject(_field(data, "event_id"), at=at)),
            _fire,
        ),
        ControlSpec(LiveInject, _parse_live_inject, _live_inject),
        ControlSpec(
            ControlMessage,
            lambda data: ControlMessage(_field(data, "channel_id"), _field(data, "text")),
            _message,
        ),
        ControlSpec(EndExercise, lambda data: EndExercise(), _end_exercise),
    )
}
assert set(CONTROL_ACTIONS) == {a.kind for a in get_args(ControlAction)}, "one entry per kind"
