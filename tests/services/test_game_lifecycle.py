"""The games that are over (ControlService): download one whole, archive it off the control
home's main list and back, delete it for good; on the real database (both backends)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.rules.control import EndExercise, ResumeClock
from app.services.control import ControlService, download_filename
from app.services.errors import Invalid, NotFound
from app.services.games import CreatedGame, GameService
from app.services.transfer import TransferService
from app.store.database import Database
from app.store.models import ChannelRead, Game, GameEvent, Seat, TurnState
from tests.conftest import Clock, now_at
from tests.services.helpers import join_all, play_turn

SCENARIO = "meridian-strait"
CHILD_TABLES = (Seat, GameEvent, TurnState, ChannelRead)


@pytest.fixture
def control(games: GameService) -> ControlService:
    return ControlService(games.database, games)


def _rows(database: Database, game_id: str) -> dict[str, int]:
    """How many rows of the game each table holds."""
    with database.read() as session:
        counts = {
            "games": session.scalar(
                select(func.count()).select_from(Game).where(Game.id == game_id)
            )
        }
        for model in CHILD_TABLES:
            counts[model.__tablename__] = session.scalar(
                select(func.count()).select_from(model).where(model.game_id == game_id)
            )
    return {table: int(count or 0) for table, count in counts.items()}


def _played(games: GameService, name: str, seed: int = 7) -> CreatedGame:
    """A game with a row in every table of a game: seats, events, turn states (a turn was
    played), a channel's messages and a read marker."""
    created = games.create_game(SCENARIO, seed=seed, name=name)
    game_id = created.game_id
    join_all(games, created)
    play_turn(games, game_id)
    opened = games.act(game_id, "arvenia", {"kind": "open_channel", "members": ["lindmark"]})
    channel = str(opened.events[-1].event.data["channel_id"])
    said = games.act(
        game_id, "arvenia", {"kind": "message", "channel_id": channel, "text": "Hold the strait."}
    )
    games.mark_read(game_id, "lindmark", channel, said.seq)
    return created


def _listed(control: ControlService, game_id: str) -> datetime | bool | None:
    """The game's archive date on control's overview (None: not archived); False if absent."""
    found = next((g for g in control.overview() if g.game_id == game_id), None)
    return False if found is None else found.archived_at


def test_a_running_game_cannot_be_archived_or_deleted(
    games: GameService, control: ControlService
) -> None:
    created = games.create_game(SCENARIO, seed=1, name="Still running")
    with pytest.raises(Invalid, match="End the exercise first") as refused:
        control.archive(created.game_id)
    assert refused.value.code == "not_ended"
    with pytest.raises(Invalid, match="End the exercise first") as refused:
        control.delete_game(created.game_id, "Still running")
    assert refused.value.code == "not_ended"
    assert _listed(control, created.game_id) is None
    assert _rows(games.database, created.game_id)["games"] == 1


def test_an_ended_game_is_archived_and_unarchived(
    games: GameService, control: ControlService, clock: Clock
) -> None:
    created = games.create_game(SCENARIO, seed=2, name="Spring")
    other = games.create_game(SCENARIO, seed=3, name="Autumn")
    game_id = created.game_id
    games.join(created.seats[0].token)  # the other seats stay vacant
    games.control(game_id, EndExercise())
    control.archive(game_id)
    archived_at = _listed(control, game_id)
    assert isinstance(archived_at, datetime)
    assert archived_at.replace(tzinfo=UTC) == datetime.fromtimestamp(clock.now, UTC)
    assert _listed(control, other.game_id) is None  # the others stay on the main list
    overview = next(g for g in control.overview() if g.game_id == game_id)
    assert overview.archived and overview.status == "ended"
    # Archiving again keeps the first date.
    clock.advance(3600)
    control.archive(game_id)
    assert _listed(control, game_id) == archived_at
    # A student opening a vacant seat's link after the end writes the game again: the
    # archive mark stays (it is not the status, which every write sets).
    games.join(created.seats[2].token)
    assert games.latest_events(game_id, 1)[0].event.kind == "seat_joined"
    assert _listed(control, game_id) == archived_at
    # Its players still find the outcome on the public list.
    assert game_id in {g.game_id for g in games.list_games(include_ended=True)}

    control.unarchive(game_id)
    assert _listed(control, game_id) is None
    control.unarchive(game_id)  # twice is harmless
    assert _listed(control, game_id) is None


def test_delete_is_refused_without_the_games_name(
    games: GameService, control: ControlService
) -> None:
    created = games.create_game(SCENARIO, seed=4, name="Spring exercise")
    games.control(created.game_id, EndExercise())
    before = _rows(games.database, created.game_id)
    for typed in ("", "   ", "spring exercise", "Spring", "Autumn exercise"):
        with pytest.raises(Invalid) as refused:
            control.delete_game(created.game_id, typed)
        assert refused.value.code == "wrong_name"
        assert "Spring exercise" in refused.value.message
    assert _rows(games.database, created.game_id) == before
    assert _listed(control, created.game_id) is None


def test_deleting_a_game_removes_every_row_of_it_and_nothing_of_the_others(
    games: GameService, control: ControlService
) -> None:
    doomed = _played(games, "Test run", seed=5)
    kept = _played(games, "The real one", seed=6)
    games.control(doomed.game_id, EndExercise())
    games.control(kept.game_id, EndExercise())
    control.archive(doomed.game_id)  # archived games can be deleted too
    rows = _rows(games.database, doomed.game_id)
    assert all(count > 0 for count in rows.values()), rows  # a row in every table
    kept_rows = _rows(games.database, kept.game_id)

    assert control.delete_game(doomed.game_id, "  Test run ") == "Test run"

    assert _rows(games.database, doomed.game_id) == dict.fromkeys(rows, 0)
    assert _rows(games.database, kept.game_id) == kept_rows
    assert [g.game_id for g in control.overview()] == [kept.game_id]
    with pytest.raises(NotFound):
        games.snapshot(doomed.game_id)
    with pytest.raises(NotFound):
        games.join(doomed.seats[0].token)  # its join links are gone with it
    with pytest.raises(NotFound):
        control.delete_game(doomed.game_id, "Test run")


def test_a_branch_stays_playable_once_its_original_is_deleted(
    games: GameService, control: ControlService
) -> None:
    original = games.create_game(SCENARIO, seed=11, name="Original")
    join_all(games, original)
    play_turn(games, original.game_id)
    branch = games.branch(original.game_id, 1)
    games.control(original.game_id, EndExercise())
    control.delete_game(original.game_id, "Original")

    assert _rows(games.database, original.game_id)["games"] == 0
    with games.database.read() as session:
        stored = session.get(Game, branch.game_id)
        assert stored is not None and stored.branched_from == original.game_id
    assert _listed(control, branch.game_id) is None
    assert control.console(branch.game_id).overview.name == "Original — branch from turn 1"
    join_all(games, branch)
    games.control(branch.game_id, ResumeClock(at=now_at(games, branch.game_id)))
    play_turn(games, branch.game_id)
    assert games.snapshot(branch.game_id).state.turn == 2


def test_a_downloaded_game_imports_back_after_its_deletion(
    games: GameService, control: ControlService
) -> None:
    created = _played(games, "Spring exercise — syndicate 1", seed=8)
    game_id = created.game_id
    games.control(game_id, EndExercise())
    events = games.last_seq(game_id)
    download = control.download(game_id)
    assert download.filename == f"entente-spring-exercise-syndicate-1-{game_id[:8]}.json"
    document = json.loads(download.body)
    assert document["format"] == "entente-game" and document["game"]["id"] == game_id
    assert len(document["events"]) == events

    control.delete_game(game_id, "Spring exercise — syndicate 1")
    imported = TransferService(games.database).import_json(download.body)
    assert (imported.game_id, imported.events) == (game_id, events)
    assert _listed(control, game_id) is None  # back on the main list, ended
    assert games.snapshot(game_id).state.phase.value == "ended"
    assert games.seat_links(game_id)[0].token == created.seats[0].token


def test_unknown_games_are_not_found(control: ControlService) -> None:
    for use in (
        lambda: control.archive("nope"),
        lambda: control.unarchive("nope"),
        lambda: control.delete_game("nope", "nope"),
        lambda: control.download("nope"),
    ):
        with pytest.raises(NotFound):
            use()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Spring exercise", "entente-spring-exercise-abc12345.json"),
        ('Ça "va" / ../../etc\\passwd', "entente-ca-va-etc-passwd-abc12345.json"),
        ("Ὀδυσσεύς", "entente-game-abc12345.json"),
        ("x" * 300, f"entente-{'x' * 60}-abc12345.json"),
    ],
)
def test_download_file_names_are_safe(name: str, expected: str) -> None:
    assert download_filename(name, "abc12345ffff") == expected
