"""Request dependencies: the container, the viewer behind a session, CSRF."""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import unquote_to_bytes, urlsplit

from fastapi import Depends, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from app import rules
from app.i18n import gettext
from app.rules.state import RED_CELL_SEAT
from app.rules.text import text_problem
from app.services.accounts import Instructor
from app.services.errors import Forbidden, Invalid, LoginRequired, NotFound
from app.services.seats import NOT_YOUR_SEAT
from app.web.container import Container

CSRF_HEADER = "X-CSRF-Token"

MAX_STORED_INT = 2**31 - 1
"""The largest integer every database's columns hold (PostgreSQL's `integer`): a larger one
in an address can name nothing, and must be a 422, not a database error."""
StoredNumber = Annotated[int, Path(ge=1, le=MAX_STORED_INT)]
"""A number in an address that names a stored row (a scenario version, an account)."""


# Bytes no address of this application contains once percent-decoded.
_CONTROL_BYTES = frozenset(range(0x20)) | {0x7F}


def check_address(connection: HTTPConnection) -> None:
    """Every route: a path or query with a control character, or a character that cannot be
    encoded, names nothing here. Refused before any query runs (PostgreSQL answers NUL
    with an error, not a miss)."""
    if text_problem(connection.scope.get("path", ""), max_length=4096, one_line=True):
        raise NotFound(gettext("There is nothing at this address."))
    query = connection.scope.get("query_string", b"")
    if len(query) > 8192 or _CONTROL_BYTES.intersection(unquote_to_bytes(query)):
        raise Invalid(
            gettext("The address's query has characters it may not have."), "invalid_request"
        )


async def address_checked(connection: HTTPConnection) -> None:
    """`check_address` as the app's dependency: async, though it awaits nothing, because
    FastAPI runs a plain `def` dependency in its thread pool, a hop to a worker thread on
    every request."""
    check_address(connection)


def get_container(connection: HTTPConnection) -> Container:
    container: Container = connection.app.state.container
    return container


async def _container(connection: HTTPConnection) -> Container:
    """`get_container` as a dependency: async, so FastAPI calls it on the event loop rather
    than hopping to its thread pool on every request."""
    return get_container(connection)


ContainerDep = Annotated[Container, Depends(_container)]


def public_site(connection: HTTPConnection) -> str:
    """The base of printed links: ENTENTE_PUBLIC_URL when set (what players type, with
    https:// when TLS ends before the proxy), else the address the instructor used, which
    players on that network can reach too."""
    public_url = get_container(connection).settings.public_url
    return (public_url or str(connection.base_url)).rstrip("/")


def seats_in_session(connection: HTTPConnection) -> dict[str, list[str]]:
    """The seats this browser holds: game id -> nation ids (one browser may hold several)."""
    raw: Any = connection.session.get("seats", {})
    if not isinstance(raw, dict):
        return {}
    seats: dict[str, list[str]] = {}
    for game_id, nations in raw.items():
        if isinstance(nations, str):  # the shape before one browser could hold two seats
            nations = [nations]
        if isinstance(game_id, str) and isinstance(nations, list):
            seats[game_id] = [n for n in nations if isinstance(n, str)]
    return seats


def remember_seat(connection: HTTPConnection, game_id: str, nation_id: str, token: str) -> None:
    seats = seats_in_session(connection)
    held = seats.setdefault(game_id, [])
    if nation_id not in held:
        held.append(nation_id)
    connection.session["seats"] = seats
    # The link the seat was taken with: when control issues a new one, this browser's
    # hold on the seat ends with the old link.
    tokens: Any = connection.session.get("seat_tokens", {})
    tokens = dict(tokens) if isinstance(tokens, dict) else {}
    tokens[f"{game_id}/{nation_id}"] = token
    connection.session["seat_tokens"] = tokens


def viewer_for(connection: HTTPConnection, game_id: str, nation_id: str) -> rules.Viewer | None:
    """The nation's viewer if this browser holds that seat; pages name the seat they act for,
    so two seats open in one browser never act for each other."""
    held = held_seat_token(connection, game_id, nation_id)
    if held is None:
        return None
    current = get_container(connection).games.seat_token(game_id, nation_id)
    if current is None or not secrets.compare_digest(held.encode(), current.encode()):
        return None  # the seat's link was replaced (or never taken in this browser)
    if nation_id == RED_CELL_SEAT:
        return rules.Viewer.red_cell()
    return rules.Viewer.of_nation(nation_id)


def held_seat_token(connection: HTTPConnection, game_id: str, nation_id: str) -> str | None:
    """The join token this browser took the seat with, if it holds the seat."""
    if nation_id not in seats_in_session(connection).get(game_id, []):
        return None
    tokens: Any = connection.session.get("seat_tokens", {})
    held = tokens.get(f"{game_id}/{nation_id}") if isinstance(tokens, dict) else None
    return held if isinstance(held, str) else None


def require_viewer(connection: HTTPConnection, game_id: str, nation_id: str) -> rules.Viewer:
    viewer = viewer_for(connection, game_id, nation_id)
    if viewer is None:
        raise Forbidden(gettext(NOT_YOUR_SEAT))
    return viewer


def require_held_seat(connection: HTTPConnection, game_id: str, nation_id: str) -> str:
    """The join token this browser holds the seat with, for an action to check in its own
    transaction (`GameService.act(seat_token=...)`); Forbidden if it holds none."""
    held = held_seat_token(connection, game_id, nation_id)
    if held is None:
        raise Forbidden(gettext(NOT_YOUR_SEAT))
    return held


def observing(connection: HTTPConnection, game_id: str) -> rules.Viewer | None:
    """The observer viewer if this browser opened the game's observer link."""
    watched: Any = connection.session.get("observing", [])
    if isinstance(watched, list) and game_id in watched:
        return rules.Viewer.observer()
    return None


def remember_observing(connection: HTTPConnection, game_id: str) -> None:
    watched: Any = connection.session.get("observing", [])
    watched = [g for g in watched if isinstance(g, str)] if isinstance(watched, list) else []
    if game_id not in watched:
        watched.append(game_id)
    connection.session["observing"] = watched[-20:]


def csrf_token(connection: HTTPConnection) -> str:
    token = connection.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        connection.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Forms and htmx requests carry the session's token (header or field)."""
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(expected, sent):
        raise Forbidden(
            gettext("The form expired or came from another site; reload the page."), "csrf"
        )


def origin_allowed(connection: HTTPConnection, trusted: list[str]) -> bool:
    """Browsers always send Origin on websockets; it must be this site (or a trusted one)."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True  # not a browser: cross-site websocket hijacking needs a browser
    host = connection.headers.get("host", "")
    return urlsplit(origin).netloc == host or origin.rstrip("/") in {t.rstrip("/") for t in trusted}


# --- instructors ------------------------------------------------------------------------

SESSION_TOKEN = "instructor_session"
"""The cookie's key for the instructor's session token; the session itself, and whether
it is still valid, is in the database (AccountService.session_instructor)."""
_LEGACY_SESSION_USER = "instructor_id"  # cookies from before server-side sessions


def client_address(connection: HTTPConnection) -> str:
    """The client's address, for throttles. uvicorn puts the X-Forwarded-For address here
    only when the direct peer is a trusted proxy (ENTENTE_TRUSTED_PROXIES, app/cli.py)."""
    return connection.client.host if connection.client else "unknown"


def session_token(connection: HTTPConnection) -> str | None:
    token = connection.session.get(SESSION_TOKEN)
    return token if isinstance(token, str) else None


def current_instructor(connection: HTTPConnection) -> Instructor | None:
    """The signed-in instructor, if any: the cookie's token is looked up in the database
    once per request, so a session ended anywhere is refused at once."""
    cached = connection.scope.get("entente.instructor", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    connection.session.pop(_LEGACY_SESSION_USER, None)
    token = session_token(connection)
    instructor = get_container(connection).accounts.session_instructor(token) if token else None
    if instructor is None and token is not None:
        connection.session.pop(SESSION_TOKEN, None)  # ended: signed out, removed, expired
    connection.scope["entente.instructor"] = instructor
    return instructor


def require_instructor(connection: HTTPConnection) -> Instructor:
    """Every control endpoint depends on this: no instructor, no access. Pages answer with
    a redirect to the sign-in page (app.py), everything else with 401/403."""
    instructor = current_instructor(connection)
    if instructor is None:
        raise LoginRequired(gettext("Sign in as an instructor to use the control pages."))
    return instructor


InstructorDep = Annotated[Instructor, Depends(require_instructor)]


async def sign_in(connection: HTTPConnection, instructor: Instructor) -> None:
    """A new session (and a fresh CSRF token: one planted before it is worthless); the
    browser's previous session, if any, ends."""
    token = await run_in_threadpool(
        get_container(connection).accounts.open_session,
        instructor.id,
        replacing=session_token(connection),
    )
    connection.session[SESSION_TOKEN] = token
    connection.session["csrf"] = secrets.token_urlsafe(24)
    connection.scope["entente.instructor"] = instructor


async def sign_out(connection: HTTPConnection) -> None:
    token = session_token(connection)
    if token is not None:
        await run_in_threadpool(get_container(connection).accounts.close_session, token)
    connection.session.pop(SESSION_TOKEN, None)
    connection.session["csrf"] = secrets.token_urlsafe(24)
    connection.scope["entente.instructor"] = None


def safe_next(target: str | None, default: str = "/control") -> str:
    """Only a path on this site: never an absolute or scheme-relative URL."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target
