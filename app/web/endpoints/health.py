"""Probes for a container platform or a load balancer.

/healthz answers "is this process alive?" and is always 200 while it serves: restarting
a replica because the database is down would not help. /readyz answers "should traffic
come here?": 200 only when the database and the doorbell broker both answer, else 503.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from app import __version__
from app.web.container import Container
from app.web.deps import ContainerDep

router = APIRouter(tags=["health"])

PROBE_TIMEOUT_SECONDS = 3.0


async def _database_problem(container: Container) -> str | None:
    def ping() -> bool:
        with container.database.read() as session:
            return session.execute(text("SELECT 1")).scalar() == 1

    try:
        answered = await asyncio.wait_for(run_in_threadpool(ping), PROBE_TIMEOUT_SECONDS)
    except Exception as error:  # the point of a probe is to report, not to raise
        return f"unreachable ({type(error).__name__})"
    return None if answered else "unexpected answer"


async def _broker_problem(container: Container) -> str | None:
    try:
        return await asyncio.wait_for(container.broker.ping(), PROBE_TIMEOUT_SECONDS)
    except Exception as error:
        return f"unreachable ({type(error).__name__})"


@router.get("/healthz")
async def healthz(container: ContainerDep) -> dict[str, Any]:
    database = await _database_problem(container)
    return {
        "status": "ok" if database is None else "degraded",
        "version": __version__,
        "database": database or "ok",
        "database_backend": container.database.engine.dialect.name,
    }


@router.get("/readyz")
async def readyz(container: ContainerDep) -> JSONResponse:
    database, broker = await asyncio.gather(
        _database_problem(container), _broker_problem(container)
    )
    ready = database is None and broker is None
    return JSONResponse(
        {
            "status": "ready" if ready else "unavailable",
            "database": database or "ok",
            "broker": broker or "ok",
            "broker_backend": container.broker.name,
        },
        status_code=200 if ready else 503,
    )
