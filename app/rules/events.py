"""What can happen in a game: every kind of `Event` (`EventKind`) and the shape of its data.

Each kind has one payload type, a `TypedDict` (`PAYLOADS` maps every kind to its own), so
whoever builds an event builds its data typed, and whoever reads one knows what it holds.
Events are logged as they are told (the kind's value is the string stored in the
`game_events` table), and a stored kind the code no longer knows loads as `UNKNOWN`
(see `stored_kind`) rather than failing the page that reads it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal, NotRequired

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

from app.rules.state import AgreementKind, Controller, RedSeat


class EventKind(StrEnum):
    """Every kind of event the rules, the services and the scenario's injects tell."""

    GAME_CREATED = "game_created"
    GAME_BRANCHED = "game_branched"
    # Seats
    SEAT_JOINED = "seat_joined"
    SEAT_HANDED_TO_BOT = "seat_handed_to_bot"
    SEAT_TAKEN_BACK = "seat_taken_back"
    SEAT_RELINKED = "seat_relinked"
    RED_CELL_SEATED = "red_cell_seated"
    # Orders
    READY_CHANGED = "ready_changed"
    UNIT_COMMITTED = "unit_committed"
    UNIT_WITHDRAWN = "unit_withdrawn"
    AUTHORITY_TRANSFERRED = "authority_transferred"
    AUTHORITY_RECLAIMED = "authority_reclaimed"
    RED_CARD = "red_card"
    RED_MOVE_CHOSEN = "red_move_chosen"
    # Talks and deals
    MESSAGE_SENT = "message_sent"
    CHANNEL_OPENED = "channel_opened"
    PROPOSAL_MADE = "proposal_made"
    PROPOSAL_COUNTERED = "proposal_countered"
    PROPOSAL_SIGNED = "proposal_signed"
    PROPOSAL_REJECTED = "proposal_rejected"
    PROPOSAL_WITHDRAWN = "proposal_withdrawn"
    AGREEMENT_SIGNED = "agreement_signed"
    COALITION_FORMED = "coalition_formed"
    COALITION_JOINED = "coalition_joined"
    COALITION_LEFT = "coalition_left"
    COALITION_DISSOLVED = "coalition_dissolved"
    MANDATE_ANSWERED = "mandate_answered"
    # The turn and what it brings
    TURN_RESOLVED = "turn_resolved"
    PRESS_LEAK = "press_leak"
    LEADERSHIP_CHANGE = "leadership_change"
    INJECT = "inject"
    CONTROL_FEEDBACK = "control_feedback"
    # Control (the white cell)
    CLOCK_PAUSED = "clock_paused"
    CLOCK_RESUMED = "clock_resumed"
    PHASE_EXTENDED = "phase_extended"
    PHASE_LENGTH_SET = "phase_length_set"
    PHASE_ENDED_BY_CONTROL = "phase_ended_by_control"
    HOLD_SET = "hold_set"
    ADJUDICATION_STARTED = "adjudication_started"
    TURN_RELEASED = "turn_released"
    OUTCOME_OVERRIDDEN = "outcome_overridden"
    FEEDBACK_WRITTEN = "feedback_written"
    EXERCISE_ENDED = "exercise_ended"
    # A stored event whose kind this code does not know (see `stored_kind`): shown to nobody.
    UNKNOWN = "unknown"


def stored_kind(kind: str) -> EventKind | None:
    """The kind of an event read back from the log, or None for one this code does not know
    (a kind since removed, or a row written by a newer version)."""
    try:
        return EventKind(kind)
    except ValueError:
        return None


# Unknown keys are an error when a payload is checked (the tests validate every event).
_strict = with_config(ConfigDict(extra="forbid"))


@_strict
class GameCreated(TypedDict):
    seed: int


@_strict
class GameBranched(TypedDict):
    from_name: str
    from_turn: int


@_strict
class OfNation(TypedDict):
    """A seat joined or relinked: whose."""

    nation_id: str


@_strict
class SeatHandedToBot(TypedDict):
    nation_id: str
    personality: str
    previous: Controller


@_strict
class SeatTakenBack(TypedDict):
    nation_id: str
    personality: str | None
    controller: Controller


@_strict
class ReadyChanged(TypedDict):
    nation_id: str
    ready: bool


@_strict
class UnitMoved(TypedDict):
    """A unit committed to an operation or withdrawn from it."""

    nation_id: str  # the unit's owner
    unit_id: str
    operation_id: str
    committed_units: int  # how many units the actor has committed now
    was_ready: bool
    tasked_by: NotRequired[str]  # the coalition lead who moved another nation's unit


@_strict
class AuthorityMoved(TypedDict):
    """A unit placed under coalition command, or taken back."""

    nation_id: str
    unit_id: str
    coalition_id: str


@_strict
class TaskingRefused(TypedDict):
    nation_id: str
    unit_id: str
    operation_id: str
    tasked_by: str | None


@_strict
class MessageSent(TypedDict):
    channel_id: str
    message_id: int
    text: str
    turn: int


@_strict
class ChannelOpened(TypedDict):
    channel_id: str
    members: list[str]
    name: str


@_strict
class AgreementTold(TypedDict):
    """A proposal's step or a signed agreement: the deal as it stands."""

    agreement_id: str
    agreement: AgreementKind
    parties: list[str]
    terms: dict[str, str | int]
    replaces: str | None


@_strict
class CoalitionFormed(TypedDict):
    coalition_id: str
    name: str
    members: list[str]


@_strict
class CoalitionJoined(TypedDict):
    coalition_id: str
    nations: list[str]


@_strict
class CoalitionLeft(TypedDict):
    coalition_id: str
    why: str  # "left", "withdrawal", ...


@_strict
class CoalitionDissolved(TypedDict):
    coalition_id: str


# "from" is a keyword, hence the functional form.
EscalationMove = TypedDict("EscalationMove", {"from": int, "to": int})
_strict(EscalationMove)


@_strict
@_strict
class ReasonData(TypedDict):
    """A `Reason` as JSON (`app.rules.reasons`)."""

    code: str
    params: dict[str, Any]


class SupportMove(TypedDict):
    reason: ReasonData | str  # a sentence in games logged before reasons had codes
    change: float


@_strict
class AdversaryReport(TypedDict):
    """The adversary's moves in a turn (`AdversaryMove` kinds; their reasons are in the
    turn's record), their total pressure, and whether it ended the crisis."""

    name: str  # the actor's name
    moves: list[str]
    pressure: float
    ended: bool
    # The red cell's words this turn (a signal, an offer of talks, terms accepted): public.
    said: NotRequired[list[str]]


@_strict
class RedCellSeated(TypedDict):
    """Control opened the red cell's seat, a student or a bot took it, or the reaction
    table plays the adversary again (`seat` None)."""

    seat: RedSeat | None
    bot: str | None


@_strict
class RedMoveChosen(TypedDict):
    """The red cell chose its move (seen by the red cell and control only, until the turn
    resolves)."""

    move: str


@_strict
class MandateAnswered(TypedDict):
    """A council's answer to a coalition that asked it for a mandate (public)."""

    coalition_id: str
    actor_id: str
    granted: bool
    mandate: str | None
    reason: ReasonData


@_strict
class TurnResolved(TypedDict):
    turn: int
    now: float
    outcomes: list[dict[str, Any]]  # as `outcomes_to_dicts` writes them
    escalation: EscalationMove
    escalation_change: int
    support: dict[str, list[SupportMove]]
    spent: dict[str, int]
    next_turn: int | None
    adversary: NotRequired[AdversaryReport]  # when a reaction table moved it


@_strict
class PressLeak(TypedDict):
    channel_id: str
    members: list[str]


@_strict
class LeadershipChange(TypedDict):
    nation_id: str
    brief: str  # the new government's brief: its nation's to read
    caveats: list[str]
    # Public: who leads it, the support that brought the old one down and the threshold,
    # and the coalitions it walks out of (absent in games stored before issue 15).
    leader: NotRequired[str]
    support: NotRequired[int]
    threshold: NotRequired[int]
    withdrawn: NotRequired[list[str]]


InjectFiredBy = Literal["trigger", "control"]


@_strict
class Inject(TypedDict):
    event_id: str
    name: str
    text: str
    public: bool
    audience: list[str]
    briefs: dict[str, str]  # a new leader's brief, for that nation only
    # What it changed in operations, said in the news: [{operation_id, difficulty, change}]
    operations: NotRequired[list[dict[str, Any]]]
    # Who fired it: its trigger, or control (by hand, or written live). Older logs lack
    # it: `injects.fired_by` reads both.
    fired_by: NotRequired[InjectFiredBy]


@_strict
class ControlFeedback(TypedDict):
    nation_id: str
    text: str
    turn: int


@_strict
class OfTurn(TypedDict):
    """Control's step in a turn (adjudication, release, the end): which turn."""

    turn: int


@_strict
class ClockMoved(TypedDict):
    remaining: int  # seconds left in the phase


@_strict
class Seconds(TypedDict):
    seconds: int


@_strict
class HoldSet(TypedDict):
    hold: bool


@_strict
class OutcomeOverridden(TypedDict):
    operation_id: str
    result: str | None  # None: the override is removed
    reason: str


@_strict
class FeedbackWritten(TypedDict):
    nation_id: str
    text: str


@_strict
class Unknown(TypedDict):
    """A stored event of a kind this code does not know: kept as it was stored."""

    kind: str
    data: dict[str, Any]


# Every kind's payload type (the tests check that every event told matches its kind's).
PAYLOADS: dict[EventKind, type] = {
    EventKind.GAME_CREATED: GameCreated,
    EventKind.GAME_BRANCHED: GameBranched,
    EventKind.SEAT_JOINED: OfNation,
    EventKind.SEAT_HANDED_TO_BOT: SeatHandedToBot,
    EventKind.SEAT_TAKEN_BACK: SeatTakenBack,
    EventKind.SEAT_RELINKED: OfNation,
    EventKind.RED_CELL_SEATED: RedCellSeated,
    EventKind.RED_MOVE_CHOSEN: RedMoveChosen,
    EventKind.MANDATE_ANSWERED: MandateAnswered,
    EventKind.READY_CHANGED: ReadyChanged,
    EventKind.UNIT_COMMITTED: UnitMoved,
    EventKind.UNIT_WITHDRAWN: UnitMoved,
    EventKind.AUTHORITY_TRANSFERRED: AuthorityMoved,
    EventKind.AUTHORITY_RECLAIMED: AuthorityMoved,
    EventKind.RED_CARD: TaskingRefused,
    EventKind.MESSAGE_SENT: MessageSent,
    EventKind.CHANNEL_OPENED: ChannelOpened,
    EventKind.PROPOSAL_MADE: AgreementTold,
    EventKind.PROPOSAL_COUNTERED: AgreementTold,
    EventKind.PROPOSAL_SIGNED: AgreementTold,
    EventKind.PROPOSAL_REJECTED: AgreementTold,
    EventKind.PROPOSAL_WITHDRAWN: AgreementTold,
    EventKind.AGREEMENT_SIGNED: AgreementTold,
    EventKind.COALITION_FORMED: CoalitionFormed,
    EventKind.COALITION_JOINED: CoalitionJoined,
    EventKind.COALITION_LEFT: CoalitionLeft,
    EventKind.COALITION_DISSOLVED: CoalitionDissolved,
    EventKind.TURN_RESOLVED: TurnResolved,
    EventKind.PRESS_LEAK: PressLeak,
    EventKind.LEADERSHIP_CHANGE: LeadershipChange,
    EventKind.INJECT: Inject,
    EventKind.CONTROL_FEEDBACK: ControlFeedback,
    EventKind.CLOCK_PAUSED: ClockMoved,
    EventKind.CLOCK_RESUMED: ClockMoved,
    EventKind.PHASE_EXTENDED: Seconds,
    EventKind.PHASE_LENGTH_SET: Seconds,
    EventKind.PHASE_ENDED_BY_CONTROL: OfTurn,
    EventKind.HOLD_SET: HoldSet,
    EventKind.ADJUDICATION_STARTED: OfTurn,
    EventKind.TURN_RELEASED: OfTurn,
    EventKind.OUTCOME_OVERRIDDEN: OutcomeOverridden,
    EventKind.FEEDBACK_WRITTEN: FeedbackWritten,
    EventKind.EXERCISE_ENDED: OfTurn,
    EventKind.UNKNOWN: Unknown,
}

# Any kind's payload: what `Event.data` holds.
Payload = (
    GameCreated
    | GameBranched
    | OfNation
    | SeatHandedToBot
    | SeatTakenBack
    | ReadyChanged
    | UnitMoved
    | AuthorityMoved
    | TaskingRefused
    | MessageSent
    | ChannelOpened
    | AgreementTold
    | CoalitionFormed
    | CoalitionJoined
    | CoalitionLeft
    | CoalitionDissolved
    | TurnResolved
    | PressLeak
    | LeadershipChange
    | Inject
    | ControlFeedback
    | OfTurn
    | ClockMoved
    | Seconds
    | HoldSet
    | OutcomeOverridden
    | FeedbackWritten
    | RedCellSeated
    | RedMoveChosen
    | MandateAnswered
    | Unknown
)
