"""`AarService`: reads games and exercises from the store for the review, comparison, exports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Literal

from app import rules
from app.i18n import DEFAULT_LANGUAGE, _
from app.scenarios.texts import ScenarioTexts
from app.services.aar.comparison import Comparison, build_comparison
from app.services.aar.export import Dataset, Export, event_rows, export_of, outcome_rows
from app.services.aar.review import Debrief, GameHeader, Review, build_debrief, build_review
from app.services.aar.timeline import TIMELINE_EVENTS
from app.services.errors import NotFound
from app.services.game_results import LoggedEvent
from app.services.scenarios import ScenarioService
from app.store.database import Database
from app.store.models import GameEvent
from app.store.repositories.games import GameRepository
from app.store.repositories.scenarios import ScenarioRepository

PAGE = 1000


class AarService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def review(
        self, game_id: str, turn: str | None = None, language: str = DEFAULT_LANGUAGE
    ) -> Review:
        """The review of a game, with its scenario's texts in `language` where it has them."""
        header, state, snapshots, events = self._read(game_id, language)
        return build_review(header, state, snapshots, events, turn)

    def debrief(
        self, game_id: str, viewer: rules.Viewer, language: str = DEFAULT_LANGUAGE
    ) -> Debrief:
        """A seat's own review of an ended game (`build_debrief`)."""
        header, state, snapshots, events = self._read(game_id, language)
        return build_debrief(header, state, snapshots, events, viewer)

    def _read(
        self, game_id: str, language: str
    ) -> tuple[
        GameHeader,
        rules.GameState,
        list[tuple[int, str, rules.GameState]],
        list[LoggedEvent],
    ]:
        with self.database.read() as session:
            games = GameRepository(session)
            game = games.get(game_id)
            if game is None:
                raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
            version = ScenarioRepository(session).get(game.scenario_version_id)
            header = GameHeader(
                game_id=game.id,
                name=game.name,
                scenario_title=version.title if version else "",
                status=game.status,
                exercise_id=game.exercise_id,
                syndicate=game.syndicate,
                syndicates=len(games.in_exercise(game.exercise_id)) if game.exercise_id else 1,
                branched_from=game.branched_from,
                branched_turn=game.branched_turn,
            )
            state_data = game.state
            stored = [(r.turn, r.phase, r.state) for r in games.turn_states(game_id)]
            events = [
                LoggedEvent.of_row(r) for r in games.events_of_kinds(game_id, TIMELINE_EVENTS)
            ]
            texts = (
                ScenarioTexts(ScenarioService(self.database).load_version(version))
                if version
                else None
            )
        state = rules.state_from_dict(state_data)
        snapshots = [(t, p, rules.state_from_dict(s)) for t, p, s in stored]
        if texts is not None:
            header = replace(
                header,
                name=texts.title(header.name, language),
                scenario_title=texts.title(header.scenario_title, language),
            )
        if texts is not None and language in texts.languages:
            state = texts.state_in(state, language)
            snapshots = [(t, p, texts.state_in(s, language)) for t, p, s in snapshots]
            events = [replace(e, event=texts.event_in(e.event, language)) for e in events]
        return header, state, snapshots, events

    def comparison(self, exercise_id: str, language: str = DEFAULT_LANGUAGE) -> Comparison:
        """The exercise's syndicates side by side, their names and nations' in `language`
        where the scenario has them."""
        with self.database.read() as session:
            games = GameRepository(session)
            rows = games.in_exercise(exercise_id)
            if not rows:
                raise NotFound(_("There is no exercise %(exercise)s.", exercise=repr(exercise_id)))
            version = ScenarioRepository(session).get(rows[0].scenario_version_id)
            read = [
                (
                    g.id,
                    g.name,
                    g.syndicate,
                    g.status,
                    g.state,
                    [(r.turn, r.phase, r.state) for r in games.turn_states(g.id)],
                )
                for g in rows
            ]
        comparison = build_comparison(exercise_id, version.title if version else "", read)
        if version is None or language == DEFAULT_LANGUAGE:
            return comparison
        texts = ScenarioTexts(ScenarioService(self.database).load_version(version))
        return replace(
            comparison,
            title=texts.title(comparison.title, language),
            scenario_title=texts.title(comparison.scenario_title, language),
            nations=tuple(
                (n, texts.nation_name(n, name, language)) for n, name in comparison.nations
            ),
            syndicates=tuple(
                replace(s, name=texts.title(s.name, language)) for s in comparison.syndicates
            ),
        )

    def rows(self, game_id: str, dataset: Dataset) -> list[dict[str, Any]]:
        """The rows of one dataset, in the order they happened, each with its turn."""
        with self.database.read() as session:
            games = GameRepository(session)
            game = games.get(game_id)
            if game is None:
                raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
            if dataset == "outcomes":
                return outcome_rows(rules.state_from_dict(game.state))
            return event_rows(_all_events(games, game_id), dataset)

    def export(self, game_id: str, dataset: Dataset, fmt: Literal["json", "csv"]) -> Export:
        return export_of(game_id, dataset, fmt, self.rows(game_id, dataset))


def _all_events(games: GameRepository, game_id: str) -> Iterator[GameEvent]:
    """Every event of the game, read a page at a time."""
    seq = 0
    while True:
        page = games.events_after(game_id, seq, PAGE)
        yield from page
        if len(page) < PAGE:
            return
        seq = page[-1].seq
