"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.store.migrations import downgrade, upgrade
from app.store.models import Base

TABLES = {"users", "scenario_versions", "games", "seats", "game_events", "channel_reads"}


def _schema_diff(url: str) -> list[object]:
    engine = create_engine(url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    return list(diff)


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_migrations_match_the_models(database_url: str) -> None:
    # `database_url` is already migrated to head by the fixture.
    assert _tables(database_url) >= TABLES
    assert _schema_diff(database_url) == []


def test_downgrade_to_base_and_upgrade_again(database_url: str) -> None:
    downgrade(database_url, "base")
    assert not (TABLES & _tables(database_url))
    upgrade(database_url)
    assert _tables(database_url) >= TABLES
    assert _schema_diff(database_url) == []
