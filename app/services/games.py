"""Use cases on games: create, act, control, branch, advance the clock, read for a viewer.

Every accepted change appends numbered events and a new state snapshot in one
transaction; the doorbell rings only after that transaction has committed. Seats a bot
plays (`app.bots.live`) take their actions in the same transaction as the change that
calls for them.

Join codes and seats are `app.services.seats`, reading the talks `app.services.talks`;
`GameService` hands those on to them. What a change logs (the bots' moves, the turns it
settles, the rows) is `app.services.game_log`; the result types are
`app.services.game_results` (importable from here too).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Literal

from app import rules
from app.bots.live import BOT_PERSONALITIES, PROFILE
from app.i18n import DEFAULT_LANGUAGE, _
from app.rules.actions import hand_seat_to_bot, take_seat_back
from app.rules.control import ControlAction, apply_control
from app.rules.reasons import because
from app.rules.state import FOG_LEVELS, RED_CELL_SEAT, Fog
from app.rules.text import MAX_NAME_LENGTH, text_problem
from app.rules.wording.rejections import RejectionReason
from app.scenarios.texts import BRANCH_NAME, ScenarioTexts
from app.services.errors import Conflict, NotFound, Rejected
from app.services.game_log import Pending, append_events, bots_play, settle
from app.services.game_results import (
    ActionResult,
    ChannelCount,
    ChannelPage,
    CreatedGame,
    GameSummary,
    LoggedEvent,
    SeatInvitation,
    SeatLink,
    Snapshot,
    grouped_code,
)
from app.services.lru import LRU
from app.services.scenarios import ScenarioService, opening_state
from app.services.seats import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_ATTEMPTS,
    JOIN_CODE_EXAMPLE,
    JOIN_CODE_LENGTH,
    JOIN_CODE_LIMIT,
    SeatService,
    check_seat_token,
    new_join_code,
    normalise_join_code,
    seat_everyone,
)
from app.services.talks import TalkService, may_read, require_reader
from app.services.throttles import Throttle
from app.store.database import Database, json_bytes, lost_connection
from app.store.models import Game, Seat
from app.store.repositories.games import GameRepository, LockedGame, StaleGame
from app.store.repositories.scenarios import ScenarioRepository

__all__ = [  # the names callers import from here, wherever they are defined
    "JOIN_CODE_ALPHABET",
    "JOIN_CODE_ATTEMPTS",
    "JOIN_CODE_EXAMPLE",
    "JOIN_CODE_LENGTH",
    "JOIN_CODE_LIMIT",
    "ActionResult",
    "ChannelCount",
    "ChannelPage",
    "Clock",
    "CreatedGame",
    "Doorbell",
    "GameService",
    "GameSummary",
    "LoggedEvent",
    "SeatInvitation",
    "SeatLink",
    "Snapshot",
    "grouped_code",
    "may_read",
    "new_join_code",
    "normalise_join_code",
    "require_reader",
]

log = logging.getLogger(__name__)

Clock = Callable[[], float]
Doorbell = Callable[[str, int], None]
"""Called with (game id, last seq) after a commit; the realtime layer provides it."""

MAX_RETRIES = 5
# The scenario texts of this many games are kept in memory (each a parsed scenario).
_TEXTS_KEPT = 256


def read_back(logged: list[LoggedEvent]) -> list[LoggedEvent]:
    """`logged` as the store gives it back: each event's data through JSON, as written."""
    return [
        LoggedEvent(
            e.seq,
            e.turn,
            rules.Event.from_log(
                str(e.event.kind), e.event.actor, json.loads(json_bytes(e.event.data))
            ),
        )
        for e in logged
    ]


def _expected_turn(action: dict[str, Any]) -> int | None:
    turn = action.get("turn")
    if turn is None or turn == "":
        return None
    if isinstance(turn, str) and turn.strip().isdigit():
        return int(turn)
    if isinstance(turn, int) and not isinstance(turn, bool):
        return turn
    raise Rejected(_("'turn' must be the number of the turn the order is for."), "malformed")


def _check_personality(personality: str) -> None:
    if personality not in BOT_PERSONALITIES:
        raise Rejected(
            _(
                "There is no bot personality %(personality)s; choose one of: %(choices)s.",
                personality=repr(personality),
                choices=", ".join(BOT_PERSONALITIES),
            ),
            "unknown_personality",
        )


def _accepted(outcome: rules.Accepted | rules.Rejection) -> rules.Accepted:
    if isinstance(outcome, rules.Rejection):
        raise Rejected(outcome.message, outcome.code)
    return outcome


class GameService:
    """The use cases on games. Seats and join codes are handed on to `SeatService`, the
    talks to `TalkService` (both built here, so callers keep one service)."""

    def __init__(
        self,
        database: Database,
        *,
        clock: Clock = time.time,
        doorbell: Doorbell | None = None,
        join_throttle: Throttle | None = None,
    ) -> None:
        self.database = database
        self.clock = clock
        self.doorbell = doorbell
        self._texts: dict[str, ScenarioTexts] = {}
        self._texts_lock = threading.Lock()
        # Slows guessing of join codes, per client address (counted in the database).
        self.join_throttle = join_throttle or Throttle(database)
        self.seats = SeatService(
            database,
            apply=self._change,
            snapshot=self.snapshot,
            join_throttle=self.join_throttle,
            clock=lambda: self.clock(),
        )
        self.talks = TalkService(database)
        # The latest state this process wrote or read of each game, with its version: the
        # live pages read each change right after it is written, and the next action
        # starts from it, neither parsing it again (a state is immutable).
        self._states = LRU(128)
        # Each game's latest change this process wrote, as the live pages would read it
        # back (previous seq, then the state and events after it): its pages, woken just
        # after, take it from here, with no read of the store and no hop to a thread.
        self._changes = LRU(128)

    # --- writes -------------------------------------------------------------------------

    def create_game(
        self,
        scenario_id: str,
        *,
        name: str | None = None,
        seed: int | None = None,
        bots: Mapping[str, str] | None = None,
        orders_seconds: int | None = None,
        hold: bool = False,
        fog: Fog = "standard",
        paused: bool = False,
        starts_on_first_seat: bool = False,
    ) -> CreatedGame:
        """A new game of the latest version of the scenario, one seat (and join link) per
        nation. `bots` (nation id -> personality, one of `BOT_PERSONALITIES`) seats bots,
        which give their turn-1 orders before this returns. `orders_seconds` replaces the
        scenario's phase length; `hold` makes every turn wait for control's release;
        `paused` keeps the clock stopped until control starts it; `starts_on_first_seat`
        until the first player takes a seat (the demo game)."""
        seed = seed if seed is not None else secrets.randbits(48)
        if name is not None:
            name = " ".join(name.split())
            problem = text_problem(name, max_length=MAX_NAME_LENGTH)
            if problem:
                raise Rejected(_("The game's name %(problem)s.", problem=problem), "bad_text")
        bots = dict(bots or {})
        for personality in bots.values():
            _check_personality(personality)
        with self.database.write() as session:
            version = ScenarioRepository(session).latest(scenario_id)
            if version is None:
                raise NotFound(_("No scenario %(scenario)s is loaded.", scenario=repr(scenario_id)))
            scenario = ScenarioService(self.database).load_version(version)
            now = self.clock()
            state, opening = opening_state(scenario, seed=seed, now=now)
            # Control's options: its own phase length, and holding each turn for adjudication.
            if orders_seconds is not None:
                state = dataclasses.replace(
                    state, orders_seconds=orders_seconds, deadline=now + orders_seconds
                )
            if fog not in FOG_LEVELS:
                raise Rejected(
                    _("Fog of war is one of: %(levels)s.", levels=", ".join(FOG_LEVELS)), "bad_fog"
                )
            state = dataclasses.replace(state, hold=hold, fog=fog)
            if paused or starts_on_first_seat:  # nobody has a join link yet
                state = dataclasses.replace(
                    state,
                    deadline=None,
                    paused_remaining=float(state.orders_seconds),
                    starts_on_first_seat=starts_on_first_seat and not paused,
                )
            pending = Pending()
            pending.add(opening, state.turn, None)
            unknown = sorted(set(bots) - {n.id for n in state.nations})
            if unknown:
                raise Rejected(
                    _(
                        "There is no nation %(nation)s in %(scenario)s.",
                        nation=repr(unknown[0]),
                        scenario=scenario.title,
                    ),
                    "unknown_nation",
                )
            for nation in state.nations:
                if nation.id in bots:
                    seated = _accepted(hand_seat_to_bot(state, nation.id, bots[nation.id]))
                    pending.add(seated.events, state.turn, None)
                    state = seated.state
            if bots:
                state = settle(state, now, pending, before=None)
            game = Game(
                id=uuid.uuid4().hex,
                name=name or scenario.title,
                scenario_version_id=version.id,
                seed=seed,
                state=rules.state_to_dict(state),
                version=0,
                last_seq=0,
                status="active",
                deadline=state.deadline,
            )
            GameRepository(session).add(game)
            links = seat_everyone(session, game, state)
            logged = append_events(
                session, game, state, pending.events, pending.actions, pending.turns
            )
            created = CreatedGame(game.id, game.name, links)
        self._ring(created.game_id, logged[-1].seq)
        return created

    def act(
        self,
        game_id: str,
        nation_id: str,
        action: dict[str, Any],
        *,
        seat_token: str | None = None,
    ) -> ActionResult:
        """Apply a player's action; raises Rejected with the rules' code and message.

        An action may name the turn it was given for (`"turn": N`, as the page's forms do):
        if that turn has ended meanwhile, it is refused rather than applied to the next.
        With `seat_token`, the join token the player's browser holds, the seat is checked
        in the action's own transaction (Forbidden if control replaced its link): one
        transaction per action, not a read before it.
        """
        parsed = rules.parse_action(action)
        if isinstance(parsed, rules.Rejection):
            raise Rejected(parsed.message, parsed.code)
        expected_turn = _expected_turn(action)

        def change(session: Any, game: LockedGame, state: rules.GameState) -> Any:
            if expected_turn is not None and expected_turn != state.turn:
                # Only a turn behind the game's has "already been resolved".
                behind = expected_turn < state.turn
                return rules.Rejection(
                    "stale_turn",
                    because(
                        RejectionReason.STALE_TURN if behind else RejectionReason.TURN_NOT_YET,
                        turn=expected_turn,
                        current=state.turn,
                    ),
                )
            nation = state.nation(nation_id)
            if nation is not None and nation.controller == "bot":
                return rules.Rejection(
                    "seat_held_by_bot",
                    because(RejectionReason.SEAT_HELD_BY_BOT, nation=nation.name),
                )
            cell = state.red_cell
            if nation_id == RED_CELL_SEAT and (cell is None or cell.seat != "human"):
                # The bot's moves come from the bots; a student handed off moves no more.
                return rules.Rejection(
                    "not_your_red_cell", because(RejectionReason.RED_CELL_NOT_YOURS)
                )
            return rules.apply(state, nation_id, parsed)

        # The log keeps the parsed action, never the raw body (which may be anything).
        logged_action = {"nation_id": nation_id, **dataclasses.asdict(parsed)}
        seat = None if seat_token is None else (nation_id, seat_token)
        return self._change(game_id, change, action=logged_action, seat=seat)

    def act_each(
        self,
        game_id: str,
        nation_id: str,
        actions: list[dict[str, Any]],
        *,
        seat_token: str | None = None,
    ) -> list[ActionResult | Rejected]:
        """Apply `actions` in order, each through `act` (its own transaction, so one refused
        action never undoes or blocks the others): per action, its result or the rules'
        refusal. Other errors (a seat no longer held, a missing game) stop the batch."""
        outcomes: list[ActionResult | Rejected] = []
        for action in actions:
            try:
                outcomes.append(self.act(game_id, nation_id, action, seat_token=seat_token))
            except Rejected as refusal:
                outcomes.append(refusal)
        return outcomes

    def hand_seat_to_bot(
        self, game_id: str, nation_id: str, personality: str = PROFILE
    ) -> ActionResult:
        """Control hands a seat to a bot of `personality` (one of `BOT_PERSONALITIES`),
        logged as `seat_handed_to_bot`; the bot gives its orders at once. Raises Rejected
        for an unknown personality or nation, or once the game has ended."""
        _check_personality(personality)

        def change(session: Any, game: LockedGame, state: rules.GameState) -> Any:
            return hand_seat_to_bot(state, nation_id, personality)

        return self._change(game_id, change, action=None)

    def take_seat_back(
        self,
        game_id: str,
        nation_id: str,
        *,
        controller: Literal["human", "vacant"] = "human",
    ) -> ActionResult:
        """Control takes a seat back from its bot for its players ("human"), or leaves it
        for whoever opens its join link next ("vacant"); logged as `seat_taken_back`. The
        seat is not ready: the turn waits for its players (or the deadline). Raises
        Rejected (`not_a_bot`) if no bot plays the seat."""

        def change(session: Any, game: LockedGame, state: rules.GameState) -> Any:
            return take_seat_back(state, nation_id, controller)

        return self._change(game_id, change, action=None)

    def briefing(self, game_id: str, language: str = DEFAULT_LANGUAGE) -> str:
        """The scenario briefing every player reads (Markdown), from the version the game
        started from, in `language` if the scenario has it."""
        return self.scenario_texts(game_id).briefing(language)

    def default_language(self, game_id: str) -> str | None:
        """The language control chose for the game's exercise (None: none chosen)."""
        with self.database.read() as session:
            game = GameRepository(session).get(game_id)
            return game.language if game is not None else None

    def scenario_texts(self, game_id: str) -> ScenarioTexts:
        """The texts of the scenario version the game started from, in every language it
        has (a game never changes version: read once per process)."""
        texts = self._texts.get(game_id)
        if texts is not None:
            return texts
        with self.database.read() as session:
            game = GameRepository(session).get(game_id)
            if game is None:
                raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
            version = ScenarioRepository(session).get(game.scenario_version_id)
            if version is None:
                raise NotFound(_("The scenario of game %(game)s is gone.", game=repr(game_id)))
            scenario = ScenarioService(self.database).load_version(version)
        texts = ScenarioTexts(scenario)
        with self._texts_lock:
            self._texts[game_id] = texts
            while len(self._texts) > _TEXTS_KEPT:
                self._texts.pop(next(iter(self._texts)))
        return texts

    def branchable_turns(self, game_id: str) -> list[int]:
        """The turns a counterfactual game can branch from: those whose opening state was
        kept (every turn of games created since turn states are stored)."""
        with self.database.read() as session:
            return GameRepository(session).opened_turns(game_id, rules.Phase.ORDERS.value)

    def branch(self, game_id: str, turn: int, *, name: str | None = None) -> CreatedGame:
        """A new game from the state in which `turn` of this one opened: same scenario
        version and seed (so the same orders meet the same rolls), the history up to that
        turn, empty student seats with new join links; bot seats stay with their bots.
        Its clock waits, paused, for control to start it."""
        with self.database.write() as session:
            games = GameRepository(session)
            source = games.get(game_id)
            if source is None:
                raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
            opening = next(
                (
                    r
                    for r in games.turn_states(game_id)
                    if r.turn == turn and r.phase == rules.Phase.ORDERS.value
                ),
                None,
            )
            if opening is None:
                raise NotFound(
                    _(
                        "No state was kept for the start of turn %(turn)s of this game (games "
                        "started before this version keep only their latest state).",
                        turn=turn,
                    )
                )
            state = rules.state_from_dict(opening.state)
            bots = {n.id for n in state.nations if n.controller == "bot"}
            state = dataclasses.replace(
                state,
                nations=tuple(
                    n if n.id in bots else dataclasses.replace(n, controller="vacant")
                    for n in state.nations
                ),
                ready=frozenset(state.ready & bots),
                # A red cell's seat has no link in the branch: its bot keeps it, else the
                # reaction table plays until control seats a student again.
                red_cell=state.red_cell
                if state.red_cell is not None and state.red_cell.seat == "bot"
                else None,
                # The clock waits for control to hand out the new links and start it.
                deadline=None,
                paused_remaining=float(state.orders_seconds),
                overrides=(),
                feedback={},
                # Messages stay in the original game's log; the branch starts its own.
                message_counts={},
            )
            game = Game(
                id=uuid.uuid4().hex,
                name=(name or BRANCH_NAME % {"name": source.name, "turn": turn})[:200],
                scenario_version_id=source.scenario_version_id,
                seed=source.seed,
                state=rules.state_to_dict(state),
                version=0,
                last_seq=0,
                status="active",
                deadline=state.deadline,
                branched_from=source.id,
                branched_turn=turn,
                created_by=source.created_by,
                language=source.language,  # the class that plays the branch is the same
            )
            games.add(game)
            links = seat_everyone(session, game, state)
            branched = rules.Event(
                rules.EventKind.GAME_BRANCHED, None, {"from_name": source.name, "from_turn": turn}
            )
            logged = append_events(session, game, state, [branched], [None], [state.turn])
            created = CreatedGame(game.id, game.name, links)
        self._ring(created.game_id, logged[-1].seq)
        return created

    def control(self, game_id: str, action: ControlAction) -> ActionResult:
        """Control's action on the game (`rules.control`), logged with the action so the
        game replays. Raises Rejected with the rules' code when it does not apply."""

        for item in dataclasses.fields(action):
            value = getattr(action, item.name)
            problem = text_problem(value) if isinstance(value, str) else ""
            if problem:
                raise Rejected(
                    _(
                        "The field %(field)s %(problem)s.",
                        field=repr(item.name),
                        problem=problem,
                    ),
                    "bad_text",
                )

        def change(session: Any, game: LockedGame, state: rules.GameState) -> Any:
            return apply_control(state, action, self.clock())

        logged = {"by": "control", **dataclasses.asdict(action)}
        return self._change(game_id, change, action=logged)

    def advance_due_games(self) -> list[str]:
        """Resolve every game whose phase deadline has passed; returns their ids."""
        now = self.clock()
        with self.database.read() as session:
            due = list(GameRepository(session).due_game_ids(now))
        resolved = []
        for game_id in due:
            try:
                result = self._change(game_id, lambda s, g, st: rules.Accepted(st, ()), action=None)
            except Conflict:
                log.warning("game %s stayed contended; will retry on the next tick", game_id)
                continue
            if any(e.event.kind == rules.EventKind.TURN_RESOLVED for e in result.events):
                resolved.append(game_id)
        return resolved

    def _change(
        self,
        game_id: str,
        change: Callable[[Any, LockedGame, rules.GameState], rules.Accepted | rules.Rejection],
        *,
        action: dict[str, Any] | None,
        seat: tuple[str, str] | None = None,
    ) -> ActionResult:
        """Run `change` on the latest state and, if the phase is over, resolve the turn.

        Bot-played seats play in the same transaction: in every orders phase that opens
        (a turn resolved), and after an accepted change whenever something a bot reads has
        changed (a proposal addressed to it, a seat handed to it). With `seat` (nation id,
        the join token the browser holds), Forbidden unless that token is still the seat's,
        read with the game in the same statement."""
        reconnected = False
        for _attempt in range(MAX_RETRIES):
            committing = False
            try:
                with self.database.write() as session:
                    games = GameRepository(session)
                    kept: tuple[int, rules.GameState] | None = self._states.get((game_id,))
                    # Its state is read from the store only if the kept one is not current.
                    game, token = games.lock(
                        game_id, None if seat is None else seat[0], with_state=kept is None
                    )
                    if game is None:
                        raise NotFound(_("There is no game %(game_id)s.", game_id=repr(game_id)))
                    if seat is not None:
                        check_seat_token(token, seat[1])
                    if kept is not None and kept[0] == game.version:
                        state = kept[1]
                    else:
                        stored = game.state if game.state is not None else games.state_of(game_id)
                        if stored is None:  # not once its row is locked; checked for the type
                            raise NotFound(
                                _("There is no game %(game_id)s.", game_id=repr(game_id))
                            )
                        state = rules.state_from_dict(stored)
                    previous = state
                    now = self.clock()
                    # A phase past its deadline ends before the change: an order that
                    # arrives late belongs to the next turn (or is refused), never this one.
                    pending = Pending()
                    due = rules.advance(state, now)
                    if due is not None:
                        pending.add(due[1], state.turn, None)
                        state = bots_play(due[0], now, pending, before=None)
                    outcome = change(session, game, state)
                    if isinstance(outcome, rules.Rejection):
                        rejection = outcome
                    else:
                        rejection = None
                        before = state
                        pending.add(outcome.events, state.turn, action)
                        state = settle(outcome.state, now, pending, before=before)
                    if not pending.events:
                        if rejection is not None:
                            raise Rejected(rejection.message, rejection.code)
                        return ActionResult(game.last_seq, state, [])
                    version = game.version + 1  # as `save_state` writes it
                    since, name = game.last_seq, game.name
                    logged = append_events(
                        session,
                        game,
                        state,
                        pending.events,
                        pending.actions,
                        pending.turns,
                        previous=previous,
                    )
                    seq = logged[-1].seq
                    committing = True
            except StaleGame:
                continue
            except Exception as error:
                # A connection the server closed after the pool's check: the statements
                # before COMMIT were undone with it, so the change runs again, once, on a
                # new connection. Not a failed COMMIT: that one may have been written.
                if committing or reconnected or not lost_connection(error):
                    raise
                reconnected = True
                continue
            self._keep(game_id, version, state)
            written = Snapshot(game_id, name, seq, state)
            self._changes.put((game_id,), (since, written, read_back(logged)))
            self._ring(game_id, seq)
            if rejection is not None:  # the resolution that made it late is kept
                raise Rejected(rejection.message, rejection.code)
            return ActionResult(seq, state, logged)
        raise Conflict(_("The game changed too often while your action was applied; try again."))

    def _ring(self, game_id: str, seq: int) -> None:
        if self.doorbell is not None:
            self.doorbell(game_id, seq)

    def ring_gone(self, game_id: str, last_seq: int) -> None:
        """After a game is deleted: every open page of it looks, finds it gone and closes
        (a seq past the last makes each page read the store)."""
        self._ring(game_id, last_seq + 1)

    # --- reads --------------------------------------------------------------------------

    def snapshot(self, game_id: str) -> Snapshot:
        with self.database.read() as session:
            return self._snapshot(GameRepository(session), game_id)

    def _snapshot(self, repository: GameRepository, game_id: str) -> Snapshot:
        """The game's latest state: parsed from the store only if this process has not
        written or read this version of it already (a state is immutable)."""
        head = repository.head(game_id)
        if head is None:
            raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
        kept: tuple[int, rules.GameState] | None = self._states.get((game_id,))
        if kept is not None and kept[0] == head.version:
            return Snapshot(game_id, head.name, head.last_seq, kept[1])
        game = repository.get(game_id)  # changed since its head was read? this is newer
        if game is None:
            raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
        state = rules.state_from_dict(game.state)
        self._keep(game_id, game.version, state)
        return Snapshot(game_id, game.name, game.last_seq, state)

    def _keep(self, game_id: str, version: int, state: rules.GameState) -> None:
        """Keep `state` as the game's latest, unless a newer version is kept already (a
        read that began before a write may finish after it)."""
        kept: tuple[int, rules.GameState] | None = self._states.get((game_id,))
        if kept is None or kept[0] < version:
            self._states.put((game_id,), (version, state))

    def last_seq(self, game_id: str) -> int:
        """The game's latest event number: a cheap check before a full read."""
        with self.database.read() as session:
            seq = GameRepository(session).last_seq(game_id)
        if seq is None:
            raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
        return seq

    def written_since(self, game_id: str, seq: int) -> tuple[Snapshot, list[LoggedEvent]] | None:
        """What `changes_since` would read, if this process wrote the game's change right
        after `seq` (the latest it wrote): no read of the store. Whether a newer change
        exists is for the caller to know (the seq its doorbell rang with). The events are
        as the store gives them back (their data through JSON), so a page shows the same
        whichever way it learnt of them."""
        written: tuple[int, Snapshot, list[LoggedEvent]] | None = self._changes.get((game_id,))
        if written is None or written[0] != seq:
            return None
        return written[1], list(written[2])

    def changes_since(self, game_id: str, seq: int) -> tuple[Snapshot, list[LoggedEvent]]:
        """The state and the events after `seq`, read together in one transaction."""
        with self.database.read() as session:
            repository = GameRepository(session)
            snapshot = self._snapshot(repository, game_id)
            if snapshot.seq <= seq:
                return snapshot, []
            events = [
                LoggedEvent.of_row(r)
                for r in repository.events_after(game_id, seq, 500)
                if r.seq <= snapshot.seq
            ]
            return snapshot, events

    def events_after(self, game_id: str, seq: int, limit: int = 500) -> list[LoggedEvent]:
        with self.database.read() as session:
            return [
                LoggedEvent.of_row(r)
                for r in GameRepository(session).events_after(game_id, seq, limit)
            ]

    def latest_events(self, game_id: str, limit: int = 50) -> list[LoggedEvent]:
        with self.database.read() as session:
            return [
                LoggedEvent.of_row(r) for r in GameRepository(session).latest_events(game_id, limit)
            ]

    def list_games(self, include_ended: bool = False) -> list[GameSummary]:
        """Games newest first; ended ones too if asked (their players may want the outcome)."""
        with self.database.read() as session:
            repository = GameRepository(session)
            games = repository.list_all() if include_ended else repository.list_active()
            return [
                GameSummary(
                    g.id,
                    g.name,
                    g.status,
                    {n["id"]: n["name"] for n in g.state.get("nations", [])},
                )
                for g in games
            ]

    # --- seats and join codes: `SeatService` (`app.services.seats`) documents each ----------

    def invitation(self, token: str) -> SeatInvitation:
        return self.seats.invitation(token)

    def join(self, token: str) -> Seat:
        return self.seats.join(token)

    def join_by_code(self, typed: str, client: str) -> Seat:
        return self.seats.join_by_code(typed, client)

    def new_seat_link(self, game_id: str, nation_id: str) -> SeatLink:
        return self.seats.new_seat_link(game_id, nation_id)

    def seat_token(self, game_id: str, nation_id: str) -> str | None:
        return self.seats.seat_token(game_id, nation_id)

    def seat_links(self, game_id: str) -> list[SeatLink]:
        return self.seats.seat_links(game_id)

    def red_cell_link(self, game_id: str) -> SeatLink | None:
        return self.seats.red_cell_link(game_id)

    def seat_red_cell(self, game_id: str, seat: str) -> SeatLink | None:
        return self.seats.seat_red_cell(game_id, seat)

    # --- the talks: `TalkService` (`app.services.talks`) documents each --------------------

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
        return self.talks.channel_messages(
            game_id, nation_id, channel_id, before_seq, limit, after_seq=after_seq
        )

    def mark_read(self, game_id: str, nation_id: str, channel_id: str, seq: int) -> None:
        self.talks.mark_read(game_id, nation_id, channel_id, seq)

    def channel_counts(
        self, game_id: str, nation_id: str, state: rules.GameState | None = None
    ) -> dict[str, ChannelCount]:
        return self.talks.channel_counts(game_id, nation_id, state)
