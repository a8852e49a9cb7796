"""After-action review: a game's whole record, as control sees it, ready to export, and
the review itself (timeline, series for the charts, scorecards, turn-by-turn replay) and
the comparison of an exercise's syndicates.

Every row carries the turn it belongs to. Control sees everything (secret objectives,
every channel, every order), so these exports and reviews are for instructors only.

The review is assembled by pure functions over states and events (`build_review`,
`game_points`, `timeline`, ...); `AarService` only reads them from the store.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app import rules
from app.rules.scoring import Judged
from app.rules.state import TurnRecord
from app.rules.views import AGREEMENT_LABELS
from app.services.errors import NotFound
from app.services.games import LoggedEvent
from app.store.database import Database
from app.store.models import GameEvent
from app.store.repositories.games import GameRepository
from app.store.repositories.scenarios import ScenarioRepository

Dataset = Literal["events", "messages", "orders", "outcomes"]
DATASETS: tuple[Dataset, ...] = ("events", "messages", "orders", "outcomes")
ORDER_EVENTS = frozenset(
    {
        "unit_committed",
        "unit_withdrawn",
        "ready_changed",
        "authority_transferred",
        "authority_reclaimed",
        "red_card",
        "coalition_left",
    }
)
PAGE = 1000


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    body: str


class AarService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def review(self, game_id: str, turn: str | None = None) -> Review:
        with self.database.read() as session:
            games = GameRepository(session)
            game = games.get(game_id)
            if game is None:
                raise NotFound(f"There is no game {game_id!r}.")
            version = ScenarioRepository(session).get(game.scenario_version_id)
            header = GameHeader(
                game_id=game.id,
                name=game.name,
                scenario_title=version.title if version else "",
                status=game.status,
                exercise_id=game.exercise_id,
                syndicate=game.syndicate,
                syndicates=len(games.in_exercise(game.exercise_id)) if game.exercise_id else 1,
                branched_from=game.branched_from,
                branched_turn=game.branched_turn,
            )
            state_data = game.state
            stored = [(r.turn, r.phase, r.state) for r in games.turn_states(game_id)]
            events = [_logged(r) for r in games.events_of_kinds(game_id, TIMELINE_EVENTS)]
        state = rules.state_from_dict(state_data)
        snapshots = [(t, p, rules.state_from_dict(s)) for t, p, s in stored]
        return build_review(header, state, snapshots, events, turn)

    def comparison(self, exercise_id: str) -> Comparison:
        with self.database.read() as session:
            games = GameRepository(session)
            rows = games.in_exercise(exercise_id)
            if not rows:
                raise NotFound(f"There is no exercise {exercise_id!r}.")
            version = ScenarioRepository(session).get(rows[0].scenario_version_id)
            read = [
                (
                    g.id,
                    g.name,
                    g.syndicate,
                    g.status,
                    g.state,
                    [(r.turn, r.phase, r.state) for r in games.turn_states(g.id)],
                )
                for g in rows
            ]
        summaries = []
        nations: dict[str, str] = {}
        threshold = max_level = 0
        for game_id, name, syndicate, status, data, stored in read:
            state = rules.state_from_dict(data)
            snapshots = [(t, p, rules.state_from_dict(s)) for t, p, s in stored]
            points = game_points(snapshots, state)
            summaries.append(summarise(game_id, name, syndicate, status, state, points))
            for nation in state.nations:
                nations.setdefault(nation.id, nation.name)
            threshold, max_level = state.escalation.threshold, state.escalation.max
        return Comparison(
            exercise_id=exercise_id,
            title=_exercise_title([s.name for s in summaries]),
            scenario_title=version.title if version else "",
            nations=tuple(nations.items()),
            syndicates=tuple(summaries),
            threshold=threshold,
            max_level=max_level,
        )

    def rows(self, game_id: str, dataset: Dataset) -> list[dict[str, Any]]:
        """The rows of one dataset, in the order they happened, each with its turn."""
        with self.database.read() as session:
            games = GameRepository(session)
            game = games.get(game_id)
            if game is None:
                raise NotFound(f"There is no game {game_id!r}.")
            if dataset == "outcomes":
                return _outcome_rows(rules.state_from_dict(game.state))
            rows = []
            for event in _all_events(games, game_id):
                if dataset == "messages" and event.kind != "message_sent":
                    continue
                if dataset == "orders" and event.kind not in ORDER_EVENTS:
                    continue
                rows.append(
                    {
                        "turn": event.turn,
                        "seq": event.seq,
                        "time": event.created_at.isoformat() if event.created_at else "",
                        "kind": event.kind,
                        "actor": event.actor or "",
                        **_event_fields(event.kind, event.data),
                    }
                )
            return rows

    def export(self, game_id: str, dataset: Dataset, fmt: Literal["json", "csv"]) -> Export:
        rows = self.rows(game_id, dataset)
        filename = f"entente-{game_id[:8]}-{dataset}.{fmt}"
        if fmt == "json":
            return Export(filename, "application/json", json.dumps(rows, indent=1))
        return Export(filename, "text/csv; charset=utf-8", to_csv(rows))


def _logged(row: GameEvent) -> LoggedEvent:
    return LoggedEvent(row.seq, row.turn, rules.Event(row.kind, row.actor, row.data))


def _all_events(games: GameRepository, game_id: str) -> Iterator[Any]:
    seq = 0
    while True:
        page = games.events_after(game_id, seq, PAGE)
        yield from page
        if len(page) < PAGE:
            return
        seq = page[-1].seq


def _event_fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if kind == "message_sent":
        return {
            "channel_id": data.get("channel_id", ""),
            "text": data.get("text", ""),
        }
    if kind in {"unit_committed", "unit_withdrawn"}:
        return {
            "unit_id": data.get("unit_id", ""),
            "operation_id": data.get("operation_id", ""),
            "data": data,
        }
    return {"data": data}


def _outcome_rows(state: rules.GameState) -> list[dict[str, Any]]:
    names = {o.id: o.name for o in state.operations}
    rows = []
    for outcome in state.outcomes:
        rows.append(
            {
                "turn": outcome.turn,
                "operation_id": outcome.operation_id,
                "operation": names.get(outcome.operation_id, outcome.operation_id),
                "coalition_id": outcome.coalition_id or "",
                "result": outcome.result,
                "effectiveness": round(outcome.effectiveness, 3),
                "probability_success": round(outcome.probability_success, 3),
                "probability_partial": round(outcome.probability_partial, 3),
                "roll": "" if outcome.roll is None else round(outcome.roll, 3),
                "escalation_change": round(outcome.escalation_change, 3),
                "summary": outcome.summary,
                "factors": "; ".join(
                    f"{f.name} {f.value:.2f} ({f.detail})" for f in outcome.factors
                ),
                "contributions": "; ".join(
                    f"{c.nation_id}: strength {c.strength}, cost {c.cost}"
                    + (f" ({c.shared} paid by a partner)" if c.shared else "")
                    for c in outcome.contributions
                ),
                "casualties": "; ".join(f"{k}: {v}" for k, v in outcome.casualties.items()),
                "civilian_harm": outcome.civilian_harm,
            }
        )
    return rows


def to_csv(rows: list[dict[str, Any]]) -> str:
    """One header from every row's keys (first seen first); nested values as JSON."""
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or ["turn"], extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else v
                for k, v in row.items()
            }
        )
    return out.getvalue()


# --- the after-action review ---------------------------------------------------------------

TIMELINE_EVENTS = frozenset(
    {
        "inject",
        "agreement_signed",
        "coalition_formed",
        "coalition_joined",
        "coalition_left",
        "coalition_dissolved",
        "turn_resolved",
        "outcome_overridden",
        "control_feedback",
        "phase_ended_by_control",
        "turn_released",
        "seat_handed_to_bot",
        "seat_taken_back",
        "leadership_change",
        "press_leak",
        "game_branched",
    }
)
CATEGORIES = {
    "inject": "inject",
    "agreement_signed": "agreement",
    "coalition_formed": "coalition",
    "coalition_joined": "coalition",
    "coalition_left": "coalition",
    "coalition_dissolved": "coalition",
    "turn_resolved": "resolution",
    "leadership_change": "politics",
    "press_leak": "politics",
}  # every other timeline event is control's
OVERRIDE_FACTOR = "control's adjudication"
END = "end"


@dataclass(frozen=True)
class Point:
    """The measures of a game at one moment: as a turn opened, or as the game ended."""

    key: str  # the replay's ?turn= value: "1", "2", ... or "end"
    label: str  # "Turn 1", "End"
    short: str  # "T1", "End": the charts' x axis
    turn: int
    escalation: int
    support: dict[str, int]
    budget: dict[str, int]
    cohesion: dict[str, int]  # the coalitions active then
    mean_trust: dict[str, float]  # how much the others trust each nation, on average
    # The whole state when the point comes from a stored turn state; None when it was
    # rebuilt from a turn's record (games that predate the turn states).
    state: rules.GameState | None = None

    @property
    def mean_cohesion(self) -> float | None:
        values = list(self.cohesion.values())
        return sum(values) / len(values) if values else None


def _labels(key: str) -> tuple[str, str]:
    return ("End", "End") if key == END else (f"Turn {key}", f"T{key}")


def _mean_trust(state: rules.GameState) -> dict[str, float]:
    """As the rules record it: the mean of every other nation's trust in each nation."""
    ids = [n.id for n in state.nations]
    means = {}
    for nation_id in ids:
        trusts = [state.trust(other, nation_id) for other in ids if other != nation_id]
        means[nation_id] = round(sum(trusts) / len(trusts), 2) if trusts else 0.0
    return means


def point_of_state(state: rules.GameState, key: str) -> Point:
    label, short = _labels(key)
    return Point(
        key=key,
        label=label,
        short=short,
        turn=state.turn,
        escalation=state.escalation.level,
        support={n.id: n.domestic_support for n in state.nations},
        budget={n.id: n.budget for n in state.nations},
        cohesion={c.id: c.cohesion for c in state.coalitions if c.active},
        mean_trust=_mean_trust(state),
        state=state,
    )


def point_of_record(record: TurnRecord, key: str) -> Point:
    label, short = _labels(key)
    return Point(
        key=key,
        label=label,
        short=short,
        turn=record.turn if key == END else record.turn + 1,
        escalation=record.escalation,
        support=dict(record.support),
        budget=dict(record.budget),
        cohesion=dict(record.cohesion),
        mean_trust=dict(record.mean_trust),
    )


def game_points(
    snapshots: Sequence[tuple[int, str, rules.GameState]], state: rules.GameState
) -> list[Point]:
    """The game's points in time order: the state as each turn opened and as the game
    ended, from the stored turn states (`snapshots`: turn, phase, state, in the order
    they were stored). Where a turn has no stored state (a game older than the turn
    states), the record of the turn before stands in: its measures after resolution."""
    points: dict[str, Point] = {}
    for turn, phase, snapshot in snapshots:
        key = END if phase == rules.Phase.ENDED.value else str(turn)
        if phase in (rules.Phase.ORDERS.value, rules.Phase.ENDED.value) and key not in points:
            points[key] = point_of_state(snapshot, key)
    for record in state.records:
        key = END if record.turn >= state.turns else str(record.turn + 1)
        if key not in points:
            points[key] = point_of_record(record, key)
    return sorted(points.values(), key=lambda p: (p.turn, p.key == END))


@dataclass(frozen=True)
class Line:
    key: str
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Series:
    """Lines over the game's points (one value per point, None where there is none)."""

    labels: tuple[str, ...]  # short: the x axis
    names: tuple[str, ...]  # long: the data tables
    lines: tuple[Line, ...]


def _series(points: Sequence[Point], lines: Iterable[Line]) -> Series:
    return Series(tuple(p.short for p in points), tuple(p.label for p in points), tuple(lines))


def escalation_series(points: Sequence[Point]) -> Series:
    return _series(points, [Line("escalation", "Escalation", tuple(p.escalation for p in points))])


def support_series(points: Sequence[Point], state: rules.GameState) -> Series:
    return _series(
        points,
        [Line(n.id, n.name, tuple(p.support.get(n.id) for p in points)) for n in state.nations],
    )


def trust_series(points: Sequence[Point], state: rules.GameState) -> Series:
    return _series(
        points,
        [Line(n.id, n.name, tuple(p.mean_trust.get(n.id) for p in points)) for n in state.nations],
    )


def cohesion_series(points: Sequence[Point], state: rules.GameState) -> Series:
    """One line per coalition that ever existed; gaps where it did not (yet, or any more)."""
    return _series(
        points,
        [
            Line(c.id, c.name, tuple(p.cohesion.get(c.id) for p in points))
            for c in state.coalitions
            if any(c.id in p.cohesion for p in points)
        ],
    )


@dataclass(frozen=True)
class Burden:
    """What each nation spent on operations in each resolved turn (the turn's cost after
    cost-sharing, as `turn_resolved` reports it) and its share of that turn's total."""

    turns: tuple[int, ...]
    spent: tuple[dict[str, int], ...]  # one per turn: nation id -> cost carried
    nations: tuple[tuple[str, str], ...]  # (id, name)
    fair: dict[str, float]  # each nation's fair share: its part of the economic capacity

    def total(self, index: int) -> int:
        return sum(max(0, v) for v in self.spent[index].values())

    def share(self, index: int, nation_id: str) -> float | None:
        total = self.total(index)
        return max(0, self.spent[index].get(nation_id, 0)) / total if total else None

    def overall(self, nation_id: str) -> float | None:
        """The nation's share of everything spent over the game."""
        total = sum(self.total(i) for i in range(len(self.turns)))
        mine = sum(max(0, s.get(nation_id, 0)) for s in self.spent)
        return mine / total if total else None


def burden(events: Sequence[LoggedEvent], state: rules.GameState) -> Burden:
    spent: dict[int, dict[str, int]] = {}
    for logged in events:
        if logged.event.kind == "turn_resolved":
            data = logged.event.data
            spent[int(data["turn"])] = {str(k): int(v) for k, v in data.get("spent", {}).items()}
    for record in state.records:  # a resolution missing from the log: its record stands in
        spent.setdefault(record.turn, dict(record.burden))
    capacity = sum(n.capacity for n in state.nations)
    return Burden(
        turns=tuple(sorted(spent)),
        spent=tuple(spent[t] for t in sorted(spent)),
        nations=tuple((n.id, n.name) for n in state.nations),
        fair={n.id: n.capacity / capacity if capacity else 0.0 for n in state.nations},
    )


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


def _name(state: rules.GameState, nation_id: object) -> str:
    nation = state.nation(str(nation_id))
    return nation.name if nation else str(nation_id)


def _names(state: rules.GameState, ids: object) -> str:
    if not isinstance(ids, list | tuple):
        return ""
    return ", ".join(_name(state, i) for i in ids)


def _operation_name(state: rules.GameState, operation_id: object) -> str:
    operation = state.operation(str(operation_id))
    return operation.name if operation else str(operation_id)


def _terms(state: rules.GameState, terms: dict[str, Any]) -> str:
    """An agreement's terms in words, with names for ids."""
    parts = []
    for key, value in terms.items():
        if key in ("nation", "lead", "payer", "from", "to", "host"):
            shown = _name(state, value)
        elif key == "text":
            shown = f"“{str(value).strip()}”"
        elif key == "share":
            shown = f"{value}%"
        elif key == "ngo":
            actor = state.actor(str(value))
            shown = actor.name if actor else str(value)
        elif key == "region":
            region = next((r for r in state.regions if r.id == value), None)
            shown = region.name if region else str(value)
        elif key == "operation_id":
            shown = _operation_name(state, value)
        elif key == "operations":
            shown = ", ".join(_operation_name(state, o) for o in str(value).split(",") if o)
        elif key == "coalition_id":
            coalition = state.coalition(str(value))
            shown = coalition.name if coalition else str(value)
        else:
            shown = str(value)
        if shown:
            parts.append(f"{key.replace('_id', '').replace('_', ' ')}: {shown}")
    return "; ".join(parts)


def _resolution(state: rules.GameState, data: dict[str, Any]) -> Resolution:
    turn = int(data["turn"])
    escalation = data.get("escalation", {})
    start, end = int(escalation.get("from", 0)), int(escalation.get("to", 0))
    rows, idle = [], []
    for outcome in state.outcomes_of_turn(turn):
        name = _operation_name(state, outcome.operation_id)
        overrides = [f for f in outcome.factors if f.name == OVERRIDE_FACTOR]
        if outcome.result == "not_attempted" and not outcome.contributions and not overrides:
            idle.append(name)
            continue
        coalition = state.coalition(outcome.coalition_id) if outcome.coalition_id else None
        notes = [f"effectiveness {outcome.effectiveness:.2f}"] if outcome.contributions else []
        if outcome.casualties:
            notes.append(
                "casualties: "
                + ", ".join(f"{_name(state, k)} {v}" for k, v in outcome.casualties.items())
            )
        if outcome.civilian_harm:
            notes.append("civilians harmed")
        for factor in overrides:
            result, _, reason = factor.detail.partition(": ")
            notes.append(f"control adjudicated it a {result.replace('_', ' ')}: {reason}")
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
                    f"{_name(state, c.nation_id)} {c.strength}" for c in outcome.contributions
                ),
                notes=tuple(notes),
                overridden=bool(overrides),
            )
        )
    support = []
    for nation_id, changes in data.get("support", {}).items():
        net = sum(float(c.get("change", 0)) for c in changes if isinstance(c, dict))
        if net:
            support.append((_name(state, nation_id), net))
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


def _entry_text(state: rules.GameState, event: rules.Event) -> str:
    data, kind = event.data, event.kind
    if kind == "inject":
        text = f"{data.get('name', 'Inject')}: {data.get('text', '')}"
        if str(data.get("event_id", "")).startswith("live-"):
            text += " (written by control)"
        if not data.get("public", True):
            text += f" (only to {_names(state, data.get('audience', [])) or 'nobody'})"
        return text
    if kind == "outcome_overridden":
        operation = _operation_name(state, data.get("operation_id"))
        if data.get("result") is None:
            return f"Control removed its adjudication of {operation}."
        result = str(data["result"]).replace("_", " ")
        return f"Control adjudicated {operation} a {result}: {data.get('reason', '')}"
    if kind == "control_feedback":
        return f"Control's feedback to {_name(state, data.get('nation_id'))}: {data.get('text')}"
    if kind == "leadership_change":
        return str(
            data.get("brief") or f"A new government takes office in {_name(state, event.actor)}."
        )
    seen = None
    try:
        seen = rules.view_event(state, event, rules.Viewer.control())
    except (KeyError, TypeError, ValueError):  # an event from an older shape of the log
        seen = None
    text = str(seen["text"]) if seen else kind.replace("_", " ").capitalize() + "."
    if kind == "agreement_signed" and isinstance(data.get("terms"), dict):
        terms = _terms(state, data["terms"])
        if terms:
            text += f" Terms: {terms.rstrip('.')}."
    return text


def _bot_seats(entries: Sequence[Entry]) -> Entry:
    """Seats handed to bots one after another (as an exercise is set up): one entry."""
    seats = []
    for entry in entries:
        name, _, rest = entry.text.partition(" is now played by a bot")
        seats.append(name + rest.rstrip("."))
    return Entry(entries[0].seq, "control", "Played by bots: " + ", ".join(seats) + ".")


def _merge_bot_seats(entries: list[Entry]) -> tuple[Entry, ...]:
    merged: list[Entry] = []
    run: list[Entry] = []
    for entry in [*entries, Entry(0, "", "")]:
        if entry.kind == "seat_handed_to_bot":
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


def timeline(
    events: Sequence[LoggedEvent], state: rules.GameState, first_turn: int = 1
) -> list[TurnTimeline]:
    """What happened in each turn from `first_turn` (a branch's own log starts at the turn
    it branched from), in order. The injects that open a turn are logged with the
    resolution of the turn before; here they open the turn they belong to."""
    opened_by: dict[int, int] = {}  # resolved turn -> the turn its resolution opened
    turns: dict[int, list[Entry]] = {t: [] for t in range(first_turn, state.turn + 1)}
    for logged in events:
        event, turn = logged.event, logged.turn
        if event.kind == "turn_resolved":
            next_turn = event.data.get("next_turn")
            if isinstance(next_turn, int):
                opened_by[turn] = next_turn
            entry = Entry(
                logged.seq,
                "resolution",
                f"Turn {event.data['turn']} resolved.",
                _resolution(state, event.data),
            )
        else:
            if event.kind == "inject" and turn in opened_by:
                turn = opened_by[turn]
            entry = Entry(
                logged.seq,
                CATEGORIES.get(event.kind, "control"),
                _entry_text(state, event),
                kind=event.kind,
            )
        turns.setdefault(turn, []).append(entry)
    return [TurnTimeline(t, _merge_bot_seats(entries)) for t, entries in sorted(turns.items())]


@dataclass(frozen=True)
class Scorecard:
    nation_id: str  # "" for the collective objectives
    name: str
    score: int
    available: int
    judged: tuple[Judged, ...]
    leader: str = ""
    controller: str = ""
    brief: str = ""  # the nation's secret brief in words


def _controller(nation: rules.Nation) -> str:
    if nation.controller == "bot" and nation.bot:
        return f"bot ({nation.bot.replace('_', ' ')})"
    return {"human": "players", "vacant": "nobody (empty seat)"}.get(
        nation.controller, nation.controller
    )


def scorecards(state: rules.GameState) -> list[Scorecard]:
    cards = []
    for nation in state.nations:
        score, judged = rules.nation_score(state, nation.id)
        cards.append(
            Scorecard(
                nation_id=nation.id,
                name=nation.name,
                score=score,
                available=sum(o.points for o in nation.objectives),
                judged=tuple(judged),
                leader=nation.leader,
                controller=_controller(nation),
                brief=nation.secret_objective,
            )
        )
    return cards


def collective_card(state: rules.GameState) -> Scorecard:
    score, judged = rules.collective_score(state)
    return Scorecard(
        nation_id="",
        name="Collective objectives",
        score=score,
        available=sum(o.points for o in state.collective_objectives),
        judged=tuple(judged),
    )


@dataclass(frozen=True)
class Standing:
    """Where a nation stands now (at the end of an ended game)."""

    nation_id: str
    name: str
    score: int
    available: int
    budget: int
    support: int
    trust_received: float  # the mean of the others' trust in it
    burden_share: float | None  # its share of everything spent on operations
    fair_share: float  # its part of the economic capacity


def standings(state: rules.GameState, cards: Sequence[Scorecard], spent: Burden) -> list[Standing]:
    trust = _mean_trust(state)
    by_id = {c.nation_id: c for c in cards}
    return [
        Standing(
            nation_id=n.id,
            name=n.name,
            score=by_id[n.id].score,
            available=by_id[n.id].available,
            budget=n.budget,
            support=n.domestic_support,
            trust_received=trust[n.id],
            burden_share=spent.overall(n.id),
            fair_share=spent.fair.get(n.id, 0.0),
        )
        for n in state.nations
    ]


def _sentence(text: str) -> str:
    """`text` with a capital first letter ("NGO coordination" stays as it is)."""
    return text[:1].upper() + text[1:]


def agreements_in_force(state: rules.GameState) -> list[tuple[str, list[str]]]:
    """The signed agreements still in effect, by kind: (kind in words, one line each).
    Coalition memberships are in the coalitions themselves; pledges are those due now."""
    groups: dict[str, list[str]] = {}
    for agreement in state.agreements:
        if agreement.status != "signed" or agreement.kind == "coalition_membership":
            continue
        terms = agreement.terms
        parties = _names(state, list(agreement.parties))
        if agreement.kind == "force_pledge":
            if int(terms.get("turn", 0)) < state.turn:
                continue
            label = "Force pledges due"
            line = (
                f"{_name(state, terms.get('nation'))}: strength {terms.get('strength')} to "
                f"{_operation_name(state, terms.get('operation_id'))} in turn {terms.get('turn')}"
            )
        elif agreement.kind in ("joint_statement", "intel_sharing", "ngo_coordination"):
            label = _sentence(AGREEMENT_LABELS.get(agreement.kind, agreement.kind))
            line = parties
        else:
            label = _sentence(AGREEMENT_LABELS.get(agreement.kind, agreement.kind))
            described = _terms(state, dict(terms))
            line = f"{parties} ({described})" if described else parties
        groups.setdefault(label, []).append(f"{line}, signed in turn {agreement.turn}")
    return sorted(groups.items())


@dataclass(frozen=True)
class Replay:
    """The situation at one point, picked from the points with a stored state."""

    choices: tuple[tuple[str, str], ...]  # (key, label)
    point: Point
    state: rules.GameState
    scores: dict[str, int]

    @property
    def agreements(self) -> list[tuple[str, list[str]]]:
        return agreements_in_force(self.state)

    @property
    def played_by(self) -> dict[str, str]:
        return {n.id: _controller(n) for n in self.state.nations}

    @property
    def bots(self) -> bool:
        return any(n.controller == "bot" for n in self.state.nations)

    @property
    def previous(self) -> str | None:
        keys = [k for k, _ in self.choices]
        index = keys.index(self.point.key)
        return keys[index - 1] if index > 0 else None

    @property
    def next(self) -> str | None:
        keys = [k for k, _ in self.choices]
        index = keys.index(self.point.key)
        return keys[index + 1] if index + 1 < len(keys) else None


def replay(points: Sequence[Point], key: str | None) -> Replay | None:
    """The replay at `key` (the first turn if None); None if no state was stored;
    NotFound if there is no stored state at `key`."""
    stored = [p for p in points if p.state is not None]
    if not stored:
        if key is not None:
            raise NotFound("This game has no stored turn states to replay.")
        return None
    point = stored[0] if key is None else next((p for p in stored if p.key == key), None)
    if point is None or point.state is None:
        raise NotFound(f"There is no stored state for turn {key!r} of this game.")
    state = point.state
    return Replay(
        choices=tuple((p.key, p.label) for p in stored),
        point=point,
        state=state,
        scores={n.id: rules.nation_score(state, n.id)[0] for n in state.nations},
    )


@dataclass(frozen=True)
class GameHeader:
    game_id: str
    name: str
    scenario_title: str
    status: str
    exercise_id: str | None
    syndicate: int | None
    syndicates: int  # games in its exercise (1 if none)
    branched_from: str | None = None  # the game this one branched from, at the start of
    branched_turn: int | None = None  # this turn


@dataclass(frozen=True)
class Review:
    game: GameHeader
    state: rules.GameState  # as it stands now (the final state of an ended game)
    points: tuple[Point, ...]
    timeline: tuple[TurnTimeline, ...]
    burden: Burden
    scorecards: tuple[Scorecard, ...]
    collective: Scorecard
    standings: tuple[Standing, ...]
    replay: Replay | None

    @property
    def snapshots(self) -> bool:
        """Whether the points come from stored turn states (else from turn records)."""
        return any(p.state is not None for p in self.points)

    @property
    def escalation(self) -> Series:
        return escalation_series(self.points)

    @property
    def support(self) -> Series:
        return support_series(self.points, self.state)

    @property
    def trust(self) -> Series:
        return trust_series(self.points, self.state)

    @property
    def cohesion(self) -> Series:
        return cohesion_series(self.points, self.state)

    @property
    def operations_completed(self) -> list[rules.Operation]:
        return [o for o in self.state.operations if o.status == "completed"]


def build_review(
    game: GameHeader,
    state: rules.GameState,
    snapshots: Sequence[tuple[int, str, rules.GameState]],
    events: Sequence[LoggedEvent],
    turn: str | None = None,
) -> Review:
    """The whole review of a game, from its current state, stored turn states and
    timeline events (`TIMELINE_EVENTS`, in order)."""
    points = game_points(snapshots, state)
    cards = scorecards(state)
    spent = burden(events, state)
    return Review(
        game=game,
        state=state,
        points=tuple(points),
        timeline=tuple(timeline(events, state, game.branched_turn or 1)),
        burden=spent,
        scorecards=tuple(cards),
        collective=collective_card(state),
        standings=tuple(standings(state, cards, spent)),
        replay=replay(points, turn),
    )


# --- the syndicates of one exercise, side by side ----------------------------------------


@dataclass(frozen=True)
class SyndicateSummary:
    game_id: str
    name: str
    syndicate: int | None
    status: str
    turn: int
    turns: int
    phase: str
    collective: int
    collective_available: int
    scores: dict[str, int]  # nation id -> score
    escalation_peak: int
    operations_completed: int
    operations_total: int
    mean_cohesion: float | None  # over every point with an active coalition
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Comparison:
    exercise_id: str
    title: str
    scenario_title: str
    nations: tuple[tuple[str, str], ...]  # every nation of any syndicate: (id, name)
    syndicates: tuple[SyndicateSummary, ...]
    threshold: int
    max_level: int

    @property
    def escalation(self) -> Series:
        """Escalation per point, one line per syndicate, over every syndicate's points."""
        keys: dict[str, Point] = {}
        for summary in self.syndicates:
            for point in summary.points:
                keys.setdefault(point.key, point)
        ordered = sorted(keys.values(), key=lambda p: (p.turn, p.key == END))
        lines = []
        for summary in self.syndicates:
            by_key = {p.key: p.escalation for p in summary.points}
            label = f"Syndicate {summary.syndicate}" if summary.syndicate else summary.name
            lines.append(Line(summary.game_id, label, tuple(by_key.get(p.key) for p in ordered)))
        return _series(ordered, lines)


def summarise(
    game_id: str,
    name: str,
    syndicate: int | None,
    status: str,
    state: rules.GameState,
    points: Sequence[Point],
) -> SyndicateSummary:
    collective, _ = rules.collective_score(state)
    cohesions = [c for p in points if (c := p.mean_cohesion) is not None]
    return SyndicateSummary(
        game_id=game_id,
        name=name,
        syndicate=syndicate,
        status=status,
        turn=state.turn,
        turns=state.turns,
        phase=state.phase.value,
        collective=collective,
        collective_available=sum(o.points for o in state.collective_objectives),
        scores={n.id: rules.nation_score(state, n.id)[0] for n in state.nations},
        escalation_peak=state.escalation.peak,
        operations_completed=sum(o.status == "completed" for o in state.operations),
        operations_total=len(state.operations),
        mean_cohesion=sum(cohesions) / len(cohesions) if cohesions else None,
        points=tuple(points),
    )


def _exercise_title(names: Sequence[str]) -> str:
    """The exercise's name: its games' names without " — syndicate N"."""
    stems = {n.rsplit(" — syndicate ", 1)[0] for n in names}
    return stems.pop() if len(stems) == 1 else ""
