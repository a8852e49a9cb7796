"""Queries on throttle attempts: counted per key within a window, shared by every process."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.store.models import ThrottleAttempt

# The first key of PostgreSQL's two-key advisory locks, so these locks cannot meet any
# other use of advisory locks on the database ("THRT").
_LOCK_CLASS = 0x54485254


class ThrottleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def lock(self, keys: Iterable[str]) -> None:
        """Hold the keys until the transaction ends, so counting and adding an attempt is
        one step for concurrent transactions. SQLite needs nothing: its write transactions
        begin IMMEDIATE and so run one at a time. PostgreSQL gets an advisory lock per key
        (a key has no row to lock before its first attempt); sorted, so two transactions
        locking the same keys cannot deadlock."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for key in sorted(set(keys)):
            self.session.execute(
                select(func.pg_advisory_xact_lock(_LOCK_CLASS, func.hashtext(key)))
            )

    def recent(self, key: str, since: float) -> tuple[int, float | None]:
        """How many attempts under `key` since `since`, and when the oldest of them was."""
        count, oldest = self.session.execute(
            select(func.count(), func.min(ThrottleAttempt.at)).where(
                ThrottleAttempt.key == key, ThrottleAttempt.at > since
            )
        ).one()
        return int(count), (float(oldest) if oldest is not None else None)

    def add(self, keys: Iterable[str], at: float) -> list[int]:
        rows = [ThrottleAttempt(key=key, at=at) for key in keys]
        self.session.add_all(rows)
        self.session.flush()
        return [row.id for row in rows]

    def remove(self, ids: Iterable[int]) -> None:
        self.session.execute(delete(ThrottleAttempt).where(ThrottleAttempt.id.in_(list(ids))))

    def forget(self, key: str) -> None:
        self.session.execute(delete(ThrottleAttempt).where(ThrottleAttempt.key == key))

    def prune(self, before: float) -> None:
        self.session.execute(delete(ThrottleAttempt).where(ThrottleAttempt.at <= before))

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(ThrottleAttempt)) or 0)
