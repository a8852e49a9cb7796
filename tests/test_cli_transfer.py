"""`entente export` and `entente import` as an IT officer uses them to move a game."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.config import get_settings
from tests.conftest import scratch_database

# This test's databases by file: `_use` makes each one on first use (a SQLite file, or
# with ENTENTE_DATABASE_URL set a PostgreSQL database of its own), `server` ends them.
_databases: dict[Path, str] = {}
_dropped_after_the_test = contextlib.ExitStack()


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings from the environment, as on a server; `_use` points them at a database."""
    monkeypatch.setenv("ENTENTE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ENTENTE_PORT", "8123")
    get_settings.cache_clear()
    with _dropped_after_the_test:
        yield tmp_path
    _databases.clear()
    get_settings.cache_clear()


def _use(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    if path not in _databases:
        _databases[path] = _dropped_after_the_test.enter_context(scratch_database(path))
    monkeypatch.setenv("ENTENTE_DATABASE_URL", _databases[path])
    get_settings.cache_clear()
    assert main(["db", "upgrade"]) == 0


def _demo_game(
    monkeypatch: pytest.MonkeyPatch, server: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[str, list[str]]:
    _use(monkeypatch, server / "old.db")
    capsys.readouterr()
    assert main(["demo", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    game_id = re.search(r"created \(([0-9a-f]{32})\)", out)
    assert game_id is not None
    return game_id.group(1), re.findall(r"/join/(\S+)", out)


def test_a_game_exported_from_one_server_imports_into_another_with_its_links(
    server: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    game_id, links = _demo_game(monkeypatch, server, capsys)
    backup = server / "backups" / "game.json"
    backup.parent.mkdir()
    assert main(["export", game_id, "-o", str(backup)]) == 0
    assert f"exported to {backup}" in capsys.readouterr().out
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert document["game"]["id"] == game_id
    assert document["scenario"]["id"] == "meridian-strait"
    assert list(backup.parent.iterdir()) == [backup]  # no partial file left behind

    _use(monkeypatch, server / "new.db")  # a new server: no scenarios loaded
    capsys.readouterr()
    assert main(["import", str(backup)]) == 0
    out = capsys.readouterr().out
    assert f"imported as {game_id}" in out
    assert "stored as a new library version" in out
    assert re.findall(r"http://127\.0\.0\.1:8123/join/(\S+)", out) == links

    # The same game again is refused, with nothing written; --new-id makes a copy.
    assert main(["import", str(backup)]) == 2
    assert "already in this database" in capsys.readouterr().err
    assert main(["import", "--new-id", str(backup)]) == 0
    out = capsys.readouterr().out
    copy_id = re.search(r"imported as ([0-9a-f]{32})", out)
    assert copy_id is not None and copy_id.group(1) != game_id
    copied_links = re.findall(r"/join/(\S+)", out)
    assert len(copied_links) == len(links) and not set(copied_links) & set(links)

    # Export to standard output: the same game, as read back from the new server.
    assert main(["export", game_id]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["events"] == document["events"]
    assert again["seats"] == document["seats"]


def test_import_refuses_what_is_not_an_export_with_exit_status_2(
    server: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, server / "new.db")
    capsys.readouterr()
    not_json = server / "notes.txt"
    not_json.write_text("game of 12 May\n")
    assert main(["import", str(not_json)]) == 2
    assert f"{not_json}: This is not an Entente game export: not JSON" in capsys.readouterr().err
    future = server / "future.json"
    future.write_text(json.dumps({"format": "entente-game", "format_version": 99}))
    assert main(["import", str(future)]) == 2
    assert "format version 99" in capsys.readouterr().err
    assert main(["import", str(server / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_export_of_an_unknown_game_fails_cleanly(
    server: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, server / "new.db")
    output = server / "game.json"
    assert main(["export", "0" * 32, "-o", str(output)]) == 1
    assert "There is no game" in capsys.readouterr().err
    assert not output.exists()
