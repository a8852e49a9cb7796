"""Queries on the open pages each serving process reports."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.store.models import PagePresence

FORGOTTEN_AFTER_SECONDS = 3600.0


class PresenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(
        self, process_id: str, counts: Iterable[tuple[str, str, int]], seen_at: float
    ) -> None:
        """This process's report, (game id, viewer key, pages) rows, replacing its last
        (and sweeping away what processes that died long ago left behind)."""
        self.session.execute(
            delete(PagePresence).where(
                (PagePresence.process_id == process_id)
                | (PagePresence.seen_at < seen_at - FORGOTTEN_AFTER_SECONDS)
            )
        )
        self.session.add_all(
            PagePresence(
                process_id=process_id,
                game_id=game_id,
                viewer_key=viewer_key,
                pages=pages,
                seen_at=seen_at,
            )
            for game_id, viewer_key, pages in counts
        )

    def forget(self, process_id: str) -> None:
        self.session.execute(delete(PagePresence).where(PagePresence.process_id == process_id))

    def pages_open(self, game_id: str, since: float, *, except_process: str) -> dict[str, int]:
        """Pages per viewer key, summed over the other processes that reported since
        `since`."""
        rows = self.session.execute(
            select(PagePresence.viewer_key, func.sum(PagePresence.pages))
            .where(
                PagePresence.game_id == game_id,
                PagePresence.seen_at >= since,
                PagePresence.process_id != except_process,
            )
            .group_by(PagePresence.viewer_key)
        ).all()
        return {key: int(pages) for key, pages in rows}
