"""The after-action review, assembled from a game played with the real services and store
(SQLite and PostgreSQL): series, burden shares, timeline, scorecards, replay, comparison."""

from __future__ import annotations

from typing import Any

import pytest

from app import rules
from app.rules.control import EndExercise, EndPhaseNow, FireInject
from app.services import aar
from app.services.aar import AarService
from app.services.control import ControlService
from app.services.errors import NotFound
from app.services.game_results import LoggedEvent
from app.services.games import GameService
from app.store.database import Database
from app.web.rendering import feed_entries
from tests.conftest import now_at

SCENARIO = "meridian-strait"


def _resolved(games: GameService, game_id: str) -> list[dict[str, Any]]:
    return [
        e.event.data
        for e in games.events_after(game_id, 0, 10_000)
        if e.event.kind == "turn_resolved"
    ]


@pytest.fixture
def played(games: GameService) -> tuple[str, rules.GameState]:
    """Two turns of Meridian Strait: Arvenia and Lindmark form a coalition in turn 1,
    everyone commits forces, control ends each orders phase. Returns the game and its
    state as it was created."""
    created = games.create_game(SCENARIO, seed=11)
    game = created.game_id
    initial = games.snapshot(game).state
    for seat in created.seats:
        games.join(seat.token)
    proposed = games.act(
        game,
        "arvenia",
        {
            "kind": "propose",
            "agreement": "coalition_membership",
            "parties": ["arvenia", "lindmark"],
            "terms": {"name": "Strait Group", "lead": "arvenia", "operations": "open-lane"},
        },
    )
    agreement = proposed.state.agreements[-1].id
    games.act(game, "lindmark", {"kind": "sign", "agreement_id": agreement})
    orders = {
        "arvenia": ("arv-1-frigate-sqn", "open-lane"),
        "lindmark": ("lin-field-hospital", "saltmarsh-relief"),
    }
    for _turn in (1, 2):
        for nation, (unit, operation) in orders.items():
            games.act(game, nation, {"kind": "commit", "unit_id": unit, "operation_id": operation})
        games.control(game, EndPhaseNow(at=now_at(games, game)))
    return game, initial


def test_the_series_follow_the_stored_turns_and_the_resolutions(
    games: GameService, loaded_database: Database, played: tuple[str, rules.GameState]
) -> None:
    game, initial = played
    review = AarService(loaded_database).review(game)
    assert review.snapshots
    assert [p.key for p in review.points] == ["1", "2", "3"]
    assert review.escalation.labels == ("T1", "T2", "T3")

    resolved = _resolved(games, game)
    assert [r["turn"] for r in resolved] == [1, 2]
    escalation = review.escalation.lines[0].values
    assert escalation == (
        resolved[0]["escalation"]["from"],
        resolved[0]["escalation"]["to"],
        resolved[1]["escalation"]["to"],
    )
    assert resolved[1]["escalation"]["from"] == resolved[0]["escalation"]["to"]

    # The first point is the game as it was created.
    support = {line.key: line.values for line in review.support.lines}
    assert {k: v[0] for k, v in support.items()} == {
        n.id: n.domestic_support for n in initial.nations
    }
    trust = {line.key: line.values[0] for line in review.trust.lines}
    assert trust["arvenia"] == pytest.approx((initial.trust("lindmark", "arvenia") + 45) / 2)
    # Later points are the states stored as the turns opened: the current state is turn 3's.
    current = games.snapshot(game).state
    assert {k: v[-1] for k, v in support.items()} == {
        n.id: n.domestic_support for n in current.nations
    }

    # The coalition formed in turn 1: no cohesion before it, the rules' value after.
    (line,) = review.cohesion.lines
    assert line.name == "Strait Group" and line.values[0] is None
    coalition = current.coalitions[0]
    assert line.values[-1] == coalition.cohesion
    assert line.values[1] == current.records[0].cohesion[coalition.id]


def test_burden_shares_come_from_what_each_nation_spent(
    games: GameService, loaded_database: Database, played: tuple[str, rules.GameState]
) -> None:
    game, _ = played
    review = AarService(loaded_database).review(game)
    resolved = _resolved(games, game)
    burden = review.burden
    assert burden.turns == (1, 2)
    assert list(burden.spent) == [r["spent"] for r in resolved]
    for index in range(2):
        total = sum(resolved[index]["spent"].values())
        assert total > 0 and burden.total(index) == total
        shares = [burden.share(index, n) for n, _ in burden.nations]
        assert sum(s or 0 for s in shares) == pytest.approx(1.0)
        assert burden.share(index, "arvenia") == pytest.approx(
            resolved[index]["spent"].get("arvenia", 0) / total
        )
    assert sum(burden.fair.values()) == pytest.approx(1.0)
    standing = {s.nation_id: s for s in review.standings}
    spent = sum(sum(r["spent"].values()) for r in resolved)
    arvenia = sum(r["spent"].get("arvenia", 0) for r in resolved)
    assert standing["arvenia"].burden_share == pytest.approx(arvenia / spent)


def test_scorecards_reveal_and_judge_the_secret_objectives(
    games: GameService, loaded_database: Database, played: tuple[str, rules.GameState]
) -> None:
    game, _ = played
    review = AarService(loaded_database).review(game)
    state = games.snapshot(game).state
    cards = {c.nation_id: c for c in review.scorecards}
    assert set(cards) == {"arvenia", "cardosa", "lindmark"}
    for nation in state.nations:
        score, judged = rules.nation_score(state, nation.id)
        card = cards[nation.id]
        assert card.score == score
        assert card.available == sum(o.points for o in nation.objectives)
        assert [(j.objective.id, j.met) for j in card.judged] == [
            (j.objective.id, j.met) for j in judged
        ]
    secret = {j.objective.id for j in cards["arvenia"].judged if j.objective.secret}
    assert secret == {"half-the-bill"}
    assert {j.objective.id for j in cards["cardosa"].judged if j.objective.secret} == {
        "no-hard-power",
        "mediator",
    }
    assert review.collective.score == rules.collective_score(state)[0]
    assert review.collective.available == 50


def test_the_timeline_tells_each_turn_in_order(
    games: GameService, loaded_database: Database, played: tuple[str, rules.GameState]
) -> None:
    game, _ = played
    games.control(
        game, FireInject("coastal-missiles", at=now_at(games, game))
    )  # control fires an inject in turn 3
    review = AarService(loaded_database).review(game)
    turns = {t.turn: t for t in review.timeline}
    assert sorted(turns) == [1, 2, 3]
    first = [e.category for e in turns[1].entries]
    assert first[:3] == ["agreement", "coalition", "control"]  # signed, formed, phase ended
    assert "Strait Group is formed by Arvenia and Lindmark." in [e.text for e in turns[1].entries]
    resolution = next(e.resolution for e in turns[1].entries if e.resolution)
    assert resolution.turn == 1
    by_operation = {o.operation_id: o for o in resolution.outcomes}
    assert by_operation["open-lane"].operation == "Operation Open Lane"
    assert "Arvenia" in by_operation["open-lane"].contributions
    assert by_operation["open-lane"].result in ("success", "partial", "failure")
    assert [e.seq for e in turns[1].entries] == sorted(e.seq for e in turns[1].entries)
    injects = [e for e in turns[3].entries if e.category == "inject"]
    assert injects and injects[-1].text.startswith("Missiles on the coast:")


def test_the_replay_shows_the_state_as_a_turn_opened(
    games: GameService, loaded_database: Database, played: tuple[str, rules.GameState]
) -> None:
    game, _ = played
    service = AarService(loaded_database)
    first = service.review(game).replay
    assert first is not None and first.point.key == "1"
    assert [k for k, _ in first.choices] == ["1", "2", "3"]
    assert first.state.turn == 1 and not first.state.coalitions
    assert first.previous is None and first.next == "2"
    second = service.review(game, "2").replay
    assert second is not None
    assert second.state.turn == 2 and second.state.coalitions[0].name == "Strait Group"
    assert second.scores == {
        n.id: rules.nation_score(second.state, n.id)[0] for n in second.state.nations
    }
    with pytest.raises(NotFound):
        service.review(game, "9")
    with pytest.raises(NotFound):
        service.review("no-such-game")


def test_a_game_that_ended_has_an_end_point(
    games: GameService, loaded_database: Database, played: tuple[str, rules.GameState]
) -> None:
    game, _ = played
    games.control(game, EndPhaseNow(at=now_at(games, game)))  # turn 3, the last
    review = AarService(loaded_database).review(game)
    assert review.state.phase is rules.Phase.ENDED
    assert [p.key for p in review.points] == ["1", "2", "3", "end"]
    assert review.escalation.lines[0].values[-1] == _resolved(games, game)[-1]["escalation"]["to"]
    assert review.burden.turns == (1, 2, 3)
    replay = AarService(loaded_database).review(game, "end").replay
    assert replay is not None and replay.state.phase is rules.Phase.ENDED


def test_games_without_stored_turn_states_fall_back_on_the_records(
    games: GameService, played: tuple[str, rules.GameState]
) -> None:
    game, _ = played
    state = games.snapshot(game).state
    points = aar.game_points([], state)
    assert [p.key for p in points] == ["2", "3"]
    assert all(p.state is None for p in points)
    assert [p.escalation for p in points] == [r.escalation for r in state.records]
    assert aar.replay(points, None) is None
    with pytest.raises(NotFound):
        aar.replay(points, "2")


def test_the_comparison_sets_the_syndicates_side_by_side(
    games: GameService, loaded_database: Database
) -> None:
    control = ControlService(loaded_database, games)
    created = control.create_exercise(SCENARIO, name="Spring", syndicates=2)
    games.control(created[0].game_id, EndPhaseNow(at=now_at(games, created[0].game_id)))
    overview = next(g for g in control.overview() if g.game_id == created[0].game_id)
    assert overview.exercise_id is not None
    comparison = AarService(loaded_database).comparison(overview.exercise_id)
    assert comparison.title == "Spring"
    assert [s.syndicate for s in comparison.syndicates] == [1, 2]
    first, second = comparison.syndicates
    assert (first.turn, second.turn) == (2, 1)
    assert [n for n, _ in comparison.nations] == ["arvenia", "cardosa", "lindmark"]
    state = games.snapshot(first.game_id).state
    assert first.collective == rules.collective_score(state)[0]
    assert first.scores == {n.id: rules.nation_score(state, n.id)[0] for n in state.nations}
    assert first.escalation_peak == state.escalation.peak
    assert first.mean_cohesion is None  # nobody formed a coalition
    series = comparison.escalation
    assert series.labels == ("T1", "T2")
    assert [line.name for line in series.lines] == ["Syndicate 1", "Syndicate 2"]
    assert series.lines[1].values[1] is None  # syndicate 2 has not reached turn 2
    with pytest.raises(NotFound):
        AarService(loaded_database).comparison("no-such-exercise")


def test_a_branch_is_reviewed_from_the_turn_it_branched_at(
    games: GameService, loaded_database: Database, played: tuple[str, rules.GameState]
) -> None:
    game, _ = played
    branch = games.branch(game, 2)
    review = AarService(loaded_database).review(branch.game_id)
    assert (review.game.branched_from, review.game.branched_turn) == (game, 2)
    assert [t.turn for t in review.timeline] == [2]
    assert "branches from" in review.timeline[0].entries[0].text
    assert [p.key for p in review.points] == ["2"]
    assert review.replay is not None and review.replay.state.turn == 2
    assert review.burden.turns == (1,)  # turn 1 is the branch's history, from its record


def test_a_turn_triggered_inject_has_one_turn_and_says_who_fired_it(
    games: GameService, loaded_database: Database
) -> None:
    """Gulf 1990's "Who pays?" fires as turn 2 opens: the feed, the exports and the
    timeline all put it in turn 2 and say its trigger fired it; the inject control fires
    by hand says control did; control's end of the exercise is in the timeline."""
    created = games.create_game("gulf-1990", seed=3)
    game = created.game_id
    games.control(game, EndPhaseNow(at=now_at(games, game)))
    games.control(game, FireInject("resolution-678", at=now_at(games, game)))
    games.control(game, EndExercise())

    logged = [e for e in games.events_after(game, 0, 10_000) if e.event.kind == "inject"]
    turns = {e.event.data["event_id"]: e.turn for e in logged}
    assert turns["who-pays"] == 2 and turns["resolution-678"] == 2
    control_feed = feed_entries(games.snapshot(game).state, logged, rules.Viewer.control())
    assert {e["text"].split(" (")[0]: e["turn"] for e in control_feed} == {
        "Who pays?": 2,
        "Resolution 678": 2,
    }
    lines = {e["text"] for e in control_feed}
    assert any(t.startswith("Who pays? (its trigger was met): ") for t in lines)
    assert any(t.startswith("Resolution 678 (fired by control): ") for t in lines)
    usa = feed_entries(games.snapshot(game).state, logged, rules.Viewer.of_nation("usa"))
    assert all("trigger" not in e["text"] and "control" not in e["text"] for e in usa)

    rows = [r for r in AarService(loaded_database).rows(game, "events") if r["kind"] == "inject"]
    assert {(r["data"]["event_id"], r["turn"], r["fired_by"]) for r in rows} == {
        ("who-pays", 2, "trigger"),
        ("resolution-678", 2, "control"),
    }
    timeline = {t.turn: t for t in AarService(loaded_database).review(game).timeline}
    second = [e.text for e in timeline[2].entries]
    assert any(t.startswith("Who pays?") and t.endswith("(its trigger was met)") for t in second)
    assert any(t.startswith("Resolution 678") and t.endswith("(fired by control)") for t in second)
    assert not any("Who pays?" in e.text for e in timeline[1].entries)
    assert second[-1] == "Control ended the exercise during turn 2."


def test_a_one_party_deal_in_an_old_log_is_left_out_of_the_timeline(
    games: GameService, loaded_database: Database
) -> None:
    """NGO coordination names its NGO as the other party; a signed deal with one party
    and no outside party (logged before the rules refused it) is no deal to review."""
    created = games.create_game(SCENARIO, seed=4)
    state = games.snapshot(created.game_id).state
    ngo = next(a for a in state.actors if a.kind == "ngo")
    deal = {"agreement_id": "a-1", "parties": ["arvenia"], "replaces": None}
    events = [
        LoggedEvent(
            1,
            1,
            rules.Event(
                rules.EventKind.AGREEMENT_SIGNED,
                "arvenia",
                {**deal, "agreement": "joint_statement", "terms": {"text": "Alone."}},
            ),
        ),
        LoggedEvent(
            2,
            1,
            rules.Event(
                rules.EventKind.AGREEMENT_SIGNED,
                "arvenia",
                {
                    **deal,
                    "agreement_id": "a-2",
                    "agreement": "ngo_coordination",
                    "terms": {"ngo": ngo.id},
                },
            ),
        ),
    ]
    entries = [e.text for t in aar.timeline(events, state) for e in t.entries]
    assert entries == [
        f"Signed: NGO coordination agreement between Arvenia and {ngo.name}. "
        f"Terms: NGO: {ngo.name}."
    ]
