"""`app.web.security.Sessions` answers as Starlette's SessionMiddleware does, byte for byte:
the same session read from the same Cookie headers, the same `Vary` and `Set-Cookie` on
every response (read, changed, cleared, untouched); and a websocket reads its session too."""

from __future__ import annotations

import asyncio
import json
from base64 import b64encode
from collections.abc import Callable
from typing import Any

import pytest
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import Message, Receive, Scope, Send

from app.web.security import Sessions

# They call asyncio.run(), also on a worker that ran the browser tests first.
pytestmark = pytest.mark.usefixtures("no_event_loop_left_running")

SECRET = "test-secret"
NOW = 1_700_000_000

Handle = Callable[[dict[str, Any]], None]


def _reads(session: dict[str, Any]) -> None:
    session.get("seats")


def _writes(session: dict[str, Any]) -> None:
    session["lang"] = "fr"


def _clears(session: dict[str, Any]) -> None:
    session.clear()


def _nothing(session: dict[str, Any]) -> None:
    pass


def _app(handle: Handle, seen: list[dict[str, Any]], vary: bytes | None) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        session = scope["session"]
        seen.append(dict(session))
        if handle is not _nothing:
            session.mark_accessed()  # as request.session does
        handle(session)
        headers = [(b"content-type", b"application/json")]
        if vary is not None:
            headers.append((b"vary", vary))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}"})

    return app


def _run(middleware: Any, cookies: list[bytes]) -> list[Message]:
    middleware.signer.get_timestamp = lambda: NOW  # the same second for both signers
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(b"host", b"x")] + [(b"cookie", c) for c in cookies],
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(middleware(scope, receive, send))
    return sent


def _signed(session: dict[str, Any]) -> bytes:
    middleware = SessionMiddleware(_app(_nothing, [], None), SECRET)
    middleware.signer.get_timestamp = lambda: NOW  # type: ignore[method-assign]
    return middleware.signer.sign(b64encode(json.dumps(session).encode()))


HELD = {"seats": {"g1": ["arvenia"]}, "seat_tokens": {"g1/arvenia": "t"}, "csrf": "c"}


@pytest.mark.parametrize("handle", [_reads, _writes, _clears, _nothing])
@pytest.mark.parametrize("vary", [None, b"Accept-Encoding"])
@pytest.mark.parametrize(
    "cookies",
    [
        [],
        [b"entente_session=" + _signed(HELD)],
        [b"other=1; entente_session=" + _signed(HELD) + b"; more=2"],
        [b"entente_session=" + _signed({}), b"entente_session=" + _signed(HELD)],
        [b"entente_session=" + _signed(HELD)[:-2] + b"xx"],  # tampered
        [b'entente_session="' + _signed(HELD) + b'"'],  # quoted
        [b"entente_session=" + _signed({"lang": "fr"}), b"other=3"],
    ],
)
def test_it_answers_as_starlettes_session_middleware(
    handle: Handle, vary: bytes | None, cookies: list[bytes]
) -> None:
    ours: list[dict[str, Any]] = []
    theirs: list[dict[str, Any]] = []
    options = {"session_cookie": "entente_session", "max_age": 3600, "https_only": True}
    ours_sent = _run(Sessions(_app(handle, ours, vary), SECRET, **options), cookies)
    theirs_sent = _run(SessionMiddleware(_app(handle, theirs, vary), SECRET, **options), cookies)
    assert ours == theirs
    assert ours_sent == theirs_sent


def test_a_changed_session_is_saved_and_read_back() -> None:
    seen: list[dict[str, Any]] = []
    first = _run(Sessions(_app(_writes, seen, None), SECRET), [])
    cookie = dict(first[0]["headers"])[b"set-cookie"].split(b";")[0]
    _run(Sessions(_app(_reads, seen, None), SECRET), [cookie])
    assert seen == [{}, {"lang": "fr"}]


def test_a_websocket_reads_its_session_and_its_messages_pass_unchanged() -> None:
    got: list[Any] = []
    sent: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        got.append(dict(scope["session"]))
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "hello"})

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "websocket.connect"}

    middleware = Sessions(app, SECRET, session_cookie="entente_session", max_age=3600)
    middleware.signer.get_timestamp = lambda: NOW  # type: ignore[method-assign]
    cookie = b"entente_session=" + _signed(HELD)
    scope = {"type": "websocket", "path": "/ws", "headers": [(b"cookie", cookie)]}
    asyncio.run(middleware(scope, receive, send))
    assert got == [HELD]
    assert sent == [{"type": "websocket.accept"}, {"type": "websocket.send", "text": "hello"}]
