"""Queries on instructor sessions (the server-side half of a signed-in browser)."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.store.models import InstructorSession, User


class InstructorSessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, token_hash: str, user_id: int, now: float, expires_at: float) -> None:
        self.session.add(
            InstructorSession(
                token_hash=token_hash,
                user_id=user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=expires_at,
            )
        )

    def live(self, token_hash: str, now: float) -> tuple[User, float] | None:
        """The account behind an unexpired session and when the session was last seen:
        one query, by primary keys."""
        row = self.session.execute(
            select(User, InstructorSession.last_seen_at)
            .join(InstructorSession, InstructorSession.user_id == User.id)
            .where(InstructorSession.token_hash == token_hash, InstructorSession.expires_at > now)
        ).one_or_none()
        return (row[0], float(row[1])) if row is not None else None

    def touch(self, token_hash: str, now: float, expires_at: float) -> None:
        self.session.execute(
            update(InstructorSession)
            .where(InstructorSession.token_hash == token_hash)
            .values(last_seen_at=now, expires_at=expires_at)
        )

    def remove(self, token_hash: str) -> None:
        self.session.execute(
            delete(InstructorSession).where(InstructorSession.token_hash == token_hash)
        )

    def remove_of_user(self, user_id: int, *, keep: str | None = None) -> int:
        """End every session of an account (but `keep`, a token hash); how many ended."""
        statement = delete(InstructorSession).where(InstructorSession.user_id == user_id)
        if keep is not None:
            statement = statement.where(InstructorSession.token_hash != keep)
        return int(self.session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]

    def remove_expired(self, now: float) -> None:
        self.session.execute(delete(InstructorSession).where(InstructorSession.expires_at <= now))

    def count_of_user(self, user_id: int) -> int:
        counted = select(func.count()).where(InstructorSession.user_id == user_id)
        return int(self.session.scalar(counted) or 0)
