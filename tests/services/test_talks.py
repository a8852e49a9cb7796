"""Channel messages from the event log, read markers and unread counts (both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services.errors import Forbidden
from app.services.games import ChannelCount, ChannelPage, GameService
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


def _coalition(games: GameService, game_id: str) -> tuple[str, str]:
    """Arvenia and Lindmark form a coalition: its id and its channel's."""
    proposal = {
        "kind": "propose",
        "agreement": "coalition_membership",
        "parties": ["arvenia", "lindmark"],
        "terms": {"name": "Strait Group"},
    }
    games.act(game_id, "arvenia", proposal)
    agreement = games.snapshot(game_id).state.agreements[-1]
    games.act(game_id, "lindmark", {"kind": "sign", "agreement_id": agreement.id})
    coalition = games.snapshot(game_id).state.coalitions[-1]
    return coalition.id, f"coalition-{coalition.id}"


def _join_coalition(games: GameService, game_id: str, coalition_id: str, nation_id: str) -> None:
    proposal = {
        "kind": "propose",
        "agreement": "coalition_membership",
        "parties": ["arvenia", nation_id],
        "terms": {"coalition_id": coalition_id},
    }
    games.act(game_id, "arvenia", proposal)
    agreement = games.snapshot(game_id).state.agreements[-1]
    games.act(game_id, nation_id, {"kind": "sign", "agreement_id": agreement.id})


def test_a_nation_that_joins_a_coalition_reads_its_channel_from_when_it_joined(
    games: GameService,
) -> None:
    game_id = games.create_game(SCENARIO, seed=1).game_id
    coalition_id, channel = _coalition(games, game_id)
    for text in ("Cardosa will want the port dues.", "Then it pays for the escort."):
        _say(games, game_id, "lindmark", channel, text)
    _join_coalition(games, game_id, coalition_id, "cardosa")
    welcome = _say(games, game_id, "arvenia", channel, "Welcome, Cardosa.")

    def texts(page: ChannelPage) -> list[str]:
        return [m.event.data["text"] for m in page.messages]

    newest = games.channel_messages(game_id, "cardosa", channel)
    assert texts(newest) == ["Welcome, Cardosa."]
    assert newest.total == 1 and not newest.more
    # Neither paging back nor catching up from the start reaches what came before.
    assert texts(games.channel_messages(game_id, "cardosa", channel, welcome)) == []
    assert texts(games.channel_messages(game_id, "cardosa", channel, after_seq=0)) == [
        "Welcome, Cardosa."
    ]
    assert games.channel_counts(game_id, "cardosa")[channel] == ChannelCount(1, 1)
    # The founders and control read all of it.
    founders = games.channel_messages(game_id, "lindmark", channel)
    assert len(founders.messages) == founders.total == 3
    assert games.channel_counts(game_id, "arvenia")[channel] == ChannelCount(3, 2)
    assert len(games.channel_messages(game_id, None, channel).messages) == 3
