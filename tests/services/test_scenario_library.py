"""The scenario library's use cases against the real database (SQLite and PostgreSQL):
checking, storing and numbering versions, uploads, drafts for the editor, the listing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.scenarios.loader import parse_scenario
from app.services.errors import NotFound
from app.services.games import GameService
from app.services.scenarios import (
    MAX_SOURCE_BYTES,
    NEW_SCENARIO,
    AlreadyStored,
    ScenarioRejected,
    ScenarioService,
)
from app.store.database import Database
from app.store.models import Game, ScenarioVersion
from app.store.repositories.scenarios import ScenarioRepository
from tests.conftest import SCENARIOS_DIR, Clock

MERIDIAN = (SCENARIOS_DIR / "meridian-strait.yaml").read_text(encoding="utf-8")

# Three mistakes: an unknown field, a word for a number and a unit too strong.
BROKEN = (
    NEW_SCENARIO.replace("format: 1\n", "format: 1\ncolour: blue\n")
    .replace("turns: 4", "turns: many")
    .replace("strength: 3", "strength: 99")
)
# A reference to a region that does not exist (checked once every field is valid).
UNKNOWN_REGION = NEW_SCENARIO.replace("region: coast", "region: harbour")


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _stored(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(ScenarioVersion)) or 0


def _edited(source: str, marker: str) -> str:
    """The same scenario with a different summary (so a different text)."""
    return source.replace("summary: Three unequal", f"summary: {marker} Three unequal", 1)


def test_a_new_id_is_a_new_scenario_at_version_1(database: Database) -> None:
    service = ScenarioService(database)
    checked = service.check_source(NEW_SCENARIO)
    assert checked.valid and checked.new_scenario and checked.next_version == 1
    stored = service.save_source(NEW_SCENARIO)
    assert (stored.scenario_id, stored.version, stored.title) == ("my-scenario", 1, "My scenario")
    assert [e.scenario_id for e in service.library()] == ["my-scenario"]


def test_versions_go_up_per_scenario_whatever_the_file_says(
    loaded_database: Database, clock: Clock
) -> None:
    service = ScenarioService(loaded_database)
    games = GameService(loaded_database, clock=clock)
    before = games.create_game("meridian-strait", seed=1)

    # The file still says `version: 1`: the library numbers it 2, then 3.
    assert service.check_source(_edited(MERIDIAN, "A.")).next_version == 2
    second = service.save_source(_edited(MERIDIAN, "A."))
    third = service.save_source(_edited(MERIDIAN, "B."))
    assert (second.version, third.version) == (2, 3)
    # An author who bumps `version:` past the library gets that number; the next text
    # without a bump still goes up from there.
    bumped = service.save_source(_edited(MERIDIAN, "C.").replace("version: 1", "version: 10"))
    after = service.save_source(_edited(MERIDIAN, "D."))
    assert (bumped.version, after.version) == (10, 11)
    # Other scenarios are numbered on their own.
    assert service.latest_version("gulf-1990").version == 1

    with loaded_database.read() as session:
        repository = ScenarioRepository(session)
        latest = repository.latest("meridian-strait")
        assert latest is not None and (latest.id, latest.version) == (after.id, 11)
        assert repository.highest_version("meridian-strait") == 11
        assert [v.version for v in repository.versions_of("meridian-strait")] == [1, 2, 3, 10, 11]
        pinned = session.get(Game, before.game_id)
        assert pinned is not None
        first = repository.version("meridian-strait", 1)
        assert first is not None and pinned.scenario_version_id == first.id

    # A game started now pins the latest version; the earlier game keeps version 1.
    now = games.create_game("meridian-strait", seed=2)
    with loaded_database.read() as session:
        game = session.get(Game, now.game_id)
        assert game is not None and game.scenario_version_id == after.id
    detail = service.version_detail("meridian-strait", 1)
    assert {(g.game_id, g.version) for g in detail.games} == {
        (before.game_id, 1),
        (now.game_id, 11),
    }
    assert detail.next_version == 12
    assert [v.version for v in detail.versions] == [1, 2, 3, 10, 11]


def test_an_invalid_text_is_refused_with_every_error_by_line_and_nothing_is_stored(
    database: Database,
) -> None:
    service = ScenarioService(database)
    checked = service.check_source(BROKEN)
    assert not checked.valid
    with pytest.raises(ScenarioRejected) as refused:
        service.save_source(BROKEN)
    found = {(e.line, e.field) for e in refused.value.errors}
    assert found == {(c.line, c.field) for c in checked.errors}
    assert found == {
        (_line_of(BROKEN, "colour:"), "colour"),
        (_line_of(BROKEN, "turns:"), "turns"),
        (_line_of(BROKEN, "strength: 99"), "nations[0].units[0].strength"),
    }
    assert refused.value.message == "The scenario has 3 errors."
    with pytest.raises(ScenarioRejected) as unknown:
        service.save_source(UNKNOWN_REGION)
    [error] = unknown.value.errors
    assert (error.line, error.field) == (
        _line_of(UNKNOWN_REGION, "region: harbour"),
        "operations[0].region",
    )
    assert "unknown region 'harbour'" in error.message
    assert _stored(database) == 0


def test_the_same_text_twice_is_stored_once(loaded_database: Database) -> None:
    service = ScenarioService(loaded_database)
    count = _stored(loaded_database)
    checked = service.check_source(MERIDIAN)
    assert checked.valid and checked.identical is not None and checked.identical.version == 1
    with pytest.raises(AlreadyStored) as same:
        service.save_source(MERIDIAN.replace("\n", "\r\n"))  # a browser's line endings
    assert same.value.version == 1 and same.value.status_code == 409
    assert _stored(loaded_database) == count


def test_an_upload_must_be_utf8_and_small_enough(database: Database) -> None:
    service = ScenarioService(database)
    with pytest.raises(ScenarioRejected) as latin:
        service.save_upload("title: Caf\xe9\n".encode("latin-1"), "cafe.yaml")
    assert "not valid UTF-8" in latin.value.errors[0].message
    assert latin.value.errors[0].file == "cafe.yaml"
    huge = NEW_SCENARIO + "#" * MAX_SOURCE_BYTES
    with pytest.raises(ScenarioRejected) as large:
        service.save_upload(huge.encode(), "huge.yaml")
    assert "at most 512 KB" in large.value.errors[0].message
    with pytest.raises(ScenarioRejected):
        service.save_source(huge)
    assert not service.check_source(huge).valid
    assert _stored(database) == 0
    stored = service.save_upload(NEW_SCENARIO.replace("\n", "\r\n").encode(), "mine.yaml")
    assert service.version_source(stored.scenario_id, stored.version)[1] == NEW_SCENARIO


def test_an_edit_draft_carries_the_number_saving_will_give(loaded_database: Database) -> None:
    service = ScenarioService(loaded_database)
    service.save_source(_edited(MERIDIAN, "A."))
    draft = service.edit_draft("meridian-strait", 1)
    assert draft.based_on is not None and draft.based_on.version == 1
    assert parse_scenario(draft.source).version == 3
    assert draft.source.replace("version: 3", "version: 1", 1) == MERIDIAN
    stored = service.save_source(_edited(draft.source, "B."))
    assert stored.version == 3


def test_a_duplicate_gets_a_free_id_and_title_and_saves_as_a_new_scenario(
    loaded_database: Database,
) -> None:
    service = ScenarioService(loaded_database)
    draft = service.duplicate_draft("meridian-strait", 1)
    copy = parse_scenario(draft.source)
    assert (copy.id, copy.title, copy.version) == (
        "meridian-strait-copy",
        "The Meridian Strait crisis (copy)",
        1,
    )
    assert draft.duplicate and not draft.notices
    assert copy.nations == parse_scenario(MERIDIAN).nations  # the rest is the same
    checked = service.check_source(draft.source)
    assert checked.valid and checked.new_scenario
    stored = service.save_source(draft.source)
    assert (stored.scenario_id, stored.version) == ("meridian-strait-copy", 1)
    # The original is untouched, and the next copy takes the next free id.
    assert service.latest_version("meridian-strait").version == 1
    again = parse_scenario(service.duplicate_draft("meridian-strait", 1).source)
    assert again.id == "meridian-strait-copy-2"


def test_unknown_versions_are_not_found(loaded_database: Database) -> None:
    service = ScenarioService(loaded_database)
    for call in (
        lambda: service.version_detail("meridian-strait", 2),
        lambda: service.version_source("nothing", 1),
        lambda: service.edit_draft("nothing", 1),
        lambda: service.duplicate_draft("meridian-strait", 9),
        lambda: service.latest_version("nothing"),
    ):
        with pytest.raises(NotFound):
            call()


def test_the_library_lists_latest_versions_counts_and_games(
    loaded_database: Database, clock: Clock
) -> None:
    service = ScenarioService(loaded_database)
    game = GameService(loaded_database, clock=clock).create_game("meridian-strait", seed=3)
    service.save_source(_edited(MERIDIAN, "A.").replace("title: The Meridian", "title: A Meridian"))
    entries = {e.scenario_id: e for e in service.library()}
    assert len(entries) == len(list(SCENARIOS_DIR.glob("*.yaml")))  # one entry per shipped file
    meridian = entries["meridian-strait"]
    assert (meridian.latest.version, meridian.versions, meridian.title) == (
        2,
        2,
        "A Meridian Strait crisis",
    )
    assert meridian.nations == ["Arvenia", "Cardosa", "Lindmark"] and meridian.turns == 3
    assert [(g.game_id, g.version) for g in meridian.games] == [(game.game_id, 1)]
    assert entries["gulf-1990"].games == [] and entries["gulf-1990"].versions == 1


def test_loading_the_directory_again_numbers_a_changed_file_after_the_library(
    loaded_database: Database, tmp_path: Path
) -> None:
    service = ScenarioService(loaded_database)
    service.save_source(_edited(MERIDIAN, "Edited in the browser."))
    directory = tmp_path / "scenarios"
    directory.mkdir()
    (directory / "meridian-strait.yaml").write_text(MERIDIAN, encoding="utf-8")
    assert service.sync_directory(directory).unchanged == ["meridian-strait"]
    assert service.latest_version("meridian-strait").version == 2
    (directory / "meridian-strait.yaml").write_text(_edited(MERIDIAN, "On disk."), "utf-8")
    assert service.sync_directory(directory).added == ["meridian-strait"]
    assert service.latest_version("meridian-strait").version == 3
