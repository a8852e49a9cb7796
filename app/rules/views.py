"""What each viewer may see: the one place that decides fog of war.

A nation sees its own forces, budget, secret objective and orders in full; of other
nations it sees only public facts (name, public objective, support, how many units they
have committed — not where — and whether they are ready). Control sees everything.
Observers see what every nation may see. Every field follows the same rule, down to the
per-turn records (costs, injects, trust) and the messages of a channel joined late.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from app.rules import red_cell, scoring
from app.rules.agreements import agreement as agreement_spec
from app.rules.feed import (
    AGREEMENT_LABELS,
    BASIC_EVENTS,
    CONTROL_EVENTS,
    view_event,
)
from app.rules.injects import audience
from app.rules.reasons import Reason
from app.rules.state import (
    RED_CELL_SEAT,
    Agreement,
    Change,
    Channel,
    Commitment,
    GameState,
    Nation,
    Outcome,
    TurnRecord,
)
from app.rules.viewer import (
    PUBLIC_AGREEMENTS,
    Role,
    Viewer,
    _sees_orders_of,
    changes_seen,
    sees_agreement,
    sees_channel,
)
from app.rules.wording import words
from app.rules.wording.base import _speech
from app.rules.wording.changes import Judgement as J

# The viewer and the feed have their own modules (`viewer`, `feed`); re-exported from here.
__all__ = [
    "AGREEMENT_LABELS",
    "BASIC_EVENTS",
    "CONTROL_EVENTS",
    "PUBLIC_AGREEMENTS",
    "Role",
    "Viewer",
    "view",
    "view_event",
]


_ATOMS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def asdict(obj: Any) -> Any:
    """`dataclasses.asdict`, equal to it, in a fraction of its time: every view builds
    dozens of these (coalitions, actors, outcomes), and the library's deep-copies each
    string and number one call at a time (immutable, they are kept as they are)."""
    kind = type(obj)
    if kind in _ATOMS or isinstance(obj, Enum):
        return obj
    if is_dataclass(obj):
        names = _FIELD_NAMES.get(kind)
        if names is None:
            names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(obj))
        return {name: asdict(getattr(obj, name)) for name in names}
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a named tuple
        return kind(*(asdict(item) for item in obj))
    if isinstance(obj, list | tuple):  # of its own type, as the library keeps it
        return kind(asdict(item) for item in obj)
    if isinstance(obj, dict):
        return kind((asdict(key), asdict(value)) for key, value in obj.items())
    return copy.deepcopy(obj)  # anything else, as the library does


def _private_nation(state: GameState, nation: Nation) -> dict[str, Any]:
    commitments = {c.unit_id: c.operation_id for c in state.commitments_of(nation.id)}
    cost = state.committed_cost(nation)
    # The checklist as the orders stand, beside the budget left after them: one source.
    score, judged = scoring.score_and_checklist(state, nation.id)
    # Its relations both ways, each from the relations' own lookups (kept with them while
    # they do not change), not a pass over every pair's.
    trust_in: dict[str, int] = {}
    alignment: dict[str, int] = {}
    cooperation: dict[str, int] = {}
    trusted_by: dict[str, int] = {}
    relations = state.relation_table
    for r in relations.held_by.get(nation.id, ()):
        trust_in[r.other] = r.trust
        alignment[r.other] = r.alignment
        cooperation[r.other] = r.cooperation
    for r in relations.held_of.get(nation.id, ()):
        trusted_by[r.nation] = r.trust
    return {
        "id": nation.id,
        "name": nation.name,
        "budget": nation.budget,
        "committed_cost": cost,
        "budget_left": nation.budget - cost,
        "domestic_support": nation.domestic_support,
        "interoperability": nation.interoperability,
        "standard": state.standard_name(nation.interoperability),
        "caveats": list(nation.caveats),
        "public_objective": nation.public_objective,
        "secret_objective": nation.secret_objective,
        "leader": nation.leader,
        "profile": nation.profile,
        "capacity": nation.capacity,
        "income": nation.income,
        "casualties": nation.casualties,
        "leadership_changes": nation.leadership_changes,
        "objectives": [
            {
                "id": j.objective.id,
                "text": j.objective.text,
                "secret": j.objective.secret,
                "points": j.objective.points,
                "met": j.met,
                **_detail(j.detail, state),
            }
            for j in judged
        ],
        "score": score,
        "trust_in": trust_in,
        "alignment": alignment,
        "cooperation": cooperation,
        # What the others now think of it: theirs, but about it (its changes are listed).
        "trusted_by": trusted_by,
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
        "leadership_changes": nation.leadership_changes,
        "interoperability": nation.interoperability,
        "standard": state.standard_name(nation.interoperability),
        "coalitions": [c.id for c in state.coalitions_of(nation.id)],
    }


def _agreement(state: GameState, agreement: Agreement, viewer: Viewer) -> dict[str, Any]:
    return {
        "id": agreement.id,
        "kind": agreement.kind,
        "proposer": agreement.proposer,
        "parties": list(agreement.parties),
        "terms": dict(agreement.terms),
        "turn": agreement.turn,
        "status": agreement.status,
        # Signed and still applying (a pledge whose turn is over, or command terms a
        # later arrangement replaced, no longer do).
        "in_force": agreement_spec(agreement.kind).in_force(state, agreement),
        "signatures": list(agreement.signatures),
        # The proposal it countered: how the parties got there is theirs.
        "replaces": agreement.replaces if viewer.among(agreement.parties) else None,
    }


def _diplomacy(state: GameState, viewer: Viewer) -> dict[str, Callable[[], Any]]:
    """Coalitions and actors are public; deals, pledges and channels belong to members."""

    def pledges() -> list[dict[str, Any]]:
        seen = []
        for pledge in state.pledges:
            agreement = state.agreement(pledge.agreement_id)
            if agreement is not None and viewer.among(agreement.parties):
                seen.append(asdict(pledge))
        return seen

    return {
        "coalitions": lambda: [asdict(c) | {"active": c.active} for c in state.coalitions],
        "actors": lambda: [asdict(a) for a in state.actors],
        "agreements": lambda: [
            _agreement(state, a, viewer) for a in state.agreements if sees_agreement(viewer, a)
        ],
        "pledges": pledges,
        "channels": lambda: [
            channel_view(state, c, viewer) for c in state.channels if sees_channel(viewer, c)
        ],
    }


def channel_view(state: GameState, channel: Channel, viewer: Viewer) -> dict[str, Any]:
    """`channel` as `viewer` sees it (one who sees it: `sees_channel`), as the view lists
    it: a live page's line for one channel reads this alone, not the whole view."""
    return {
        "id": channel.id,
        "name": channel.name,
        "kind": channel.kind,
        "members": list(channel.members),
        "leak_chance": channel.leak_chance,
        "messages": _messages_seen(state, channel, viewer),
    }


def _messages_seen(state: GameState, channel: Channel, viewer: Viewer) -> int:
    total = state.message_counts.get(channel.id, 0)
    return total if viewer.role == "control" else channel.messages_for(viewer.nation_id, total)


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
        # Field by field, not `asdict`: a deep copy of every change of every turn, only to
        # be replaced below by the viewer's share, was most of a view's cost.
        data: dict[str, Any] = {
            "turn": record.turn,
            "escalation": record.escalation,
            "support": dict(record.support),
            "cohesion": dict(record.cohesion),
            "fairness": dict(record.fairness),
            "adversary": tuple(asdict(move) for move in record.adversary),
        }
        data["budget"] = {k: v for k, v in record.budget.items() if viewer.sees_privately(k)}
        data["burden"] = _burden(state, record, viewer)
        # Each nation's trust in another is its own: in a small game an average would
        # give the others' away. Control charts it in the after-action review.
        data["mean_trust"] = dict(record.mean_trust) if viewer.role == "control" else {}
        data["fired_events"] = [e for e in record.fired_events if _inject_visible(state, e, viewer)]
        data["feedback"] = {k: v for k, v in record.feedback.items() if viewer.sees_privately(k)}
        data["changes"] = _changes_seen(state, changes_seen(record, viewer), viewer)
        data["change_lines"] = _change_lines(data["changes"])
        records.append(data)
    return records


def _changes_seen(
    state: GameState, changes: Sequence[Change], viewer: Viewer
) -> list[dict[str, Any]]:
    """Every change the viewer may see, however small: a nation sees its own numbers and
    trust, what others now think of it (their trust in it), and what is public."""
    return [
        {"subject": c.subject, "delta": c.delta, **_explained("reason", c.reason, state)}
        for c in changes
        if not c.visible_to or viewer.among(c.visible_to)
    ]


def _change_lines(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The changes grouped for reading: one line per kind of number, size and reason
    (a joint success moves trust between every pair of its contributors), in the order
    they happened. Nothing is dropped: a line stands for each of its subjects moving by
    its delta once (the same number moved twice for one reason makes two lines)."""
    lines: list[dict[str, Any]] = []
    open_lines: dict[tuple[str, float, str, str], dict[str, Any]] = {}
    for change in changes:
        kind = change["subject"].partition(":")[0]
        key = (kind, change["delta"], change["reason_code"], repr(change["reason_params"]))
        line = open_lines.get(key)
        if line is None or change["subject"] in line["subjects"]:
            line = {
                "kind": kind,
                "subjects": [],
                "delta": change["delta"],
                "reason": change["reason"],
                "reason_code": change["reason_code"],
            }
            open_lines[key] = line
            lines.append(line)
        line["subjects"].append(change["subject"])
    return lines


def _explained(key: str, reason: Reason, state: GameState) -> dict[str, Any]:
    """`key` in words for the viewer, and `key_code`, `key_params`: the reason as data."""
    return {
        key: words(reason, state),
        f"{key}_code": reason.code,
        f"{key}_params": dict(reason.params),
    }


# The judgements whose words name nothing of the state (numbers only): worded once per
# reader's speech and parameters, not again on each view of a nation's page.
_NAMELESS = frozenset(
    {
        J.PROGRESS,
        J.PEAK_ESCALATION,
        J.LOWEST_SUPPORT,
        J.SUPPORT,
        J.BUDGET,
        J.OUTSIDE,
        J.COHESION,
        J.DISSOLVED,
        J.STILL_STANDING,
        J.BURDEN_SHARE,
        J.HARD_POWER_USED,
        J.HARD_POWER_ORDERED,
        J.NO_HARD_POWER,
        J.TRUST,
        J.FAIR_SHARE,
        J.CRISIS,
        J.UNKNOWN_OBJECTIVE,
    }
)
_NUMBERS = (int, float, bool, type(None))
_DETAILS: dict[tuple[Any, ...], str] = {}
_DETAILS_LIMIT = 10_000


def _detail(reason: Reason, state: GameState) -> dict[str, Any]:
    """`_explained("detail", reason, state)` for an objective's judgement, its words kept
    when they read only numbers (each by its type: 1 and 1.0 are written differently)."""
    params = reason.params
    if reason.code not in _NAMELESS or any(type(v) not in _NUMBERS for v in params.values()):
        return _explained("detail", reason, state)
    key = (_speech.get(), reason.code, *((k, type(v), repr(v)) for k, v in params.items()))
    said = _DETAILS.get(key)
    if said is None:
        said = words(reason, state)
        if len(_DETAILS) >= _DETAILS_LIMIT:
            _DETAILS.clear()
        _DETAILS[key] = said
    return {"detail": said, "detail_code": reason.code, "detail_params": dict(params)}


def _outcome(state: GameState, outcome: Outcome, viewer: Viewer) -> dict[str, Any]:
    """After adjudication, who contributed how much strength is public (burden sharing is
    argued over in the open); which units a nation sent, and its cost, stay its own."""
    data: dict[str, Any] = asdict(outcome)
    data.update(_explained("summary", outcome.summary, state))
    data["factors"] = [
        {
            "code": f.name,
            "name": words(Reason(f.name), state),
            "value": f.value,
            **_explained("detail", f.detail, state),
        }
        for f in outcome.factors
    ]
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


def _commanded_units(state: GameState, mine: Nation | None) -> set[str]:
    """The units under the command of the coalitions `mine` leads (its partners' and its
    own it placed there)."""
    led = {c.id for c in state.coalitions_of(mine.id) if c.lead == mine.id} if mine else set()
    return {t.unit_id for t in state.transfers if t.coalition_id in led}


def _committed_strength(
    state: GameState,
    committed: Sequence[Commitment],
    everyone: bool,
    mine: Nation | None,
    commanded: set[str],
) -> dict[str, Any]:
    """Strength committed to an operation (`committed`: its commitments) per capability,
    as far as the viewer may see the units: all of them for control and in open fog
    (`everyone`); else its own and those under the command it leads (`commanded`: the
    others' strength stays hidden, as their orders do)."""
    by_capability: dict[str, int] = {}
    for commitment in committed:
        seen = everyone or (
            mine is not None
            and (commitment.nation_id == mine.id or commitment.unit_id in commanded)
        )
        if not seen:
            continue  # not even counted: which operation it went to is not the viewer's
        unit = state.unit(commitment.unit_id)
        if unit is not None:
            by_capability[unit.capability] = by_capability.get(unit.capability, 0) + unit.strength
    return {"by_capability": by_capability, "all_seen": everyone}


def view(state: GameState, viewer: Viewer) -> dict[str, Any]:
    """The whole game as `viewer` may see it, as plain JSON-ready data."""
    return {key: part() for key, part in _view_parts(state, viewer).items()}


class LazyParts(Mapping[str, Any]):
    """A mapping whose values are each computed, by its part's function, when first read.
    Equal to the dict of its values; a value read from two threads at once is computed by
    each (it is the same), never half."""

    def __init__(self, parts: Mapping[str, Callable[[], Any]]) -> None:
        self._parts = parts
        self._values: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            value = self._parts[key]()  # KeyError for a key it has no part for, as a dict's
            self._values[key] = value
            return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)


class LazyView(LazyParts):
    """`view(state, viewer)` with each part computed when first read: a page's panel that
    shows the talks never builds the viewer's scorecard. Equal to the view, key for key."""

    def __init__(self, state: GameState, viewer: Viewer) -> None:
        super().__init__(_view_parts(state, viewer))


def _view_parts(state: GameState, viewer: Viewer) -> dict[str, Callable[[], Any]]:
    """Each key of the view with how to compute its value, in the view's order."""
    mine = state.nation(viewer.nation_id) if viewer.role == "nation" and viewer.nation_id else None

    def operations() -> list[dict[str, Any]]:
        my_units = {c.unit_id for c in state.commitments_of(mine.id)} if mine else set()
        everyone = viewer.role == "control" or state.fog == "open"
        # Once for every operation, not once each: the units the viewer commands.
        commanded = _commanded_units(state, mine)
        entries = []
        for op in state.operations:
            coalition = state.coalition_for_operation(op.id)
            # Its commitments, in the state's order (looked up, not the whole list read
            # again for each of its four uses below).
            committed = state.commitments_to(op.id)
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
                "committed_nations": sorted({c.nation_id for c in committed}) if everyone else None,
            }
            if mine is not None:
                entry["my_units"] = [c.unit_id for c in committed if c.unit_id in my_units]
            entry["committed_strength"] = _committed_strength(
                state, committed, everyone, mine, commanded
            )
            if everyone:
                entry["commitments"] = [
                    {"nation_id": c.nation_id, "unit_id": c.unit_id} for c in committed
                ]
            entries.append(entry)
        return entries

    def last_results() -> dict[str, Any] | None:
        last_turn = max((o.turn for o in state.outcomes), default=None)
        if last_turn is None:
            return None
        return {
            "turn": last_turn,
            "outcomes": [_outcome(state, o, viewer) for o in state.outcomes_of_turn(last_turn)],
        }

    def changes_so_far() -> dict[str, Any]:
        # What the turn has changed so far (signatures, a coalition left, injects): listed
        # in its record when it resolves, shown now.
        so_far = _changes_seen(state, state.pending_changes, viewer)
        return {"changes": so_far, "change_lines": _change_lines(so_far)}

    def collective() -> dict[str, Any]:
        score, judged = scoring.collective_score(state)
        return {
            "score": score,
            "objectives": [
                {
                    "id": j.objective.id,
                    "text": j.objective.text,
                    "met": j.met,
                    **_explained("detail", j.detail, state),
                }
                for j in judged
            ],
        }

    escalation = state.escalation
    parts: dict[str, Callable[[], Any]] = {
        "viewer": lambda: {"role": viewer.role, "nation_id": viewer.nation_id},
        "turn": lambda: state.turn,
        "turns": lambda: state.turns,
        "phase": lambda: state.phase.value,
        "deadline": lambda: state.deadline,
        "paused_remaining": lambda: state.paused_remaining,
        "hold": lambda: state.hold,
        "starts_on_first_seat": lambda: state.starts_on_first_seat,
        "escalation": lambda: {
            "level": escalation.level,
            "max": escalation.max,
            "threshold": escalation.threshold,
            "peak": escalation.peak,
            "rung": escalation.rung(),
            "ladder": list(escalation.ladder),
        },
        "regions": lambda: [
            {"id": r.id, "name": r.name, "x": r.x, "y": r.y, "adjacent": list(r.adjacent)}
            for r in state.regions
        ],
        "operations": operations,
        "nations": lambda: [_public_nation(state, n, viewer) for n in state.nations],
        "readiness": lambda: readiness(state),
        "me": (lambda: _private_nation(state, mine)) if mine else (lambda: None),
        "last_results": last_results,
        **_diplomacy(state, viewer),
        "records": lambda: _records(state, viewer),
        "changes_so_far": changes_so_far,
        "collective": collective,
    }
    if mine is not None:
        parts["my_command"] = lambda: _my_command(state, mine)
    parts["adversary"] = lambda: _adversary(state, viewer)
    if viewer.role == "control":
        parts["private"] = lambda: {n.id: _private_nation(state, n) for n in state.nations}
        parts["fired_events"] = lambda: list(state.fired)
    return parts


def _my_command(state: GameState, mine: Nation) -> list[dict[str, Any]]:
    """The units other nations placed under the coalitions `mine` leads (computed when
    read: a lazy view made for the channels list never reads it)."""
    coalition_ids = {c.id for c in state.coalitions_of(mine.id) if c.lead == mine.id}
    return [
        _commanded_unit(state, t.unit_id, t.nation_id, t.coalition_id)
        for t in state.transfers
        if t.coalition_id in coalition_ids and t.nation_id != mine.id
    ]


def readiness(state: GameState) -> dict[str, int]:
    """How many of the seats the turn waits for are ready: the one count the clock bar and
    the nations table both show (a bot's seat is always ready and is not counted)."""
    seats = state.player_seats()
    return {"ready": sum(1 for seat in seats if seat in state.ready), "of": len(seats)}


def _adversary(state: GameState, viewer: Viewer) -> dict[str, Any] | None:
    """Who plays the adversary (public), and for the red cell and control its move this
    turn (hidden from the nations until the turn resolves) and its legal moves."""
    actor = state.adversary()
    if actor is None:
        return None
    cell = state.red_cell
    seen: dict[str, Any] = {
        "name": actor.name,
        "played_by": cell.seat if cell is not None else "table",
        "playable": actor.reaction is not None,
        # Like a nation's "ready": whether the student red cell has chosen (never what).
        "ready": RED_CELL_SEAT in state.ready,
    }
    if viewer.role in ("control", "red_cell") and cell is not None:
        seen["move"] = cell.move
        seen["text"] = cell.text
        seen["bot"] = cell.bot
        seen["legal"] = [m.move for m in red_cell.legal_red_moves(state, RED_CELL_SEAT)]
    return seen
