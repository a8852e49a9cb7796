"""`entente simulate`: a summary table on stdout, one CSV row per run, clean errors."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.config import get_settings
from tests.bots.conftest import MERIDIAN
from tests.bots.helpers import historical_meridian


@pytest.fixture
def scenarios_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A scenarios folder holding Meridian Strait under another file name."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(MERIDIAN, folder / "meridian.yml")
    monkeypatch.setenv("ENTENTE_SCENARIOS_DIR", str(folder))
    monkeypatch.setenv("ENTENTE_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def test_simulate_prints_the_summary_and_writes_one_row_per_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_csv = tmp_path / "runs.csv"
    code = main(["simulate", str(MERIDIAN), "--runs", "3", "--seed", "5", "--csv", str(out_csv)])
    assert code == 0
    out = capsys.readouterr().out
    assert "Runs       3 (seeds 5-7)" in out
    for label in (
        "Coalition success rate",
        "Mean cohesion",
        "Peak escalation",
        "Burden share",
        "Final support",
        "Trust in it",
    ):
        assert label in out
    for nation in ("Arvenia", "Cardosa", "Lindmark"):
        assert nation in out
    assert "Historical outcome" not in out  # the scenario defines none
    assert f"written to {out_csv}" in out

    with out_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["seed"] for row in rows] == ["5", "6", "7"]
    for row in rows:
        shares = [float(row[f"burden_share:{n}"]) for n in ("arvenia", "cardosa", "lindmark")]
        assert sum(shares) == pytest.approx(1.0, abs=1e-3)
        assert 0.0 <= float(row["success_rate"]) <= 1.0
        assert row["historical"] == "" and row["rejections"] == "0"
        for column in ("mean_cohesion", "peak_escalation", "final_escalation", "mean_trust"):
            float(row[column])


def test_simulate_finds_a_scenario_by_id_and_plays_a_personality(
    scenarios_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "meridian-strait", "--runs", "2", "--strategy", "free_rider"]) == 0
    out = capsys.readouterr().out
    assert "Strategy   free_rider: every nation plays free rider" in out
    assert str(scenarios_dir / "meridian.yml") in out


def test_simulate_reports_the_historical_outcome(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = historical_meridian(tmp_path, [{"kind": "escalation_at_most", "value": 10}])
    assert main(["simulate", str(path), "--runs", "2"]) == 0
    out = capsys.readouterr().out
    assert "Strategy   historical: As it happened" in out
    assert "Historical outcome      reproduced in 2/2 runs (100%)" in out
    assert "The strait reopened." in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["simulate", "atlantis"], "no scenario 'atlantis'"),
        (["simulate", "missing/atlantis.yaml"], "missing/atlantis.yaml: no such file"),
        (["simulate", str(MERIDIAN), "--strategy", "appeasement"], "unknown strategy"),
    ],
)
def test_simulate_fails_cleanly(
    scenarios_dir: Path,
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*argv, "--runs", "1"]) == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_simulate_reports_a_bad_scenario_file_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MERIDIAN.read_text(encoding="utf-8").replace("turns: 3", "turns: many"))
    assert main(["simulate", str(bad), "--runs", "1"]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "turns" in err
    assert "is not a valid scenario" in err


def test_simulate_refuses_a_bad_run_count_or_csv_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["simulate", str(MERIDIAN), "--runs", "0"])
    assert exit_info.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err
    unwritable = tmp_path / "no-such-folder" / "runs.csv"
    assert main(["simulate", str(MERIDIAN), "--runs", "1", "--csv", str(unwritable)]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_simulate_plays_a_scenario_stored_only_in_the_library(
    tmp_path: Path,
    scenarios_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.services.scenarios import NEW_SCENARIO, ScenarioService
    from app.store.database import Database
    from app.store.migrations import upgrade

    url = f"sqlite:///{tmp_path / 'library.db'}"
    upgrade(url)
    database = Database(url)
    ScenarioService(database).save_source(NEW_SCENARIO.replace("id: my-scenario", "id: drafted"))
    database.dispose()
    monkeypatch.setenv("ENTENTE_DATABASE_URL", url)
    get_settings.cache_clear()
    assert not (scenarios_dir / "drafted.yaml").exists()  # only in the library
    assert main(["simulate", "drafted", "--runs", "2"]) == 0
    out = capsys.readouterr().out
    assert "library: drafted version 1" in out
    assert "Scenario check over 2 game(s)" in out
    assert "Secure the coast [secure-coast]: " in out
