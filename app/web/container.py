"""The composition root: builds the services once per application."""

from __future__ import annotations

import time
from dataclasses import dataclass

from app.config import Settings
from app.realtime.broker import Broker, make_broker
from app.realtime.hub import Hub
from app.services.aar import AarService
from app.services.accounts import AccountService
from app.services.control import ControlService
from app.services.estimates import EstimateService
from app.services.games import Clock, GameService
from app.services.presence import PresenceService
from app.services.scenarios import ScenarioService
from app.store.database import Database
from app.web.control_console import ControlRenderer, GlanceRenderer
from app.web.rendering import PageRenderer, make_templates


@dataclass
class Container:
    settings: Settings
    database: Database
    broker: Broker
    games: GameService
    accounts: AccountService
    control: ControlService
    aar: AarService
    scenarios: ScenarioService
    presence: PresenceService
    estimates: EstimateService
    renderer: PageRenderer
    hub: Hub
    control_console: ControlRenderer
    glance: GlanceRenderer


def build_container(settings: Settings, clock: Clock | None = None) -> Container:
    database = Database(settings.database_url)
    broker = make_broker(settings.pubsub_url)
    games = GameService(database, doorbell=broker.publish, clock=clock or time.time)
    renderer = PageRenderer(
        make_templates(reload=settings.reload_templates), texts=games.scenario_texts
    )
    control = ControlService(database, games)
    presence = PresenceService(
        database,
        interval=settings.presence_interval_seconds,
        clock=games.clock,
        shared=broker.name != "memory",
    )
    hub = Hub(games, broker, renderer, safety_interval=settings.live_reread_seconds)

    def pages_open(game_id: str) -> dict[str, int]:
        """Open pages per seat: this process's as they are now, the other processes'
        serving this database as they last reported them."""
        counts = presence.pages_open_elsewhere(game_id)
        for (page_game, key), pages in hub.page_counts().items():
            if page_game == game_id:
                counts[key] = counts.get(key, 0) + pages
        return counts

    return Container(
        settings=settings,
        database=database,
        broker=broker,
        games=games,
        accounts=AccountService(database),
        control=control,
        aar=AarService(database),
        scenarios=ScenarioService(database),
        presence=presence,
        estimates=EstimateService(
            database,
            games,
            workers=settings.estimate_workers,
            per_game=settings.estimates_per_game,
            clock=games.clock,
        ),
        renderer=renderer,
        hub=hub,
        control_console=ControlRenderer(renderer, control, pages_open, clock=games.clock),
        glance=GlanceRenderer(renderer, clock=games.clock),
    )
