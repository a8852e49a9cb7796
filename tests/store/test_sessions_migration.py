"""Migration 0008: instructor sessions (ended with their account) and throttle attempts;
accounts made before it are untouched, and it downgrades cleanly, on both backends."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from app.store.migrations import downgrade, upgrade
from tests.store.helpers import schema_diff

NEW_TABLES = {"instructor_sessions", "throttle_attempts"}


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_upgrade_adds_sessions_and_throttles_and_downgrade_removes_them(
    database_url: str, engine: Engine
) -> None:
    downgrade(database_url, "0007")
    assert not NEW_TABLES & _tables(engine)
    with engine.begin() as connection:  # accounts made before 0008
        for user_id, name in ((1, "ada"), (2, "grace")):
            connection.execute(
                text(
                    "INSERT INTO users (id, email, display_name, password_hash, created_at)"
                    " VALUES (:id, :email, :name, 'x', CURRENT_TIMESTAMP)"
                ),
                {"id": user_id, "email": f"{name}@college.example", "name": name},
            )

    upgrade(database_url, "0008")
    assert _tables(engine) >= NEW_TABLES
    upgrade(database_url, "head")  # the later migrations, then the models match
    assert schema_diff(database_url) == []
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO instructor_sessions"
                " (token_hash, user_id, created_at, last_seen_at, expires_at)"
                " VALUES ('h', 1, 1.0, 1.0, 2.0)"
            )
        )
        connection.execute(text("INSERT INTO throttle_attempts (key, at) VALUES ('k', 1.0)"))
    with engine.begin() as connection:  # the database itself ends a removed account's sessions
        if engine.dialect.name == "sqlite":
            connection.execute(text("PRAGMA foreign_keys=ON"))
        connection.execute(text("DELETE FROM users WHERE id = 1"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM instructor_sessions")).scalar() == 0

    downgrade(database_url, "0007")
    assert not NEW_TABLES & _tables(engine)
    with engine.connect() as connection:  # the accounts stay
        assert connection.execute(text("SELECT email FROM users")).scalars().all() == [
            "grace@college.example"
        ]
