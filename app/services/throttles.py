"""Throttles on guessing (passwords, join codes), kept in the database so every serving
process counts against one limit.

An attempt is *reserved* before the secret is checked: counting the key's recent attempts
and adding this one happen in one transaction holding the key, so of many concurrent
attempts no more than the limit get through to the check. A good attempt gives its
reservation back; a wrong one leaves it standing as the recorded failure (so does a
process that dies half-way: a throttle fails closed).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.i18n import gettext
from app.services.errors import Invalid
from app.store.database import Database
from app.store.repositories.throttles import ThrottleRepository

WINDOW = 300.0
"""Seconds an attempt counts against its key's limit (every throttle has the same)."""
PRUNE_EVERY = 60.0
MAX_SUBJECT = 360  # an address and an email address; a longer one is no real key


@dataclass(frozen=True)
class Limit:
    """At most `attempts` counted attempts per subject within WINDOW; `name` scopes the
    subjects (the same address is one key for sign-in and another for join codes)."""

    name: str
    attempts: int

    def key(self, subject: str) -> Key:
        return Key(self, f"{self.name}:{subject[:MAX_SUBJECT]}")


@dataclass(frozen=True)
class Key:
    limit: Limit
    value: str


@dataclass(frozen=True)
class Reservation:
    ids: tuple[int, ...]


class Throttled(Invalid):
    """A key is at its limit; `wait` is the seconds until an attempt is counted again."""

    def __init__(self, wait: int) -> None:
        super().__init__(
            gettext("Too many attempts; try again in %(wait)s seconds.", wait=wait), "throttled"
        )
        self.wait = wait


class Throttle:
    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        # Wall-clock time, not monotonic: the count is shared with other processes.
        self.database = database
        self.clock = clock
        self._next_prune = 0.0
        self._prune_lock = threading.Lock()

    def reserve(self, keys: Sequence[Key]) -> Reservation:
        """Count one attempt under every key, or raise Throttled (and count none) if any
        key is at its limit."""
        now = self.clock()
        with self.database.write() as session:
            attempts = ThrottleRepository(session)
            if self._prune_due(now):
                attempts.prune(now - WINDOW)
            attempts.lock(k.value for k in keys)
            wait = 0
            for key in keys:
                count, oldest = attempts.recent(key.value, now - WINDOW)
                if count >= key.limit.attempts and oldest is not None:
                    wait = max(wait, max(1, round(WINDOW - (now - oldest))))
            if wait:
                raise Throttled(wait)
            return Reservation(tuple(attempts.add((k.value for k in keys), now)))

    def release(self, reservation: Reservation, *, forget: Sequence[Key] = ()) -> None:
        """The attempt was good: it does not count, nor do the earlier failures under
        `forget`."""
        with self.database.write() as session:
            attempts = ThrottleRepository(session)
            attempts.remove(reservation.ids)
            for key in forget:
                attempts.forget(key.value)

    def _prune_due(self, now: float) -> bool:
        """Once a minute per process, one reservation also sweeps out old attempts: the
        table holds only the last window's, however many addresses try."""
        with self._prune_lock:
            if now < self._next_prune:
                return False
            self._next_prune = now + PRUNE_EVERY
            return True
