"""The `entente` command as an IT officer or instructor uses it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.config import get_settings
from tests.conftest import SCENARIOS_DIR, scratch_database


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """`entente` speaks the environment's language: these tests read its English."""
    monkeypatch.setenv("LC_ALL", "C.UTF-8")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # A new, empty database: a SQLite file, or one on ENTENTE_DATABASE_URL's server.
    with scratch_database(tmp_path / "cli.db") as database_url:
        monkeypatch.setenv("ENTENTE_DATABASE_URL", database_url)
        monkeypatch.setenv("ENTENTE_VAR_DIR", str(tmp_path / "var"))
        monkeypatch.setenv("ENTENTE_PORT", "8123")
        get_settings.cache_clear()
        yield tmp_path
        get_settings.cache_clear()


def test_validate_passes_the_shipped_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "validate", str(SCENARIOS_DIR)]) == 0
    assert "All scenarios are valid." in capsys.readouterr().out


def test_validate_reports_file_line_and_field_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (SCENARIOS_DIR / "meridian-strait.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(source) if text.strip().startswith("turns:"))
    source[line] = "turns: many"
    bad = tmp_path / "bad.yaml"
    bad.write_text("\n".join(source) + "\n")
    assert main(["scenario", "validate", str(bad), str(tmp_path / "missing.yaml")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:{line + 1}:1: turns:" in err
    assert "missing.yaml: no such file or directory" in err


def test_upgrade_then_demo_prints_one_join_link_per_nation(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["demo", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    links = re.findall(r"http://127\.0\.0\.1:8123/join/(\S+)", out)
    assert len(links) == 3
    # --reuse prints the same game's links instead of creating another game.
    assert main(["demo", "--reuse"]) == 0
    again = re.findall(r"/join/(\S+)", capsys.readouterr().out)
    assert again == links


def test_the_demo_games_clock_waits_for_the_first_player(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.services.games import GameService
    from app.store.database import Database

    assert main(["db", "upgrade"]) == 0
    assert main(["demo", "--seed", "4"]) == 0
    token = re.findall(r"/join/(\S+)", capsys.readouterr().out)[0]
    database = Database(get_settings().database_url)
    try:
        games = GameService(database)
        (game,) = games.list_games()
        before = games.snapshot(game.game_id).state
        assert before.deadline is None and before.starts_on_first_seat
        games.seats.join(token)
        after = games.snapshot(game.game_id).state
        assert after.deadline is not None and not after.starts_on_first_seat
        assert after.deadline - games.clock() > after.orders_seconds - 5
    finally:
        database.dispose()


def test_demo_with_an_unknown_scenario_fails_cleanly(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["demo", "--scenario", "atlantis"]) == 1
    assert "No scenario 'atlantis' is loaded." in capsys.readouterr().err


def test_user_create_makes_an_instructor_who_can_sign_in(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from app.services.accounts import AccountService
    from app.store.database import Database

    assert main(["db", "upgrade"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    command = ["user", "create", "ada@college.example", "--name", "Ada", "--password-stdin"]
    assert main(command) == 0
    assert "Instructor account created for ada@college.example." in capsys.readouterr().out
    database = Database(get_settings().database_url)
    try:
        signed_in = AccountService(database).authenticate(
            "ada@college.example", "correct horse battery", client="127.0.0.1"
        )
        assert signed_in is not None and signed_in.display_name == "Ada"
    finally:
        database.dispose()

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "create", "eve@college.example", "--password-stdin"]) == 1
    assert "at least 10 characters" in capsys.readouterr().err


def test_user_password_resets_and_user_remove_never_removes_the_last(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from app.services.accounts import AccountService
    from app.store.database import Database

    assert main(["db", "upgrade"]) == 0
    for email in ("ada@college.example", "grace@college.example"):
        monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
        assert main(["user", "create", email, "--password-stdin"]) == 0
    capsys.readouterr()
    assert main(["user", "list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2

    monkeypatch.setattr("sys.stdin", io.StringIO("a brand new passphrase\n"))
    assert main(["user", "password", "Grace@College.example", "--password-stdin"]) == 0
    assert "The password of grace@college.example is reset" in capsys.readouterr().out
    database = Database(get_settings().database_url)
    try:
        accounts = AccountService(database)
        assert accounts.authenticate("grace@college.example", "a brand new passphrase", client="x")
        assert not accounts.authenticate(
            "grace@college.example", "correct horse battery", client="y"
        )
    finally:
        database.dispose()
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "password", "grace@college.example", "--password-stdin"]) == 1
    assert "at least 10 characters" in capsys.readouterr().err
    assert main(["user", "password", "nobody@college.example", "--password-stdin"]) == 1
    assert "no instructor account for nobody@college.example" in capsys.readouterr().err

    assert main(["user", "remove", "grace@college.example"]) == 0
    assert "The account of grace@college.example is removed." in capsys.readouterr().out
    assert main(["user", "remove", "ada@college.example"]) == 1
    assert "This is the last instructor account" in capsys.readouterr().err
    assert main(["user", "list"]) == 0
    assert capsys.readouterr().out.startswith("ada@college.example\t")


def test_entente_speaks_the_language_of_the_environments_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing.yaml")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert main(["scenario", "validate", missing]) == 1
    assert f"{missing} : fichier ou dossier introuvable" in capsys.readouterr().err
    # argparse's own errors, and a simulation's report with the scenario's texts, too.
    with pytest.raises(SystemExit):
        main(["simulate", "--runs", "abc", "x"])
    error = capsys.readouterr().err
    assert "usage : entente simulate" in error
    assert "entente simulate : erreur : argument --runs : 'abc' n'est pas un nombre entier" in error
    with pytest.raises(SystemExit):
        main(["nosuch"])
    assert "choix invalide : 'nosuch' (choisissez parmi" in capsys.readouterr().err
    meridian = str(SCENARIOS_DIR / "meridian-strait.yaml")
    assert main(["simulate", meridian, "--runs", "2"]) == 0
    report = capsys.readouterr().out
    for french in (
        "Scénario    La crise du détroit de Méridien (meridian-strait) : 3 tours",
        "Parties     2 (graines 1-2)",
        "Taux de succès de la coalition",
        "Arvénie",
        "Vérification du scénario sur 2 partie(s) :",
        "Opérations menées à bien :",
        "Opération Voie libre [open-lane]",
    ):
        assert french in report, french
    for english in ("Arvenia", "Coalition success rate", "Operation Open Lane", "turns"):
        assert english not in report, english
    # LC_ALL overrides LANG, as for every gettext program; a locale we do not speak
    # ("C") leaves English.
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert main(["scenario", "validate", missing]) == 1
    assert f"{missing}: no such file or directory" in capsys.readouterr().err


def test_serve_hides_what_lives_for_the_whole_process_from_the_collector(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app and what it loaded are out of the collector's sight before the first
    # request: a full collection mid-game walks only what came since.
    import gc

    import uvicorn

    served: list[object] = []

    def run(app: object, **options: object) -> None:
        served.append(app)
        assert gc.get_freeze_count() > 0
        # Frozen: in the permanent generation, which the collector never walks.
        assert all(tracked is not app for tracked in gc.get_objects())
        assert options["port"] == 8123

    monkeypatch.setattr(uvicorn, "run", run)
    try:
        assert main(["serve"]) == 0
    finally:
        gc.unfreeze()
    assert len(served) == 1
