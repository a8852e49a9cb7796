"""The FastAPI application: middleware, routes, error pages and background clock."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from app import __version__
from app.config import PROJECT_ROOT, Settings, get_settings
from app.i18n import N_, gettext
from app.scenarios.pydantic_messages import pydantic_message
from app.services.errors import LoginRequired, ServiceError
from app.services.games import Clock
from app.web import action_schemas, language
from app.web.container import Container, build_container
from app.web.deps import address_checked
from app.web.endpoints import (
    aar,
    accounts,
    console,
    control,
    debrief,
    docs,
    estimates,
    health,
    instructors,
    library,
    live,
    play,
    talks,
)
from app.web.language import LanguageMiddleware
from app.web.responses import SafeJSONResponse
from app.web.security import SecurityHeaders, Sessions

log = logging.getLogger(__name__)


async def _run_clock(container: Container) -> None:
    """Resolve turns whose deadline passed; several processes may race, the store decides."""
    failing = False
    while True:
        await asyncio.sleep(container.settings.clock_interval_seconds)
        try:
            await run_in_threadpool(container.games.advance_due_games)
        except Exception as error:
            # The traceback once, then quiet until it works again: a database outage
            # would otherwise flood the log with one traceback a tick.
            if not failing:
                log.exception("phase clock failed; retrying every tick")
            else:
                log.debug("phase clock still failing: %s", error)
            failing = True
        else:
            if failing:
                log.info("phase clock working again")
            failing = False


async def _report_presence(container: Container) -> None:
    """This process's open pages, for control's console in whichever process serves it."""
    while True:
        try:
            await run_in_threadpool(container.presence.report, container.hub.page_counts())
        except Exception as error:  # the database is away: the next report will do
            log.warning("could not report open pages: %s", error)
        await asyncio.sleep(container.settings.presence_interval_seconds)


class _EntenteApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's error middleware (the outermost layer add_middleware can
        # reach is inside it), so a 500 page carries the security headers too.
        return SecurityHeaders(super().build_middleware_stack())


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    container = build_container(settings, clock)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await container.broker.start()
        tasks = [asyncio.create_task(_run_clock(container))]
        if container.presence.shared:  # several processes: tell the others our pages
            tasks.append(asyncio.create_task(_report_presence(container)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            with contextlib.suppress(Exception):  # gone or not, the report expires
                await run_in_threadpool(container.presence.forget)
            await container.broker.stop()
            container.estimates.close()
            container.database.dispose()

    # /docs is served below from vendored Swagger UI files: FastAPI's default page loads
    # them from a CDN, which a closed exercise network cannot reach.
    app = _EntenteApp(
        title="Entente",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        description="Every player action, with the same structured rejections as the pages.",
        default_response_class=SafeJSONResponse,
        dependencies=[Depends(address_checked)],
    )
    app.state.container = container
    # Added first, so it runs inside the session middleware and can read the choice.
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(
        Sessions,
        secret_key=settings.resolved_secret_key(),
        session_cookie="entente_session",
        max_age=14 * 24 * 3600,
        same_site="lax",
        https_only=settings.base_url.startswith("https://"),
    )
    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "static"), name="static")
    # Routers are tried in order, each route's pattern in turn: the seats' pages and their
    # JSON API, which every action takes, first (some 60 patterns fewer per action). No
    # router's paths overlap another's (tests/web/test_routes.py), so the order decides
    # nothing else.
    # Before them all, the route of a single JSON action alone (see play.action_route).
    app.router.routes.insert(0, play.action_route())
    app.include_router(play.router)
    app.include_router(docs.router)
    app.include_router(language.router)
    app.include_router(accounts.router)
    app.include_router(control.router)
    app.include_router(console.router)
    app.include_router(instructors.router)
    app.include_router(aar.router)
    app.include_router(debrief.router)
    app.include_router(library.router)
    app.include_router(library.reference_router)
    app.include_router(health.router)
    app.include_router(talks.router)
    app.include_router(estimates.router)
    app.include_router(live.router)
    action_schemas.install(app)
    _install_error_handlers(app, container)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def _install_error_handlers(app: FastAPI, container: Container) -> None:
    def error_page(request: Request, status: int, code: str, message: str) -> Response:
        if _wants_json(request):
            return SafeJSONResponse({"code": code, "message": message}, status_code=status)
        if request.headers.get("hx-request"):
            html = container.renderer.order_status(False, message, oob=False)
            # htmx swaps only 2xx by default: the message still has to reach the player.
            return HTMLResponse(html, status_code=200)
        return container.renderer.templates.TemplateResponse(
            request, "error.html", {"status": status, "message": message}, status_code=status
        )

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, error: ServiceError) -> Response:
        if isinstance(error, LoginRequired) and not _wants_json(request):
            target = "/login?" + urlencode({"next": request.url.path})
            if request.headers.get("hx-request"):
                return Response(status_code=200, headers={"HX-Redirect": target})
            if request.method == "GET":
                return RedirectResponse(target, status_code=303)
        return error_page(request, error.status_code, error.code, error.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        messages = {404: N_("There is nothing at this address."), 405: N_("Method not allowed.")}
        known = messages.get(error.status_code)
        message = gettext(known) if known is not None else str(error.detail)
        return error_page(request, error.status_code, "http_error", message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0] if error.errors() else {}
        field = ".".join(str(p) for p in first.get("loc", ()))
        problem = pydantic_message(first) if first else gettext("invalid")
        message = gettext("Invalid request: %(field)s: %(problem)s", field=field, problem=problem)
        return error_page(request, 422, "invalid_request", message)
