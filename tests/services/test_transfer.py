"""Moving one game between databases: export it, import it elsewhere, play on (both
backends, and from SQLite into PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app import rules
from app.services.games import GameService
from app.services.scenarios import ScenarioService
from app.services.transfer import (
    FORMAT_VERSION,
    GameExists,
    GameExport,
    ImportRefused,
    TransferService,
)
from app.store.database import Database
from app.store.migrations import upgrade
from app.store.models import ChannelRead, Game, GameEvent, ScenarioVersion, Seat, TurnState
from tests.conftest import SCENARIOS_DIR, Clock, scratch_database

SCENARIO = "meridian-strait"
GAME_TABLES = (Game, Seat, GameEvent, TurnState, ChannelRead)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Database]:
    """A second, migrated, empty database: the server the game moves to (SQLite, or with
    ENTENTE_DATABASE_URL set a PostgreSQL database of its own, wiped afterwards)."""
    with scratch_database(tmp_path / "target.db") as url:
        upgrade(url)
        database = Database(url)
        yield database
        database.dispose()


def _commit(games: GameService, game_id: str, nation_id: str) -> None:
    state = games.snapshot(game_id).state
    action = next(
        a for a in rules.legal_actions(state, nation_id) if isinstance(a, rules.CommitUnit)
    )
    games.act(
        game_id,
        nation_id,
        {"kind": "commit", "unit_id": action.unit_id, "operation_id": action.operation_id},
    )


def _play_a_turn_and_a_half(games: GameService) -> str:
    """A game with a bit of everything: joined seats, orders, a channel with messages and
    a read marker, one resolved turn (so two turn states) and orders for the next."""
    created = games.create_game(SCENARIO, seed=7)
    game_id = created.game_id
    for seat in created.seats:
        games.join(seat.token)
    _commit(games, game_id, "arvenia")
    opened = games.act(game_id, "arvenia", {"kind": "open_channel", "members": ["lindmark"]})
    channel = str(opened.events[-1].event.data["channel_id"])
    said = games.act(
        game_id, "arvenia", {"kind": "message", "channel_id": channel, "text": "Hold the strait."}
    )
    games.act(game_id, "lindmark", {"kind": "message", "channel_id": channel, "text": "Agreed."})
    games.mark_read(game_id, "lindmark", channel, said.seq)
    for seat in created.seats:
        games.act(game_id, seat.nation_id, {"kind": "ready", "ready": True})
    assert games.snapshot(game_id).state.turn == 2
    _commit(games, game_id, "cardosa")
    return game_id


def _record(games: GameService, game_id: str) -> dict[str, Any]:
    """Everything a player or control sees of a game, through the game service."""
    snapshot = games.snapshot(game_id)
    nations = [n.id for n in snapshot.state.nations]
    return {
        "name": snapshot.name,
        "seq": snapshot.seq,
        "state": rules.state_to_dict(snapshot.state),
        "events": games.events_after(game_id, 0, limit=10_000),
        "seats": games.seat_links(game_id),
        "unread": {n: games.channel_counts(game_id, n) for n in nations},
        "branchable": games.branchable_turns(game_id),
        "briefing": games.briefing(game_id),
    }


def _rows(database: Database, model: type[Any]) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _comparable(document: GameExport) -> dict[str, Any]:
    """The document without what legitimately differs between two servers: when it was
    written and the scenario's library number there."""
    data = json.loads(document.to_json())
    del data["exported_at"]
    del data["scenario"]["version"]
    # A running game is paused on import (its deadline belonged to the other server).
    del data["game"]["deadline"]
    del data["game"]["state"]["deadline"]
    del data["game"]["state"]["paused_remaining"]
    return dict(data)


def _moves_and_plays_on(source: GameService, target: Database, clock: Clock) -> None:
    game_id = _play_a_turn_and_a_half(source)
    before = _record(source, game_id)
    exported = TransferService(source.database).export_game(game_id)

    imported = TransferService(target).import_json(exported.to_json())

    assert imported.game_id == game_id
    assert imported.events == before["seq"]
    moved = GameService(target, clock=clock)
    after = _record(moved, game_id)
    # It was running: it arrives paused, a full orders phase ahead, for control to resume.
    assert imported.paused
    assert after["state"].pop("deadline") is None
    assert after["state"].pop("paused_remaining") == after["state"]["orders_seconds"]
    assert before["state"].pop("deadline") is not None
    assert before["state"].pop("paused_remaining") is None
    assert after == before
    assert _comparable(TransferService(target).export_game(game_id)) == _comparable(exported)
    # The old join links open the same seats on the new server, and play goes on there.
    assert moved.join(before["seats"][0].token).game_id == game_id
    _commit(moved, game_id, "lindmark")
    assert moved.snapshot(game_id).seq == before["seq"] + 1


def test_a_game_played_for_a_turn_moves_to_a_fresh_database_and_plays_on(
    games: GameService, fresh: Database, clock: Clock
) -> None:
    _moves_and_plays_on(games, fresh, clock)
    # The target had no scenarios: the game's own text became version 1 of its library.
    with fresh.read() as session:
        stored = session.scalars(select(ScenarioVersion)).all()
    assert [(v.scenario_id, v.version) for v in stored] == [(SCENARIO, 1)]
    assert stored[0].source == (SCENARIOS_DIR / f"{SCENARIO}.yaml").read_text(encoding="utf-8")


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_game_moves_from_sqlite_to_postgresql(
    database: Database, tmp_path: Path, clock: Clock
) -> None:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    upgrade(url)
    source = Database(url)
    try:
        ScenarioService(source).sync_directory(SCENARIOS_DIR)
        _moves_and_plays_on(GameService(source, clock=clock), database, clock)
    finally:
        source.dispose()


def test_an_identical_scenario_text_is_reused_and_a_different_one_is_the_next_version(
    games: GameService, fresh: Database, clock: Clock
) -> None:
    library = ScenarioService(fresh)
    library.sync_directory(SCENARIOS_DIR)
    game_id = _play_a_turn_and_a_half(games)
    imported = TransferService(fresh).import_json(
        TransferService(games.database).export_game(game_id).to_json()
    )
    assert (imported.scenario_version, imported.scenario_stored) == (1, False)
    assert _rows(fresh, ScenarioVersion) == len(list(SCENARIOS_DIR.glob("*.yaml")))

    # A game started on a text this server has never seen (edited on the other server).
    original = (SCENARIOS_DIR / f"{SCENARIO}.yaml").read_text(encoding="utf-8")
    edited = original.replace("title:", "title: Edited —", 1)
    ScenarioService(games.database).save_source(edited)
    other = games.create_game(SCENARIO, seed=3).game_id
    document = TransferService(games.database).export_game(other)
    # This server meanwhile stored another text of the scenario itself.
    library.save_source(original.replace("title:", "title: Local —", 1))

    imported = TransferService(fresh).import_json(document.to_json())

    assert (imported.scenario_version, imported.scenario_stored) == (3, True)
    numbers = [v.version for v in library.version_detail(SCENARIO, 3).versions]
    assert numbers == [1, 2, 3]
    assert GameService(fresh, clock=clock).briefing(other) == games.briefing(other)


def test_a_game_already_there_is_refused_and_new_id_imports_a_copy(
    games: GameService, clock: Clock
) -> None:
    database = games.database
    game_id = _play_a_turn_and_a_half(games)
    text = TransferService(database).export_game(game_id).to_json()
    counts = {model: _rows(database, model) for model in (*GAME_TABLES, ScenarioVersion)}

    with pytest.raises(GameExists, match="already in this database"):
        TransferService(database).import_json(text)
    assert {model: _rows(database, model) for model in counts} == counts

    copy = TransferService(database).import_json(text, new_id=True)

    assert copy.game_id != game_id
    assert not copy.scenario_stored
    assert _rows(database, ScenarioVersion) == counts[ScenarioVersion]
    original, copied = _record(games, game_id), _record(games, copy.game_id)
    assert copy.paused and copied["state"]["deadline"] is None  # the copy waits for control
    for state in (original["state"], copied["state"]):
        del state["deadline"], state["paused_remaining"]
    assert copied["state"] == original["state"]
    assert copied["events"] == original["events"]
    old_tokens = {s.token for s in original["seats"]}
    new_tokens = {s.token for s in copied["seats"]}
    assert not old_tokens & new_tokens
    assert not {s.code for s in original["seats"]} & {s.code for s in copied["seats"]}
    assert [s.nation_id for s in copied["seats"]] == [s.nation_id for s in original["seats"]]
    # Each set of links opens its own game.
    assert games.join(copied["seats"][0].token).game_id == copy.game_id
    assert games.join(original["seats"][0].token).game_id == game_id
    _commit(games, copy.game_id, "lindmark")
    assert games.snapshot(game_id).seq == original["seq"]


@pytest.fixture(scope="module")
def a_new_game(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The export of a game just created (made once: the malformed cases only edit it)."""
    with scratch_database(tmp_path_factory.mktemp("source") / "source.db") as url:
        upgrade(url)
        source = Database(url)
        try:
            ScenarioService(source).sync_directory(SCENARIOS_DIR)
            game_id = GameService(source).create_game(SCENARIO, seed=2).game_id
            return TransferService(source).export_game(game_id).to_json()
        finally:
            source.dispose()


def _broken(text: str, change: Any) -> str:
    data = json.loads(text)
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            lambda d: d.update(format_version=FORMAT_VERSION + 1),
            "format version 2",
            id="newer-format",
        ),
        pytest.param(lambda d: d.pop("format"), "not an Entente game export", id="no-format"),
        pytest.param(lambda d: d["game"].pop("seed"), "game.seed: Field required", id="no-seed"),
        pytest.param(
            lambda d: d["game"].update(id="a game/1"), "game.id: String should match", id="bad-id"
        ),
        pytest.param(lambda d: d["events"].pop(0), "numbered 1 to", id="missing-event"),
        pytest.param(
            lambda d: d["scenario"].update(source=d["scenario"]["source"] + "\n"),
            "sha256",
            id="scenario-altered",
        ),
        pytest.param(
            lambda d: d["game"]["state"].update(turn="soon"), "cannot be read", id="bad-state"
        ),
        pytest.param(lambda d: d["seats"].append(d["seats"][0]), "share a nation", id="seat-twice"),
    ],
)
def test_a_malformed_document_is_refused_with_the_reason(
    a_new_game: str, fresh: Database, change: Any, message: str
) -> None:
    with pytest.raises(ImportRefused, match=message):
        TransferService(fresh).import_json(_broken(a_new_game, change))
    assert [_rows(fresh, m) for m in (*GAME_TABLES, ScenarioVersion)] == [0] * 6


def test_not_json_is_refused(fresh: Database) -> None:
    with pytest.raises(ImportRefused, match="not JSON"):
        TransferService(fresh).import_json(b"\x89PNG not a game")


def test_a_refusal_half_way_leaves_nothing_behind(
    games: GameService, fresh: Database, clock: Clock
) -> None:
    # The target holds another scenario and a game whose join token the import reuses:
    # the database refuses the seat after the scenario and the game row were written.
    gulf = (SCENARIOS_DIR / "gulf-1990.yaml").read_text(encoding="utf-8")
    ScenarioService(fresh).save_source(gulf)
    taken = GameService(fresh, clock=clock).create_game("gulf-1990", seed=1).seats[0].token
    game_id = _play_a_turn_and_a_half(games)
    text = _broken(
        TransferService(games.database).export_game(game_id).to_json(),
        lambda d: d["seats"][1].update(token=taken),
    )
    before = [_rows(fresh, m) for m in (*GAME_TABLES, ScenarioVersion)]

    with pytest.raises(ImportRefused, match="nothing was imported"):
        TransferService(fresh).import_json(text)

    assert [_rows(fresh, m) for m in (*GAME_TABLES, ScenarioVersion)] == before
    with fresh.read() as session:
        assert session.get(Game, game_id) is None
