"""The review's timeline: what happened in each turn, with each resolution explained."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app import rules
from app.i18n import N_, _, format_number
from app.rules.agreements import agreement as agreement_spec
from app.rules.agreements.common import MIN_PARTIES, all_parties
from app.rules.injects import fired_by
from app.rules.reasons import Reason
from app.rules.wording.changes import FactorName, FactorReason
from app.services.aar.words import nation_name, nation_names, operation_name, terms_text
from app.services.game_results import LoggedEvent

TIMELINE_EVENTS = frozenset(
    {
        rules.EventKind.INJECT,
        rules.EventKind.AGREEMENT_SIGNED,
        rules.EventKind.COALITION_FORMED,
        rules.EventKind.COALITION_JOINED,
        rules.EventKind.COALITION_LEFT,
        rules.EventKind.COALITION_DISSOLVED,
        rules.EventKind.TURN_RESOLVED,
        rules.EventKind.OUTCOME_OVERRIDDEN,
        rules.EventKind.CONTROL_FEEDBACK,
        rules.EventKind.PHASE_ENDED_BY_CONTROL,
        rules.EventKind.EXERCISE_ENDED,
        rules.EventKind.TURN_RELEASED,
        rules.EventKind.SEAT_HANDED_TO_BOT,
        rules.EventKind.SEAT_TAKEN_BACK,
        rules.EventKind.LEADERSHIP_CHANGE,
        rules.EventKind.PRESS_LEAK,
        rules.EventKind.GAME_BRANCHED,
        rules.EventKind.MANDATE_ANSWERED,
        rules.EventKind.RED_CELL_SEATED,
    }
)
CATEGORIES = {
    rules.EventKind.INJECT: "inject",
    rules.EventKind.AGREEMENT_SIGNED: "agreement",
    rules.EventKind.COALITION_FORMED: "coalition",
    rules.EventKind.COALITION_JOINED: "coalition",
    rules.EventKind.COALITION_LEFT: "coalition",
    rules.EventKind.COALITION_DISSOLVED: "coalition",
    rules.EventKind.TURN_RESOLVED: "resolution",
    rules.EventKind.LEADERSHIP_CHANGE: "politics",
    rules.EventKind.PRESS_LEAK: "politics",
    rules.EventKind.MANDATE_ANSWERED: "politics",
}  # every other timeline event is control's
OVERRIDE_FACTOR = FactorName.CONTROL_ADJUDICATION

# An outcome's result in the reader's words (the macros' `term` words for the pages).
RESULT_WORDS = {
    "success": N_("success"),
    "partial": N_("partial"),
    "failure": N_("failure"),
    "not_attempted": N_("not attempted"),
}


@dataclass(frozen=True)
class OutcomeRow:
    operation_id: str
    operation: str
    coalition: str
    result: str
    probability_success: float
    probability_partial: float
    roll: float | None
    contributions: str  # "Arvenia 4, Lindmark 2" (strength)
    notes: tuple[str, ...]  # effectiveness, casualties, harm to civilians, control's reason
    overridden: bool  # control adjudicated it


@dataclass(frozen=True)
class Resolution:
    turn: int
    escalation_from: int
    escalation_to: int
    rung_from: str
    rung_to: str
    outcomes: tuple[OutcomeRow, ...]  # the operations forces were committed to
    not_attempted: tuple[str, ...]  # the names of the open operations nobody took on
    support: tuple[tuple[str, float], ...]  # (nation name, net change)


@dataclass(frozen=True)
class Entry:
    seq: int
    category: str  # inject, agreement, coalition, resolution, politics, control
    text: str
    resolution: Resolution | None = None
    kind: str = ""  # the event's


@dataclass(frozen=True)
class TurnTimeline:
    turn: int
    entries: tuple[Entry, ...]


def _resolution(state: rules.GameState, data: dict[str, Any], in_full: bool = True) -> Resolution:
    """`in_full`: control's; a nation's debrief leaves out others' strengths and losses,
    naming only who took part, as everyone learns after the turn."""
    turn = int(data["turn"])
    escalation = data.get("escalation", {})
    start, end = int(escalation.get("from", 0)), int(escalation.get("to", 0))
    rows, idle = [], []
    for outcome in state.outcomes_of_turn(turn):
        name = operation_name(state, outcome.operation_id)
        overrides = [f for f in outcome.factors if f.name == OVERRIDE_FACTOR]
        if outcome.result == "not_attempted" and not outcome.contributions and not overrides:
            idle.append(name)
            continue
        coalition = state.coalition(outcome.coalition_id) if outcome.coalition_id else None
        notes = (
            [_("effectiveness %(value)s", value=format_number(outcome.effectiveness, 2))]
            if outcome.contributions
            else []
        )
        if outcome.casualties and in_full:
            casualties = ", ".join(
                f"{nation_name(state, k)} {v}" for k, v in outcome.casualties.items()
            )
            notes.append(_("casualties: %(casualties)s", casualties=casualties))
        if outcome.civilian_harm:
            notes.append(_("civilians harmed"))
        for factor in overrides:
            result, reason = _adjudication(factor.detail)
            notes.append(
                _(
                    "control adjudicated it a %(result)s: %(reason)s",
                    result=_(RESULT_WORDS.get(result, result.replace("_", " "))),
                    reason=reason,
                )
            )
        rows.append(
            OutcomeRow(
                operation_id=outcome.operation_id,
                operation=name,
                coalition=coalition.name if coalition else "",
                result=outcome.result,
                probability_success=outcome.probability_success,
                probability_partial=outcome.probability_partial,
                roll=outcome.roll,
                contributions=", ".join(
                    f"{nation_name(state, c.nation_id)} {c.strength}"
                    if in_full
                    else nation_name(state, c.nation_id)
                    for c in outcome.contributions
                ),
                notes=tuple(notes),
                overridden=bool(overrides),
            )
        )
    support = []
    for nation_id, changes in data.get("support", {}).items():
        net = sum(float(c.get("change", 0)) for c in changes if isinstance(c, dict))
        if net:
            support.append((nation_name(state, nation_id), net))
    return Resolution(
        turn=turn,
        escalation_from=start,
        escalation_to=end,
        rung_from=state.escalation.rung(start),
        rung_to=state.escalation.rung(end),
        outcomes=tuple(rows),
        not_attempted=tuple(idle),
        support=tuple(support),
    )


def _adjudication(detail: Reason) -> tuple[str, str]:
    """Control's result and its reason, from the override factor's detail."""
    if detail.code == FactorReason.CONTROL_ADJUDICATED:
        return str(detail.params["result"]), str(detail.params["text"])
    # Stored before reasons had codes: the detail is the words "result: reason".
    result, _sep, reason = str(detail.params.get("text", "")).partition(": ")
    return result, reason


def _entry_text(state: rules.GameState, event: rules.Event) -> str:
    data, kind = event.data, event.kind
    if kind == rules.EventKind.INJECT:
        text = f"{data.get('name') or _('Inject')}: {data.get('text', '')}"
        if str(data.get("event_id", "")).startswith("live-"):
            text += " " + _("(written by control)")
        elif fired_by(data) == "control":
            text += " " + _("(fired by control)")
        else:
            text += " " + _("(its trigger was met)")
        if not data.get("public", True):
            audience = nation_names(state, data.get("audience", [])) or _("nobody")
            text += " " + _("(only to %(nations)s)", nations=audience)
        return text
    if kind == rules.EventKind.OUTCOME_OVERRIDDEN:
        operation = operation_name(state, data.get("operation_id"))
        if data.get("result") is None:
            return _("Control removed its adjudication of %(operation)s.", operation=operation)
        result = str(data["result"])
        return _(
            "Control adjudicated %(operation)s a %(result)s: %(reason)s",
            operation=operation,
            result=_(RESULT_WORDS.get(result, result.replace("_", " "))),
            reason=data.get("reason", ""),
        )
    if kind == rules.EventKind.CONTROL_FEEDBACK:
        return _(
            "Control's feedback to %(nation)s: %(text)s",
            nation=nation_name(state, data.get("nation_id")),
            text=data.get("text"),
        )
    if kind == rules.EventKind.LEADERSHIP_CHANGE:
        return str(
            data.get("brief")
            or _(
                "A new government takes office in %(nation)s.",
                nation=nation_name(state, event.actor),
            )
        )
    seen = None
    try:
        seen = rules.view_event(state, event, rules.Viewer.control())
    except (KeyError, TypeError, ValueError):  # an event from an older shape of the log
        seen = None
    text = str(seen["text"]) if seen else kind.replace("_", " ").capitalize() + "."
    if kind == rules.EventKind.AGREEMENT_SIGNED and isinstance(data.get("terms"), dict):
        terms = terms_text(state, data["terms"])
        if terms:
            text += " " + _("Terms: %(terms)s.", terms=terms.rstrip("."))
    return text


def _bot_seats(entries: Sequence[Entry]) -> Entry:
    """Seats handed to bots one after another (as an exercise is set up): one entry."""
    seats = []
    for entry in entries:
        name, _sep, rest = entry.text.partition(" is now played by a bot")
        seats.append(name + rest.rstrip("."))
    return Entry(entries[0].seq, "control", _("Played by bots: %(seats)s.", seats=", ".join(seats)))


def _merge_bot_seats(entries: list[Entry]) -> tuple[Entry, ...]:
    merged: list[Entry] = []
    run: list[Entry] = []
    for entry in [*entries, Entry(0, "", "")]:
        if entry.kind == rules.EventKind.SEAT_HANDED_TO_BOT:
            run.append(entry)
            continue
        if len(run) > 1:
            merged.append(_bot_seats(run))
        else:
            merged.extend(run)
        run = []
        if entry.category:
            merged.append(entry)
    return tuple(merged)


def _one_party_deal(event: rules.Event) -> bool:
    """A signed agreement with fewer than two parties (a log from before the rules
    refused them): not a deal, so not in the timeline."""
    if event.kind != rules.EventKind.AGREEMENT_SIGNED:
        return False
    data = event.data
    try:
        spec = agreement_spec(str(data.get("agreement")))
    except KeyError:
        return False
    return len(all_parties(spec, data.get("parties", []), data.get("terms") or {})) < MIN_PARTIES


def timeline(
    events: Sequence[LoggedEvent],
    state: rules.GameState,
    first_turn: int = 1,
    viewer: rules.Viewer | None = None,
) -> list[TurnTimeline]:
    """What happened in each turn from `first_turn` (a branch's own log starts at the turn
    it branched from), in order. The injects that open a turn belong to it (older logs
    gave them the turn of the resolution before: `opened_by` moves those), as the feed
    and the exports say (`game_log.event_turns`).

    `viewer`: control's timeline if None; a nation's debrief otherwise, which holds only
    the events that nation was shown, each in the words its feed gave it."""
    seat = viewer if viewer is not None and viewer.role != "control" else None
    opened_by: dict[int, int] = {}  # resolved turn -> the turn its resolution opened
    turns: dict[int, list[Entry]] = {t: [] for t in range(first_turn, state.turn + 1)}
    for logged in events:
        event, turn = logged.event, logged.turn
        if _one_party_deal(event):
            continue
        seen = rules.view_event(state, event, seat) if seat is not None else None
        if seat is not None and seen is None:
            continue
        if event.kind == rules.EventKind.TURN_RESOLVED:
            next_turn = event.data.get("next_turn")
            if isinstance(next_turn, int):
                opened_by[turn] = next_turn
            entry = Entry(
                logged.seq,
                "resolution",
                _("Turn %(turn)s resolved.", turn=event.data["turn"]),
                _resolution(state, event.data, in_full=seat is None),
            )
        else:
            if event.kind == rules.EventKind.INJECT and turn in opened_by:
                turn = opened_by[turn]
            entry = Entry(
                logged.seq,
                CATEGORIES.get(event.kind, "control"),
                str(seen["text"]) if seen is not None else _entry_text(state, event),
                kind=event.kind,
            )
        turns.setdefault(turn, []).append(entry)
    return [TurnTimeline(t, _merge_bot_seats(entries)) for t, entries in sorted(turns.items())]
