"""Which pages of a game are open, across every process serving the database.

A page's websocket lives in one process, but control's console may be served by another
(two replicas behind a proxy). So each process reports its open pages every few seconds,
replacing its previous report, and the console sums the reports that are still fresh; a
process that stops (or crashes) stops renewing its report, which then expires.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping

from app.services.games import Clock
from app.store.database import Database
from app.store.repositories.presence import PresenceRepository

STALE_AFTER_REPORTS = 3
"""A report missed this many intervals in a row is of a process that has gone."""


class PresenceService:
    def __init__(
        self,
        database: Database,
        *,
        interval: float,
        clock: Clock = time.time,
        shared: bool = True,
    ) -> None:
        self.database = database
        self.interval = interval
        self.clock = clock
        self.process_id = uuid.uuid4().hex
        # One process alone (memory:// doorbells) has no one to tell and nobody to ask.
        self.shared = shared

    def report(self, counts: Mapping[tuple[str, str], int]) -> None:
        """This process's open pages: (game id, viewer key) -> pages."""
        with self.database.write() as session:
            PresenceRepository(session).replace(
                self.process_id,
                [(game_id, key, pages) for (game_id, key), pages in counts.items() if pages],
                self.clock(),
            )

    def forget(self) -> None:
        """This process is stopping: its pages are gone (they reconnect elsewhere)."""
        with self.database.write() as session:
            PresenceRepository(session).forget(self.process_id)

    def pages_open_elsewhere(self, game_id: str) -> dict[str, int]:
        """Open pages of the game per seat (nation id) or "observer", in every other
        process, as last reported."""
        if not self.shared:
            return {}
        since = self.clock() - STALE_AFTER_REPORTS * self.interval
        with self.database.read() as session:
            return PresenceRepository(session).pages_open(
                game_id, since, except_process=self.process_id
            )
