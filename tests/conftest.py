"""Shared fixtures: a migrated database (SQLite, and PostgreSQL where reachable).

With `ENTENTE_DATABASE_URL` set to a PostgreSQL URL (`make test-postgres`), every test
that uses a database uses PostgreSQL instead: the `database_url` fixture has only the
postgres parameter, and servers and CLI tests get databases of their own on that server
(see `scratch_database`). The variable is taken out of the environment here, so Settings
read in a test (and its defaults) never see it: tests get their database explicitly.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, NullPool, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app.config import PROJECT_ROOT, Settings
from app.rules.control import Moment
from app.services.games import GameService
from app.services.scenarios import ScenarioService
from app.store.database import Database
from app.store.migrations import upgrade
from app.store.models import Base

# Popped at import (before any test runs), so no Settings() in a test can pick it up. It
# is kept under another name for the pytest-xdist workers: they start after this import,
# from this process's environment, and must run on the same database as it.
_WORKERS_DATABASE_URL = "PYTEST_ENTENTE_DATABASE_URL"
DATABASE_URL_FROM_ENV = (
    os.environ.pop("ENTENTE_DATABASE_URL", "") or os.environ.get(_WORKERS_DATABASE_URL) or None
)
if DATABASE_URL_FROM_ENV:
    os.environ[_WORKERS_DATABASE_URL] = DATABASE_URL_FROM_ENV
# Every database test on PostgreSQL only (`make test-postgres`, CI's second pass); any
# other URL there (a developer's SQLite file) leaves the tests as they are.
POSTGRES_ONLY = (
    DATABASE_URL_FROM_ENV is not None
    and make_url(DATABASE_URL_FROM_ENV).get_backend_name() == "postgresql"
)
POSTGRES_URL = (DATABASE_URL_FROM_ENV if POSTGRES_ONLY else None) or os.environ.get(
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


def now_at(games: GameService, game_id: str) -> Moment:
    """The turn and phase a game is at: what control's console shows, and what its forms
    about this phase name (`rules.control.PhaseBound`)."""
    return Moment.of(games.snapshot(game_id).state)


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES_ONLY:
        return f"database: PostgreSQL only, on the server of {_shown(POSTGRES_URL)}"
    header = "database: SQLite, and PostgreSQL (ENTENTE_TEST_POSTGRES_URL) where reachable"
    if DATABASE_URL_FROM_ENV:
        header += f" (ENTENTE_DATABASE_URL={_shown(DATABASE_URL_FROM_ENV)} ignored)"
    return header


TESTS_DIR = Path(__file__).resolve().parent
# The PostgreSQL-only pass runs the tests that reach a database, nothing else: those that
# use none (the pure layers, the rendering of a state, the architecture) give the same
# answer on any database, and ran in the first pass. The browser tests are left out too:
# they drive the same server code the web tests drive, and those run here on PostgreSQL;
# what a browser adds (scripts, layout, focus) does not depend on the database.
DATABASE_FIXTURES = frozenset({"database_url", "migrated_postgres_url", "postgres_server_url"})
BROWSER_TEST_DIR = "browser"


def _reaches_a_database(item: pytest.Item) -> bool:
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    # Server and CLI tests make databases of their own (`scratch_database`).
    module = getattr(item, "module", None)
    return getattr(module, "scratch_database", None) is scratch_database


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not POSTGRES_ONLY:
        return
    left_out = [
        item
        for item in items
        if item.path.resolve().relative_to(TESTS_DIR).parts[0] == BROWSER_TEST_DIR
        or not _reaches_a_database(item)
    ]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        ids = {id(item) for item in left_out}
        items[:] = [item for item in items if id(item) not in ids]


@cache
def _postgres_reason() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means "not here"
        return f"PostgreSQL not reachable at {_shown(POSTGRES_URL)} ({type(error).__name__})"
    return None


def require_postgres() -> None:
    """Skip when PostgreSQL is absent, unless it must be there (CI, ENTENTE_DATABASE_URL)."""
    reason = _postgres_reason()
    if reason is None:
        return
    if POSTGRES_ONLY:
        pytest.fail(f"{reason}; ENTENTE_DATABASE_URL names it", pytrace=False)
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the PostgreSQL tests", pytrace=False)
    pytest.skip(f"{reason}; set ENTENTE_TEST_POSTGRES_URL to run these tests")


def create_postgres_database() -> str:
    """A new, empty database `entente_test_<worker>_<hex>` on the PostgreSQL server; its
    URL. The pytest-xdist worker's name (gw0, gw1, ...) says whose a leftover one was."""
    require_postgres()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"entente_test_{worker}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    """Drop a database made by `create_postgres_database`, closing its connections."""
    name = make_url(url).database
    assert name is not None and name.startswith("entente_test_"), name
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


# Scratch databases given back, to be wiped and handed out again: CREATE DATABASE and
# DROP DATABASE (a checkpoint each) take about a second; dropping a schema, milliseconds.
_spare_databases: list[str] = []
_scratch_databases: list[str] = []


def _close_other_connections(connection: Connection) -> None:
    connection.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    )


def _wipe(url: str) -> None:
    """Make a used scratch database empty again: no tables, no alembic_version."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            _close_other_connections(connection)  # a leaked pool, a server killed late
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@contextlib.contextmanager
def scratch_database(sqlite_path: Path) -> Iterator[str]:
    """The URL of a new, empty (unmigrated) database for one server or CLI test.

    A SQLite file at `sqlite_path`; with ENTENTE_DATABASE_URL set, a database of its own
    on that PostgreSQL server instead (wiped and reused later, dropped at the session's end).
    """
    if not POSTGRES_ONLY:
        yield f"sqlite:///{sqlite_path}"
        return
    if _spare_databases:
        url = _spare_databases.pop()
    else:
        url = create_postgres_database()
        _scratch_databases.append(url)
    try:
        yield url
    finally:
        _wipe(url)
        _spare_databases.append(url)


def pytest_sessionfinish(session: pytest.Session) -> None:
    while _scratch_databases:
        drop_postgres_database(_scratch_databases.pop())
    _spare_databases.clear()


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, dropped at the end."""
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_server_url: str) -> str:
    upgrade(postgres_server_url)
    return postgres_server_url


# Every table of the models, children first (alembic_version is not one of them).
TABLES = tuple(table.name for table in reversed(Base.metadata.sorted_tables))
_TABLES_QUERY = text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
# Ids start again at 1, as in a new SQLite file (the effect of TRUNCATE ... RESTART IDENTITY).
_RESTART_SEQUENCES = text(
    "SELECT setval(c.oid, 1, false) FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
)


def _delete_everything(engine: Engine, url: str) -> None:
    with engine.connect() as connection:
        missing = set(TABLES) - set(connection.scalars(_TABLES_QUERY))
    if missing:
        upgrade(url)  # a migration test that failed half-way left it downgraded
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL lock_timeout = '5s'"))
        # DELETE, not TRUNCATE: on these few rows it takes ~10 ms where TRUNCATE (new,
        # fsynced files for every table and index) takes 100-200 ms, on every test.
        for name in TABLES:
            connection.execute(text(f'DELETE FROM "{name}"'))
        connection.execute(_RESTART_SEQUENCES)


@pytest.fixture(scope="session")
def _empty_postgres(migrated_postgres_url: str) -> Iterator[Callable[[], None]]:
    """Empties the session's PostgreSQL database (every table of the models, ids restarted)
    over one kept connection: milliseconds, where a migration or a new database is not."""
    engine = create_engine(migrated_postgres_url, pool_size=1)

    def empty() -> None:
        try:
            _delete_everything(engine, migrated_postgres_url)
        except OperationalError:
            # Something a failed test leaked holds a lock (a transaction left open):
            # end every other connection to this database and try once more.
            with engine.begin() as connection:
                _close_other_connections(connection)
            _delete_everything(engine, migrated_postgres_url)

    yield empty
    engine.dispose()


_BACKENDS = (
    [pytest.param("postgres", marks=pytest.mark.postgres)]
    if POSTGRES_ONLY
    else ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)


@pytest.fixture(scope="session")
def _migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once a session, for `database_url` to copy: the
    migrations take a second or two, copying the file a millisecond, on every test."""
    path = tmp_path_factory.mktemp("migrated") / "entente.db"
    upgrade(f"sqlite:///{path}")
    # Alembic's connection is closed (NullPool), so WAL was checkpointed into the file.
    assert not path.with_name(f"{path.name}-wal").exists(), "the migrated file is not whole"
    return path


@pytest.fixture(params=_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database on each backend (PostgreSQL only when
    ENTENTE_DATABASE_URL is set, whatever a test's indirect parameter asks for)."""
    if request.param == "sqlite" and not POSTGRES_ONLY:
        path = tmp_path / "entente.db"
        shutil.copyfile(request.getfixturevalue("_migrated_sqlite_file"), path)
        return f"sqlite:///{path}"
    request.getfixturevalue("_empty_postgres")()
    return str(request.getfixturevalue("migrated_postgres_url"))


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


@pytest.fixture
def no_event_loop_left_running() -> Iterator[None]:
    """Lets a test call asyncio.run() after the browser tests: the session's Playwright
    (sync API) leaves its event loop marked as running in this thread (the xdist worker
    that ran them)."""
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)
