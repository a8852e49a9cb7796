"""Migration 0002: messages get their channel column (filled for existing messages) and
seats their read markers; it downgrades cleanly, on both backends."""

from __future__ import annotations

import json

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from app.store.migrations import downgrade, upgrade
from tests.store.conftest import columns, insert_old_game, json_parameter
from tests.store.helpers import schema_diff


def _indexes(engine: Engine, table: str) -> set[str]:
    return {str(i["name"]) for i in inspect(engine).get_indexes(table)}


def _insert_log(engine: Engine) -> None:
    """A game whose log was written before 0002: two messages and another event."""
    cast = json_parameter(engine, "data")
    with engine.begin() as connection:
        insert_old_game(engine, connection, last_seq=3)
        for seq, kind, data in (
            (1, "game_created", {}),
            (2, "message_sent", {"channel_id": "public", "text": "hi", "message_id": 1}),
            (3, "message_sent", {"channel_id": "ch-7", "text": "psst", "message_id": 2}),
        ):
            connection.execute(
                text(
                    "INSERT INTO game_events (game_id, seq, turn, kind, actor, data, created_at)"
                    f" VALUES ('g', :seq, 1, :kind, 'arvenia', {cast}, CURRENT_TIMESTAMP)"
                ),
                {"seq": seq, "kind": kind, "data": json.dumps(data)},
            )


def test_upgrade_fills_the_channel_of_earlier_messages_and_downgrade_removes_it(
    database_url: str, engine: Engine
) -> None:
    downgrade(database_url, "0001")
    assert "channel_id" not in columns(engine, "game_events")
    assert "channel_reads" not in inspect(engine).get_table_names()
    _insert_log(engine)

    upgrade(database_url, "0002")
    assert "ix_game_events_channel" in _indexes(engine, "game_events")
    with engine.connect() as connection:
        channels = connection.execute(
            text("SELECT seq, channel_id FROM game_events WHERE game_id = 'g' ORDER BY seq")
        ).all()
    assert [tuple(row) for row in channels] == [(1, None), (2, "public"), (3, "ch-7")]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO channel_reads (game_id, nation_id, channel_id, last_seq)"
                " VALUES ('g', 'arvenia', 'public', 2)"
            )
        )
    upgrade(database_url, "head")  # the models describe the newest schema
    assert schema_diff(database_url) == []

    downgrade(database_url, "0001")
    assert "channel_id" not in columns(engine, "game_events")
    assert "ix_game_events_channel" not in _indexes(engine, "game_events")
    assert "channel_reads" not in inspect(engine).get_table_names()
    with engine.connect() as connection:  # the log itself is untouched
        assert connection.execute(text("SELECT COUNT(*) FROM game_events")).scalar() == 3
