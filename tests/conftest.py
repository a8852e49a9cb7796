"""Shared fixtures: a migrated database (SQLite, and PostgreSQL where reachable)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.config import PROJECT_ROOT, Settings
from app.services.games import GameService
from app.services.scenarios import ScenarioService
from app.store.database import Database
from app.store.migrations import upgrade

POSTGRES_URL = os.environ.get(
    "ENTENTE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SCENARIOS_DIR = PROJECT_ROOT / "scenarios"


class Clock:
    """A settable clock for services: tests decide when deadlines pass."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _postgres_reason() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means "not here"
        return f"PostgreSQL not reachable at {POSTGRES_URL} ({type(error).__name__})"
    return None


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, dropped at the end."""
    reason = _postgres_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the PostgreSQL tests")
        pytest.skip(f"{reason}; set ENTENTE_TEST_POSTGRES_URL to run these tests")
    name = f"entente_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_server_url: str) -> str:
    upgrade(postgres_server_url)
    return postgres_server_url


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "TRUNCATE game_events, seats, games, scenario_versions, users"
                " RESTART IDENTITY CASCADE"
            )
        )
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'entente.db'}"
        upgrade(url)
        return url
    url = str(request.getfixturevalue("migrated_postgres_url"))
    _empty_postgres(url)
    return url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def loaded_database(database: Database) -> Database:
    report = ScenarioService(database).sync_directory(SCENARIOS_DIR)
    assert not report.errors
    return database


@pytest.fixture
def games(loaded_database: Database, clock: Clock) -> GameService:
    return GameService(loaded_database, clock=clock)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key",
        var_dir=tmp_path / "var",
        clock_interval_seconds=0.05,
    )
