"""Instructor sessions are kept on the server: signing out, a password change and the
removal of an account end them at once, on every process serving the database (here two
apps on one database stand for two processes)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.config import Settings
from app.services.games import CreatedGame
from app.web.app import create_app
from tests.web.helpers import PASSWORD, csrf_of

ADA = "ada@college.example"
GRACE = "grace@college.example"
SIGN_IN_PAGE = "/login?next=%2Fcontrol"


@pytest.fixture
def app(app_and_game: tuple[object, CreatedGame]) -> FastAPI:
    app = app_and_game[0]
    assert isinstance(app, FastAPI)
    app.state.container.accounts.create(ADA, "Ada Lovelace", PASSWORD)
    return app


@pytest.fixture
def other_process(settings: Settings) -> Iterator[FastAPI]:
    """A second app on the same database, as a second replica behind the proxy."""
    app = create_app(settings)
    yield app
    app.state.container.database.dispose()


def _client(app: FastAPI) -> TestClient:
    return TestClient(app, follow_redirects=False)


def _signed_in(app: FastAPI, email: str = ADA, password: str = PASSWORD) -> TestClient:
    client = _client(app)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return client


def _copy_of(client: TestClient, app: FastAPI) -> TestClient:
    """Another browser holding a copy of `client`'s cookie (taken off the wire, say)."""
    copy = _client(app)
    copy.cookies.set("entente_session", client.cookies["entente_session"])
    return copy


def test_a_cookie_copied_before_sign_out_is_refused_after_it_on_every_process(
    app: FastAPI, other_process: FastAPI
) -> None:
    ada = _signed_in(app)
    copy = _copy_of(ada, other_process)
    assert copy.get("/control").status_code == 200  # the session is good on both

    token = csrf_of(ada.get("/control").text)
    assert ada.post("/logout", data={"csrf_token": token}).status_code == 303

    assert copy.get("/control").headers["location"] == SIGN_IN_PAGE
    assert _copy_of(ada, app).get("/control").headers["location"] == SIGN_IN_PAGE
    assert ada.get("/control").headers["location"] == SIGN_IN_PAGE


def test_signing_in_again_starts_a_new_session_and_ends_the_one_before(app: FastAPI) -> None:
    ada = _signed_in(app)
    before = _copy_of(ada, app)
    token = csrf_of(ada.get("/control").text)  # the sign-in form again, in the same browser
    again = ada.post("/login", data={"email": ADA, "password": PASSWORD, "csrf_token": token})
    assert again.status_code == 303
    assert ada.get("/control").status_code == 200
    assert before.get("/control").headers["location"] == SIGN_IN_PAGE


def test_removing_an_account_ends_its_open_sessions_at_once(
    app: FastAPI, other_process: FastAPI
) -> None:
    ada = _signed_in(app)
    grace_id = app.state.container.accounts.create(GRACE, "Grace Hopper", PASSWORD).id
    grace = _signed_in(other_process, GRACE)
    assert grace.get("/control").status_code == 200

    page = ada.get("/control/instructors")
    assert f'action="/control/instructors/{grace_id}/remove"' in page.text
    assert page.text.count('/remove"') == 1  # Grace's form; none for Ada's own account
    token = csrf_of(page.text)
    remove = f"/control/instructors/{grace_id}/remove"
    assert ada.post(remove, data={"confirm_email": GRACE}).status_code == 403  # no CSRF
    typo = ada.post(remove, data={"confirm_email": "grace@", "csrf_token": token})
    assert typo.status_code == 400 and f"type their email address {GRACE}" in typo.text
    assert grace.get("/control").status_code == 200  # nothing happened

    done = ada.post(remove, data={"confirm_email": GRACE.upper(), "csrf_token": token})
    assert done.status_code == 200
    assert f"The account of Grace Hopper ({GRACE}) is removed." in done.text
    assert grace.get("/control").headers["location"] == SIGN_IN_PAGE
    assert GRACE not in ada.get("/control/instructors").text
    again = _client(app)
    token_again = csrf_of(again.get("/login").text)
    refused = again.post(
        "/login", data={"email": GRACE, "password": PASSWORD, "csrf_token": token_again}
    )
    assert refused.status_code == 400

    gone = ada.post(remove, data={"confirm_email": GRACE, "csrf_token": token})
    assert gone.status_code == 404


def test_an_instructor_cannot_remove_their_own_account_so_not_the_last(app: FastAPI) -> None:
    ada = _signed_in(app)
    page = ada.get("/control/instructors")
    token = csrf_of(page.text)
    ada_id = app.state.container.accounts.instructors()[0].id
    own = ada.post(
        f"/control/instructors/{ada_id}/remove", data={"confirm_email": ADA, "csrf_token": token}
    )
    assert own.status_code == 400 and "cannot remove your own account" in own.text
    assert ada.get("/control").status_code == 200
    assert app.state.container.accounts.has_accounts()


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
    app: FastAPI, other_process: FastAPI
) -> None:
    ada = _signed_in(app)
    laptop = _signed_in(other_process)  # Ada's other browser, on the other replica
    page = ada.get("/control/instructors")
    assert "Change my password" in page.text
    token = csrf_of(page.text)
    new = "a much better passphrase"
    change = "/control/instructors/password"

    form = {"current_password": PASSWORD, "new_password": new, "confirm_password": new}
    assert ada.post(change, data=form).status_code == 403  # no CSRF
    wrong = ada.post(
        change, data={**form, "current_password": "not it at all", "csrf_token": token}
    )
    assert wrong.status_code == 400 and "The current password is wrong." in wrong.text
    differ = ada.post(change, data={**form, "confirm_password": "other", "csrf_token": token})
    assert differ.status_code == 400 and "The two new passwords differ" in differ.text
    short = ada.post(
        change,
        data={**form, "new_password": "short", "confirm_password": "short", "csrf_token": token},
    )
    assert short.status_code == 400 and "at least 10 characters" in short.text
    assert laptop.get("/control").status_code == 200  # nothing changed yet

    done = ada.post(change, data={**form, "csrf_token": token})
    assert done.status_code == 200
    assert "Your password is changed. 1 other session signed out." in done.text
    assert ada.get("/control").status_code == 200  # this browser stays signed in
    assert laptop.get("/control").headers["location"] == SIGN_IN_PAGE

    _signed_in(other_process, ADA, new)
    stale = _client(app)
    token = csrf_of(stale.get("/login").text)
    old = stale.post("/login", data={"email": ADA, "password": PASSWORD, "csrf_token": token})
    assert old.status_code == 400


def test_an_instructor_resets_a_colleagues_forgotten_password(
    app: FastAPI, other_process: FastAPI
) -> None:
    ada = _signed_in(app)
    grace_id = app.state.container.accounts.create(GRACE, "Grace Hopper", PASSWORD).id
    ada_id = app.state.container.accounts.by_email(ADA).id
    grace = _signed_in(other_process, GRACE)
    page = ada.get("/control/instructors")
    assert f'action="/control/instructors/{grace_id}/password"' in page.text
    assert f'action="/control/instructors/{ada_id}/password"' not in page.text  # her own: change
    token = csrf_of(page.text)
    reset = f"/control/instructors/{grace_id}/password"
    new = "a fresh start for Grace"
    form = {"new_password": new, "confirm_password": new}
    assert ada.post(reset, data=form).status_code == 403  # no CSRF
    differ = ada.post(reset, data={**form, "confirm_password": "other", "csrf_token": token})
    assert differ.status_code == 400 and "The two new passwords differ" in differ.text
    short = ada.post(
        reset, data={"new_password": "short", "confirm_password": "short", "csrf_token": token}
    )
    assert short.status_code == 400 and "at least 10 characters" in short.text
    own = ada.post(f"/control/instructors/{ada_id}/password", data={**form, "csrf_token": token})
    assert own.status_code == 400 and "Change your own password" in own.text
    assert grace.get("/control").status_code == 200  # nothing happened yet

    done = ada.post(reset, data={**form, "csrf_token": token})
    assert done.status_code == 200 and "Grace Hopper&#39;s password is reset" in done.text
    assert grace.get("/control").headers["location"] == SIGN_IN_PAGE
    _signed_in(other_process, GRACE, new)
    missing = ada.post("/control/instructors/999999/password", data={**form, "csrf_token": token})
    assert missing.status_code == 404
