"""The SQL statements a player's action costs, counted at the driver: each action is one
transaction that reads the game with its seat's token, writes the state and appends its
event."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from app.config import Settings
from app.services.games import CreatedGame
from app.services.seats import NOT_YOUR_SEAT
from tests.web.helpers import Player, open_channel, say, send_orders

UNIT, OPERATION = "arv-1-frigate-sqn", "open-lane"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The server's own rounds (the phase clock, page presence) kept out of the count."""
    return settings.model_copy(
        update={"clock_interval_seconds": 3600.0, "presence_interval_seconds": 3600.0}
    )


@pytest.fixture
def statements(app_and_game: tuple[object, CreatedGame]) -> Iterator[list[str]]:
    """Every SQL statement sent to the database while the test runs (its first word and
    table), on the application's own engine."""
    engine = app_and_game[0].state.container.database.engine  # type: ignore[attr-defined]
    sent: list[str] = []

    def executed(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        # The statement's own table, not a subquery's: parenthesised parts are left out.
        while (flat := _PARENTHESISED.sub("", statement)) != statement:
            statement = flat
        words = statement.split()
        table = next(
            (w for before, w in itertools.pairwise(words) if before in TABLE_AFTER),
            "",
        )
        sent.append(f"{words[0]} {table}".strip())

    def began(statement: str) -> None:
        # SQLite's BEGIN is the dialect's own step, which SQLAlchemy's events do not see:
        # the driver's trace shows it (and everything else, counted above already).
        if counting and statement.startswith("BEGIN"):
            executed(None, None, statement)

    def trace(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if engine.dialect.name == "sqlite":
            dbapi_connection.set_trace_callback(began)

    counting = True
    event.listen(engine, "before_cursor_execute", executed)
    event.listen(engine, "checkout", trace)
    yield sent
    counting = False
    event.remove(engine, "checkout", trace)
    event.remove(engine, "before_cursor_execute", executed)


TABLE_AFTER = {"FROM", "UPDATE", "INTO", "IMMEDIATE"}
_PARENTHESISED = re.compile(r"\([^()]*\)")

# One action, one transaction: BEGIN IMMEDIATE (SQLite only: PostgreSQL's driver begins by
# itself), the game read with its lock together with its seat's join token (a subquery: is
# the browser's token still the seat's?), the state written back, the event appended.
# Nothing else: no read before the transaction, no second read of the game, no read of
# the seat of its own. (A turn that resolves also keeps its opening state, a fifth; these
# actions resolve none.)
ACTION = ["SELECT games", "UPDATE games", "INSERT game_events"]
# On PostgreSQL the state is written and the event appended in one statement (the UPDATE
# in a CTE, the INSERT from its row): a round trip fewer.
ACTION_POSTGRES = ["SELECT games", "WITH game_events"]


@pytest.fixture
def action(app_and_game: tuple[object, CreatedGame]) -> list[str]:
    """An action's statements on the application's database."""
    engine = app_and_game[0].state.container.database.engine  # type: ignore[attr-defined]
    return ACTION_POSTGRES if engine.dialect.name == "postgresql" else ACTION


def _begin(statements: list[str]) -> list[str]:
    return ["BEGIN"] if statements[:1] == ["BEGIN"] else []


def _counted(statements: list[str], act: Callable[[], Any]) -> list[str]:
    statements.clear()
    act()
    return list(statements)


def _api(player: Player, game_id: str, **action: str) -> httpx.Response:
    response = player.client.post(
        player.api(game_id, "/actions"), json=action, headers={"X-CSRF-Token": player.csrf}
    )
    assert response.status_code == 200, response.text
    return response


def test_an_order_through_the_json_api_is_one_transaction_of_three_statements(
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
    statements: list[str],
    action: list[str],
) -> None:
    game, arvenia = app_and_game[1].game_id, players["arvenia"]
    commit = _counted(
        statements, lambda: _api(arvenia, game, kind="commit", unit_id=UNIT, operation_id=OPERATION)
    )
    withdraw = _counted(statements, lambda: _api(arvenia, game, kind="withdraw", unit_id=UNIT))
    for sent in (commit, withdraw):
        assert sent == _begin(sent) + action
        assert len(sent) <= 4


def test_an_order_from_the_page_costs_what_it_costs_through_the_api(
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
    statements: list[str],
    action: list[str],
) -> None:
    game, arvenia = app_and_game[1].game_id, players["arvenia"]
    sent = _counted(
        statements,
        lambda: send_orders(arvenia, game, kind="commit", unit_id=UNIT, operation_id=OPERATION),
    )
    assert sent == _begin(sent) + action
    assert len(sent) <= 4


def test_a_message_is_the_action_and_one_count_of_the_unread(
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
    statements: list[str],
    action: list[str],
) -> None:
    game, arvenia = app_and_game[1].game_id, players["arvenia"]
    channel = open_channel(arvenia, game, "lindmark")
    sent = _counted(statements, lambda: say(arvenia, game, channel, "Basing rights?"))
    begin = _begin(sent)
    # The answer's unread badges: one grouped count, in a read of its own after the
    # commit (BEGIN on SQLite), from the state the action returned (no game read).
    assert sent == begin + action + begin + ["SELECT game_events"]
    assert len(sent) <= 6


def test_a_seat_whose_link_was_replaced_acts_no_more(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    """The seat is checked inside the action's transaction now: a replaced link is still
    refused, with nothing written."""
    app, created = app_and_game
    games = app.state.container.games  # type: ignore[attr-defined]
    arvenia = players["arvenia"]
    games.new_seat_link(created.game_id, "arvenia")
    seq = games.last_seq(created.game_id)
    order = {"kind": "commit", "unit_id": UNIT, "operation_id": OPERATION}
    refused = arvenia.client.post(
        arvenia.api(created.game_id, "/actions"), json=order, headers={"X-CSRF-Token": arvenia.csrf}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    form = arvenia.client.post(
        arvenia.at(created.game_id, "/orders"),
        data=order,
        headers={"X-CSRF-Token": arvenia.csrf, "HX-Request": "true"},
    )
    assert NOT_YOUR_SEAT in form.text  # with 200: htmx swaps only 2xx answers in
    message = say(arvenia, created.game_id, "public", "Still here?")
    assert NOT_YOUR_SEAT in message.text
    assert games.last_seq(created.game_id) == seq
    assert games.snapshot(created.game_id).state.commitment(UNIT) is None
