from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from app import __version__
from app.web.deps import ContainerDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(container: ContainerDep) -> dict[str, Any]:
    def ping() -> bool:
        with container.database.read() as session:
            return session.execute(text("SELECT 1")).scalar() == 1

    try:
        database_ok = await run_in_threadpool(ping)
    except Exception:  # the point of a health check is to report, not to raise
        database_ok = False
    return {
        "status": "ok" if database_ok else "degraded",
        "version": __version__,
        "database": "ok" if database_ok else "unreachable",
        "database_backend": container.database.engine.dialect.name,
    }
