"""Words for what the game's log tells each viewer about an event (`app.rules.feed` decides
which line a viewer gets, and with which parameters; here they become a sentence).

Beside the shared format specs, the feed's words name what only the feed names:
`{x:who}` (a nation, or "Control"), `{ids:nations}` ("A, B and C"), `{u:unit}`,
`{ch:channel}`, `{s:minutes}` ("5 min", "1 min 30 s") and `{p:personality}` (a bot's).
Lookups are strict (a unit id names a unit, an operation id an operation), and an id the
state does not hold is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.rules.state import RED_CELL_SEAT, GameState
from app.rules.wording.base import (
    N_,
    Formatter,
    Said,
    Words,
    gettext,
    join_and,
    say,
    sentence_start,
    term,
)
from app.rules.wording.changes import WORDS as CHANGE_WORDS
from app.rules.wording.changes import leader_said, red_cell_said


class FeedLine(StrEnum):
    # Orders (the full line for those who may see the orders, else only that they changed)
    UNIT_COMMITTED = "feed.unit_committed"
    UNIT_WITHDRAWN = "feed.unit_withdrawn"
    ORDERS_CHANGED = "feed.orders_changed"
    ORDERS_CHANGED_COUNT = "feed.orders_changed_count"
    READY = "feed.ready"
    NOT_READY = "feed.not_ready"
    AUTHORITY_TRANSFERRED = "feed.authority_transferred"
    AUTHORITY_RECLAIMED = "feed.authority_reclaimed"
    RED_CARD = "feed.red_card"
    # Seats
    SEAT_JOINED = "feed.seat_joined"
    SEAT_RELINKED = "feed.seat_relinked"
    BOT_PLAYS = "feed.bot_plays"
    BOT_PLAYS_AS = "feed.bot_plays_as"
    SEAT_AWAITS_PLAYER = "feed.seat_awaits_player"
    PLAYERS_BACK = "feed.players_back"
    RED_CELL_OPEN = "feed.red_cell_open"
    RED_CELL_JOINED = "feed.red_cell_joined"
    RED_CELL_BOT = "feed.red_cell_bot"
    RED_CELL_TABLE = "feed.red_cell_table"
    RED_MOVE_CHOSEN = "feed.red_move_chosen"
    # The game and its turns
    GAME_CREATED = "feed.game_created"
    GAME_BRANCHED = "feed.game_branched"
    TURN_RESOLVED = "feed.turn_resolved"
    PRESS_LEAK = "feed.press_leak"
    LEADERSHIP_CHANGE = "feed.leadership_change"
    INJECT = "feed.inject"
    PRIVATE_INJECT = "feed.private_inject"
    INJECT_BY_CONTROL = "feed.inject_by_control"
    INJECT_BY_TRIGGER = "feed.inject_by_trigger"
    # Talks and deals
    MESSAGE_SENT = "feed.message_sent"
    CHANNEL_OPENED = "feed.channel_opened"
    PROPOSAL_MADE = "feed.proposal_made"
    PROPOSAL_COUNTERED = "feed.proposal_countered"
    PROPOSAL_SIGNED = "feed.proposal_signed"
    PROPOSAL_REJECTED = "feed.proposal_rejected"
    PROPOSAL_WITHDRAWN = "feed.proposal_withdrawn"
    AGREEMENT_SIGNED = "feed.agreement_signed"
    COALITION_FORMED = "feed.coalition_formed"
    COALITION_JOINED = "feed.coalition_joined"
    COALITION_LEFT = "feed.coalition_left"
    COALITION_DISSOLVED = "feed.coalition_dissolved"
    MANDATE_ANSWERED = "feed.mandate_answered"
    # Control
    CONTROL_FEEDBACK = "feed.control_feedback"
    FEEDBACK_WRITTEN = "feed.feedback_written"
    OUTCOME_OVERRIDDEN = "feed.outcome_overridden"
    OVERRIDE_REMOVED = "feed.override_removed"
    CLOCK_PAUSED = "feed.clock_paused"
    CLOCK_STARTED = "feed.clock_started"
    CLOCK_RESUMED = "feed.clock_resumed"
    PHASE_EXTENDED = "feed.phase_extended"
    PHASE_LENGTH_SET = "feed.phase_length_set"
    PHASE_ENDED_BY_CONTROL = "feed.phase_ended_by_control"
    HOLD_ON = "feed.hold_on"
    HOLD_OFF = "feed.hold_off"
    ADJUDICATION_STARTED = "feed.adjudication_started"
    TURN_RELEASED = "feed.turn_released"
    EXERCISE_ENDED = "feed.exercise_ended"


def who(state: GameState | None, nation_id: object) -> str:
    """A nation's (or an actor's, a party to an NGO's coordination) name, or "Control"
    for control's own words."""
    if nation_id == "control":
        return gettext(N_("Control"))
    if nation_id == RED_CELL_SEAT:
        return gettext(N_("The red cell"))
    if state is None or not nation_id:
        return str(nation_id)
    found = state.nation(str(nation_id)) or state.actor(str(nation_id))
    return found.name if found else str(nation_id)


def _minutes(seconds: object) -> str:
    value = int(seconds) if isinstance(seconds, int | float) else 0
    if value % 60 == 0 and value >= 60:
        return f"{value // 60} min"
    return f"{value // 60} min {value % 60} s" if value >= 60 else f"{value} s"


class FeedFormatter(Formatter):
    """The shared specs, and the feed's own (strict lookups, as the feed has always named)."""

    def field(self, value: Any, format_spec: str) -> str:
        state = self.state
        found: Any = None
        if format_spec == "who":
            return who(state, value)
        if format_spec == "nations":
            ids = value if isinstance(value, list | tuple) else []
            return join_and([who(state, i) for i in ids])
        if format_spec == "minutes":
            return _minutes(value)
        if format_spec == "personality":
            if value == "profile":
                return gettext(N_("its political profile"))
            return str(value).replace("_", " ")
        if format_spec in ("unit", "operation", "coalition", "channel"):
            if state is not None:
                found = getattr(state, format_spec)(str(value))
            return found.name if found is not None else str(value)
        return super().field(value, format_spec)


def _operations_changed(p: Said) -> str:
    """What an inject did to operations, after its text: " (Open Lane: difficulty 12, +2.)"."""
    said = [
        p.say(
            N_("{operation:operation}: difficulty now {difficulty} ({change:signed})"),
            operation=o["operation_id"],
            difficulty=o["difficulty"],
            change=o["change"],
        )
        for o in p.get("operations") or []
    ]
    return gettext(N_(" ({changes}.)")).format(changes="; ".join(said)) if said else ""


def _answer(p: Said) -> str:
    """A council's answer, in the words of its reason (`app.rules.wording.changes`)."""
    said = say(CHANGE_WORDS[p["answer"]["code"]], p["answer"]["params"], p.state)
    return sentence_start(said) + "."


@dataclass(frozen=True)
class _Feed:
    """Words in the feed's format (see the module's docstring): its English `template`,
    said in the reader's language."""

    template: str

    def __call__(self, params: Said) -> str:
        return FeedFormatter(params.state).vformat(gettext(self.template), (), dict(params))


def _feed(template: str) -> Callable[[Said], str]:
    return _Feed(template)


def _leadership_change(p: Said) -> str:
    said = _feed(N_("A new government takes office in {who:who}"))(p)
    if p.get("leader"):
        led = Said({**p, "leader": leader_said(p["leader"])}, p.state)
        said += _feed(N_(", led by {leader}"))(led)
    if p.get("support") is not None:  # absent in games stored before issue 15
        said += _feed(N_(": support fell to {support}, under {threshold}"))(p)
    if p.get("withdrawn"):
        names = [FeedFormatter(p.state).format_field(c, "coalition") for c in p["withdrawn"]]
        return said + gettext(N_(". It withdraws from {coalitions}.")).format(
            coalitions=join_and(names)
        )
    return said + "."


def _turn_resolved(params: Said) -> str:
    results = ", ".join(
        _feed(N_("{operation:operation}: {result}"))(
            Said({"operation": op, "result": term(result)}, params.state)
        )
        for op, result in zip(params["operations"], params["results"], strict=True)
    )
    said = _feed(
        N_("Turn {turn} resolved. {results}. Escalation {escalation_from} → {escalation_to}.")
    )(Said({**params, "results": results}, params.state))
    if params.get("adversary"):
        said += _adversary_moved(params["adversary"], params["turn"])
    return said


ADVERSARY_MOVES = {
    "answer": N_("answers the coalition's hard power"),
    "red_line": N_("answers a crossed red line"),
    "probe": N_("probes the coalition"),
    "drift": N_("presses on"),
    "miscalculation": N_("miscalculates"),
    "escalate": N_("escalates"),
    "signal": N_("signals"),
    "offer_talks": N_("offers talks"),
}


def _adversary_moved(report: dict[str, Any], turn: object) -> str:
    """The adversary's moves of the turn, in one sentence (and its backing down)."""
    name = report["name"]
    kinds = [m for m in dict.fromkeys(report["moves"]) if m != "back_down"]
    moves = join_and([gettext(ADVERSARY_MOVES[m]) if m in ADVERSARY_MOVES else m for m in kinds])
    said = ""
    if moves:
        said += say(
            N_(" {name} {moves}: escalation pressure {pressure:+.2f}."),
            {"name": name, "moves": moves, "pressure": report["pressure"]},
            None,
        )
    for words in report.get("said", []):
        said += gettext(N_(" {name} says: \u201c{words}\u201d")).format(
            name=name, words=red_cell_said(words)
        )
    if report["ended"]:
        said += gettext(
            N_(
                " {name} backs down: deterrence or coercion worked, and the crisis ends with "
                "turn {turn}."
            )
        ).format(name=name, turn=turn)
    return said


WORDS: dict[str, Words] = {
    FeedLine.UNIT_COMMITTED: _feed(N_("{who:who} committed {unit:unit} to {operation:operation}.")),
    FeedLine.UNIT_WITHDRAWN: _feed(
        N_("{who:who} withdrew {unit:unit} from {operation:operation}.")
    ),
    FeedLine.ORDERS_CHANGED: _feed(N_("{who:who} changed its orders.")),
    FeedLine.ORDERS_CHANGED_COUNT: _feed(
        N_("{who:who} changed its orders ({units:count:unit} committed).")
    ),
    FeedLine.READY: _feed(N_("{who:who} is ready.")),
    FeedLine.NOT_READY: _feed(N_("{who:who} is no longer ready.")),
    FeedLine.AUTHORITY_TRANSFERRED: _feed(N_("{who:who} places a unit under coalition command.")),
    FeedLine.AUTHORITY_RECLAIMED: _feed(N_("{who:who} takes a unit back under national command.")),
    FeedLine.RED_CARD: _feed(N_("{who:who} refuses a coalition tasking (red card).")),
    FeedLine.SEAT_JOINED: _feed(N_("A player has taken the seat of {who:who}.")),
    FeedLine.SEAT_RELINKED: _feed(
        N_(
            "Control issued a new join link and code for {nation:who}; pages open on the old one "
            "were closed."
        )
    ),
    FeedLine.BOT_PLAYS: _feed(N_("{nation:who} is now played by a bot.")),
    FeedLine.BOT_PLAYS_AS: _feed(
        N_("{nation:who} is now played by a bot ({personality:personality}).")
    ),
    FeedLine.SEAT_AWAITS_PLAYER: _feed(
        N_("The seat of {nation:who} is no longer played by a bot; it awaits a player.")
    ),
    FeedLine.PLAYERS_BACK: _feed(
        N_("{nation:who} is played by its players again, no longer by a bot.")
    ),
    FeedLine.RED_CELL_OPEN: _feed(
        N_(
            "Control has opened a red-cell seat for {adversary}; until someone takes it, its "
            "reaction table plays it."
        )
    ),
    FeedLine.RED_CELL_JOINED: _feed(N_("{adversary} is now played by the red cell.")),
    FeedLine.RED_CELL_BOT: _feed(N_("{adversary} is now played by a red-cell bot.")),
    FeedLine.RED_CELL_TABLE: _feed(N_("{adversary} is played by its reaction table again.")),
    FeedLine.RED_MOVE_CHOSEN: _feed(N_("The red cell chose its move: {move:term}.")),
    FeedLine.MANDATE_ANSWERED: lambda p: (
        _feed(N_("{lead:who} asked {council:name} for a mandate for {coalition:coalition}. "))(p)
        + _answer(p)
    ),
    FeedLine.GAME_CREATED: N_("The exercise has been set up."),
    FeedLine.GAME_BRANCHED: N_(
        "This exercise branches from '{from_name}' at the start of turn "
        "{from_turn}: what happened before is history, the rest is yours."
    ),
    FeedLine.TURN_RESOLVED: _turn_resolved,
    FeedLine.PRESS_LEAK: _feed(N_("The press reports secret talks between {members:nations}.")),
    FeedLine.LEADERSHIP_CHANGE: _leadership_change,
    FeedLine.INJECT: lambda p: p.say(N_("{name}: {text}")) + _operations_changed(p),
    FeedLine.PRIVATE_INJECT: lambda p: (
        p.say(N_("{name} (to you only): {text}")) + _operations_changed(p)
    ),
    FeedLine.INJECT_BY_CONTROL: lambda p: (
        p.say(N_("{name} (fired by control): {text}")) + _operations_changed(p)
    ),
    FeedLine.INJECT_BY_TRIGGER: lambda p: (
        p.say(N_("{name} (its trigger was met): {text}")) + _operations_changed(p)
    ),
    FeedLine.MESSAGE_SENT: _feed(N_("{who:who} in {channel:channel}: {text}")),
    FeedLine.CHANNEL_OPENED: _feed(N_("{who:who} opened the channel {name}.")),
    FeedLine.PROPOSAL_MADE: _feed(N_("{who:who} proposes {label:a_deal} ({parties:nations}).")),
    FeedLine.PROPOSAL_COUNTERED: _feed(
        N_("{who:who} counters with {label:a_deal} ({parties:nations}).")
    ),
    FeedLine.PROPOSAL_SIGNED: _feed(N_("{who:who} signs the {label:deal} ({parties:nations}).")),
    FeedLine.PROPOSAL_REJECTED: _feed(
        N_("{who:who} rejects the {label:deal} ({parties:nations}).")
    ),
    FeedLine.PROPOSAL_WITHDRAWN: _feed(
        N_("{who:who} withdraws the {label:deal} ({parties:nations}).")
    ),
    FeedLine.AGREEMENT_SIGNED: lambda p: (
        # One party (an NGO coordination a nation signs alone) has no "between".
        _feed(N_("Signed: {label:deal} between {parties:nations}."))(p)
        if len(p.get("parties") or ()) > 1
        else _feed(N_("Signed: {label:deal} by {parties:nations}."))(p)
    ),
    FeedLine.COALITION_FORMED: _feed(N_("{coalition:coalition} is formed by {members:nations}.")),
    FeedLine.COALITION_JOINED: _feed(N_("{nations:nations} joins {coalition:coalition}.")),
    FeedLine.COALITION_LEFT: _feed(N_("{who:who} leaves {coalition:coalition} ({why:term}).")),
    FeedLine.COALITION_DISSOLVED: _feed(N_("{coalition:coalition} is dissolved.")),
    FeedLine.CONTROL_FEEDBACK: N_("Control's feedback on turn {turn}: {text}"),
    FeedLine.FEEDBACK_WRITTEN: N_("Feedback to {nation:nation} saved."),
    FeedLine.OUTCOME_OVERRIDDEN: N_("{operation:operation} adjudicated a {result:term}: {reason}"),
    FeedLine.OVERRIDE_REMOVED: N_("Override of {operation:operation} removed."),
    FeedLine.CLOCK_PAUSED: _feed(N_("Control paused the clock ({remaining:minutes} left).")),
    FeedLine.CLOCK_RESUMED: N_("Control resumed the clock."),
    FeedLine.CLOCK_STARTED: _feed(
        N_(
            "The clock has started: {who:who} took the first seat ({remaining:minutes} to "
            "give orders)."
        )
    ),
    FeedLine.PHASE_EXTENDED: _feed(N_("Control extended the phase by {seconds:minutes}.")),
    FeedLine.PHASE_LENGTH_SET: _feed(
        N_("Control set the orders phase to {seconds:minutes} from the next turn.")
    ),
    FeedLine.PHASE_ENDED_BY_CONTROL: N_("Control ended the orders phase."),
    FeedLine.HOLD_ON: N_("Control will adjudicate each turn before its results are released."),
    FeedLine.HOLD_OFF: N_("Turns resolve as soon as the orders are in."),
    FeedLine.ADJUDICATION_STARTED: N_("Orders for turn {turn} are in; control is adjudicating."),
    FeedLine.TURN_RELEASED: N_("Control released the results of turn {turn}."),
    FeedLine.EXERCISE_ENDED: N_("Control ended the exercise during turn {turn}."),
}

CODES: tuple[str, ...] = tuple(FeedLine)
