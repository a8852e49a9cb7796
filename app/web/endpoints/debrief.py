"""A seat's debrief: its own after-action review once the game has ended.

- ``GET /games/{game_id}/nations/{nation_id}/debrief``  for the browser holding the seat

What it shows comes from `AarService.debrief` for the seat's viewer: its own scorecard,
the collective one, the public charts, the timeline of what it was shown and control's
feedback to it; nothing the fog kept from it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from app.i18n import current_language
from app.web.deps import ContainerDep, require_viewer
from app.web.endpoints.aar import printed_on, public_charts

router = APIRouter()


@router.get("/games/{game_id}/nations/{nation_id}/debrief", response_class=HTMLResponse)
async def debrief_page(
    game_id: str, nation_id: str, request: Request, container: ContainerDep
) -> Response:
    viewer = require_viewer(request, game_id, nation_id)
    debrief = await run_in_threadpool(container.aar.debrief, game_id, viewer, current_language())
    charts = public_charts(
        debrief.state, debrief.escalation, debrief.cohesion, debrief.support, debrief.snapshots
    )
    return container.renderer.templates.TemplateResponse(
        request,
        "aar/debrief.html",
        {"d": debrief, "charts": charts, "nation_id": nation_id, "printed_on": printed_on()},
    )
