from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = Settings(var_dir=tmp_path).resolved_secret_key()
    assert len(first) >= 32
    assert Settings(var_dir=tmp_path).resolved_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENTENTE_SECRET_KEY", "from-env")
    monkeypatch.setenv("ENTENTE_PORT", "9001")
    monkeypatch.setenv("ENTENTE_PUBLIC_URL", "https://exercise.college.example/")
    settings = Settings()
    assert settings.resolved_secret_key() == "from-env"
    assert settings.port == 9001
    assert settings.base_url == "https://exercise.college.example"
