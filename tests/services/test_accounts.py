"""Instructor accounts: argon2 hashes, sign-in, the first-run rule, throttled guessing,
sessions that expire unused, removal."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app.services.accounts import (
    SESSION_IDLE,
    SESSION_TOUCH_EVERY,
    SIGN_IN,
    AccountService,
    Instructor,
)
from app.services.errors import Conflict, Invalid, LoginRequired
from app.store.database import Database
from app.store.models import InstructorSession, User
from tests.conftest import Clock

PASSWORD = "correct horse battery"
CLIENT = "203.0.113.7"


def test_a_password_is_stored_as_an_argon2id_hash_and_checked(database: Database) -> None:
    accounts = AccountService(database)
    created = accounts.create(" Ada@College.example ", "Ada  Lovelace", PASSWORD)
    assert (created.email, created.display_name) == ("ada@college.example", "Ada Lovelace")
    with database.read() as session:
        stored = session.scalars(select(User)).one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored

    assert accounts.authenticate("ADA@college.example", PASSWORD, client=CLIENT) == created
    assert accounts.authenticate("ada@college.example", PASSWORD + "!", client=CLIENT) is None
    assert accounts.authenticate("nobody@college.example", PASSWORD, client=CLIENT) is None


@pytest.mark.parametrize(
    ("email", "name", "password", "code"),
    [
        ("not-an-address", "Ada", PASSWORD, "email"),
        ("ada@college.example", "   ", PASSWORD, "display_name"),
        ("ada@college.example", "Ada", "short", "password"),
        ("ada@college.example", "Ada", "x" * 2000, "password"),
    ],
)
def test_a_bad_account_is_refused_with_the_field_at_fault(
    database: Database, email: str, name: str, password: str, code: str
) -> None:
    with pytest.raises(Invalid) as refused:
        AccountService(database).create(email, name, password)
    assert refused.value.code == code
    assert not AccountService(database).has_accounts()


def test_one_account_per_address_and_the_first_run_only_once(database: Database) -> None:
    accounts = AccountService(database)
    assert not accounts.has_accounts()
    accounts.create("ada@college.example", "Ada", PASSWORD, first_only=True)
    assert accounts.has_accounts()
    with pytest.raises(Conflict):
        accounts.create("ADA@college.example", "Ada again", PASSWORD)
    with pytest.raises(Conflict):  # the first-run page cannot add a second account
        accounts.create("eve@college.example", "Eve", PASSWORD, first_only=True)
    accounts.create("grace@college.example", "Grace", PASSWORD)  # an instructor may


def test_guessing_is_paused_after_too_many_failures(database: Database, clock: Clock) -> None:
    accounts = AccountService(database, clock=clock)
    accounts.create("ada@college.example", "Ada", PASSWORD)
    for _ in range(SIGN_IN.attempts):
        assert accounts.authenticate("ada@college.example", "guess-guess", client=CLIENT) is None
    with pytest.raises(Invalid) as paused:  # even the right password waits
        accounts.authenticate("ada@college.example", PASSWORD, client=CLIENT)
    assert paused.value.code == "throttled"
    assert "try again in 300 seconds" in paused.value.message
    clock.advance(301)
    assert accounts.authenticate("ada@college.example", PASSWORD, client=CLIENT) is not None


def _last_seen(database: Database) -> list[float]:
    with database.read() as session:
        return list(session.scalars(select(InstructorSession.last_seen_at)))


def test_a_session_is_renewed_as_it_is_used_and_expires_unused(
    database: Database, clock: Clock
) -> None:
    accounts = AccountService(database, clock=clock)
    ada = accounts.create("ada@college.example", "Ada", PASSWORD)
    token = accounts.open_session(ada.id)
    opened = clock.now
    clock.advance(SESSION_TOUCH_EVERY - 1)
    assert accounts.session_instructor(token) == ada
    assert _last_seen(database) == [opened]  # a request within minutes writes nothing
    clock.advance(2)
    assert accounts.session_instructor(token) == ada
    assert _last_seen(database) == [clock.now]
    clock.advance(SESSION_IDLE - 1)  # long after the sign-in, but used since
    assert accounts.session_instructor(token) == ada
    clock.advance(SESSION_IDLE + 1)
    assert accounts.session_instructor(token) is None
    assert accounts.session_instructor("not a token of anyone's") is None


def test_two_instructors_removing_each_other_at_once_leave_one(database: Database) -> None:
    accounts = AccountService(database)
    ada = accounts.create("ada@college.example", "Ada", PASSWORD)
    grace = accounts.create("grace@college.example", "Grace", PASSWORD)
    for instructor in (ada, grace):
        accounts.open_session(instructor.id)

    def remove(actor: Instructor, other: Instructor) -> str:
        try:
            return accounts.remove(actor.id, other.id, other.email).email
        except LoginRequired:  # the other's removal came first
            return "refused"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(remove, (ada, grace), (grace, ada)))
    assert outcomes.count("refused") == 1
    assert len(accounts.instructors()) == 1
    left = accounts.instructors()[0]
    assert accounts.sessions_of(left.id) == 1
    assert accounts.sessions_of(ada.id if left == grace else grace.id) == 0
