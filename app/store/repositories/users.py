"""Queries on instructor accounts."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.store.models import User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(User)) or 0)

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def by_email(self, email: str) -> User | None:
        return self.session.scalars(select(User).where(User.email == email)).one_or_none()

    def all(self) -> list[User]:
        # lower(): the same order whatever the database's collation.
        ordered = select(User).order_by(func.lower(User.display_name), User.id)
        return list(self.session.scalars(ordered).all())

    def add(self, user: User) -> None:
        self.session.add(user)
        self.session.flush()

    def ids_locked(self) -> list[int]:
        """Every account's id, the rows locked until the transaction ends (PostgreSQL; a
        SQLite write transaction holds the whole database): two instructors removing
        each other at once cannot leave no account."""
        return list(self.session.scalars(select(User.id).order_by(User.id).with_for_update()))

    def remove(self, user_id: int) -> None:
        self.session.execute(delete(User).where(User.id == user_id))
