"""The app's routers are independent: no path one router answers is matched by another's
routes, so the order they are included in (the seats' router first, for the JSON API
every action takes) changes which route answers no request."""

from __future__ import annotations

import re

from starlette.routing import BaseRoute

from app.config import Settings
from app.web.app import create_app
from app.web.endpoints import play


def _routers(settings: Settings) -> list[list[BaseRoute]]:
    """Each included router's routes, in the order the app tries them."""
    app = create_app(settings)
    try:
        routers = [
            list(entry.original_router.routes)
            for entry in app.router.routes
            if hasattr(entry, "original_router")
        ]
        assert routers and routers[0] == list(play.router.routes)  # the action's path first
        return routers
    finally:
        app.state.container.database.dispose()


def _example(path: str) -> str:
    """A path the route answers: each parameter filled with a word no literal part has."""
    return re.sub(r"\{[^}:]+(:path)?\}", lambda m: "p1/p2" if m.group(1) else "p1", path)


def _methods(route: BaseRoute) -> set[str]:
    return set(getattr(route, "methods", None) or {"WEBSOCKET"})


def test_no_route_of_one_router_answers_a_path_of_another(settings: Settings) -> None:
    routers = _routers(settings)
    routes = [(index, route) for index, routes in enumerate(routers) for route in routes]
    assert len(routes) > 50
    overlaps = [
        (getattr(first, "path", ""), getattr(second, "path", ""))
        for index, first in routes
        for other, second in routes
        if index != other
        and _methods(first) & _methods(second)
        and second.path_regex.match(_example(first.path))  # type: ignore[attr-defined]
    ]
    assert overlaps == []
