"""Open pages reported by several serving processes, as control's console counts them."""

from __future__ import annotations

from sqlalchemy import select

from app.services.presence import STALE_AFTER_REPORTS, PresenceService
from app.store.database import Database
from app.store.models import PagePresence
from tests.conftest import Clock


def test_each_process_sees_the_pages_the_others_reported(database: Database, clock: Clock) -> None:
    a = PresenceService(database, interval=5, clock=clock)
    b = PresenceService(database, interval=5, clock=clock)
    c = PresenceService(database, interval=5, clock=clock)
    a.report({("g1", "arvenia"): 2, ("g1", "observer"): 1, ("g2", "arvenia"): 1})
    b.report({("g1", "arvenia"): 1, ("g1", "lindmark"): 1, ("g1", "kessa"): 0})

    assert c.pages_open_elsewhere("g1") == {"arvenia": 3, "observer": 1, "lindmark": 1}
    assert a.pages_open_elsewhere("g1") == {"arvenia": 1, "lindmark": 1}  # not its own
    assert c.pages_open_elsewhere("g2") == {"arvenia": 1}

    # A new report replaces the process's last one (a page closed).
    a.report({("g1", "arvenia"): 1})
    assert c.pages_open_elsewhere("g1") == {"arvenia": 2, "lindmark": 1}


def test_a_process_that_stops_reporting_or_says_goodbye_drops_out(
    database: Database, clock: Clock
) -> None:
    a = PresenceService(database, interval=5, clock=clock)
    b = PresenceService(database, interval=5, clock=clock)
    reader = PresenceService(database, interval=5, clock=clock)
    a.report({("g", "arvenia"): 1})
    b.report({("g", "lindmark"): 1})
    b.forget()
    assert reader.pages_open_elsewhere("g") == {"arvenia": 1}

    clock.advance(STALE_AFTER_REPORTS * 5 - 1)
    assert reader.pages_open_elsewhere("g") == {"arvenia": 1}
    clock.advance(2)  # a has missed its reports: crashed, or cut off from the database
    assert reader.pages_open_elsewhere("g") == {}


def test_reports_left_by_processes_long_gone_are_swept_away(
    database: Database, clock: Clock
) -> None:
    dead = PresenceService(database, interval=5, clock=clock)
    dead.report({("g", "arvenia"): 1})
    clock.advance(2 * 3600)
    alive = PresenceService(database, interval=5, clock=clock)
    alive.report({("g", "lindmark"): 1})
    with database.read() as session:
        rows = session.scalars(select(PagePresence.process_id)).all()
    assert rows == [alive.process_id]
