"""The websockets of the live pages: a seat's or an observer's game page, control's
console of a game, and a syndicate's row in control's exercise view."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket
from starlette.concurrency import run_in_threadpool
from starlette.routing import WebSocketRoute

from app import rules
from app.web.deps import (
    check_address,
    current_instructor,
    get_container,
    held_seat_token,
    observing,
    origin_allowed,
    viewer_for,
)

POLICY_VIOLATION = 1008


def _param(websocket: WebSocket, name: str) -> str:
    """A path parameter, once the address is checked (what the app's dependency does for
    FastAPI's routes, which these are not: see `router`)."""
    check_address(websocket)
    value: str = websocket.path_params[name]
    return value


async def game_socket(websocket: WebSocket) -> None:
    game_id, nation_id = _param(websocket, "game_id"), _param(websocket, "nation_id")
    container = get_container(websocket)
    viewer = viewer_for(websocket, game_id, nation_id)
    await websocket.accept()
    if viewer is None or not origin_allowed(websocket, container.settings.trusted_origins):
        # Accept, then close with 1008: refusing the handshake would reach the browser as
        # 1006, which htmx-ext-ws retries forever; 1008 is not in its retry list.
        await websocket.close(code=POLICY_VIOLATION, reason="no seat in this game")
        return
    seat_token = held_seat_token(websocket, game_id, nation_id)
    await container.hub.serve(websocket, game_id, viewer, seat_token)


async def observer_socket(websocket: WebSocket) -> None:
    game_id = _param(websocket, "game_id")
    container = get_container(websocket)
    viewer = observing(websocket, game_id)
    await websocket.accept()
    if viewer is None or not origin_allowed(websocket, container.settings.trusted_origins):
        await websocket.close(code=POLICY_VIOLATION, reason="not observing this game")
        return
    await container.hub.serve(websocket, game_id, viewer)


async def console_socket(websocket: WebSocket) -> None:
    """Control's console: control's view, to signed-in instructors only."""
    game_id = _param(websocket, "game_id")
    container = get_container(websocket)
    instructor = await run_in_threadpool(current_instructor, websocket)
    await websocket.accept()
    if instructor is None or not origin_allowed(websocket, container.settings.trusted_origins):
        await websocket.close(code=POLICY_VIOLATION, reason="sign in as an instructor")
        return
    await container.hub.serve(
        websocket,
        game_id,
        rules.Viewer.control(),
        renderer=container.control_console,
        label=instructor.display_name,
    )


async def glance_socket(websocket: WebSocket) -> None:
    """One syndicate's row of control's exercise view, to signed-in instructors only."""
    game_id = _param(websocket, "game_id")
    container = get_container(websocket)
    instructor = await run_in_threadpool(current_instructor, websocket)
    await websocket.accept()
    if instructor is None or not origin_allowed(websocket, container.settings.trusted_origins):
        await websocket.close(code=POLICY_VIOLATION, reason="sign in as an instructor")
        return
    await container.hub.serve(websocket, game_id, rules.Viewer.control(), renderer=container.glance)


# Starlette's own websocket routes, not FastAPI's: these endpoints take no dependencies,
# and FastAPI's route keeps two exit stacks, its solved dependencies and its telemetry in
# the frames of every open page (some 2 KiB each) for the page's whole life.
router = APIRouter(
    routes=[
        WebSocketRoute("/games/{game_id}/nations/{nation_id}/ws", game_socket),
        WebSocketRoute("/games/{game_id}/observe/ws", observer_socket),
        WebSocketRoute("/control/games/{game_id}/ws", console_socket),
        WebSocketRoute("/control/games/{game_id}/glance/ws", glance_socket),
    ]
)
