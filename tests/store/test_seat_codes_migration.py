"""Migration 0005: seats get a join code, one of their own for the seats that exist already;
the column is required and unique; it downgrades cleanly, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from app.services.games import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from app.store.migrations import downgrade, upgrade
from tests.store.conftest import columns, insert_old_game
from tests.store.helpers import schema_diff


def _insert_seats(engine: Engine) -> None:
    """A game with three seats, as made before 0005."""
    with engine.begin() as connection:
        insert_old_game(engine, connection, last_seq=1)
        for nation in ("arvenia", "cardosa", "lindmark"):
            connection.execute(
                text("INSERT INTO seats (game_id, nation_id, token) VALUES ('g', :nation, :token)"),
                {"nation": nation, "token": f"token-{nation}"},
            )


def test_upgrade_gives_every_seat_a_code_and_downgrade_removes_them(
    database_url: str, engine: Engine
) -> None:
    downgrade(database_url, "0004")
    assert "code" not in columns(engine, "seats")
    _insert_seats(engine)

    upgrade(database_url, "0005")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT nation_id, token, code FROM seats")).all()
    assert len(rows) == 3
    codes = [row.code for row in rows]
    assert len(set(codes)) == 3
    for code in codes:
        assert len(code) == JOIN_CODE_LENGTH and set(code) <= set(JOIN_CODE_ALPHABET)
    assert {row.token for row in rows} == {"token-arvenia", "token-cardosa", "token-lindmark"}
    upgrade(database_url, "head")  # later migrations may follow 0005
    assert schema_diff(database_url) == []  # the models describe the newest schema

    # Required and unique.
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text("INSERT INTO seats (game_id, nation_id, token) VALUES ('g', 'x', 't-x')")
        )
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO seats (game_id, nation_id, token, code) VALUES ('g', 'y', 't-y', :c)"
            ),
            {"c": codes[0]},
        )

    downgrade(database_url, "0004")
    assert "code" not in columns(engine, "seats")
    with engine.connect() as connection:  # the seats themselves are untouched
        assert connection.execute(text("SELECT COUNT(*) FROM seats")).scalar() == 3
