"""Control (the white cell): set up exercises of several syndicates and see them at a glance.

Every method here is for a signed-in instructor; the web layer checks that before calling.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from app import rules
from app.bots.live import BOT_PERSONALITIES
from app.rules.control import MAX_PHASE, preview
from app.rules.state import FOG_LEVELS, Channel, Fog, ScriptedEvent
from app.services.errors import Invalid, NotFound
from app.services.games import CreatedGame, GameService, LoggedEvent, SeatLink
from app.store.database import Database
from app.store.repositories.games import GameRepository
from app.store.repositories.scenarios import ScenarioRepository

MAX_SYNDICATES = 12
__all__ = ["BOT_PERSONALITIES", "FOG_LEVELS", "MAX_SYNDICATES", "ControlService", "GameOverview"]


@dataclass(frozen=True)
class SeatOverview:
    nation_id: str
    nation_name: str
    controller: str  # vacant, human, bot
    ready: bool


@dataclass(frozen=True)
class GameOverview:
    game_id: str
    name: str
    status: str
    scenario_title: str
    exercise_id: str | None
    syndicate: int | None
    turn: int
    turns: int
    phase: str
    seats: list[SeatOverview]

    @property
    def ready_count(self) -> str:
        playing = [s for s in self.seats if s.controller != "bot"]
        return f"{sum(s.ready for s in playing)}/{len(playing)}"


class ControlService:
    def __init__(self, database: Database, games: GameService) -> None:
        self.database = database
        self.games = games

    def overview(self, *, include_ended: bool = True) -> list[GameOverview]:
        """Every game, newest first, with its turn, phase and seats."""
        with self.database.read() as session:
            repository = GameRepository(session)
            scenarios = ScenarioRepository(session)
            rows = repository.list_all() if include_ended else repository.list_active()
            overviews = []
            for game in rows:
                state = rules.state_from_dict(game.state)
                version = scenarios.get(game.scenario_version_id)
                overviews.append(
                    GameOverview(
                        game_id=game.id,
                        name=game.name,
                        status=game.status,
                        scenario_title=version.title if version else "",
                        exercise_id=game.exercise_id,
                        syndicate=game.syndicate,
                        turn=state.turn,
                        turns=state.turns,
                        phase=state.phase.value,
                        seats=[
                            SeatOverview(n.id, n.name, n.controller, n.id in state.ready)
                            for n in state.nations
                        ],
                    )
                )
        return overviews

    def create_exercise(
        self,
        scenario_id: str,
        *,
        name: str = "",
        syndicates: int = 1,
        created_by: int | None = None,
        bots: dict[str, str] | None = None,
        orders_minutes: int | None = None,
        hold: bool = False,
        fog: Fog = "standard",
    ) -> list[CreatedGame]:
        """`syndicates` parallel games of one scenario, each with its own seats and seed,
        filed under one exercise so they can be run and compared together."""
        if not 1 <= syndicates <= MAX_SYNDICATES:
            raise Invalid(f"Choose between 1 and {MAX_SYNDICATES} syndicates.", "syndicates")
        if orders_minutes is not None and not 1 <= orders_minutes <= MAX_PHASE // 60:
            raise Invalid("An orders phase lasts between 1 minute and 7 days.", "orders_minutes")
        name = " ".join(name.split())[:150]
        exercise_id = uuid.uuid4().hex
        created = []
        for number in range(1, syndicates + 1):
            title = name or None
            if syndicates > 1:
                title = f"{name or self._title(scenario_id)} — syndicate {number}"
            game = self.games.create_game(
                scenario_id,
                name=title,
                bots=bots,
                orders_seconds=None if orders_minutes is None else orders_minutes * 60,
                hold=hold,
                fog=fog,
                # The clock starts when control says so, once the links are handed out.
                paused=True,
            )
            with self.database.write() as session:
                GameRepository(session).file_under_exercise(
                    game.game_id, exercise_id, number, created_by
                )
            created.append(game)
        return created

    def console(self, game_id: str) -> Console:
        """The console of one game, from one snapshot."""
        games = self.games
        snapshot = games.snapshot(game_id)
        state = snapshot.state
        overview = next((g for g in self.overview() if g.game_id == game_id), None)
        if overview is None:
            raise NotFound(f"There is no game {game_id!r}.")
        return Console(
            overview=overview,
            state=state,
            seats=games.seat_links(game_id),
            preview=preview(state) if state.phase is rules.Phase.ADJUDICATION else (),
            unfired=[e for e in state.events if e.id not in state.fired],
            channels=[(c, state.message_counts.get(c.id, 0)) for c in state.channels],
            recent=games.latest_events(game_id, 30),
            branchable=games.branchable_turns(game_id),
        )

    def _title(self, scenario_id: str) -> str:
        with self.database.read() as session:
            version = ScenarioRepository(session).latest(scenario_id)
            if version is None:
                raise NotFound(f"No scenario {scenario_id!r} is loaded.")
            return version.title


@dataclass(frozen=True)
class Console:
    """Everything control's console of one game shows (control sees all)."""

    overview: GameOverview
    state: rules.GameState
    seats: list[SeatLink]
    preview: tuple[rules.Outcome, ...]  # the held turn's outcomes, if a turn is held
    unfired: list[ScriptedEvent]
    channels: list[tuple[Channel, int]]  # with their message counts
    recent: list[LoggedEvent]
    branchable: list[int]  # turns a counterfactual game can branch from
