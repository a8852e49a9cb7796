"""Security headers on every HTTP response: pages, fragments, JSON, static files, errors.

A pure ASGI middleware (not Starlette's BaseHTTPMiddleware, which would buffer responses
and does not see websockets): it only adds headers to `http.response.start`, so streaming
responses and websockets pass through untouched. And the session cookie's middleware
(`Sessions`), whose signature is checked once per cookie.
"""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from typing import Any, Literal

import itsdangerous
from itsdangerous.encoding import want_bytes
from itsdangerous.exc import BadSignature, SignatureExpired
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import Session, SessionMiddleware
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.services.lru import LRU

# Every script and style is a file under /static: no inline <script>, on*= or hx-on
# attribute, style= attribute or <style> block (htmx's own indicator <style> is switched
# off in base.html), and htmx never evaluates code (allowEval is false), so neither
# 'unsafe-inline' nor 'unsafe-eval' is needed. img-src allows data: for the icons that
# Swagger UI's stylesheet embeds. connect-src 'self' covers the page's same-origin
# websocket (CSP 3 matches ws:/wss: of the page's own host and port to 'self').
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers without CSP 2
    "X-Content-Type-Options": "nosniff",
    # Join and observer links carry their secret in the URL: never send it on.
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    ),
}


_RAW_HEADERS = [
    (name.lower().encode("latin-1"), value.encode("latin-1"))
    for name, value in SECURITY_HEADERS.items()
]
_RAW_NAMES = frozenset(name for name, _ in _RAW_HEADERS)


class SecurityHeaders:
    """Sets SECURITY_HEADERS on every HTTP response (replacing any a route set)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Encoded once: setting each through MutableHeaders encoded it and scanned
                # the list, eight times on every request (the JSON API's every action).
                # Names are lower case in ASGI, as MutableHeaders compares them too.
                headers = [h for h in message.get("headers", ()) if h[0] not in _RAW_NAMES]
                message["headers"] = headers + _RAW_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _RememberingSigner(itsdangerous.TimestampSigner):
    """The session cookie's signer, remembering the cookies whose signature it checked:
    every request of a page or of the JSON API sends the same cookie, and checking its
    HMAC again each time was most of reading the session. A remembered cookie is the
    same bytes under the same key; its age is still checked on every request."""

    def __init__(self, secret_key: str, size: int = 4096) -> None:
        super().__init__(secret_key)
        self._checked = LRU(size)  # signed cookie -> (value, when it was signed)

    def unsign(
        self, signed_value: str | bytes, max_age: int | None = None, return_timestamp: bool = False
    ) -> Any:
        if return_timestamp:  # not what the session middleware asks for
            return super().unsign(signed_value, max_age, return_timestamp=True)
        key = (want_bytes(signed_value),)
        checked: tuple[bytes, int] | None = self._checked.get(key)
        if checked is None:
            value, signed_at = super().unsign(signed_value, max_age, return_timestamp=True)
            self._checked.put(key, (value, int(signed_at.timestamp())))
            return value
        value, stamp = checked
        age = self.get_timestamp() - stamp
        # As TimestampSigner.unsign: too old, or signed in the future.
        if max_age is not None and (age > max_age or age < 0):
            raise SignatureExpired(f"Signature age {age} > {max_age} seconds")
        return value


def _cookie(scope: Scope, name: str) -> str | None:
    """The request's cookie `name`, read as `HTTPConnection.cookies` reads it (every Cookie
    header, the last one naming it wins) without building the request's headers and its
    every cookie on each request."""
    found = None
    for key, value in scope["headers"]:
        if key == b"cookie":
            found = cookie_parser(value.decode("latin-1")).get(name, found)
    return found


class Sessions(SessionMiddleware):
    """Starlette's signed-cookie sessions, with a signer that checks each cookie once.

    `__call__` is Starlette's, leaner on every request (the JSON API's every action, a
    third of its layers' CPU): the session cookie alone is read from the raw headers, a
    websocket's frames go out unwrapped (no cookie is ever set on them), and an answer
    whose session was only read gets its `Vary: Cookie` appended to its raw headers
    rather than through MutableHeaders. Its cookie, when the session changed, is written
    as Starlette writes it (tests/web/test_session_middleware.py compares the two)."""

    def __init__(
        self,
        app: ASGIApp,
        secret_key: str,
        session_cookie: str = "session",
        max_age: int | None = 14 * 24 * 60 * 60,
        same_site: Literal["lax", "strict", "none"] = "lax",
        https_only: bool = False,
    ) -> None:
        super().__init__(
            app,
            secret_key,
            session_cookie=session_cookie,
            max_age=max_age,
            same_site=same_site,
            https_only=https_only,
        )
        self.signer = _RememberingSigner(secret_key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return

        cookie = _cookie(scope, self.session_cookie)
        initial_session_was_empty = True
        if cookie is not None:
            try:
                data = self.signer.unsign(cookie.encode("utf-8"), max_age=self.max_age)
                scope["session"] = Session(json.loads(b64decode(data)))
                initial_session_was_empty = False
            except BadSignature:
                scope["session"] = Session()
        else:
            scope["session"] = Session()

        if scope["type"] == "websocket":  # its messages are never an HTTP response's start
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add_headers(message, scope["session"], initial_session_was_empty)
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _add_headers(self, message: Message, session: Session, was_empty: bool) -> None:
        """Starlette's `Vary` and `Set-Cookie` for the response that `message` starts."""
        headers = message.setdefault("headers", [])
        if not isinstance(headers, list):  # ASGI allows any iterable
            headers = message["headers"] = list(headers)
        if session.accessed:
            if all(name != b"vary" for name, _ in headers):
                headers.append((b"vary", b"Cookie"))
            else:  # joined to the Vary the response has
                MutableHeaders(scope=message).add_vary_header("Cookie")
        if not session.modified or not (session or not was_empty):
            return
        if session:  # the session's data, to persist
            data = self.signer.sign(b64encode(json.dumps(session).encode("utf-8"))).decode()
            ending = f"Max-Age={self.max_age}; " if self.max_age is not None else ""
        else:  # cleared
            data, ending = "null", "expires=Thu, 01 Jan 1970 00:00:00 GMT; "
        value = f"{self.session_cookie}={data}; path={self.path}; {ending}{self.security_flags}"
        message["headers"].append((b"set-cookie", value.encode("latin-1")))
