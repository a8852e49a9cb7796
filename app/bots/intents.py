"""What a nation intends in a crisis: its aims, its red lines and the agreements it seeks.

A scenario's strategy says what each actor intends (docs/rules/strategies.md), never which
operation a bot picks: the bot weighs each operation by what the nation wants from it (the
points of its own objectives and, unless it cares only for itself, of the collective
objectives that name it, and the regions it cares about), leaves out what its red lines
forbid, and lets the rules decide the rest. The same intents read the same scenario data
in every game, so history comes from what the actors wanted, not from a script.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.rules.state import (
    Capability,
    CommandStructure,
    GameState,
    Nation,
    Operation,
    Power,
    Unit,
)

__all__ = ["REGION_AIM", "Intents"]

# The weight of an operation in a region the nation cares about, in objective points (a
# small objective's worth: below what a nation's own named objectives are worth).
REGION_AIM = 20


@dataclass(frozen=True)
class Intents:
    """Aims (`regions`, `collective`), red lines (`no_powers`, `no_regions`,
    `no_combat_by`, `shuns`) and the agreements it seeks (`partners`, `command`,
    `mandate`, `pays`). The defaults intend nothing beyond the nation's own objectives."""

    # Aims: regions whose operations matter to it besides its objectives' operations.
    regions: tuple[str, ...] = ()
    # Aims: it also pursues the collective objectives (False: only its own).
    collective: bool = True
    # Red lines: kinds of operation it puts no forces into.
    no_powers: tuple[Power, ...] = ()
    # Red lines: regions where it puts no forces.
    no_regions: tuple[str, ...] = ()
    # Red lines: capabilities it sends into no hard-power operation ("no ground combat").
    no_combat_by: tuple[Capability, ...] = ()
    # Red lines: nations it will not share a coalition with.
    shuns: tuple[str, ...] = ()
    # Agreements: the nations it wants in its coalition, asked first (empty: anyone).
    partners: tuple[str, ...] = ()
    # Agreements: the command structure it proposes as a lead (None: the strategy's).
    command: CommandStructure | None = None
    # Agreements: as a lead, asks the councils for a mandate (None: when it uses force).
    mandate: bool | None = None
    # Agreements: offers to carry half of its lead's costs (the cheque-book deal).
    pays: bool = False

    def permits(self, nation: Nation, operation: Operation) -> bool:
        """Whether its red lines let it take part."""
        return operation.power not in self.no_powers and operation.region not in self.no_regions

    def permits_unit(self, unit: Unit, operation: Operation) -> bool:
        return not (operation.power == "hard" and unit.capability in self.no_combat_by)

    def interest(self, state: GameState, nation: Nation, operation: Operation) -> int:
        """How much it wants `operation` to succeed, in objective points (0: no aim)."""
        if not self.permits(nation, operation):
            return 0
        named = [o for o in nation.objectives if o.target == operation.id]
        if self.collective:
            named += [o for o in state.collective_objectives if o.target == operation.id]
        points = sum(o.points for o in named if o.kind == "operation_succeeds")
        if operation.region in self.regions:
            points += REGION_AIM
        return points

    def accepts_partner(self, nation_id: str) -> bool:
        return nation_id not in self.shuns
