"""Reading the talks: who may read a channel, its messages page by page, read markers, counts."""

from __future__ import annotations

from app import rules
from app.i18n import _
from app.services.errors import Forbidden, NotFound
from app.services.game_results import ChannelCount, ChannelPage, LoggedEvent
from app.store.database import Database
from app.store.repositories.games import GameRepository


def may_read(state: rules.GameState, nation_id: str, channel_id: str) -> bool:
    """A nation reads a channel it is a member of, and every public channel."""
    channel = state.channel(channel_id)
    return (
        channel is not None
        and state.nation(nation_id) is not None
        and (nation_id in channel.members or channel.kind == "public")
    )


def require_reader(state: rules.GameState, nation_id: str | None, channel_id: str) -> None:
    """`nation_id` None is control, who reads every channel there is."""
    if nation_id is None:
        if state.channel(channel_id) is None:
            raise NotFound(_("There is no channel %(channel)s.", channel=repr(channel_id)))
        return
    if not may_read(state, nation_id, channel_id):
        # The same answer for a channel that does not exist: ids are not to be probed.
        nation = state.nation(nation_id)
        raise Forbidden(
            _(
                "%(nation)s is not in the channel %(channel)s.",
                nation=nation.name if nation else nation_id,
                channel=repr(channel_id),
            ),
            "not_in_channel",
        )


class TalkService:
    """The channels' messages and read markers, as a seat (or control) may read them."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def channel_messages(
        self,
        game_id: str,
        nation_id: str | None,
        channel_id: str,
        before_seq: int | None = None,
        limit: int = 50,
        *,
        after_seq: int | None = None,
    ) -> ChannelPage:
        """The newest `limit` messages of a channel before `before_seq` (or, with
        `after_seq`, the next `limit` after it), if `nation_id` may read the channel: a
        member, or anyone for a public channel; None is control, who reads them all.
        Raises Forbidden otherwise."""
        limit = max(1, min(limit, 200))
        with self.database.read() as session:
            games = GameRepository(session)
            game = games.get(game_id)
            if game is None:
                raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
            state = rules.state_from_dict(game.state)
            require_reader(state, nation_id, channel_id)
            channel = state.channel(channel_id)
            assert channel is not None  # require_reader checked
            rows = games.messages(
                game_id,
                channel_id,
                before_seq,
                limit + 1,
                after_seq=after_seq,
                first_message=channel.first_message_for(nation_id),
            )
        more = len(rows) > limit
        if more:  # the extra row only says that there is more
            rows = rows[:limit] if after_seq is not None else rows[1:]
        return ChannelPage(
            channel_id,
            [LoggedEvent.of_row(r) for r in rows],
            more,
            channel.messages_for(nation_id, state.message_counts.get(channel_id, 0)),
            state,
        )

    def mark_read(self, game_id: str, nation_id: str, channel_id: str, seq: int) -> None:
        """The seat has read the channel up to `seq` (its read marker never moves back).
        Callers check that it may read the channel (`channel_messages` does)."""
        with self.database.write() as session:
            GameRepository(session).mark_read(game_id, nation_id, channel_id, seq)

    def channel_counts(
        self, game_id: str, nation_id: str, state: rules.GameState | None = None
    ) -> dict[str, ChannelCount]:
        """Messages and unread messages of every channel the nation may read (one query).
        Given the game's `state` (an action's result), the game is not read again."""
        with self.database.read() as session:
            games = GameRepository(session)
            if state is None:
                game = games.get(game_id)
                if game is None:
                    raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
                state = rules.state_from_dict(game.state)
            readable = [c for c in state.channels if may_read(state, nation_id, c.id)]
            counts = games.message_counts(
                game_id,
                nation_id,
                [c.id for c in readable],
                {c.id: c.first_message_for(nation_id) for c in readable},
            )
        return {c.id: ChannelCount(*counts.get(c.id, (0, 0))) for c in readable}
