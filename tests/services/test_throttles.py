"""Throttles on guessing hold under concurrency and across processes: the attempt is
counted in the database before the secret is checked, so of many concurrent wrong
passwords (or join codes) at most the limit are checked, and two services sharing one
database (two serving processes) share one count. Sign-in is keyed on the address and the
account, so guessing from one address locks no one out elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.services.accounts import SIGN_IN, SIGN_IN_ADDRESS, AccountService
from app.services.errors import Invalid, NotFound
from app.services.games import JOIN_CODE_ATTEMPTS, GameService
from app.services.throttles import PRUNE_EVERY, WINDOW, Throttle
from app.store.database import Database
from app.store.models import ThrottleAttempt
from tests.conftest import Clock

PASSWORD = "correct horse battery"
ADA = "ada@college.example"
ATTACKER = "198.51.100.66"
ADA_AT_WORK = "203.0.113.7"
CONCURRENT = 60


class CountingHasher(PasswordHasher):
    """argon2 as the service has it, counting the passwords it checks."""

    def __init__(self) -> None:
        super().__init__()
        self.checked: list[str] = []  # list.append is atomic: threads may share it

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.checked.append(str(password))
        return super().verify(hash, password)


def _outcomes(attempt: Callable[[], object], times: int) -> list[str]:
    """`attempt` run `times` times at once, on as many threads: what each gave."""

    def one(_: int) -> str:
        try:
            return "accepted" if attempt() else "wrong"
        except (Invalid, NotFound) as refused:
            return refused.code

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(one, range(times)))


def _recorded(database: Database) -> list[str]:
    with database.read() as session:
        return list(session.scalars(select(ThrottleAttempt.key)))


def test_of_sixty_concurrent_wrong_passwords_only_the_limit_are_checked(
    database: Database,
) -> None:
    accounts = AccountService(database)
    accounts.create(ADA, "Ada", PASSWORD)
    hasher = accounts.hasher = CountingHasher()

    outcomes = _outcomes(
        lambda: accounts.authenticate(ADA, "guess-guess", client=ATTACKER), CONCURRENT
    )

    assert outcomes.count("wrong") == SIGN_IN.attempts
    assert outcomes.count("throttled") == CONCURRENT - SIGN_IN.attempts
    assert len(hasher.checked) == SIGN_IN.attempts
    assert _recorded(database).count(f"sign-in:{ATTACKER} {ADA}") == SIGN_IN.attempts


def test_of_sixty_concurrent_wrong_join_codes_only_the_limit_are_looked_up(
    loaded_database: Database, clock: Clock
) -> None:
    games = GameService(loaded_database, clock=clock)
    games.create_game("meridian-strait", seed=1)

    outcomes = _outcomes(lambda: games.join_by_code("ABCD-EFGH", ATTACKER), CONCURRENT)

    assert outcomes.count("unknown_code") == JOIN_CODE_ATTEMPTS
    assert outcomes.count("throttled") == CONCURRENT - JOIN_CODE_ATTEMPTS


def test_two_processes_share_one_count(loaded_database: Database, clock: Clock) -> None:
    """Two services, each with its own engine on one database, as two replicas have."""
    other_database = Database(loaded_database.url)
    try:
        first, second = AccountService(loaded_database), AccountService(other_database)
        first.create(ADA, "Ada", PASSWORD)
        for n in range(SIGN_IN.attempts):
            replica = first if n % 2 else second
            assert replica.authenticate(ADA, "guess-guess", client=ATTACKER) is None
        for replica in (first, second):
            with pytest.raises(Invalid) as paused:
                replica.authenticate(ADA, PASSWORD, client=ATTACKER)
            assert paused.value.code == "throttled"

        games = GameService(loaded_database, clock=clock)
        other_games = GameService(other_database, clock=clock)
        code = games.create_game("meridian-strait", seed=1).seats[0].code
        for n in range(JOIN_CODE_ATTEMPTS):
            with pytest.raises(NotFound):
                (games if n % 2 else other_games).join_by_code("ABCD-EFGH", ATTACKER)
        for replica_games in (games, other_games):
            with pytest.raises(Invalid) as paused:
                replica_games.join_by_code(code, ATTACKER)
            assert paused.value.code == "throttled"
    finally:
        other_database.dispose()


def test_a_flood_from_one_address_does_not_lock_the_account_for_another(
    database: Database,
) -> None:
    accounts = AccountService(database)
    ada = accounts.create(ADA, "Ada", PASSWORD)
    for _ in range(SIGN_IN.attempts):
        assert accounts.authenticate(ADA, "guess-guess", client=ATTACKER) is None
    with pytest.raises(Invalid):
        accounts.authenticate(ADA, PASSWORD, client=ATTACKER)
    assert accounts.authenticate(ADA, PASSWORD, client=ADA_AT_WORK) == ada


def test_one_address_cannot_spray_many_accounts(database: Database) -> None:
    accounts = AccountService(database)
    ada = accounts.create(ADA, "Ada", PASSWORD)
    for n in range(SIGN_IN_ADDRESS.attempts):  # a few guesses at each of many accounts
        email = f"victim{n // 3}@college.example"
        assert accounts.authenticate(email, "guess-guess", client=ATTACKER) is None
    with pytest.raises(Invalid) as paused:  # an account it has not tried yet
        accounts.authenticate(ADA, PASSWORD, client=ATTACKER)
    assert paused.value.code == "throttled"
    assert accounts.authenticate(ADA, PASSWORD, client=ADA_AT_WORK) == ada


def test_a_good_sign_in_forgets_the_accounts_failures_from_that_address(
    database: Database,
) -> None:
    accounts = AccountService(database)
    accounts.create(ADA, "Ada", PASSWORD)
    for _ in range(SIGN_IN.attempts - 1):  # typos
        assert accounts.authenticate(ADA, "guess-guess", client=ADA_AT_WORK) is None
    assert accounts.authenticate(ADA, PASSWORD, client=ADA_AT_WORK) is not None
    keys = _recorded(database)
    assert f"sign-in:{ADA_AT_WORK} {ADA}" not in keys
    # The address's count over all accounts keeps them: no resetting it with one's own.
    assert keys.count(f"sign-in-address:{ADA_AT_WORK}") == SIGN_IN.attempts - 1
    for _ in range(SIGN_IN.attempts):
        assert accounts.authenticate(ADA, "guess-guess", client=ADA_AT_WORK) is None


def test_attempts_older_than_the_window_are_pruned(database: Database, clock: Clock) -> None:
    accounts = AccountService(database, clock=clock)
    for n in range(5):
        accounts.authenticate(f"n{n}@college.example", "guess-guess", client=f"192.0.2.{n}")
    assert len(_recorded(database)) == 10  # the account's key and the address's, each
    clock.advance(max(WINDOW, PRUNE_EVERY) + 1)
    accounts.authenticate(ADA, "guess-guess", client=ATTACKER)
    assert sorted(_recorded(database)) == [
        f"sign-in-address:{ATTACKER}",
        f"sign-in:{ATTACKER} {ADA}",
    ]


def test_a_process_that_dies_after_reserving_leaves_a_failure(
    database: Database, clock: Clock
) -> None:
    """The attempt is counted before the check: a crash in between fails closed."""
    throttle = Throttle(database, clock)
    key = SIGN_IN.key(f"{ATTACKER} {ADA}")
    for _ in range(SIGN_IN.attempts):
        throttle.reserve([key])  # and never released
    accounts = AccountService(database, clock=clock)
    with pytest.raises(Invalid) as paused:
        accounts.authenticate(ADA, PASSWORD, client=ATTACKER)
    assert paused.value.code == "throttled"
