"""The one websocket of a game page."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from app.web.deps import get_container, origin_allowed, viewer_for

router = APIRouter()

POLICY_VIOLATION = 1008


@router.websocket("/games/{game_id}/ws")
async def game_socket(websocket: WebSocket, game_id: str) -> None:
    container = get_container(websocket)
    viewer = viewer_for(websocket, game_id)
    if viewer is None or not origin_allowed(websocket, container.settings.trusted_origins):
        # 1008 is not in htmx-ext-ws's reconnect list, so a refused page stops retrying.
        await websocket.close(code=POLICY_VIOLATION)
        return
    await websocket.accept()
    await container.hub.serve(websocket, game_id, viewer)
