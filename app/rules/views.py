"""What each viewer may see: the one place that decides fog of war.

A nation sees its own forces, budget, secret objective and orders in full; of other
nations it sees only public facts (name, public objective, support, how many units they
have committed — not where — and whether they are ready). Control sees everything.
Observers see what every nation may see. Every field follows the same rule, down to the
per-turn records (costs, injects, trust) and the messages of a channel joined late.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from app.rules import scoring
from app.rules.agreements import AGREEMENTS
from app.rules.agreements import agreement as agreement_spec
from app.rules.injects import audience
from app.rules.outcomes import Event
from app.rules.state import Agreement, Channel, GameState, Nation, Outcome, TurnRecord

Role = Literal["nation", "control", "observer"]


@dataclass(frozen=True)
class Viewer:
    role: Role
    nation_id: str | None = None

    @classmethod
    def of_nation(cls, nation_id: str) -> Viewer:
        return cls("nation", nation_id)

    @classmethod
    def control(cls) -> Viewer:
        return cls("control")

    @classmethod
    def observer(cls) -> Viewer:
        return cls("observer")

    def sees_privately(self, nation_id: str | None) -> bool:
        return self.role == "control" or (self.role == "nation" and self.nation_id == nation_id)

    def among(self, nation_ids: object) -> bool:
        """Control, or a nation listed in `nation_ids`."""
        return self.role == "control" or (
            self.role == "nation"
            and isinstance(nation_ids, list | tuple)
            and self.nation_id in nation_ids
        )

    @property
    def key(self) -> str:
        """A stable key: viewers with equal keys see exactly the same thing."""
        return f"{self.role}:{self.nation_id or ''}"


def _private_nation(state: GameState, nation: Nation) -> dict[str, Any]:
    commitments = {c.unit_id: c.operation_id for c in state.commitments_of(nation.id)}
    cost = state.committed_cost(nation)
    score, judged = scoring.nation_score(state, nation.id)
    return {
        "id": nation.id,
        "name": nation.name,
        "budget": nation.budget,
        "committed_cost": cost,
        "budget_left": nation.budget - cost,
        "domestic_support": nation.domestic_support,
        "interoperability": nation.interoperability,
        "caveats": list(nation.caveats),
        "public_objective": nation.public_objective,
        "secret_objective": nation.secret_objective,
        "leader": nation.leader,
        "profile": nation.profile,
        "capacity": nation.capacity,
        "income": nation.income,
        "casualties": nation.casualties,
        "objectives": [
            {
                "id": j.objective.id,
                "text": j.objective.text,
                "secret": j.objective.secret,
                "points": j.objective.points,
                "met": j.met,
                "detail": j.detail,
            }
            for j in judged
        ],
        "score": score,
        "trust_in": {r.other: r.trust for r in state.relations if r.nation == nation.id},
        "alignment": {r.other: r.alignment for r in state.relations if r.nation == nation.id},
        "under_coalition_command": [
            {"unit_id": t.unit_id, "coalition_id": t.coalition_id}
            for t in state.transfers
            if t.nation_id == nation.id
        ],
        "units": [
            {
                "id": u.id,
                "name": u.name,
                "capability": u.capability,
                "strength": u.strength,
                "cost": u.cost,
                "operation_id": commitments.get(u.id),
            }
            for u in nation.units
        ],
    }


def _sees_orders_of(state: GameState, viewer: Viewer, nation_id: str | None) -> bool:
    """Which units a nation committed where: its own, control's, or everyone's in open fog."""
    return viewer.sees_privately(nation_id) or state.fog == "open"


def _public_nation(state: GameState, nation: Nation, viewer: Viewer) -> dict[str, Any]:
    counted = state.fog != "strict" or viewer.sees_privately(nation.id)
    return {
        "id": nation.id,
        "name": nation.name,
        "controller": nation.controller,
        "domestic_support": nation.domestic_support,
        "public_objective": nation.public_objective,
        "committed_units": len(state.commitments_of(nation.id)) if counted else None,
        "ready": nation.id in state.ready,
        "leader": nation.leader,
        "capacity": nation.capacity,
        "casualties": nation.casualties,
        "interoperability": nation.interoperability,
        "coalitions": [c.id for c in state.coalitions_of(nation.id)],
    }


# Signed agreements of these kinds are announced to everyone; the rest stay with the parties.
PUBLIC_AGREEMENTS = {kind for kind, spec in AGREEMENTS.items() if spec.public}


def _agreement_visible(agreement: Agreement, viewer: Viewer) -> bool:
    return viewer.among(agreement.parties) or (
        agreement.status == "signed" and agreement_spec(agreement.kind).public
    )


def _agreement(agreement: Agreement, viewer: Viewer) -> dict[str, Any]:
    return {
        "id": agreement.id,
        "kind": agreement.kind,
        "proposer": agreement.proposer,
        "parties": list(agreement.parties),
        "terms": dict(agreement.terms),
        "turn": agreement.turn,
        "status": agreement.status,
        "signatures": list(agreement.signatures),
        # The proposal it countered: how the parties got there is theirs.
        "replaces": agreement.replaces if viewer.among(agreement.parties) else None,
    }


def _diplomacy(state: GameState, viewer: Viewer) -> dict[str, Any]:
    """Coalitions and actors are public; deals, pledges and channels belong to members."""
    channels = [c for c in state.channels if viewer.among(c.members) or c.kind == "public"]
    pledges = []
    for pledge in state.pledges:
        agreement = state.agreement(pledge.agreement_id)
        if agreement is not None and viewer.among(agreement.parties):
            pledges.append(asdict(pledge))
    return {
        "coalitions": [asdict(c) | {"active": c.active} for c in state.coalitions],
        "actors": [asdict(a) for a in state.actors],
        "agreements": [
            _agreement(a, viewer) for a in state.agreements if _agreement_visible(a, viewer)
        ],
        "pledges": pledges,
        "channels": [
            {
                "id": c.id,
                "name": c.name,
                "kind": c.kind,
                "members": list(c.members),
                "leak_chance": c.leak_chance,
                "messages": _messages_seen(state, c, viewer),
            }
            for c in channels
        ],
    }


def _messages_seen(state: GameState, channel: Channel, viewer: Viewer) -> int:
    total = state.message_counts.get(channel.id, 0)
    return total if viewer.role == "control" else channel.messages_for(viewer.nation_id, total)


def _message_visible(state: GameState, channel_id: str, message_id: int, viewer: Viewer) -> bool:
    """A channel's members read it from when they joined (control reads everything, anyone
    a public channel)."""
    channel = state.channel(channel_id)
    if channel is None or not (viewer.among(channel.members) or channel.kind == "public"):
        return False
    return viewer.role == "control" or message_id >= channel.first_message_for(viewer.nation_id)


def _inject_visible(state: GameState, event_id: str, viewer: Viewer) -> bool:
    """A scripted event is known to all if public, else to the nations it names."""
    scripted = next((e for e in state.events if e.id == event_id), None)
    if viewer.role == "control":
        return True
    return scripted is not None and (scripted.public or viewer.among(audience(scripted)))


def _burden(state: GameState, record: TurnRecord, viewer: Viewer) -> dict[str, int]:
    """What each nation's operations cost it in the turn. Its own figure (net of the cost
    sharing it agreed) is its own; of the others it sees what their outcomes showed it:
    in open fog what their forces cost (what a private deal moved stays with its
    parties), under standard and strict fog nothing."""
    if viewer.role == "control":
        return dict(record.burden)
    shown = {k: v for k, v in record.burden.items() if viewer.sees_privately(k)}
    if state.fog == "open":
        for outcome in state.outcomes_of_turn(record.turn):
            for contribution in outcome.contributions:
                if not viewer.sees_privately(contribution.nation_id):
                    nation_id = contribution.nation_id
                    shown[nation_id] = shown.get(nation_id, 0) + contribution.cost
    return {k: v for k, v in shown.items() if v}


def _records(state: GameState, viewer: Viewer) -> list[dict[str, Any]]:
    """Per-turn measures. Budgets are private; changes are filtered by who may see them."""
    records = []
    for record in state.records:
        data = asdict(record)
        data["budget"] = {k: v for k, v in record.budget.items() if viewer.sees_privately(k)}
        data["burden"] = _burden(state, record, viewer)
        # Each nation's trust in another is its own: in a small game an average would
        # give the others' away. Control charts it in the after-action review.
        data["mean_trust"] = dict(record.mean_trust) if viewer.role == "control" else {}
        data["fired_events"] = [e for e in record.fired_events if _inject_visible(state, e, viewer)]
        data["changes"] = [
            asdict(c) for c in record.changes if not c.visible_to or viewer.among(c.visible_to)
        ]
        for change in data["changes"]:
            del change["visible_to"]
        records.append(data)
    return records


def _outcome(state: GameState, outcome: Outcome, viewer: Viewer) -> dict[str, Any]:
    """After adjudication, who contributed how much strength is public (burden sharing is
    argued over in the open); which units a nation sent, and its cost, stay its own."""
    data: dict[str, Any] = asdict(outcome)
    operation = state.operation(outcome.operation_id)
    data["operation_name"] = operation.name if operation else outcome.operation_id
    for contribution in data["contributions"]:
        nation = state.nation(contribution["nation_id"])
        contribution["nation_name"] = nation.name if nation else contribution["nation_id"]
        if not _sees_orders_of(state, viewer, contribution["nation_id"]):
            del contribution["unit_ids"], contribution["cost"]
            if state.fog == "strict":
                del contribution["strength"]
    return data


def _commanded_unit(
    state: GameState, unit_id: str, nation_id: str, coalition_id: str
) -> dict[str, Any]:
    """A partner's unit under the coalition command this nation leads: the lead sees it
    as its own (transfer of authority), with where it is tasked."""
    owner = state.nation(nation_id)
    unit = owner.unit(unit_id) if owner else None
    commitment = state.commitment(unit_id)
    return {
        "unit_id": unit_id,
        "nation_id": nation_id,
        "coalition_id": coalition_id,
        "name": unit.name if unit else unit_id,
        "capability": unit.capability if unit else None,
        "strength": unit.strength if unit else 0,
        "operation_id": commitment.operation_id if commitment else None,
    }


def view(state: GameState, viewer: Viewer) -> dict[str, Any]:
    """The whole game as `viewer` may see it, as plain JSON-ready data."""
    mine = state.nation(viewer.nation_id) if viewer.role == "nation" and viewer.nation_id else None
    my_units = {c.unit_id for c in state.commitments_of(mine.id)} if mine else set()
    operations = []
    for op in state.operations:
        coalition = state.coalition_for_operation(op.id)
        entry: dict[str, Any] = {
            "id": op.id,
            "name": op.name,
            "region": op.region,
            "power": op.power,
            "difficulty": op.difficulty,
            "requirements": dict(op.requirements),
            "description": op.description,
            "risk": op.risk,
            "duration": op.duration,
            "progress": op.progress,
            "status": op.status,
            "opens_turn": op.opens_turn,
            "open": op.open_at(state.turn),
            "coalition_id": coalition.id if coalition else None,
            "committed_nations": sorted(
                {c.nation_id for c in state.commitments if c.operation_id == op.id}
            )
            if viewer.role == "control" or state.fog == "open"
            else None,
        }
        if mine is not None:
            entry["my_units"] = [
                c.unit_id
                for c in state.commitments
                if c.operation_id == op.id and c.unit_id in my_units
            ]
        if viewer.role == "control" or state.fog == "open":
            entry["commitments"] = [
                {"nation_id": c.nation_id, "unit_id": c.unit_id}
                for c in state.commitments
                if c.operation_id == op.id
            ]
        operations.append(entry)
    last_turn = max((o.turn for o in state.outcomes), default=None)
    result: dict[str, Any] = {
        "viewer": {"role": viewer.role, "nation_id": viewer.nation_id},
        "turn": state.turn,
        "turns": state.turns,
        "phase": state.phase.value,
        "deadline": state.deadline,
        "paused_remaining": state.paused_remaining,
        "hold": state.hold,
        "escalation": {
            "level": state.escalation.level,
            "max": state.escalation.max,
            "threshold": state.escalation.threshold,
            "peak": state.escalation.peak,
            "rung": state.escalation.rung(),
            "ladder": list(state.escalation.ladder),
        },
        "regions": [
            {"id": r.id, "name": r.name, "x": r.x, "y": r.y, "adjacent": list(r.adjacent)}
            for r in state.regions
        ],
        "operations": operations,
        "nations": [_public_nation(state, n, viewer) for n in state.nations],
        "me": _private_nation(state, mine) if mine else None,
        "last_results": (
            {
                "turn": last_turn,
                "outcomes": [_outcome(state, o, viewer) for o in state.outcomes_of_turn(last_turn)],
            }
            if last_turn is not None
            else None
        ),
    }
    result.update(_diplomacy(state, viewer))
    result["records"] = _records(state, viewer)
    collective, judged = scoring.collective_score(state)
    result["collective"] = {
        "score": collective,
        "objectives": [
            {"id": j.objective.id, "text": j.objective.text, "met": j.met, "detail": j.detail}
            for j in judged
        ],
    }
    if mine is not None:
        coalition_ids = {c.id for c in state.coalitions_of(mine.id) if c.lead == mine.id}
        result["my_command"] = [
            _commanded_unit(state, t.unit_id, t.nation_id, t.coalition_id)
            for t in state.transfers
            if t.coalition_id in coalition_ids and t.nation_id != mine.id
        ]
    if viewer.role == "control":
        result["private"] = {n.id: _private_nation(state, n) for n in state.nations}
        result["fired_events"] = list(state.fired)
    return result


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
