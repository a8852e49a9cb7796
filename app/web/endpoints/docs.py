"""The API documentation page, from vendored Swagger UI (no CDN on a closed network)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.web.deps import ContainerDep

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def api_docs(request: Request, container: ContainerDep) -> HTMLResponse:
    """FastAPI's own page starts Swagger UI with an inline script, which the CSP refuses:
    this one loads it from static/docs.js."""
    return container.renderer.templates.TemplateResponse(
        request, "docs.html", {"openapi_url": str(request.app.openapi_url)}
    )
