"""The feed: each event as a viewer may see it, with its line of text (`view_event`)."""

from __future__ import annotations

from typing import Any

from app.rules.agreements import AGREEMENTS
from app.rules.agreements import agreement as agreement_spec
from app.rules.outcomes import Event
from app.rules.state import GameState
from app.rules.viewer import Viewer, _sees_orders_of


def _message_visible(state: GameState, channel_id: str, message_id: int, viewer: Viewer) -> bool:
    """A channel's members read it from when they joined (control reads everything, anyone
    a public channel)."""
    channel = state.channel(channel_id)
    if channel is None or not (viewer.among(channel.members) or channel.kind == "public"):
        return False
    return viewer.role == "control" or message_id >= channel.first_message_for(viewer.nation_id)


def _name(state: GameState, nation_id: str | None) -> str:
    if nation_id == "control":
        return "Control"
    nation = state.nation(nation_id) if nation_id else None
    return nation.name if nation else str(nation_id)


def view_event(state: GameState, event: Event, viewer: Viewer) -> dict[str, Any] | None:
    """The part of `event` that `viewer` may see, with a line of text, or None."""
    data = event.data
    who = _name(state, event.actor)
    if event.kind in {"unit_committed", "unit_withdrawn"}:
        owner = data.get("nation_id", event.actor)
        if _sees_orders_of(state, viewer, owner) or viewer.sees_privately(event.actor):
            nation = state.nation(owner or "")
            unit = nation.unit(data["unit_id"]) if nation else None
            op = state.operation(data["operation_id"])
            verb = "committed" if event.kind == "unit_committed" else "withdrew"
            prep = "to" if event.kind == "unit_committed" else "from"
            text = (
                f"{who} {verb} {unit.name if unit else data['unit_id']} {prep} "
                f"{op.name if op else data['operation_id']}."
            )
            return {"kind": event.kind, "nation_id": event.actor, "text": text, **data}
        if state.fog == "strict":
            return {
                "kind": "orders_changed",
                "nation_id": event.actor,
                "text": f"{who} changed its orders.",
            }
        return {
            "kind": "orders_changed",
            "nation_id": event.actor,
            "committed_units": data["committed_units"],
            "text": f"{who} changed its orders ({_units(data['committed_units'])} committed).",
        }
    if event.kind in CONTROL_EVENTS:
        return _control_text(event, viewer)
    diplomatic = _diplomatic_text(state, event, viewer)
    if diplomatic is not None or event.kind not in BASIC_EVENTS:
        return diplomatic
    if event.kind == "ready_changed":
        state_word = "is ready" if data["ready"] else "is no longer ready"
        return {
            "kind": event.kind,
            "nation_id": event.actor,
            "ready": data["ready"],
            "text": f"{who} {state_word}.",
        }
    if event.kind == "seat_joined":
        return {
            "kind": event.kind,
            "nation_id": event.actor,
            "text": f"A player has taken the seat of {who}.",
        }
    if event.kind in ("seat_handed_to_bot", "seat_taken_back"):
        return _seat_text(state, event, viewer)
    if event.kind == "seat_relinked":
        if viewer.role != "control":
            return None  # the seat's own pages close; the others have nothing to learn
        return {
            "kind": event.kind,
            "nation_id": data["nation_id"],
            "text": f"Control issued a new join link and code for {_name(state, data['nation_id'])}"
            "; pages open on the old one were closed.",
        }
    if event.kind == "turn_resolved":
        support = data["support"]
        visible_support = (
            support
            if viewer.role == "control"
            else {k: v for k, v in support.items() if k == viewer.nation_id}
        )
        results = ", ".join(
            f"{_op_name(state, o['operation_id'])}: {o['result'].replace('_', ' ')}"
            for o in data["outcomes"]
        )
        return {
            "kind": event.kind,
            "turn": data["turn"],
            "escalation": data["escalation"],
            "support": visible_support,
            "text": f"Turn {data['turn']} resolved. {results}. Escalation "
            f"{data['escalation']['from']} → {data['escalation']['to']}.",
        }
    if event.kind == "game_created":
        return {"kind": event.kind, "text": "The exercise has been set up."}
    return None


CONTROL_EVENTS = {
    "clock_paused",
    "clock_resumed",
    "phase_extended",
    "phase_length_set",
    "phase_ended_by_control",
    "hold_set",
    "adjudication_started",
    "turn_released",
    "control_feedback",
    "outcome_overridden",
    "feedback_written",
    "game_branched",
    "exercise_ended",
}


def _minutes(seconds: object) -> str:
    value = int(seconds) if isinstance(seconds, int | float) else 0
    if value % 60 == 0 and value >= 60:
        return f"{value // 60} min"
    return f"{value // 60} min {value % 60} s" if value >= 60 else f"{value} s"


def _control_text(event: Event, viewer: Viewer) -> dict[str, Any] | None:
    """Control's announcements: public, except its feedback, which is one nation's."""
    data = event.data
    if event.kind == "control_feedback":
        if not viewer.sees_privately(data["nation_id"]):
            return None
        return {
            "kind": event.kind,
            "nation_id": data["nation_id"],
            "text": f"Control's feedback on turn {data['turn']}: {data['text']}",
        }
    if event.kind in ("outcome_overridden", "feedback_written"):
        if viewer.role != "control":
            return None  # control's working notes until the turn is released
        if event.kind == "feedback_written":
            text = f"Feedback to {data['nation_id']} saved."
        elif data["result"] is None:
            text = f"Override of {data['operation_id']} removed."
        else:
            text = f"{data['operation_id']} adjudicated a {data['result']}: {data['reason']}"
        return {"kind": event.kind, "text": text}
    texts = {
        "clock_paused": f"Control paused the clock ({_minutes(data.get('remaining'))} left).",
        "clock_resumed": "Control resumed the clock.",
        "phase_extended": f"Control extended the phase by {_minutes(data.get('seconds'))}.",
        "phase_length_set": "Control set the orders phase to "
        f"{_minutes(data.get('seconds'))} from the next turn.",
        "phase_ended_by_control": "Control ended the orders phase.",
        "hold_set": "Control will adjudicate each turn before its results are released."
        if data.get("hold")
        else "Turns resolve as soon as the orders are in.",
        "adjudication_started": f"Orders for turn {data.get('turn')} are in; "
        "control is adjudicating.",
        "turn_released": f"Control released the results of turn {data.get('turn')}.",
        "exercise_ended": f"Control ended the exercise during turn {data.get('turn')}.",
        "game_branched": f"This exercise branches from '{data.get('from_name')}' at the start "
        f"of turn {data.get('from_turn')}: what happened before is history, the rest is yours.",
    }
    return {"kind": event.kind, "text": texts[event.kind]}


def _names(state: GameState, ids: object) -> str:
    names = [_name(state, i) for i in ids] if isinstance(ids, list | tuple) else []
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1] if names else ""


BASIC_EVENTS = {
    "ready_changed",
    "seat_joined",
    "seat_handed_to_bot",
    "seat_taken_back",
    "seat_relinked",
    "turn_resolved",
    "game_created",
}


def _personality(name: str) -> str:
    return "its political profile" if name == "profile" else name.replace("_", " ")


def _seat_text(state: GameState, event: Event, viewer: Viewer) -> dict[str, Any]:
    """Control seats a bot or takes a seat back. That a bot plays is public (the seats
    panel shows it); how it plays is for control and the seat itself."""
    data = event.data
    nation_id = data["nation_id"]
    who = _name(state, nation_id)
    personality = data.get("personality") if viewer.sees_privately(nation_id) else None
    entry: dict[str, Any] = {"kind": event.kind, "nation_id": nation_id}
    if event.kind == "seat_handed_to_bot":
        text = f"{who} is now played by a bot."
        if personality:
            text = f"{who} is now played by a bot ({_personality(personality)})."
    elif data.get("controller") == "vacant":
        text = f"The seat of {who} is no longer played by a bot; it awaits a player."
    else:
        text = f"{who} is played by its players again, no longer by a bot."
    if personality:
        entry["personality"] = personality
    return entry | {"text": text}


AGREEMENT_LABELS = {kind: spec.label for kind, spec in AGREEMENTS.items()}


def _diplomatic_text(state: GameState, event: Event, viewer: Viewer) -> dict[str, Any] | None:
    """Talks, deals, coalitions and injects, each to those who may know of it."""
    data, kind = event.data, event.kind
    who = _name(state, event.actor)
    base = {"kind": kind, "nation_id": event.actor}
    if kind.startswith("proposal_"):
        if not viewer.among(data["parties"]):
            return None
        label = agreement_spec(data["agreement"]).label
        verb = {
            "proposal_made": "proposes",
            "proposal_countered": "counters with",
            "proposal_signed": "signs",
            "proposal_rejected": "rejects",
            "proposal_withdrawn": "withdraws",
        }.get(kind, kind)
        article = "a " if kind in ("proposal_made", "proposal_countered") else "the "
        return (
            base
            | data
            | {"text": f"{who} {verb} {article}{label} ({_names(state, data['parties'])})."}
        )
    if kind == "agreement_signed":
        party = viewer.among(data["parties"])
        if not (party or agreement_spec(data["agreement"]).public):
            return None
        label = agreement_spec(data["agreement"]).label
        signed = data if party else data | {"replaces": None}
        return (
            base | signed | {"text": f"Signed: {label} between {_names(state, data['parties'])}."}
        )
    if kind == "message_sent":
        channel = state.channel(data["channel_id"])
        if channel is None or not _message_visible(
            state, channel.id, data.get("message_id", 0), viewer
        ):
            return None
        return base | data | {"text": f"{who} in {channel.name}: {data['text']}"}
    if kind == "channel_opened":
        if not viewer.among(data["members"]):
            return None
        return base | data | {"text": f"{who} opened the channel {data['name']}."}
    if kind in ("coalition_formed", "coalition_joined", "coalition_left", "coalition_dissolved"):
        coalition = state.coalition(data["coalition_id"])
        name = coalition.name if coalition else data["coalition_id"]
        text = {
            "coalition_formed": f"{name} is formed by {_names(state, data.get('members'))}.",
            "coalition_joined": f"{_names(state, data.get('nations'))} joins {name}.",
            "coalition_left": f"{who} leaves {name} ({data.get('why', 'left')}).",
            "coalition_dissolved": f"{name} is dissolved.",
        }[kind]
        return base | data | {"text": text}
    if kind in ("authority_transferred", "authority_reclaimed", "red_card"):
        # The coalition whose command it is (a nation may be in several).
        coalition = next(
            (
                c
                for c in state.coalitions_of(event.actor or "")
                if c.id == data.get("coalition_id") or c.lead == data.get("tasked_by")
            ),
            None,
        )
        members = list(coalition.members) if coalition else []
        if not (viewer.sees_privately(event.actor) or viewer.among(members)):
            return None
        text = {
            "authority_transferred": f"{who} places a unit under coalition command.",
            "authority_reclaimed": f"{who} takes a unit back under national command.",
            "red_card": f"{who} refuses a coalition tasking (red card).",
        }[kind]
        return base | {"text": text}
    if kind == "press_leak":
        # That they talked is news; which of their channels it was is not.
        leaked = data if viewer.among(data["members"]) else {"members": data["members"]}
        return (
            base
            | leaked
            | {"text": f"The press reports secret talks between {_names(state, data['members'])}."}
        )
    if kind == "leadership_change":
        brief = data["brief"] if viewer.sees_privately(event.actor) else None
        return base | {"brief": brief, "text": f"A new government takes office in {who}."}
    if kind == "inject":
        if not (data["public"] or viewer.among(data["audience"])):
            return None
        brief = data["briefs"].get(viewer.nation_id) if viewer.nation_id else None
        private = not data["public"] and viewer.role == "nation"
        return base | {
            "name": data["name"],
            "brief": brief,
            "private": private,
            "text": f"{data['name']}{' (to you only)' if private else ''}: {data['text']}",
        }
    return None


def _units(count: int) -> str:
    return f"{count} unit" if count == 1 else f"{count} units"


def _op_name(state: GameState, operation_id: str) -> str:
    op = state.operation(operation_id)
    return op.name if op else operation_id
