"""Use cases to move one game between servers: export it as a self-contained JSON
document, import such a document into another database (`entente export` / `import`).

The document carries everything tied to the game: the game row, its seats (with their
join tokens), every event, the channel read markers, the turn states, and the exact
scenario text it was started from, so it restores on a server whose library lacks that
scenario. Instructor accounts are not part of a game: an imported game has no creator.

An import is one transaction: it stores the whole game or nothing. It refuses a
document of another format version, a malformed one, and a game whose id the database
already holds (unless asked for a copy under a fresh id with fresh join links). The
scenario text goes through the library's own numbering: an identical stored text is
reused, otherwise it becomes that scenario's next library version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import __version__, rules
from app.i18n import gettext
from app.scenarios.loader import ScenarioInvalid, parse_scenario
from app.scenarios.pydantic_messages import pydantic_message
from app.scenarios.schema import Scenario
from app.services.errors import Invalid, NotFound
from app.services.scenarios import ScenarioService
from app.services.seats import new_join_code
from app.store.database import Database
from app.store.models import ChannelRead, Game, GameEvent, ScenarioVersion, Seat, TurnState
from app.store.repositories.games import GameRepository, SeatRepository
from app.store.repositories.scenarios import ScenarioRepository
from app.store.repositories.transfer import TransferRepository

FORMAT: Final = "entente-game"
FORMAT_VERSION = 1
"""Bump when a document of the old version can no longer be imported as it is."""

_SHOWN_ERRORS = 5


class ImportRefused(Invalid):
    """The document cannot be imported; nothing was written."""

    code = "import_refused"


class GameExists(ImportRefused):
    status_code = 409
    code = "game_exists"


# --- the document ---------------------------------------------------------------------


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExportedScenario(_Part):
    id: str
    version: int
    """The library version on the exporting server (the importing one numbers its own)."""
    title: str
    sha256: str
    source: str


class ExportedGame(_Part):
    # Ids go into URLs and doorbells: letters, digits, "-" and "_" only.
    id: str = Field(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z_-]+$")
    name: str = Field(max_length=200)
    seed: int
    state: dict[str, Any]
    version: int
    last_seq: int = Field(ge=0)
    status: str = Field(max_length=20)
    exercise_id: str | None = Field(default=None, max_length=32)
    syndicate: int | None = None
    branched_from: str | None = Field(default=None, max_length=32)
    branched_turn: int | None = None
    deadline: float | None = None
    created_at: datetime
    updated_at: datetime


class ExportedSeat(_Part):
    nation_id: str
    token: str = Field(min_length=1, max_length=64)
    code: str | None = Field(default=None, max_length=16)
    """The short join code; a seat without one (or whose code is taken) gets a new one."""
    joined_at: datetime | None = None


class ExportedEvent(_Part):
    seq: int = Field(ge=1)
    turn: int
    kind: str
    actor: str | None = None
    action: dict[str, Any] | None = None
    data: dict[str, Any]
    channel_id: str | None = None
    created_at: datetime


class ExportedChannelRead(_Part):
    nation_id: str
    channel_id: str
    last_seq: int


class ExportedTurnState(_Part):
    seq: int
    turn: int
    phase: str
    state: dict[str, Any]
    created_at: datetime


class GameExport(_Part):
    format: Literal["entente-game"] = FORMAT
    format_version: int = FORMAT_VERSION
    app_version: str
    exported_at: datetime
    scenario: ExportedScenario
    game: ExportedGame
    seats: list[ExportedSeat]
    events: list[ExportedEvent]
    channel_reads: list[ExportedChannelRead]
    turn_states: list[ExportedTurnState]

    def to_json(self) -> str:
        return self.model_dump_json(indent=1) + "\n"


@dataclass(frozen=True)
class ImportedGame:
    game_id: str
    name: str
    events: int
    scenario_id: str
    scenario_version: int
    """The library version the game is pinned to on this server."""
    scenario_stored: bool
    """The scenario text was new here and was stored as that version."""
    paused: bool = False
    """It was running: its clock waits for control (a full orders phase ahead)."""


# --- helpers --------------------------------------------------------------------------


def _paused(stored: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """A game that was running arrives paused, a full orders phase ahead: its deadline
    passed (or will) on another server's clock, and control resumes it when the players
    are back. Returns the state to store and whether it was paused here."""
    state = rules.state_from_dict(stored)
    if state.deadline is None or state.phase is not rules.Phase.ORDERS:
        return stored, False
    paused = dataclasses.replace(state, deadline=None, paused_remaining=float(state.orders_seconds))
    return rules.state_to_dict(paused), True


def _utc(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _maybe_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else _utc(moment)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _problems(error: ValidationError) -> str:
    shown = [
        f"{'.'.join(str(part) for part in e['loc']) or '(document)'}: {pydantic_message(e)}"
        for e in error.errors()[:_SHOWN_ERRORS]
    ]
    more = error.error_count() - len(shown)
    if more > 0:
        shown.append(gettext("and %(more)s more", more=more))
    return "; ".join(shown)


def parse_document(data: str | bytes) -> GameExport:
    """The export document in `data`, its fields checked (`import_game` checks that they
    agree); raises ImportRefused saying what is wrong."""
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused(
            gettext("This is not an Entente game export: not JSON (%(error)s).", error=error)
        ) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ImportRefused(
            gettext(
                'This is not an Entente game export (no "format": "%(format)s" field).',
                format=FORMAT,
            )
        )
    if raw.get("format_version") != FORMAT_VERSION:
        raise ImportRefused(
            gettext(
                "The export is in format version %(found)s (written by Entente %(writer)s); "
                "this Entente %(version)s reads version %(supported)s only.",
                found=repr(raw.get("format_version")),
                writer=raw.get("app_version", "?"),
                version=__version__,
                supported=FORMAT_VERSION,
            )
        )
    try:
        document = GameExport.model_validate(raw)
    except ValidationError as error:
        raise ImportRefused(
            gettext("The export is malformed: %(problems)s.", problems=_problems(error))
        ) from None
    return document


def _distinct(values: list[Any]) -> bool:
    return len(set(values)) == len(values)


def _check_consistent(document: GameExport) -> Scenario:
    """What the field types cannot say: the parts agree with each other and with the
    rules of this version of Entente. Returns the parsed scenario."""
    game, scenario = document.game, document.scenario
    if _sha256(scenario.source) != scenario.sha256:
        raise ImportRefused(
            gettext("The export is malformed: the scenario text does not match its sha256.")
        )
    seqs = [e.seq for e in document.events]
    if seqs != list(range(1, game.last_seq + 1)):
        raise ImportRefused(
            gettext(
                "The export is malformed: the game's events must be numbered 1 to %(last)s "
                "in order, each once.",
                last=game.last_seq,
            )
        )
    if not _distinct([s.nation_id for s in document.seats]) or not _distinct(
        [s.token for s in document.seats]
    ):
        raise ImportRefused(
            gettext("The export is malformed: two seats share a nation or a join token.")
        )
    if not _distinct([t.seq for t in document.turn_states]):
        raise ImportRefused(gettext("The export is malformed: two turn states share a number."))
    if not _distinct([(r.nation_id, r.channel_id) for r in document.channel_reads]):
        raise ImportRefused(
            gettext("The export is malformed: a channel is marked read twice for a seat.")
        )
    try:
        rules.state_from_dict(game.state)
        for kept in document.turn_states:
            rules.state_from_dict(kept.state)
    except ValidationError as error:
        raise ImportRefused(
            gettext(
                "The game's state cannot be read by Entente %(version)s: %(problems)s.",
                version=__version__,
                problems=_problems(error),
            )
        ) from None
    try:
        parsed = parse_scenario(scenario.source, f"{scenario.id} v{scenario.version}")
    except ScenarioInvalid as invalid:
        first = "; ".join(str(e) for e in invalid.errors[:_SHOWN_ERRORS])
        raise ImportRefused(
            gettext(
                "The game's scenario does not validate in Entente %(version)s: %(problems)s.",
                version=__version__,
                problems=first,
            )
        ) from None
    if parsed.id != scenario.id:
        raise ImportRefused(
            gettext(
                "The export is malformed: its scenario text is %(found)s, not %(expected)s.",
                found=repr(parsed.id),
                expected=repr(scenario.id),
            )
        )
    return parsed


def _seat_codes(seats: SeatRepository, exported: list[ExportedSeat], *, keep: bool) -> list[str]:
    """A join code for each seat: its own if `keep` and no other seat has it (codes are
    short, so two servers may have handed out the same one), otherwise a fresh one."""
    wanted = [s.code for s in exported if keep and s.code]
    unusable = seats.codes_in_use(wanted) | {c for c in wanted if wanted.count(c) > 1}
    kept = [s.code if keep and s.code not in unusable else None for s in exported]
    taken = {c for c in kept if c} | unusable
    codes: list[str] = []
    for code in kept:
        while code is None:
            candidate = new_join_code()
            if candidate not in taken and not seats.codes_in_use([candidate]):
                code = candidate
        taken.add(code)
        codes.append(code)
    return codes


# --- the service ----------------------------------------------------------------------


class TransferService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def export_game(self, game_id: str) -> GameExport:
        """The whole game as a document, read in one transaction."""
        with self.database.read() as session:
            game = GameRepository(session).get(game_id)
            if game is None:
                raise NotFound(gettext("There is no game %(game)s.", game=repr(game_id)))
            version = ScenarioRepository(session).get(game.scenario_version_id)
            if version is None:  # the foreign key makes this impossible; say so if not
                raise NotFound(
                    gettext(
                        "The scenario version of game %(game)s is not stored.", game=repr(game_id)
                    )
                )
            transfer = TransferRepository(session)
            last_seq = game.last_seq
            return GameExport(
                app_version=__version__,
                exported_at=datetime.now(UTC),
                scenario=ExportedScenario(
                    id=version.scenario_id,
                    version=version.version,
                    title=version.title,
                    sha256=version.sha256,
                    source=version.source,
                ),
                game=ExportedGame(
                    id=game.id,
                    name=game.name,
                    seed=game.seed,
                    state=game.state,
                    version=game.version,
                    last_seq=last_seq,
                    status=game.status,
                    exercise_id=game.exercise_id,
                    syndicate=game.syndicate,
                    branched_from=game.branched_from,
                    branched_turn=game.branched_turn,
                    deadline=game.deadline,
                    created_at=_utc(game.created_at),
                    updated_at=_utc(game.updated_at),
                ),
                seats=[
                    ExportedSeat(
                        nation_id=s.nation_id,
                        token=s.token,
                        code=s.code,
                        joined_at=_maybe_utc(s.joined_at),
                    )
                    for s in SeatRepository(session).for_game(game_id)
                ],
                events=[
                    ExportedEvent(
                        seq=e.seq,
                        turn=e.turn,
                        kind=e.kind,
                        actor=e.actor,
                        action=e.action,
                        data=e.data,
                        channel_id=e.channel_id,
                        created_at=_utc(e.created_at),
                    )
                    for e in transfer.events_up_to(game_id, last_seq)
                ],
                channel_reads=[
                    ExportedChannelRead(
                        nation_id=r.nation_id, channel_id=r.channel_id, last_seq=r.last_seq
                    )
                    for r in transfer.channel_reads(game_id)
                ],
                turn_states=[
                    ExportedTurnState(
                        seq=t.seq,
                        turn=t.turn,
                        phase=t.phase,
                        state=t.state,
                        created_at=_utc(t.created_at),
                    )
                    for t in GameRepository(session).turn_states(game_id)
                    if t.seq <= last_seq
                ],
            )

    def import_json(self, data: str | bytes, *, new_id: bool = False) -> ImportedGame:
        """Import an export document (see `import_game`)."""
        return self.import_game(parse_document(data), new_id=new_id)

    def import_game(self, document: GameExport, *, new_id: bool = False) -> ImportedGame:
        """Store the game of `document`, all of it or nothing. With `new_id` it is stored
        as a copy: a fresh game id and fresh join tokens (the old links do not open it),
        outside any exercise. Raises GameExists if the id is taken, ImportRefused if
        the database refuses a row."""
        scenario = _check_consistent(document)
        exported = document.game
        game_id = uuid.uuid4().hex if new_id else exported.id
        state, paused = _paused(exported.state)
        try:
            with self.database.write() as session:
                games = GameRepository(session)
                if games.get(game_id) is not None:
                    raise GameExists(
                        gettext(
                            "A game with the id %(game)s (%(name)s) is already in this "
                            "database; nothing was imported. Use --new-id to import a copy.",
                            game=game_id,
                            name=repr(exported.name),
                        )
                    )
                version, stored = self._scenario_version(session, document.scenario, scenario)
                games.add(
                    Game(
                        id=game_id,
                        name=exported.name,
                        scenario_version_id=version.id,
                        seed=exported.seed,
                        state=state,
                        version=exported.version,
                        last_seq=exported.last_seq,
                        status=exported.status,
                        exercise_id=None if new_id else exported.exercise_id,
                        syndicate=None if new_id else exported.syndicate,
                        created_by=None,
                        branched_from=exported.branched_from,
                        branched_turn=exported.branched_turn,
                        deadline=None if paused else exported.deadline,
                        created_at=exported.created_at,
                        updated_at=exported.updated_at,
                    )
                )
                seats = SeatRepository(session)
                codes = _seat_codes(seats, document.seats, keep=not new_id)
                seats.add_all(
                    [
                        Seat(
                            game_id=game_id,
                            nation_id=s.nation_id,
                            token=secrets.token_urlsafe(18) if new_id else s.token,
                            code=code,
                            joined_at=s.joined_at,
                        )
                        for s, code in zip(document.seats, codes, strict=True)
                    ]
                )
                games.append_events(
                    [
                        GameEvent(
                            game_id=game_id,
                            seq=e.seq,
                            turn=e.turn,
                            kind=e.kind,
                            actor=e.actor,
                            action=e.action,
                            data=e.data,
                            channel_id=e.channel_id,
                            created_at=e.created_at,
                        )
                        for e in document.events
                    ]
                )
                transfer = TransferRepository(session)
                transfer.add_turn_states(
                    [
                        TurnState(
                            game_id=game_id,
                            seq=t.seq,
                            turn=t.turn,
                            phase=t.phase,
                            state=t.state,
                            created_at=t.created_at,
                        )
                        for t in document.turn_states
                    ]
                )
                transfer.add_channel_reads(
                    [
                        ChannelRead(
                            game_id=game_id,
                            nation_id=r.nation_id,
                            channel_id=r.channel_id,
                            last_seq=r.last_seq,
                        )
                        for r in document.channel_reads
                    ]
                )
                imported = ImportedGame(
                    game_id=game_id,
                    name=exported.name,
                    events=len(document.events),
                    scenario_id=version.scenario_id,
                    scenario_version=version.version,
                    scenario_stored=stored,
                    paused=paused,
                )
        except IntegrityError as error:
            # Two imports of one game at once, or a join token already in use here.
            raise ImportRefused(
                gettext(
                    "The database refused the game (%(error)s); nothing was imported. Is it "
                    "being imported twice at once? --new-id imports a copy.",
                    error=type(error.orig).__name__,
                )
            ) from None
        return imported

    def _scenario_version(
        self, session: Session, exported: ExportedScenario, scenario: Scenario
    ) -> tuple[ScenarioVersion, bool]:
        """The stored row of the exported scenario text, stored now as the scenario's
        next library version if this database lacks it; and whether it was stored."""
        repository = ScenarioRepository(session)
        same = repository.by_sha(exported.id, exported.sha256)
        if same is not None:
            return same, False
        # The library's own store path, inside this transaction, so numbers keep going up.
        return ScenarioService(self.database)._store(repository, scenario, exported.source), True
