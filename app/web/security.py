"""Security headers on every HTTP response: pages, fragments, JSON, static files, errors.

A pure ASGI middleware (not Starlette's BaseHTTPMiddleware, which would buffer responses
and does not see websockets): it only adds headers to `http.response.start`, so streaming
responses and websockets pass through untouched. And the session cookie's middleware
(`Sessions`), whose signature is checked once per cookie.
"""

from __future__ import annotations

from typing import Any, Literal

import itsdangerous
from itsdangerous.encoding import want_bytes
from itsdangerous.exc import SignatureExpired
from starlette.middleware.sessions import SessionMiddleware
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


class Sessions(SessionMiddleware):
    """Starlette's signed-cookie sessions, with a signer that checks each cookie once."""

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
