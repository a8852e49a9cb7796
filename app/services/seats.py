"""Join codes and seats: codes, join links, taking a seat, new links and seat tokens."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, Protocol

from app import rules
from app.rules.actions import relink_seat
from app.services.errors import Conflict, Forbidden, Invalid, NotFound
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
from app.store.repositories.games import SeatRepository

# Join codes: typed by players, so no characters that look alike (0/O, 1/I/L).
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 8
JOIN_CODE_EXAMPLE = "K7QM-3XPA"
JOIN_CODE_ATTEMPTS = 50
"""Wrong codes per client address in 5 minutes. A class behind one college NAT shares an
address, so more than sign-in's 10; with 31**8 codes, guessing stays hopeless."""
JOIN_CODE_LIMIT = Limit("join-code", JOIN_CODE_ATTEMPTS)
NOT_YOUR_SEAT = "You do not hold this seat. Open its join link to take it."
_CODE_SEPARATORS = str.maketrans("", "", "-\u2010\u2011\u2012\u2013\u2014\u2212_.")
_MAX_CODE_TRIES = 20


def require_seat_token(session: Any, game_id: str, nation_id: str, held: str) -> None:
    """Forbidden unless `held` (the join token a browser took the seat with) is still the
    seat's: control may have replaced its link. Checked in the caller's transaction."""
    seat = SeatRepository(session).of_nation(game_id, nation_id)
    if seat is None or not secrets.compare_digest(held.encode(), seat.token.encode()):
        raise Forbidden(NOT_YOUR_SEAT)


def new_join_code() -> str:
    """A random join code as stored: `JOIN_CODE_LENGTH` characters of the alphabet."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """A typed code as stored: upper case, without spaces or hyphens. Raises Invalid if it
    cannot be a join code at all."""
    code = "".join(typed.split()).translate(_CODE_SEPARATORS).upper()
    if not code:
        raise Invalid(
            f"Type the join code control gave you, such as {JOIN_CODE_EXAMPLE}.", "bad_code"
        )
    if len(code) != JOIN_CODE_LENGTH or any(c not in JOIN_CODE_ALPHABET for c in code):
        hint = (
            " Codes never contain 0, O, 1, I or L: check the code against your sheet."
            if any(c in "0O1IL" for c in code)
            else ""
        )
        raise Invalid(
            f"A join code has {JOIN_CODE_LENGTH} letters and digits, such as "
            f"{JOIN_CODE_EXAMPLE}.{hint}",
            "bad_code",
        )
    return code


def fresh_codes(seats: SeatRepository, count: int) -> list[str]:
    """`count` join codes, different from each other and from every seat's code."""
    for _ in range(_MAX_CODE_TRIES):
        codes = list(dict.fromkeys(new_join_code() for _ in range(count)))
        if len(codes) == count and not seats.codes_in_use(codes):
            return codes
    raise Conflict("Could not find unused join codes; try again.", "codes_exhausted")


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
        change: Callable[[Any, Game, rules.GameState], rules.Accepted | rules.Rejection],
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
    ) -> None:
        self.database = database
        self.apply = apply
        self.snapshot = snapshot
        self.join_throttle = join_throttle

    def invitation(self, token: str) -> SeatInvitation:
        """What a join link offers, without taking the seat (its page asks first)."""
        found = self._seat_of_link(token)
        snapshot = self.snapshot(found.game_id)
        nation = snapshot.state.nation(found.nation_id)
        nation_name = nation.name if nation is not None else found.nation_id
        return SeatInvitation(found.game_id, found.nation_id, snapshot.name, nation_name)

    def join(self, token: str) -> Seat:
        """Claim the seat behind a join link; the first use announces the player."""
        return self._take_seat(self._seat_of_link(token))

    def _seat_of_link(self, token: str) -> Seat:
        with self.database.read() as session:
            found = SeatRepository(session).by_token(token)
        if found is None:
            raise NotFound("This join link is not valid. Ask control for a new one.")
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
                f"Too many wrong join codes from this address; try again in {paused.wait} seconds.",
                "throttled",
            ) from None
        with self.database.read() as session:
            found = SeatRepository(session).by_code(code)
        if found is None:
            raise NotFound(
                f"No seat has the join code {grouped_code(code)}. Check it against the one "
                "control gave you, or ask control for a new one.",
                "unknown_code",
            )
        self.join_throttle.release(guess)
        return self._take_seat(found)

    def _take_seat(self, seat: Seat) -> Seat:
        def change(session: Any, game: Game, state: rules.GameState) -> Any:
            nation = state.nation(seat.nation_id)
            if nation is not None and nation.controller == "bot":
                return rules.Accepted(state, ())  # the bot keeps it until control takes it back
            return rules.join_seat(state, seat.nation_id)

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

        def change(session: Any, game: Game, state: rules.GameState) -> Any:
            seats = SeatRepository(session)
            seat = seats.of_nation(game_id, nation_id)
            nation = state.nation(nation_id)
            if seat is None or nation is None:
                raise NotFound(f"There is no seat {nation_id!r} in this game.")
            seat.token = secrets.token_urlsafe(18)
            seat.code = fresh_codes(seats, 1)[0]
            bot = nation.bot if nation.controller == "bot" else None
            links[:] = [SeatLink(nation_id, nation.name, seat.token, bot, code=seat.code)]
            return relink_seat(state, nation_id)

        self.apply(game_id, change, action={"by": "control", "kind": "relink"})
        return links[0]

    def seat_links(self, game_id: str) -> list[SeatLink]:
        snapshot = self.snapshot(game_id)
        with self.database.read() as session:
            seats = SeatRepository(session).for_game(game_id)
        nations = {n.id: n for n in snapshot.state.nations}
        links = []
        for s in seats:
            nation = nations.get(s.nation_id)
            name = nation.name if nation else s.nation_id
            bot = nation.bot if nation and nation.controller == "bot" else None
            links.append(SeatLink(s.nation_id, name, s.token, bot, code=s.code))
        return links
