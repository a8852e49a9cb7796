"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect

from app.store.migrations import downgrade, upgrade
from tests.store.helpers import schema_diff

TABLES = {"users", "scenario_versions", "games", "seats", "game_events", "channel_reads"}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_migrations_match_the_models(database_url: str) -> None:
    # `database_url` is already migrated to head by the fixture.
    assert _tables(database_url) >= TABLES
    assert schema_diff(database_url) == []


def test_downgrade_to_base_and_upgrade_again(database_url: str) -> None:
    downgrade(database_url, "base")
    assert not (TABLES & _tables(database_url))
    upgrade(database_url)
    assert _tables(database_url) >= TABLES
    assert schema_diff(database_url) == []
