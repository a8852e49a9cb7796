"""Instructor accounts: argon2 hashes, sign-in, the first-run rule, throttled guessing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services.accounts import SIGN_IN, AccountService
from app.services.errors import Conflict, Invalid
from app.store.database import Database
from app.store.models import User
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
