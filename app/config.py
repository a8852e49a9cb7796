"""Settings from `ENTENTE_*` environment variables (or a `.env` file)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ENTENTE_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'entente.db'}",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs session cookies; generated and kept in var/secret_key if unset.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = Field(
        default=None, description="Base URL used in printed join links (default http://host:port)."
    )
    pubsub_url: str = Field(
        default="memory://",
        description="Doorbell broker: memory:// (one process) or redis://host:port/db.",
    )
    scenarios_dir: Path = PROJECT_ROOT / "scenarios"
    var_dir: Path = PROJECT_ROOT / "var"
    clock_interval_seconds: float = Field(
        default=1.0, description="How often the server checks phase deadlines."
    )
    live_reread_seconds: float = Field(
        default=15.0,
        description="Each open page re-reads its game this often even without a doorbell, "
        "so a lost doorbell only delays an update.",
    )
    presence_interval_seconds: float = Field(
        default=5.0,
        description="How often each process reports its open pages, which control's "
        "console sums over every process.",
    )
    shutdown_grace_seconds: int = Field(
        default=10,
        description="On SIGTERM, how long requests in flight may finish; open pages are "
        "told to reconnect (close code 1012) at once.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="text for a terminal; json, one object a line, for a log collector.",
    )
    reload_templates: bool = Field(
        default=False,
        description="Re-read a template when its file changes (while editing them); off, "
        "each is compiled once and kept.",
    )
    estimate_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Processes that play staff estimates, off the request path: size it to "
        "the cores the game server can spare.",
    )
    estimates_per_game: int = Field(
        default=2,
        ge=1,
        description="Staff estimates one game may have running at once (each seat one).",
    )
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    trusted_proxies: str = Field(
        default="",
        description="Peers whose X-Forwarded-For/-Proto are believed (comma-separated "
        "addresses or networks, or *); none by default, so a client cannot pick the "
        "address its throttles count.",
    )
    trusted_origins: list[str] = Field(
        default_factory=list,
        description="Extra Origins allowed to open websockets (the app's own host always is).",
    )

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and persisted under var/."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
