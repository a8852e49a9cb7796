"""Security headers on every HTTP response: pages, fragments, JSON, static files, errors.

A pure ASGI middleware (not Starlette's BaseHTTPMiddleware, which would buffer responses
and does not see websockets): it only adds headers to `http.response.start`, so streaming
responses and websockets pass through untouched.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
