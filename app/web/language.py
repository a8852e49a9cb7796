"""Each person's language: chosen with the switch on every page and kept in the session,
else the browser's (Accept-Language). Set for the whole of each request and websocket,
so every text written for them (pages, fragments, errors) is in their language."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from app.i18n import negotiate, supported, use_language
from app.web.deps import safe_next

SESSION_KEY = "lang"


def chosen_language(scope: Scope) -> str:
    """The session's choice, else the best match for the browser's languages."""
    session: Any = scope.get("session") or {}
    chosen = supported(session.get(SESSION_KEY)) if isinstance(session, dict) else None
    if chosen is not None:
        return chosen
    for name, value in scope.get("headers") or ():
        if name == b"accept-language":
            return negotiate(value.decode("latin-1"))
    return negotiate(None)


class LanguageMiddleware:
    """Inside the session middleware: reads the session's choice for each request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        with use_language(chosen_language(scope)):
            await self.app(scope, receive, send)


def offer_language(connection: HTTPConnection, language: str | None) -> None:
    """A game's default language (control's choice for the exercise) for a person who
    has chosen none: their own choice, once made, always wins."""
    session = connection.session
    chosen = supported(language)
    if chosen is not None and supported(session.get(SESSION_KEY)) is None:
        session[SESSION_KEY] = chosen


router = APIRouter()


@router.get("/language")
async def choose_language(request: Request, lang: str = "", next: str = "/") -> Response:
    """The switch on every page: remember the choice, and go back where it was made. An
    unknown language is ignored (the page stays as it was)."""
    language = supported(lang)
    if language is not None:
        request.session[SESSION_KEY] = language
    return RedirectResponse(safe_next(next, "/"), status_code=303)
