"""The container deployment, checked without a Docker engine: the compose file's shape,
the settings it and .env.example name, and the commands the image runs.

`scripts/check_compose.sh` validates docker-compose.yml with docker-compose itself; these
tests check what the schema cannot: that it fits this app.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import pytest
import yaml

from app.cli import build_parser
from app.config import PROJECT_ROOT, Settings

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
NGINX = PROJECT_ROOT / "deploy" / "nginx.conf"
DOCKERIGNORE = PROJECT_ROOT / ".dockerignore"
REPLICAS = ("app1", "app2")
SETTING = re.compile(r"\bENTENTE_[A-Z0-9_]+")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return dict(compose["services"])


def _setting_names() -> set[str]:
    return {f"ENTENTE_{name.upper()}" for name in Settings.model_fields}


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def _entente_commands(shell: str) -> list[list[str]]:
    """The `entente ...` invocations in a shell command line (joined by && or ;)."""
    commands = []
    for part in re.split(r"&&|;|\|\|", shell):
        words = shlex.split(part.split(">")[0])
        if words and words[0] == "entente":
            commands.append(words[1:])
    return commands


def _parses(arguments: list[str]) -> bool:
    try:
        build_parser().parse_args(arguments)
    except SystemExit:
        return False
    return True


# --- docker-compose.yml -----------------------------------------------------------------


def test_compose_has_the_stack_and_every_long_running_service_a_health_check(
    services: dict[str, Any],
) -> None:
    assert set(services) == {"db", "redis", "migrate", *REPLICAS, "proxy"}
    for name in ("db", "redis", "proxy"):
        assert services[name]["healthcheck"]["test"], name
    # The replicas' health check is the image's HEALTHCHECK (tested below).
    for name in REPLICAS:
        assert "healthcheck" not in services[name]


def test_the_database_keeps_its_data_in_a_named_volume(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    volume, _, path = services["db"]["volumes"][0].partition(":")
    assert path == "/var/lib/postgresql/data"
    assert volume in compose["volumes"]


def test_replicas_start_after_the_one_shot_migration_with_identical_settings(
    services: dict[str, Any],
) -> None:
    first, second = (services[name] for name in REPLICAS)
    assert first == second
    assert first["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert first["depends_on"]["db"] == {"condition": "service_healthy"}
    assert first["depends_on"]["redis"] == {"condition": "service_healthy"}
    migrate = services["migrate"]
    assert migrate["restart"] == "no"
    assert migrate["command"][:2] == ["sh", "-c"]
    assert _entente_commands(migrate["command"][2]) == [["db", "upgrade"], ["scenario", "load"]]
    assert migrate["image"] == first["image"]


def test_replicas_share_a_required_secret_the_database_and_the_redis_doorbell(
    services: dict[str, Any],
) -> None:
    environment = services["app1"]["environment"]
    assert environment["ENTENTE_SECRET_KEY"].startswith("${ENTENTE_SECRET_KEY:?")
    assert environment["ENTENTE_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "@db:5432/" in environment["ENTENTE_DATABASE_URL"]
    assert environment["ENTENTE_PUBSUB_URL"].startswith("redis://redis:")
    assert environment["ENTENTE_HOST"] == "0.0.0.0"
    assert services["app1"]["env_file"] == ".env"


def test_every_entente_variable_compose_sets_is_a_setting(services: dict[str, Any]) -> None:
    named = set(SETTING.findall(COMPOSE.read_text(encoding="utf-8")))
    assert named
    assert named <= _setting_names()


def test_the_proxy_is_the_only_published_port_and_serves_the_replicas(
    services: dict[str, Any],
) -> None:
    published = {name for name, service in services.items() if "ports" in service}
    assert published == {"proxy"}
    config = NGINX.read_text(encoding="utf-8")
    port = services["app1"]["environment"]["ENTENTE_PORT"]
    for name in REPLICAS:
        assert re.search(rf"^\s*server {name}:{port}\b", config, re.MULTILINE), name
    mount = services["proxy"]["volumes"][0].split(":")
    assert PROJECT_ROOT / mount[0] == NGINX
    healthcheck = " ".join(services["proxy"]["healthcheck"]["test"])
    location = re.search(r"location = (/\S+)", config)
    assert location is not None and location.group(1) in healthcheck


# --- deploy/nginx.conf -------------------------------------------------------------------


def test_nginx_upgrades_websockets_and_keeps_them_open() -> None:
    config = NGINX.read_text(encoding="utf-8")
    for directive in (
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        # The app compares a websocket's Origin with Host, port included.
        "proxy_set_header Host $http_host;",
        "proxy_set_header X-Forwarded-For $remote_addr;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
    ):
        assert directive in config
    timeout = re.search(r"proxy_read_timeout (\d+)([smh]?);", config)
    assert timeout is not None
    seconds = int(timeout.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[timeout.group(2)]
    assert seconds >= 600


def test_the_websocket_routes_pass_through_the_proxied_location() -> None:
    from app.web.endpoints import live

    paths = [route.path for route in live.router.routes]  # type: ignore[attr-defined]
    assert paths and all(path.endswith("/ws") for path in paths)
    # One catch-all location proxies everything, websockets included.
    locations = re.findall(r"location\s+(\S+)\s*\{", NGINX.read_text(encoding="utf-8"))
    assert "/" in locations


# --- .env.example ---------------------------------------------------------------------


def test_env_example_documents_every_setting_and_nothing_else() -> None:
    documented = set(SETTING.findall(ENV_EXAMPLE.read_text(encoding="utf-8")))
    assert documented == _setting_names()


def test_env_example_values_are_valid_settings() -> None:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.removeprefix("# ").strip()
        match = re.fullmatch(r"(ENTENTE_[A-Z0-9_]+)=(.*)", line)
        if match and match.group(2):
            values[match.group(1).removeprefix("ENTENTE_").lower()] = match.group(2)
    values["trusted_origins"] = json.loads(values["trusted_origins"])
    settings = Settings.model_validate(values)
    assert settings.log_format in ("text", "json")


def test_env_example_leaves_the_secrets_for_the_operator_to_fill_in() -> None:
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert "ENTENTE_SECRET_KEY=" in lines
    assert "POSTGRES_PASSWORD=" in lines


# --- Dockerfile ------------------------------------------------------------------------


def test_dockerfile_is_multi_stage_and_runs_as_a_non_root_user() -> None:
    instructions = _dockerfile_instructions()
    stages = [rest for keyword, rest in instructions if keyword == "FROM"]
    assert len(stages) >= 2
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    environment = " ".join(rest for keyword, rest in instructions if keyword == "ENV")
    assert "ENTENTE_HOST=0.0.0.0" in environment
    assert set(SETTING.findall(environment)) <= _setting_names()
    assert ("EXPOSE", "8000") in instructions


def test_dockerfile_commands_are_entente_subcommands() -> None:
    instructions = _dockerfile_instructions()
    commands = [json.loads(rest) for keyword, rest in instructions if keyword == "CMD"]
    assert commands[-1] == ["entente", "serve"]
    run = [c for keyword, rest in instructions if keyword == "RUN" for c in _entente_commands(rest)]
    assert run  # the image checks itself while it is built
    for arguments in [commands[-1][1:], *run]:
        assert _parses(arguments), arguments


def test_dockerfile_health_check_asks_the_liveness_endpoint() -> None:
    from app.web.endpoints import health

    healthcheck = next(
        rest for keyword, rest in _dockerfile_instructions() if keyword == "HEALTHCHECK"
    )
    assert "/healthz" in healthcheck
    assert "/healthz" in [route.path for route in health.router.routes]  # type: ignore[attr-defined]


def test_the_image_holds_every_folder_the_app_reads_next_to_its_package() -> None:
    """app.config.PROJECT_ROOT is the parent of `app`: whatever the code reads as
    PROJECT_ROOT / "x" must be copied beside app/ (var/ is made at run time)."""
    read = set()
    for path in (PROJECT_ROOT / "app").rglob("*.py"):
        read |= set(re.findall(r"PROJECT_ROOT / [\"'](\w+)[\"']", path.read_text(encoding="utf-8")))
    read -= {"var"}
    assert {"migrations", "static", "templates", "scenarios"} <= read
    copied = {
        source.rstrip("/")
        for keyword, rest in _dockerfile_instructions()
        if keyword == "COPY" and not rest.startswith("--from")
        for source in rest.split()[:-1]
    }
    assert read | {"app"} <= copied
    ignored = {line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}
    assert not (read | {"app", "pyproject.toml", "README.md", "alembic.ini"}) & ignored
    assert {".env", ".venv", "var", ".git"} <= ignored


def test_the_compose_check_script_is_executable() -> None:
    script = PROJECT_ROOT / "scripts" / "check_compose.sh"
    assert script.stat().st_mode & 0o111
    assert "docker-compose config" in script.read_text(encoding="utf-8")


def test_dockerfile_copies_exist_in_the_checkout() -> None:
    for keyword, rest in _dockerfile_instructions():
        if keyword == "COPY" and not rest.startswith("--from"):
            for source in rest.split()[:-1]:
                assert (PROJECT_ROOT / source).exists(), source
