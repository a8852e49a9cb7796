"""Control (the white cell): set up exercises of several syndicates and see them at a glance;
download, archive and delete the games that are over.

Every method here is for a signed-in instructor; the web layer checks that before calling.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from app import rules
from app.bots.live import BOT_PERSONALITIES
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _, current_language, gettext, supported
from app.rules.control import MAX_PHASE, preview
from app.rules.state import FOG_LEVELS, RED_CELL_SEAT, Channel, Fog, ScriptedEvent
from app.scenarios.texts import SYNDICATE_NAME, ScenarioTexts
from app.services.errors import Invalid, NotFound
from app.services.game_results import CreatedGame, LoggedEvent, SeatLink, Snapshot
from app.services.games import GameService
from app.services.seats import seat_links_of
from app.services.transfer import TransferService
from app.store.database import Database
from app.store.models import Game
from app.store.repositories.games import GameRepository, SeatRepository
from app.store.repositories.scenarios import ScenarioRepository

MAX_SYNDICATES = 12
__all__ = [
    "BOT_PERSONALITIES",
    "FOG_LEVELS",
    "MAX_SYNDICATES",
    "ControlService",
    "GameDownload",
    "GameOverview",
    "Glance",
    "download_filename",
]


@dataclass(frozen=True)
class SeatOverview:
    nation_id: str
    nation_name: str
    controller: str  # vacant, human, bot
    ready: bool


def _red_cell_seat(state: rules.GameState) -> list[SeatOverview]:
    """A student red cell is a seat the turn waits for, like a nation's."""
    cell, adversary = state.red_cell, state.adversary()
    if cell is None or cell.seat != "human" or adversary is None:
        return []
    return [SeatOverview(RED_CELL_SEAT, adversary.name, "human", RED_CELL_SEAT in state.ready)]


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
    archived_at: datetime | None = None
    """When control archived the (ended) game: off the main list of the control home."""

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def ready_count(self) -> str:
        return ready_count(self.seats)


def seats_of(state: rules.GameState) -> list[SeatOverview]:
    """Every seat the turn may wait for: each nation's, and a student red cell's."""
    return [
        *(SeatOverview(n.id, n.name, n.controller, n.id in state.ready) for n in state.nations),
        *_red_cell_seat(state),
    ]


def ready_count(seats: list[SeatOverview]) -> str:
    """ "2/3": the seats people play (or may take) that are ready, of all of them."""
    playing = [s for s in seats if s.controller != "bot"]
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
            return [_overview(game, rules.state_from_dict(game.state), scenarios) for game in rows]

    def exercise(self, exercise_id: str) -> list[Glance]:
        """The syndicates of one exercise, by number, each at a glance."""
        with self.database.read() as session:
            scenarios = ScenarioRepository(session)
            rows = GameRepository(session).in_exercise(exercise_id)
            overviews = [
                (_overview(game, state, scenarios), state)
                for game in rows
                for state in (rules.state_from_dict(game.state),)
            ]
        if not overviews:
            raise NotFound(_("There is no exercise %(exercise)s.", exercise=repr(exercise_id)))
        return [Glance(overview, state) for overview, state in overviews]

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
        language: str = "",
    ) -> list[CreatedGame]:
        """`syndicates` parallel games of one scenario, each with its own seats and seed,
        filed under one exercise so they can be run and compared together. `language`
        (empty: each browser's own) is what its players see until they choose one."""
        if language and supported(language) != language:
            raise Invalid(gettext("Choose a language from the list."), "language")
        if not 1 <= syndicates <= MAX_SYNDICATES:
            raise Invalid(
                _("Choose between 1 and %(most)s syndicates.", most=MAX_SYNDICATES), "syndicates"
            )
        if orders_minutes is not None and not 1 <= orders_minutes <= MAX_PHASE // 60:
            raise Invalid(_("An orders phase lasts between 1 minute and 7 days."), "orders_minutes")
        name = " ".join(name.split())[:150]
        exercise_id = uuid.uuid4().hex
        created = []
        for number in range(1, syndicates + 1):
            title = name or None
            if syndicates > 1:
                stem = name or self._title(scenario_id)
                title = SYNDICATE_NAME % {"name": stem, "number": number}
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
                repository = GameRepository(session)
                repository.file_under_exercise(game.game_id, exercise_id, number, created_by)
                repository.set_language(game.game_id, language or None)
            created.append(game)
        return created

    def console(self, game_id: str, language: str = DEFAULT_LANGUAGE) -> Console:
        """The console of one game, from one snapshot, with its scenario's texts in
        `language` where it has them."""
        snapshot = self.games.snapshot(game_id)
        return self.console_of(snapshot, self.games.latest_events(game_id, 30), language)

    def console_of(
        self, snapshot: Snapshot, recent: list[LoggedEvent], language: str = DEFAULT_LANGUAGE
    ) -> Console:
        """The console of the game at `snapshot`: the state as read, and what the state
        does not hold (seats' links and codes, the last actions, the kept turns) read now.
        The live console reads this once per change and language, shared by every
        instructor's page; the scenario's texts are in `language` where it has them."""
        texts = self.games.scenario_texts(snapshot.game_id)
        state = texts.state_in(snapshot.state, language)
        recent = [dataclasses.replace(e, event=texts.event_in(e.event, language)) for e in recent]
        # One read transaction, each table once (the state is the snapshot's).
        with self.database.read() as session:
            games = GameRepository(session)
            game = games.get(snapshot.game_id)
            if game is None:
                raise NotFound(_("There is no game %(game)s.", game=repr(snapshot.game_id)))
            overview = _overview(game, state, ScenarioRepository(session), texts, language)
            seats, red_cell = seat_links_of(state, SeatRepository(session).for_game(game.id))
            branchable = games.opened_turns(game.id, rules.Phase.ORDERS.value)
            last_actions = games.last_action_times(game.id)
        return Console(
            overview=overview,
            state=state,
            seats=seats,
            preview=preview(state) if state.phase is rules.Phase.ADJUDICATION else (),
            unfired=[e for e in state.events if e.id not in state.fired],
            channels=[(c, state.message_counts.get(c.id, 0)) for c in state.channels],
            recent=recent,
            branchable=branchable,
            last_acted={
                actor: when.timestamp()
                for actor, when in last_actions.items()
                if actor in {n.id for n in state.nations}
            },
            red_cell=red_cell,
            seq=snapshot.seq,
        )

    # --- the games that are over: download, archive, delete ---------------------------------

    def download(self, game_id: str) -> GameDownload:
        """The whole game as the export document of `entente export` (which `entente
        import` restores, here or on another server), with a file name for it."""
        document = TransferService(self.database).export_game(game_id)
        return GameDownload(download_filename(document.game.name, game_id), document.to_json())

    def archive(self, game_id: str) -> None:
        """File an ended game away: the control home lists it under "Archived" only. Its
        review, record and links stay as they were. Invalid (`not_ended`) while it runs."""
        with self.database.write() as session:
            games = GameRepository(session)
            game = _ended_game(games, game_id, NOT_ENDED_ARCHIVE)
            if game.archived_at is None:
                games.set_archived(game, datetime.fromtimestamp(self.games.clock(), UTC))

    def unarchive(self, game_id: str) -> None:
        """Back on the control home's main list."""
        with self.database.write() as session:
            games = GameRepository(session)
            game = games.get(game_id, for_update=True)
            if game is None:
                raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
            if game.archived_at is not None:
                games.set_archived(game, None)

    def delete_game(self, game_id: str, typed_name: str) -> str:
        """Delete an ended (or archived) game for good: its seats, events, turn states and
        read markers go with it; games branched from it stay. `typed_name` must be the
        game's name (as control typed it to confirm; spaces around it do not matter).
        Returns the name. Invalid (`not_ended`) while the game runs, Invalid
        (`wrong_name`) for another name; nothing is deleted then."""
        with self.database.write() as session:
            games = GameRepository(session)
            game = _ended_game(games, game_id, NOT_ENDED_DELETE)
            name = game.name
            # The console shows the name in its reader's language: either is the name.
            said = self._names_said(game_id, name)
            shown = said.get(current_language(), name)
            typed = " ".join(typed_name.split())
            if not typed:
                raise Invalid(
                    _(
                        "Type the game's name, “%(name)s”, to confirm that it is to be deleted.",
                        name=shown,
                    ),
                    "wrong_name",
                )
            if typed not in {" ".join(n.split()) for n in (name, *said.values())}:
                raise Invalid(
                    _(
                        "That is not the name of this game: type “%(name)s” exactly to delete "
                        "it. Nothing was deleted.",
                        name=shown,
                    ),
                    "wrong_name",
                )
            last_seq = game.last_seq
            games.delete(game_id)
        self.games.ring_gone(game_id, last_seq)
        return name

    def _names_said(self, game_id: str, name: str) -> dict[str, str]:
        """The game's `name` in each language of the interface."""
        try:
            texts = self.games.scenario_texts(game_id)
        except NotFound:  # a game made without a stored scenario (tests): its own name
            return {}
        return {language: texts.title(name, language) for language in LANGUAGES}

    def _title(self, scenario_id: str) -> str:
        with self.database.read() as session:
            version = ScenarioRepository(session).latest(scenario_id)
            if version is None:
                raise NotFound(_("No scenario %(scenario)s is loaded.", scenario=repr(scenario_id)))
            return version.title


def _overview(
    game: Game,
    state: rules.GameState,
    scenarios: ScenarioRepository,
    texts: ScenarioTexts | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> GameOverview:
    """The game at a glance; with `texts`, its name and its scenario's in `language`."""
    version = scenarios.get(game.scenario_version_id)
    scenario_title = version.title if version else ""
    return GameOverview(
        game_id=game.id,
        name=texts.title(game.name, language) if texts else game.name,
        status=game.status,
        scenario_title=texts.title(scenario_title, language) if texts else scenario_title,
        exercise_id=game.exercise_id,
        syndicate=game.syndicate,
        turn=state.turn,
        turns=state.turns,
        phase=state.phase.value,
        seats=seats_of(state),
        archived_at=game.archived_at,
    )


NOT_ENDED_ARCHIVE = N_("End the exercise first: only an ended game can be archived.")
NOT_ENDED_DELETE = N_("End the exercise first: only an ended game can be deleted.")


def _ended_game(games: GameRepository, game_id: str, not_ended: str) -> Game:
    """The game, locked for the change, if it has ended; NotFound or Invalid otherwise."""
    game = games.get(game_id, for_update=True)
    if game is None:
        raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
    if game.status != "ended":
        raise Invalid(_(not_ended), "not_ended")
    return game


def download_filename(name: str, game_id: str) -> str:
    """A file name safe on every system and in a Content-Disposition header: the game's
    name in lower-case ASCII letters, digits and hyphens, then the start of its id."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].rstrip("-")
    short_id = re.sub(r"[^a-z0-9]", "", game_id.lower())[:8]
    return "-".join(part for part in ("entente", slug or "game", short_id) if part) + ".json"


@dataclass(frozen=True)
class GameDownload:
    filename: str
    body: str  # the JSON export document


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
    # Per nation that has acted: when it last did, in wall-clock seconds (as the events
    # were stamped: "acted 3 min ago" is about real minutes).
    last_acted: dict[str, float]

    def idle_seconds(self, now: float) -> dict[str, int]:
        """Per nation that has acted: whole seconds since its last action."""
        return {n: max(0, int(now - when)) for n, when in self.last_acted.items()}

    red_cell: SeatLink | None = None  # the red cell's link, once control has opened its seat
    seq: int = 0  # the change the console shows


@dataclass(frozen=True)
class Glance:
    """One syndicate of an exercise at a glance: its overview and its state (turn, phase,
    deadline, hold)."""

    overview: GameOverview
    state: rules.GameState
