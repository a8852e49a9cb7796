"""Channel messages from the event log, read markers and unread counts (both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services.errors import Forbidden
from app.services.games import GameService
from app.store.database import Database
from app.store.models import GameEvent

SCENARIO = "meridian-strait"


def _bilateral(games: GameService, game_id: str) -> str:
    result = games.act(game_id, "arvenia", {"kind": "open_channel", "members": ["lindmark"]})
    return str(result.events[-1].event.data["channel_id"])


def _say(games: GameService, game_id: str, nation_id: str, channel_id: str, text: str) -> int:
    action = {"kind": "message", "channel_id": channel_id, "text": text}
    return games.act(game_id, nation_id, action).seq


def test_messages_are_logged_with_their_channel(
    games: GameService, loaded_database: Database
) -> None:
    game_id = games.create_game(SCENARIO, seed=1).game_id
    channel = _bilateral(games, game_id)
    seq = _say(games, game_id, "arvenia", channel, "hello")
    with loaded_database.read() as session:
        rows = session.scalars(select(GameEvent).where(GameEvent.game_id == game_id)).all()
    assert {r.seq: r.channel_id for r in rows if r.channel_id} == {seq: channel}
    assert all(r.channel_id is None for r in rows if r.kind != "message_sent")


def test_a_channel_pages_newest_last_fifty_at_a_time(games: GameService) -> None:
    game_id = games.create_game(SCENARIO, seed=1).game_id
    for i in range(120):
        _say(games, game_id, "arvenia" if i % 2 else "cardosa", "public", f"message {i}")

    newest = games.channel_messages(game_id, "lindmark", "public")
    assert [m.event.data["text"] for m in newest.messages] == [
        f"message {i}" for i in range(70, 120)
    ]
    assert newest.more and newest.total == 120
    middle = games.channel_messages(game_id, "lindmark", "public", newest.messages[0].seq)
    assert [m.event.data["text"] for m in middle.messages] == [
        f"message {i}" for i in range(20, 70)
    ]
    assert middle.more
    oldest = games.channel_messages(game_id, "lindmark", "public", middle.messages[0].seq)
    assert [m.event.data["text"] for m in oldest.messages] == [f"message {i}" for i in range(20)]
    assert not oldest.more

    # Catching up from a seq: the oldest after it first, and whether more follow.
    after = games.channel_messages(game_id, "lindmark", "public", after_seq=oldest.messages[9].seq)
    assert [m.event.data["text"] for m in after.messages] == [f"message {i}" for i in range(10, 60)]
    assert after.more


def test_only_members_read_a_private_channel(games: GameService) -> None:
    game_id = games.create_game(SCENARIO, seed=1).game_id
    channel = _bilateral(games, game_id)
    _say(games, game_id, "arvenia", channel, "between us")
    assert len(games.channel_messages(game_id, "lindmark", channel).messages) == 1
    with pytest.raises(Forbidden):
        games.channel_messages(game_id, "cardosa", channel)
    with pytest.raises(Forbidden):  # an unknown channel gets the same answer
        games.channel_messages(game_id, "cardosa", "ch-999")
    assert channel not in games.channel_counts(game_id, "cardosa")
    assert "public" in games.channel_counts(game_id, "cardosa")


def test_unread_counts_the_others_messages_since_the_read_marker(games: GameService) -> None:
    game_id = games.create_game(SCENARIO, seed=1).game_id
    channel = _bilateral(games, game_id)
    first = _say(games, game_id, "arvenia", channel, "one")
    _say(games, game_id, "arvenia", channel, "two")
    _say(games, game_id, "lindmark", "public", "to all")

    lindmark = games.channel_counts(game_id, "lindmark")
    assert (lindmark[channel].messages, lindmark[channel].unread) == (2, 2)
    assert (lindmark["public"].messages, lindmark["public"].unread) == (1, 0)  # its own
    arvenia = games.channel_counts(game_id, "arvenia")
    assert (arvenia[channel].unread, arvenia["public"].unread) == (0, 1)

    games.mark_read(game_id, "lindmark", channel, first)
    assert games.channel_counts(game_id, "lindmark")[channel].unread == 1
    last = _say(games, game_id, "arvenia", channel, "three")
    games.mark_read(game_id, "lindmark", channel, last)
    games.mark_read(game_id, "lindmark", channel, first)  # a late, older marker: ignored
    assert games.channel_counts(game_id, "lindmark")[channel].unread == 0
    assert games.channel_counts(game_id, "arvenia")[channel].unread == 0
