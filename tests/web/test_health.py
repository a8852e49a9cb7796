"""The probes a container platform or load balancer calls: /healthz and /readyz."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.config import Settings
from app.web.app import create_app
from tests.servers import free_port


def test_readyz_is_ready_when_the_database_and_broker_answer(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "database": "ok",
        "broker": "ok",
        "broker_backend": "memory",
    }


def test_readyz_is_503_while_the_broker_is_unreachable_but_healthz_stays_up(
    settings: Settings,
) -> None:
    # Nothing listens on that port: the process lives, but it should get no traffic.
    unreachable = settings.model_copy(update={"pubsub_url": f"redis://127.0.0.1:{free_port()}/0"})
    with TestClient(create_app(unreachable)) as client:
        ready = client.get("/readyz")
        health = client.get("/healthz")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    assert ready.json()["database"] == "ok"
    assert "Redis" in ready.json()["broker"]
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_readyz_is_503_when_the_database_cannot_be_reached(settings: Settings) -> None:
    broken = settings.model_copy(
        update={"database_url": f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"}
    )
    with TestClient(create_app(broken)) as client:
        ready = client.get("/readyz")
        health = client.get("/healthz")
    assert ready.status_code == 503
    assert ready.json()["database"].startswith("unreachable")
    assert health.status_code == 200 and health.json()["database"].startswith("unreachable")
