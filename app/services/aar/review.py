"""The after-action review of one game, assembled from its parts, and its replay."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app import rules
from app.i18n import _
from app.services.aar.scorecards import (
    AdversaryCard,
    Scorecard,
    Standing,
    adversary_card,
    agreements_in_force,
    collective_card,
    scorecards,
    standings,
)
from app.services.aar.series import (
    Burden,
    Point,
    Series,
    burden,
    cohesion_series,
    escalation_series,
    game_points,
    support_series,
    trust_series,
)
from app.services.aar.timeline import TurnTimeline, timeline
from app.services.aar.words import controller_text
from app.services.errors import Conflict, NotFound
from app.services.game_results import LoggedEvent


class NotEnded(Conflict):
    code = "not_ended"


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
        return {n.id: controller_text(n) for n in self.state.nations}

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
            raise NotFound(_("This game has no stored turn states to replay."))
        return None
    point = stored[0] if key is None else next((p for p in stored if p.key == key), None)
    if point is None or point.state is None:
        raise NotFound(
            _("There is no stored state for turn %(turn)s of this game.", turn=repr(key))
        )
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


class _Charted:
    """The per-turn series every viewer may see, from the points and the state."""

    state: rules.GameState
    points: tuple[Point, ...]

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
    def cohesion(self) -> Series:
        return cohesion_series(self.points, self.state)


@dataclass(frozen=True)
class Review(_Charted):
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
    def trust(self) -> Series:
        return trust_series(self.points, self.state)

    @property
    def adversary(self) -> AdversaryCard | None:
        return adversary_card(self.state)

    @property
    def every_replay(self) -> list[Replay]:
        """The replay at every point with a stored state, in order (the printed review
        has them all)."""
        return [r for p in self.points if p.state is not None and (r := replay(self.points, p.key))]

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


@dataclass(frozen=True)
class Debrief(_Charted):
    """One seat's after-action review, once the game has ended: its own scorecard (its
    secret objectives judged), the collective one, the public measures as charts, the
    timeline of what it was shown and control's feedback to it. Nothing another nation
    kept from it: no other scorecard, no trust or budgets, no event it did not see."""

    game: GameHeader
    viewer: rules.Viewer
    state: rules.GameState  # the final state; read only for what `viewer` may see
    points: tuple[Point, ...]
    timeline: tuple[TurnTimeline, ...]
    card: Scorecard
    collective: Scorecard
    feedback: tuple[tuple[int, str], ...]  # (turn, control's words to this nation)


def build_debrief(
    game: GameHeader,
    state: rules.GameState,
    snapshots: Sequence[tuple[int, str, rules.GameState]],
    events: Sequence[LoggedEvent],
    viewer: rules.Viewer,
) -> Debrief:
    """`viewer`'s debrief of an ended game (`NotEnded` before its end)."""
    if state.phase is not rules.Phase.ENDED:
        raise NotEnded(_("The debrief opens when the game has ended."))
    card = next((c for c in scorecards(state) if c.nation_id == viewer.nation_id), None)
    if card is None:
        raise NotFound(_("Only a nation's seat has a debrief."))
    feedback = tuple(
        (int(e.event.data["turn"]), str(e.event.data["text"]))
        for e in events
        if e.event.kind == rules.EventKind.CONTROL_FEEDBACK
        and e.event.data.get("nation_id") == viewer.nation_id
    )
    return Debrief(
        game=game,
        viewer=viewer,
        state=state,
        points=tuple(game_points(snapshots, state)),
        timeline=tuple(timeline(events, state, game.branched_turn or 1, viewer)),
        card=card,
        collective=collective_card(state),
        feedback=feedback,
    )
