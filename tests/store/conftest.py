"""Fixtures for the migration tests: an engine on the test database, and rows written as
an older schema had them (raw SQL: the models describe only the newest schema)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import Engine

from app.store.migrations import upgrade


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()
        upgrade(database_url)  # leave the shared database at head whatever happened


def columns(engine: Engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def json_parameter(engine: Engine, name: str) -> str:
    """The SQL for a JSON bind parameter `:name` (PostgreSQL stores JSONB)."""
    return f"CAST(:{name} AS JSONB)" if engine.dialect.name == "postgresql" else f":{name}"


def insert_old_game(engine: Engine, connection: Connection, *, last_seq: int) -> None:
    """Game 'g' of scenario version 1, with the columns every schema had."""
    connection.execute(
        text(
            "INSERT INTO scenario_versions (id, scenario_id, version, title, source, sha256,"
            " created_at) VALUES (1, 's', 1, 'S', '', 'x', CURRENT_TIMESTAMP)"
        )
    )
    connection.execute(
        text(
            "INSERT INTO games (id, name, scenario_version_id, seed, state, version,"
            f" last_seq, status, created_at, updated_at) VALUES ('g', 'G', 1, 1,"
            f" {json_parameter(engine, 'state')}, 0, :last_seq, 'active', CURRENT_TIMESTAMP,"
            " CURRENT_TIMESTAMP)"
        ),
        {"state": "{}", "last_seq": last_seq},
    )
