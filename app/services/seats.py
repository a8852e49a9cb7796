"""Join codes and seats: codes, join links, taking a seat, new links and seat tokens."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from app import rules
from app.bots.red_cell import RED_BOT
from app.i18n import N_, gettext
from app.rules.actions import relink_seat
from app.rules.red_cell import seat_red_cell
from app.rules.state import RED_CELL_SEAT
from app.services.errors import Conflict, Forbidden, Invalid, NotFound, Rejected
from app.services.game_results import (
    ActionResult,
    SeatInvitation,
    SeatLink,
    Snapshot,
    grouped_code,
)
from app.services.throttles import Limit, Throttle, Throttled
from app.store.database import Database
from app.store.models import Game, Seat
from app.store.repositories.games import LockedGame, SeatRepository

# Join codes: typed by players, so no characters that look alike (0/O, 1/I/L).
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 8
JOIN_CODE_EXAMPLE = "K7QM-3XPA"
JOIN_CODE_ATTEMPTS = 50
"""Wrong codes per client address in 5 minutes. A class behind one college NAT shares an
address, so more than sign-in's 10; with 31**8 codes, guessing stays hopeless."""
JOIN_CODE_LIMIT = Limit("join-code", JOIN_CODE_ATTEMPTS)
# An English msgid, translated where it is raised (for the person it is raised for).
NOT_YOUR_SEAT = N_("You do not hold this seat. Open its join link to take it.")
_CODE_SEPARATORS = str.maketrans("", "", "-\u2010\u2011\u2012\u2013\u2014\u2212_.")
_MAX_CODE_TRIES = 20


def require_seat_token(session: Any, game_id: str, nation_id: str, held: str) -> None:
    """Forbidden unless `held` (the join token a browser took the seat with) is still the
    seat's: control may have replaced its link. Checked in the caller's transaction."""
    check_seat_token(SeatRepository(session).token_of(game_id, nation_id), held)


def check_seat_token(token: str | None, held: str) -> None:
    """Forbidden unless `held` is the seat's join token `token` (None: no such seat)."""
    if token is None or not secrets.compare_digest(held.encode(), token.encode()):
        raise Forbidden(gettext(NOT_YOUR_SEAT))


def new_join_code() -> str:
    """A random join code as stored: `JOIN_CODE_LENGTH` characters of the alphabet."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """A typed code as stored: upper case, without spaces or hyphens. Raises Invalid if it
    cannot be a join code at all."""
    code = "".join(typed.split()).translate(_CODE_SEPARATORS).upper()
    if not code:
        raise Invalid(
            gettext(
                "Type the join code control gave you, such as %(example)s.",
                example=JOIN_CODE_EXAMPLE,
            ),
            "bad_code",
        )
    if len(code) != JOIN_CODE_LENGTH or any(c not in JOIN_CODE_ALPHABET for c in code):
        size = (
            N_(
                "A join code has %(length)s letters and digits, such as %(example)s. Codes "
                "never contain 0, O, 1, I or L: check the code against your sheet."
            )
            if any(c in "0O1IL" for c in code)
            else N_("A join code has %(length)s letters and digits, such as %(example)s.")
        )
        raise Invalid(gettext(size, length=JOIN_CODE_LENGTH, example=JOIN_CODE_EXAMPLE), "bad_code")
    return code


def fresh_codes(seats: SeatRepository, count: int) -> list[str]:
    """`count` join codes, different from each other and from every seat's code."""
    for _ in range(_MAX_CODE_TRIES):
        codes = list(dict.fromkeys(new_join_code() for _ in range(count)))
        if len(codes) == count and not seats.codes_in_use(codes):
            return codes
    raise Conflict(gettext("Could not find unused join codes; try again."), "codes_exhausted")


def seat_everyone(session: Any, game: Game, state: rules.GameState) -> list[SeatLink]:
    """A seat with its own join token and join code for every nation of a new game."""
    repository = SeatRepository(session)
    codes = fresh_codes(repository, len(state.nations))
    seats = [
        Seat(game_id=game.id, nation_id=n.id, token=secrets.token_urlsafe(18), code=code)
        for n, code in zip(state.nations, codes, strict=True)
    ]
    repository.add_all(seats)
    return [
        SeatLink(
            s.nation_id, n.name, s.token, n.bot if n.controller == "bot" else None, code=s.code
        )
        for s, n in zip(seats, state.nations, strict=True)
    ]


class ApplyChange(Protocol):
    """`GameService`'s change machinery: runs `change` on the latest state of the game,
    logs what it did (as `action`), settles the turn and rings the doorbell."""

    def __call__(
        self,
        game_id: str,
        change: Callable[[Any, LockedGame, rules.GameState], rules.Accepted | rules.Rejection],
        *,
        action: dict[str, Any] | None,
    ) -> ActionResult: ...


class SeatService:
    """The seats of games: what their links and codes offer, taking them, relinking them.
    Changes go through the game service's machinery (`apply`), logged like any other."""

    def __init__(
        self,
        database: Database,
        *,
        apply: ApplyChange,
        snapshot: Callable[[str], Snapshot],
        join_throttle: Throttle,
        clock: Callable[[], float],
    ) -> None:
        self.database = database
        self.clock = clock
        self.apply = apply
        self.snapshot = snapshot
        self.join_throttle = join_throttle

    def invitation(self, token: str) -> SeatInvitation:
        """What a join link offers, without taking the seat (its page asks first)."""
        found = self._seat_of_link(token)
        snapshot = self.snapshot(found.game_id)
        return SeatInvitation(
            found.game_id,
            found.nation_id,
            snapshot.name,
            seat_name(snapshot.state, found.nation_id),
        )

    def join(self, token: str) -> Seat:
        """Claim the seat behind a join link; the first use announces the player."""
        return self._take_seat(self._seat_of_link(token))

    def _seat_of_link(self, token: str) -> Seat:
        with self.database.read() as session:
            found = SeatRepository(session).by_token(token)
        if found is None:
            raise NotFound(gettext("This join link is not valid. Ask control for a new one."))
        return found

    def join_by_code(self, typed: str, client: str) -> Seat:
        """Claim the seat whose join code was typed (any case; spaces and hyphens do not
        matter). `client` (the address) is paused after too many wrong codes: Invalid
        (`throttled`); a code no seat has is NotFound (`unknown_code`), one that cannot be
        a code at all is Invalid (`bad_code`) and does not count as a guess."""
        code = normalise_join_code(typed)
        try:  # counted before the code is looked up, given back if it was right
            guess = self.join_throttle.reserve([JOIN_CODE_LIMIT.key(client)])
        except Throttled as paused:
            raise Invalid(
                gettext(
                    "Too many wrong join codes from this address; try again in %(wait)s seconds.",
                    wait=paused.wait,
                ),
                "throttled",
            ) from None
        with self.database.read() as session:
            found = SeatRepository(session).by_code(code)
        if found is None:
            raise NotFound(
                gettext(
                    "No seat has the join code %(code)s. Check it against the one control "
                    "gave you, or ask control for a new one.",
                    code=grouped_code(code),
                ),
                "unknown_code",
            )
        self.join_throttle.release(guess)
        return self._take_seat(found)

    def _take_seat(self, seat: Seat) -> Seat:
        def change(session: Any, game: LockedGame, state: rules.GameState) -> Any:
            if seat.nation_id == RED_CELL_SEAT:
                if state.red_cell is None or state.red_cell.seat != "vacant":
                    return rules.Accepted(state, ())  # a bot or the table keeps it
                return seat_red_cell(state, "human")
            nation = state.nation(seat.nation_id)
            if nation is not None and nation.controller == "bot":
                return rules.Accepted(state, ())  # the bot keeps it until control takes it back
            return rules.join_seat(state, seat.nation_id, now=self.clock())

        self.apply(seat.game_id, change, action=None)
        return seat

    def seat_token(self, game_id: str, nation_id: str) -> str | None:
        """The seat's current join token (control may replace it), or None."""
        with self.database.read() as session:
            seat = SeatRepository(session).of_nation(game_id, nation_id)
            return seat.token if seat else None

    def new_seat_link(self, game_id: str, nation_id: str) -> SeatLink:
        """A fresh join link and join code for a seat; the old ones stop working (a link
        was shared too widely, or the seat goes to another syndicate member). The change
        is logged as an event, so every page still open on the old link, on any serving
        process, is closed when its doorbell rings."""
        links: list[SeatLink] = []

        def change(session: Any, game: LockedGame, state: rules.GameState) -> Any:
            seats = SeatRepository(session)
            seat = seats.of_nation(game_id, nation_id)
            if seat is None or (nation_id != RED_CELL_SEAT and state.nation(nation_id) is None):
                raise NotFound(
                    gettext("There is no seat %(nation)s in this game.", nation=repr(nation_id))
                )
            seat.token = secrets.token_urlsafe(18)
            seat.code = fresh_codes(seats, 1)[0]
            links[:] = [_link(state, seat)]
            return relink_seat(state, nation_id)

        self.apply(game_id, change, action={"by": "control", "kind": "relink"})
        return links[0]

    def seat_links(self, game_id: str) -> list[SeatLink]:
        """The nations' seats (the red cell's, if control opened it, is `red_cell_link`)."""
        snapshot = self.snapshot(game_id)
        with self.database.read() as session:
            seats = SeatRepository(session).for_game(game_id)
        return seat_links_of(snapshot.state, seats)[0]

    def red_cell_link(self, game_id: str) -> SeatLink | None:
        """The red cell's join link and code, once control has opened its seat."""
        snapshot = self.snapshot(game_id)
        with self.database.read() as session:
            seat = SeatRepository(session).of_nation(game_id, RED_CELL_SEAT)
            return _link(snapshot.state, seat) if seat is not None else None

    def seat_red_cell(self, game_id: str, seat: str) -> SeatLink | None:
        """Control opens the red cell's seat (`open`: a join link and code for a student,
        made the first time), hands it to the red-cell bot (`bot`) or gives the adversary
        back to its reaction table (`table`). Returns the seat's link, if it has one."""
        if seat not in ("open", "bot", "table"):
            raise Invalid(gettext("The red cell's seat is opened, given to a bot or given back."))
        links: list[SeatLink] = []

        def change(session: Any, game: LockedGame, state: rules.GameState) -> Any:
            seats = SeatRepository(session)
            found = seats.of_nation(game_id, RED_CELL_SEAT)
            if state.phase is rules.Phase.ENDED:
                raise Rejected(
                    gettext("The game has ended: there is nothing left to play."), "game_over"
                )
            if seat == "open" and found is None:
                code = fresh_codes(seats, 1)[0]
                token = secrets.token_urlsafe(18)
                found = Seat(game_id=game_id, nation_id=RED_CELL_SEAT, token=token, code=code)
                seats.add_all([found])
            if seat == "open":
                # A student who holds it keeps it; a bot's or the table's seat opens.
                held = state.red_cell is not None and state.red_cell.seat == "human"
                result = rules.Accepted(state, ()) if held else seat_red_cell(state, "vacant")
            elif seat == "bot":
                result = seat_red_cell(state, "bot", RED_BOT)
            else:
                result = seat_red_cell(state, None)
            if isinstance(result, rules.Rejection):
                return result
            if seat != "open" and found is not None:
                # Whoever held the link is out: their pages close, the link stops working.
                found.token = secrets.token_urlsafe(18)
                found.code = fresh_codes(seats, 1)[0]
                relinked = relink_seat(result.state, RED_CELL_SEAT)
                assert isinstance(relinked, rules.Accepted)
                result = rules.Accepted(result.state, (*result.events, *relinked.events))
            if found is not None:
                links[:] = [_link(result.state, found)]
            return result

        self.apply(game_id, change, action={"by": "control", "kind": f"red_cell_{seat}"})
        return links[0] if links else None


def seat_name(state: rules.GameState, seat_id: str) -> str:
    """Whom a seat plays: its nation's name, or the adversary's for the red cell."""
    if seat_id == RED_CELL_SEAT:
        adversary = state.adversary()
        return f"{adversary.name if adversary else 'The adversary'} (red cell)"
    nation = state.nation(seat_id)
    return nation.name if nation is not None else seat_id


def seat_links_of(
    state: rules.GameState, seats: Sequence[Seat]
) -> tuple[list[SeatLink], SeatLink | None]:
    """The nations' seats' links, and the red cell's (None until control opened it)."""
    red = next((s for s in seats if s.nation_id == RED_CELL_SEAT), None)
    return (
        [_link(state, s) for s in seats if s.nation_id != RED_CELL_SEAT],
        _link(state, red) if red is not None else None,
    )


def _link(state: rules.GameState, seat: Seat) -> SeatLink:
    if seat.nation_id == RED_CELL_SEAT:
        cell = state.red_cell
        bot = cell.bot if cell is not None and cell.seat == "bot" else None
    else:
        nation = state.nation(seat.nation_id)
        bot = nation.bot if nation is not None and nation.controller == "bot" else None
    return SeatLink(
        seat.nation_id, seat_name(state, seat.nation_id), seat.token, bot, code=seat.code
    )
