"""Short join codes: one per seat, typed by players (any case, hyphens and spaces ignored),
unique, replaced with the link, and guessing them is throttled per client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.services import seats as seats_module
from app.services.errors import Invalid, NotFound
from app.services.games import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_ATTEMPTS,
    JOIN_CODE_LENGTH,
    GameService,
    grouped_code,
    normalise_join_code,
)
from app.services.throttles import WINDOW, Throttle
from app.store.database import Database
from tests.conftest import Clock

SCENARIO = "meridian-strait"
CLIENT = "203.0.113.7"


def _code_of(created: object, nation_id: str) -> str:
    return next(s.code for s in created.seats if s.nation_id == nation_id)  # type: ignore[attr-defined]


def _typed_badly(code: str) -> str:
    """How a player might type K7QM3XPA: lower case, a space and a hyphen around."""
    return f"  {code[:4].lower()} - {code[4:].lower()} "


def test_every_seat_gets_its_own_code_of_unambiguous_characters(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=1)
    codes = [s.code for s in created.seats]
    assert len(set(codes)) == len(codes) == 3
    for code in codes:
        assert len(code) == JOIN_CODE_LENGTH
        assert set(code) <= set(JOIN_CODE_ALPHABET)
    assert not set(JOIN_CODE_ALPHABET) & set("0O1IL")
    # Control's seat list carries the same codes, shown grouped for reading aloud.
    links = {s.nation_id: s for s in games.seat_links(created.game_id)}
    for seat in created.seats:
        assert links[seat.nation_id].code == seat.code
        assert links[seat.nation_id].grouped_code == f"{seat.code[:4]}-{seat.code[4:]}"
    # Another game's seats get other codes.
    again = games.create_game(SCENARIO, seed=1)
    assert not set(codes) & {s.code for s in again.seats}


def test_a_code_is_read_whatever_its_case_spaces_and_hyphens() -> None:
    assert normalise_join_code("k7qm-3xpa") == "K7QM3XPA"
    assert normalise_join_code(" K7QM 3XPA\n") == "K7QM3XPA"
    assert normalise_join_code("k7qm\u20133xpa") == "K7QM3XPA"  # an en dash, pasted
    assert grouped_code("K7QM3XPA") == "K7QM-3XPA"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Type the join code"),
        ("   -  ", "Type the join code"),
        ("K7QM-3XP", "has 8 letters and digits"),
        ("K7QM-3XPAA", "has 8 letters and digits"),
        ("K7QM-3X?A", "has 8 letters and digits"),
        ("K7QM-3X0A", "never contain 0, O, 1, I or L"),
        ("KLQM-3XPA", "never contain 0, O, 1, I or L"),
    ],
)
def test_what_cannot_be_a_code_is_refused_with_a_clear_reason(typed: str, says: str) -> None:
    with pytest.raises(Invalid) as refused:
        normalise_join_code(typed)
    assert refused.value.code == "bad_code"
    assert says in refused.value.message


def test_joining_by_code_takes_the_seat_like_the_link(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=1)
    code = _code_of(created, "lindmark")
    seat = games.join_by_code(_typed_badly(code), CLIENT)
    assert (seat.game_id, seat.nation_id) == (created.game_id, "lindmark")
    assert seat.token == next(s.token for s in created.seats if s.nation_id == "lindmark")
    games.join_by_code(code, CLIENT)  # again, from another device: nothing new happens
    kinds = [e.event.kind for e in games.events_after(created.game_id, 0)]
    assert kinds == ["game_created", "seat_joined"]
    assert games.snapshot(created.game_id).state.nation("lindmark").controller == "human"


def test_a_code_no_seat_has_is_refused_and_changes_nothing(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=1)
    taken = {s.code for s in created.seats}
    wrong = next(
        c for c in ("ABCDEFGH", "HGFEDCBA", "23456789") if c not in taken
    )  # well formed, nobody's
    with pytest.raises(NotFound) as refused:
        games.join_by_code(wrong.lower(), CLIENT)
    assert refused.value.code == "unknown_code"
    assert grouped_code(wrong) in refused.value.message
    assert [e.event.kind for e in games.events_after(created.game_id, 0)] == ["game_created"]


def test_a_new_link_retires_the_old_code_with_the_old_token(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=1)
    old = next(s for s in created.seats if s.nation_id == "cardosa")
    fresh = games.new_seat_link(created.game_id, "cardosa")
    assert fresh.code != old.code and fresh.token != old.token
    assert len(fresh.code) == JOIN_CODE_LENGTH and set(fresh.code) <= set(JOIN_CODE_ALPHABET)
    with pytest.raises(NotFound):
        games.join_by_code(old.code, CLIENT)
    with pytest.raises(NotFound):
        games.join(old.token)
    seat = games.join_by_code(fresh.grouped_code, CLIENT)
    assert seat.nation_id == "cardosa" and seat.token == fresh.token
    assert games.seat_token(created.game_id, "cardosa") == fresh.token
    # The other seats keep theirs.
    assert games.join_by_code(_code_of(created, "arvenia"), CLIENT).nation_id == "arvenia"


def test_a_branch_seats_everyone_with_new_codes(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=1)
    branch = games.branch(created.game_id, 1)
    assert len({s.code for s in branch.seats}) == 3
    assert not {s.code for s in branch.seats} & {s.code for s in created.seats}
    seat = games.join_by_code(_code_of(branch, "arvenia"), CLIENT)
    assert seat.game_id == branch.game_id


def test_a_code_already_in_use_is_drawn_again(
    games: GameService, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = games.create_game(SCENARIO, seed=1)
    used = _code_of(first, "arvenia")
    draws: Iterator[str] = iter(
        [
            *(used, "BBBBBBBB", "CCCCCCCC"),  # one is some seat's code already
            *("DDDDDDDD", "DDDDDDDD", "EEEEEEEE"),  # twice the same
            *("FFFFFFFF", "GGGGGGGG", "HHHHHHHH"),
        ]
    )
    monkeypatch.setattr(seats_module, "new_join_code", lambda: next(draws))
    second = games.create_game(SCENARIO, seed=1)
    assert [s.code for s in second.seats] == ["FFFFFFFF", "GGGGGGGG", "HHHHHHHH"]
    # A new link draws again when the code it drew is some seat's.
    draws = iter(["GGGGGGGG", used, "JJJJJJJJ"])
    assert games.new_seat_link(first.game_id, "lindmark").code == "JJJJJJJJ"


def test_guessing_codes_is_paused_per_client(loaded_database: Database, clock: Clock) -> None:
    throttle_clock = Clock()
    games = GameService(
        loaded_database, clock=clock, join_throttle=Throttle(loaded_database, throttle_clock)
    )
    created = games.create_game(SCENARIO, seed=1)
    code = _code_of(created, "arvenia")
    wrong = "ABCDEFGH" if "ABCDEFGH" not in {s.code for s in created.seats} else "HGFEDCBA"
    for _ in range(3):  # typos that cannot be a code are not guesses
        with pytest.raises(Invalid):
            games.join_by_code("K7Q", CLIENT)
    for _ in range(JOIN_CODE_ATTEMPTS):
        with pytest.raises(NotFound):
            games.join_by_code(wrong, CLIENT)
    with pytest.raises(Invalid) as paused:  # even the right code waits
        games.join_by_code(code, CLIENT)
    assert paused.value.code == "throttled"
    assert "try again in" in paused.value.message
    # Another client is not held up by this one's guesses.
    assert games.join_by_code(code, "198.51.100.2").nation_id == "arvenia"
    throttle_clock.advance(WINDOW + 1)
    assert games.join_by_code(code, CLIENT).nation_id == "arvenia"
