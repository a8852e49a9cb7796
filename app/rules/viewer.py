"""Who is looking (`Viewer`), and the rules of sight the state view and the feed share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.rules.agreements import AGREEMENTS
from app.rules.records import Change, TurnRecord
from app.rules.state import RED_CELL_SEAT, Agreement, Channel, GameState

# The red cell (app/rules/red_cell.py) plays the adversary: it sees what observers see,
# and its own move.
Role = Literal["nation", "control", "observer", "red_cell"]


@dataclass(frozen=True)
class Viewer:
    role: Role
    nation_id: str | None = None

    @classmethod
    def of_nation(cls, nation_id: str) -> Viewer:
        return cls("nation", nation_id)

    @classmethod
    def control(cls) -> Viewer:
        return cls("control")

    @classmethod
    def observer(cls) -> Viewer:
        return cls("observer")

    @classmethod
    def red_cell(cls) -> Viewer:
        # Its seat id stands where a nation's would, so relinking its seat closes its pages.
        return cls("red_cell", RED_CELL_SEAT)

    def sees_privately(self, nation_id: str | None) -> bool:
        return self.role == "control" or (self.role == "nation" and self.nation_id == nation_id)

    def among(self, nation_ids: object) -> bool:
        """Control, or a nation listed in `nation_ids`."""
        return self.role == "control" or (
            self.role == "nation"
            and isinstance(nation_ids, list | tuple)
            and self.nation_id in nation_ids
        )

    @property
    def key(self) -> str:
        """A stable key: viewers with equal keys see exactly the same thing."""
        return f"{self.role}:{self.nation_id or ''}"


def changes_seen(record: TurnRecord, viewer: Viewer) -> list[Change]:
    """The changes of `record` the viewer may see, in order: what is public and what is
    listed for it (`visible_to`). Of the changes listed once for every pair of a group of
    nations, a nation sees those of the pairs it is in; control sees all."""
    if viewer.role == "control":
        return record.listed()
    nation = viewer.nation_id if viewer.role == "nation" else None
    changes = record.listed(lambda group: group.seen_by(nation))
    return [c for c in changes if not c.visible_to or viewer.among(c.visible_to)]


def _sees_orders_of(state: GameState, viewer: Viewer, nation_id: str | None) -> bool:
    """Which units a nation committed where: its own, control's, or everyone's in open fog."""
    return viewer.sees_privately(nation_id) or state.fog == "open"


# Signed agreements of these kinds are announced to everyone; the rest stay with the parties.
PUBLIC_AGREEMENTS = {kind for kind, spec in AGREEMENTS.items() if spec.public}


def sees_agreement(viewer: Viewer, agreement: Agreement) -> bool:
    """Its parties see a deal; a signed one of a public kind is announced to everyone."""
    return viewer.among(agreement.parties) or (
        agreement.status == "signed" and agreement.kind in PUBLIC_AGREEMENTS
    )


def sees_channel(viewer: Viewer, channel: Channel) -> bool:
    """Members see a channel; everyone sees the public one."""
    return viewer.among(channel.members) or channel.kind == "public"
